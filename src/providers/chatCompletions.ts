// The OpenAI chat-completions wire shape, shared by the Groq, OpenAI and OpenAI-compatible adapters.
import type { FinishReason, Usage } from '../protocol';
import type { AdapterEvent, ToolSpec, Turn } from './types';
import { streamCutOff } from './errors';

type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };
interface WireToolCall { id: string; type: 'function'; function: { name: string; arguments: string } }
export type ChatCompletionMessage =
  | { role: 'system'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: WireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string }
  | { role: 'user'; content: string | ContentPart[] };

/** Tool descriptions as chat completions take them. */
export function toChatTools(tools: ToolSpec[] | undefined): { tools: Array<{ type: 'function'; function: ToolSpec }> } | undefined {
  if (!tools?.length) return undefined;
  return { tools: tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })) };
}

export function toChatMessages(turns: Turn[], system: string): ChatCompletionMessage[] {
  const messages: ChatCompletionMessage[] = system ? [{ role: 'system', content: system }] : [];
  for (const turn of turns) {
    if (turn.role === 'assistant') {
      const calls = turn.toolCalls?.map((c): WireToolCall => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
      messages.push(calls?.length ? { role: 'assistant', content: turn.text || null, tool_calls: calls } : { role: 'assistant', content: turn.text });
    } else if (turn.role === 'tool') {
      for (const r of turn.toolResults ?? []) messages.push({ role: 'tool', tool_call_id: r.callId, content: r.isError ? `Error: ${r.text}` : r.text });
      if (turn.text) messages.push({ role: 'user', content: turn.text });
    } else if (turn.images?.length) {
      messages.push({
        role: 'user',
        content: [
          { type: 'text', text: turn.text },
          ...turn.images.map((img): ContentPart => ({ type: 'image_url', image_url: { url: `data:${img.mimeType};base64,${img.base64}` } })),
        ],
      });
    } else messages.push({ role: 'user', content: turn.text });
  }
  return messages;
}

export function mapFinishReason(reason: string | null | undefined): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'tool_calls' || reason === 'function_call') return 'tool-calls';
  if (reason === 'content_filter') return 'content-filter';
  return 'stop';
}

interface RawUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/**
 * OpenAI counts reasoning inside completion_tokens; xAI counts it beside them (total = prompt + completion +
 * reasoning, and reasoning may exceed completion). Output is everything generated either way.
 */
export function mapUsage(usage: RawUsage): Usage {
  const out: Usage = {};
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  const prompt = usage.prompt_tokens;
  const completion = usage.completion_tokens;
  if (typeof prompt === 'number') out.inputTokens = prompt;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number' && cached > 0) out.cachedInputTokens = cached;
  if (typeof completion === 'number') {
    const reasoningBeside = reasoning > 0 && (reasoning > completion || usage.total_tokens === (prompt ?? 0) + completion + reasoning);
    out.outputTokens = reasoningBeside ? completion + reasoning : completion;
  }
  if (reasoning > 0) out.reasoningTokens = reasoning;
  return out;
}

interface RawAnnotation { type?: string; url_citation?: { url?: string; title?: string | null } | null }

function* citationsOf(annotations: RawAnnotation[] | null | undefined): Iterable<AdapterEvent> {
  for (const a of annotations ?? []) {
    const url = a.type === 'url_citation' ? a.url_citation?.url : undefined;
    if (url) yield { type: 'citation', citation: { url, ...(a.url_citation?.title && { title: a.url_citation.title }) } };
  }
}

/** Groq's `executed_tools`: the built-in tools it ran, first without output (started), then with it (done). */
interface RawExecutedTool {
  index?: number;
  type?: string;
  arguments?: string;
  output?: string | null;
  search_results?: { results?: Array<{ url?: string; title?: string }> | null } | null;
  browser_results?: Array<{ url?: string; title?: string }> | null;
}

function* executedToolsOf(tools: RawExecutedTool[] | null | undefined): Iterable<AdapterEvent> {
  for (const [position, t] of (tools ?? []).entries()) {
    const found = [...(t.search_results?.results ?? []), ...(t.browser_results ?? [])];
    const sources = found.flatMap((r) => (r.url && /^https?:\/\//i.test(r.url) ? [{ url: r.url, ...(r.title && { title: r.title }) }] : []));
    yield {
      type: 'server-tool',
      index: t.index ?? position,
      name: t.type || 'tool',
      arguments: t.arguments ?? '',
      ...(typeof t.output === 'string' && { output: t.output }),
      ...(sources.length && { sources }),
    };
  }
}

interface RawToolCallDelta { index?: number; id?: string | null; function?: { name?: string | null; arguments?: string | null } | null }

/**
 * Streamed tool calls: the first piece of each (by `index`) brings its id and name, later pieces the arguments.
 * Calls end when the step finishes (chat completions mark no end per call).
 */
class ToolCallReader {
  private readonly ids = new Map<number, string>();

  *read(deltas: RawToolCallDelta[] | null | undefined): Iterable<AdapterEvent> {
    for (const [position, d] of (deltas ?? []).entries()) {
      const index = d.index ?? position;
      let id = this.ids.get(index);
      if (id === undefined) {
        id = d.id || `call_${index}_${this.ids.size}`;
        this.ids.set(index, id);
        yield { type: 'tool-call-start', id, name: d.function?.name ?? '' };
      }
      if (d.function?.arguments) yield { type: 'tool-call-delta', id, text: d.function.arguments };
    }
  }

  *end(): Iterable<AdapterEvent> {
    for (const id of this.ids.values()) yield { type: 'tool-call-end', id };
    this.ids.clear();
  }

  get any(): boolean {
    return this.ids.size > 0;
  }
}

export interface ChunkLike {
  choices?: Array<{
    delta?: { content?: string | null; reasoning?: string | null; reasoning_content?: string | null; annotations?: RawAnnotation[] | null; tool_calls?: RawToolCallDelta[] | null; executed_tools?: RawExecutedTool[] | null } | null;
    finish_reason?: string | null;
  }>;
  usage?: RawUsage | null;
  x_groq?: { usage?: RawUsage | null } | null;
  /** An error sent inside the stream after the 200 (OpenRouter: `{code, message}`, code being the HTTP status). */
  error?: unknown;
}

/**
 * Turns a stream of chat.completion.chunk objects into adapter events. An error chunk may carry the usage
 * so far (OpenRouter): it is yielded before the error is thrown, shaped like the SDKs' APIError.
 */
export async function* readChunks(stream: AsyncIterable<ChunkLike>, signal: AbortSignal): AsyncIterable<AdapterEvent> {
  let finish: FinishReason | undefined;
  const calls = new ToolCallReader();
  for await (const chunk of stream) {
    const choice = chunk.choices?.[0];
    const reasoning = choice?.delta?.reasoning ?? choice?.delta?.reasoning_content;
    if (reasoning) yield { type: 'reasoning-delta', text: reasoning };
    const content = choice?.delta?.content;
    if (content) yield { type: 'text-delta', text: content };
    yield* citationsOf(choice?.delta?.annotations);
    yield* executedToolsOf(choice?.delta?.executed_tools);
    yield* calls.read(choice?.delta?.tool_calls);
    if (choice?.finish_reason && choice.finish_reason !== 'error') finish = mapFinishReason(choice.finish_reason);
    const usage = chunk.x_groq?.usage ?? chunk.usage;
    if (usage) yield { type: 'usage', usage: mapUsage(usage) };
    if (chunk.error) throw streamError(chunk.error);
  }
  if (signal.aborted) return;
  if (!finish) {
    throw streamCutOff();
  }
  // Some servers finish a step of tool calls with `stop`: calls made mean the step waits for their results.
  if (calls.any && finish === 'stop') finish = 'tool-calls';
  yield* calls.end();
  yield { type: 'finish', reason: finish };
}

function streamError(body: unknown): Error {
  const message = (body as { message?: unknown })?.message;
  return Object.assign(new Error(typeof message === 'string' ? message : 'The provider sent an error inside the stream.'), { name: 'StreamError', error: body });
}

/** A whole (non-streamed) chat.completion delivered as one delta, e.g. Groq's JSON mode. */
export function* readCompletion(completion: { choices?: Array<{ message?: { content?: string | null; reasoning?: string | null; annotations?: RawAnnotation[] | null; tool_calls?: RawToolCallDelta[] | null; executed_tools?: RawExecutedTool[] | null }; finish_reason?: string | null }>; usage?: RawUsage | null }): Iterable<AdapterEvent> {
  const choice = completion.choices?.[0];
  if (choice?.message?.reasoning) yield { type: 'reasoning-delta', text: choice.message.reasoning };
  yield* executedToolsOf(choice?.message?.executed_tools);
  if (choice?.message?.content) yield { type: 'text-delta', text: choice.message.content };
  yield* citationsOf(choice?.message?.annotations);
  const calls = new ToolCallReader();
  yield* calls.read(choice?.message?.tool_calls);
  const made = calls.any;
  yield* calls.end();
  if (completion.usage) yield { type: 'usage', usage: mapUsage(completion.usage) };
  const reason = mapFinishReason(choice?.finish_reason);
  yield { type: 'finish', reason: made && reason === 'stop' ? 'tool-calls' : reason };
}
