// The OpenAI chat-completions wire shape, shared by the Groq, OpenAI and OpenAI-compatible adapters.
import type { FinishReason, Usage } from '../protocol';
import type { AdapterEvent, Turn } from './types';

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

interface RawUsage { prompt_tokens?: number; completion_tokens?: number; completion_tokens_details?: { reasoning_tokens?: number } | null }
export function mapUsage(usage: RawUsage): Usage {
  const out: Usage = {};
  if (typeof usage.prompt_tokens === 'number') out.inputTokens = usage.prompt_tokens;
  if (typeof usage.completion_tokens === 'number') out.outputTokens = usage.completion_tokens;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number' && reasoning > 0) out.reasoningTokens = reasoning;
  return out;
}

export interface ChunkLike {
  choices?: Array<{ delta?: { content?: string | null; reasoning?: string | null; reasoning_content?: string | null } | null; finish_reason?: string | null }>;
  usage?: RawUsage | null;
  x_groq?: { usage?: RawUsage | null } | null;
}

/** Turns a stream of chat.completion.chunk objects into adapter events. */
export async function* readChunks(stream: AsyncIterable<ChunkLike>, signal: AbortSignal): AsyncIterable<AdapterEvent> {
  let finish: FinishReason | undefined;
  for await (const chunk of stream) {
    const choice = chunk.choices?.[0];
    const reasoning = choice?.delta?.reasoning ?? choice?.delta?.reasoning_content;
    if (reasoning) yield { type: 'reasoning-delta', text: reasoning };
    const content = choice?.delta?.content;
    if (content) yield { type: 'text-delta', text: content };
    if (choice?.finish_reason) finish = mapFinishReason(choice.finish_reason);
    const usage = chunk.x_groq?.usage ?? chunk.usage;
    if (usage) yield { type: 'usage', usage: mapUsage(usage) };
  }
  if (signal.aborted) return;
  if (!finish) {
    const error = new Error('The stream ended before the provider said it was finished.');
    error.name = 'StreamCutOff';
    throw error;
  }
  yield { type: 'finish', reason: finish };
}

/** A whole (non-streamed) chat.completion delivered as one delta, e.g. Groq's JSON mode. */
export function* readCompletion(completion: { choices?: Array<{ message?: { content?: string | null; reasoning?: string | null }; finish_reason?: string | null }>; usage?: RawUsage | null }): Iterable<AdapterEvent> {
  const choice = completion.choices?.[0];
  if (choice?.message?.reasoning) yield { type: 'reasoning-delta', text: choice.message.reasoning };
  if (choice?.message?.content) yield { type: 'text-delta', text: choice.message.content };
  if (completion.usage) yield { type: 'usage', usage: mapUsage(completion.usage) };
  yield { type: 'finish', reason: mapFinishReason(choice?.finish_reason) };
}
