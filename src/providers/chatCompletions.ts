// The OpenAI chat-completions wire shape, shared by the Groq, OpenAI and OpenAI-compatible adapters.
import type { FinishReason, Usage } from '../protocol';
import type { AdapterEvent, Turn } from './types';
import { streamCutOff } from './errors';

type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };
export type ChatCompletionMessage =
  | { role: 'system' | 'assistant'; content: string }
  | { role: 'user'; content: string | ContentPart[] };

export function toChatMessages(turns: Turn[], system: string): ChatCompletionMessage[] {
  const messages: ChatCompletionMessage[] = system ? [{ role: 'system', content: system }] : [];
  for (const turn of turns) {
    if (turn.role === 'assistant') messages.push({ role: 'assistant', content: turn.text });
    else if (turn.images?.length) {
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

export interface ChunkLike {
  choices?: Array<{
    delta?: { content?: string | null; reasoning?: string | null; reasoning_content?: string | null; annotations?: RawAnnotation[] | null } | null;
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
  for await (const chunk of stream) {
    const choice = chunk.choices?.[0];
    const reasoning = choice?.delta?.reasoning ?? choice?.delta?.reasoning_content;
    if (reasoning) yield { type: 'reasoning-delta', text: reasoning };
    const content = choice?.delta?.content;
    if (content) yield { type: 'text-delta', text: content };
    yield* citationsOf(choice?.delta?.annotations);
    if (choice?.finish_reason && choice.finish_reason !== 'error') finish = mapFinishReason(choice.finish_reason);
    const usage = chunk.x_groq?.usage ?? chunk.usage;
    if (usage) yield { type: 'usage', usage: mapUsage(usage) };
    if (chunk.error) throw streamError(chunk.error);
  }
  if (signal.aborted) return;
  if (!finish) {
    throw streamCutOff();
  }
  yield { type: 'finish', reason: finish };
}

function streamError(body: unknown): Error {
  const message = (body as { message?: unknown })?.message;
  return Object.assign(new Error(typeof message === 'string' ? message : 'The provider sent an error inside the stream.'), { name: 'StreamError', error: body });
}

/** A whole (non-streamed) chat.completion delivered as one delta, e.g. Groq's JSON mode. */
export function* readCompletion(completion: { choices?: Array<{ message?: { content?: string | null; reasoning?: string | null; annotations?: RawAnnotation[] | null }; finish_reason?: string | null }>; usage?: RawUsage | null }): Iterable<AdapterEvent> {
  const choice = completion.choices?.[0];
  if (choice?.message?.reasoning) yield { type: 'reasoning-delta', text: choice.message.reasoning };
  if (choice?.message?.content) yield { type: 'text-delta', text: choice.message.content };
  yield* citationsOf(choice?.message?.annotations);
  if (completion.usage) yield { type: 'usage', usage: mapUsage(completion.usage) };
  yield { type: 'finish', reason: mapFinishReason(choice?.finish_reason) };
}
