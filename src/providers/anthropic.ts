// Anthropic's Messages API through the official @anthropic-ai/sdk: the request body (turns as alternating messages,
// controls under their Messages-API names, extended thinking, tools and web search), the stream's events as
// adapter events, and the models endpoint.
import type { Anthropic as AnthropicClient } from '@anthropic-ai/sdk';
import type { ChatConfig, FinishNote, FinishReason, Usage } from '../protocol';
import { currentTurnStart, ThinkingBlocks, thinkingMissing, thinkingParams, type ThinkingParam } from './anthropicThinking';
import { ServerToolBlocks, takesWebSearch, webSearchCost, webSearchTools } from './anthropicWebSearch';
import { describeCapabilities } from './capabilities';
import { ParleyError, streamCutOff } from './errors';
import { retryAwareFetch } from './fetch';
import { parseToolArguments } from './toolArguments';
import type { AdapterEvent, ListedModel, ProviderDefinition, ToolCallRecord, ToolSpec, Turn } from './types';

const NO_SEED = "Anthropic's API has no seed.";
const NO_PENALTIES = "Anthropic's API has no frequency or presence penalties.";
const NO_JSON_MODE = 'Anthropic has no plain JSON mode (structured output needs a JSON schema); ask for JSON in the system message.';
const NO_EFFORT = 'Claude takes a thinking budget rather than a reasoning effort.';
const NO_THINKING = 'Only Claude 3.7 Sonnet and Claude 4 models and later think (extended thinking).';

/** Used when the chat sets no max tokens: Anthropic requires `max_tokens`. */
export const DEFAULT_MAX_TOKENS = 4096;
/** Extended thinking's smallest budget. */
const MIN_THINKING_BUDGET = 1024;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

const takesThinking = (model: string) => /claude-3-7-sonnet|claude-(?:sonnet|opus|haiku)-(?:4|[5-9])|claude-(?:mythos|fable)/.test(model);
/** Since Claude Sonnet 4.5, models take temperature or top_p, not both; the first Claude 4 models and Claude 3 take both. */
const takesBothSamplers = (model: string) => /^claude-3|^claude-(?:sonnet|opus)-4(?:-0|-\d{8})?$/.test(model);

function maxOutput(model: string): number {
  if (/claude-3-haiku/.test(model)) return 4096;
  if (/claude-3-(?:5|opus)/.test(model)) return 8192;
  if (/claude-opus-4(?:-[01])?(?:-\d{8})?$/.test(model)) return 32_000;
  return 64_000;
}

type ContentBlock =
  | ThinkingParam
  | { type: 'text'; text: string }
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content?: string; is_error: boolean };
interface Message { role: 'user' | 'assistant'; content: ContentBlock[] }

/**
 * Anthropic takes tool_use ids matching ^[a-zA-Z0-9_-]+$ only; calls made by other providers (OpenAI's `call_…`,
 * ids with dots or colons) are rewritten the same way in the tool_use and in its tool_result, so they still pair.
 */
export function anthropicToolId(id: string): string {
  const clean = id.replace(/[^a-zA-Z0-9_-]/g, '_');
  return clean || 'toolu_';
}

const toolUse = (call: ToolCallRecord): ContentBlock => ({ type: 'tool_use', id: anthropicToolId(call.id), name: call.name, input: parseToolArguments(call.arguments) });

/**
 * Anthropic wants strictly alternating roles: consecutive turns of one role become one message. A `tool` turn is
 * a user message whose tool_result blocks come first (before any text merged into it). In the current assistant
 * turn, `model`'s own thinking blocks lead the step they came from.
 */
export function toAnthropicMessages(turns: Turn[], model = ''): Message[] {
  const messages: Message[] = [];
  const current = currentTurnStart(turns);
  for (const [i, turn] of turns.entries()) {
    const blocks: ContentBlock[] = [...thinkingParams(turn, i >= current, model)];
    for (const result of turn.role === 'tool' ? turn.toolResults ?? [] : []) {
      // `content` is optional: an empty result goes without it rather than as an empty string.
      blocks.push({ type: 'tool_result', tool_use_id: anthropicToolId(result.callId), ...(result.text && { content: result.text }), is_error: result.isError === true });
    }
    for (const image of turn.role === 'user' ? turn.images ?? [] : []) {
      if (!IMAGE_TYPES.has(image.mimeType)) {
        throw new ParleyError('attachment', `Claude reads JPEG, PNG, GIF and WebP images; ${image.name} is ${image.mimeType}.`);
      }
      blocks.push({ type: 'image', source: { type: 'base64', media_type: image.mimeType, data: image.base64 } });
    }
    // Images first, then the text: Anthropic's recommended order. Empty text blocks are rejected.
    if (turn.text) blocks.push({ type: 'text', text: turn.text });
    // An assistant's tool calls follow its text.
    if (turn.role === 'assistant') blocks.push(...(turn.toolCalls ?? []).map(toolUse));
    if (!blocks.length) continue;
    const role = turn.role === 'assistant' ? 'assistant' : 'user';
    const last = messages.at(-1);
    if (last?.role === role) {
      // tool_result blocks must lead their user message: results join the results already there, ahead of the rest.
      const results = blocks.filter((b) => b.type === 'tool_result');
      const firstOther = last.content.findIndex((b) => b.type !== 'tool_result');
      if (results.length) last.content.splice(firstOther < 0 ? last.content.length : firstOther, 0, ...results);
      last.content.push(...blocks.filter((b) => b.type !== 'tool_result'));
    } else messages.push({ role, content: blocks });
  }
  // A final assistant message (a reply to continue) may not end in whitespace.
  const last = messages.at(-1);
  const lastBlock = last?.content.at(-1);
  if (last?.role === 'assistant' && lastBlock?.type === 'text') lastBlock.text = lastBlock.text.trimEnd();
  return messages;
}

function requestBody(config: ChatConfig, turns: Turn[], tools?: ToolSpec[]) {
  const { model } = config;
  const cap = maxOutput(model);
  const messages = toAnthropicMessages(turns, model);
  // A tool loop whose thinking blocks are not at hand (earlier steps without thinking, or by another model) goes
  // on without thinking, as the API's error message advises ("To avoid this requirement, disable thinking").
  const budget = takesThinking(model) && config.thinkingBudget != null && config.thinkingBudget > 0 && !thinkingMissing(messages)
    ? Math.min(Math.max(MIN_THINKING_BUDGET, Math.round(config.thinkingBudget)), cap - MIN_THINKING_BUDGET)
    : undefined;
  let maxTokens = Math.min(cap, config.maxTokens ?? DEFAULT_MAX_TOKENS);
  // Thinking counts toward max_tokens, which must exceed the budget: leave room for the answer too.
  if (budget !== undefined && maxTokens <= budget) maxTokens = Math.min(cap, budget + Math.max(maxTokens, MIN_THINKING_BUDGET));
  // Extended thinking takes temperature 1 only, top_p 0.95–1 and no top_k.
  const temperature = budget !== undefined ? 1 : config.temperature;
  const topP = config.topP == null ? null : budget !== undefined ? Math.max(0.95, config.topP) : config.topP;
  const sendTopP = topP != null && (temperature == null || takesBothSamplers(model));
  // Parley's tools, then the server tools the chat turned on (run by Anthropic, never by Parley).
  const allTools = [...(tools ?? []).map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters })), ...webSearchTools(config)];
  return {
    model,
    max_tokens: maxTokens,
    messages,
    ...(config.system && { system: config.system }),
    ...(temperature != null && { temperature }),
    ...(sendTopP && { top_p: topP }),
    ...(budget === undefined && config.topK != null && { top_k: config.topK }),
    ...(config.stop.length > 0 && { stop_sequences: config.stop }),
    ...(budget !== undefined && { thinking: { type: 'enabled' as const, budget_tokens: budget } }),
    ...(allTools.length && { tools: allTools }),
  };
}

function mapStopReason(reason: string | null | undefined): FinishReason {
  if (reason === 'max_tokens' || reason === 'model_context_window_exceeded') return 'length';
  if (reason === 'refusal') return 'content-filter';
  if (reason === 'tool_use') return 'tool-calls';
  return 'stop';
}

/** Shown in the reasoning area in place of a redacted_thinking block's encrypted contents. */
export const REDACTED_THINKING_NOTE = "*Some reasoning was redacted by Anthropic's safety systems.*";
const PAUSED_NOTE: FinishNote = { text: 'Claude paused its turn (a long-running server tool). Continue to let it carry on.', action: 'continue' };

interface RawUsage { input_tokens?: number | null; output_tokens?: number | null; cache_creation_input_tokens?: number | null; cache_read_input_tokens?: number | null }
/** Input as billed: uncached input plus what was written to and read from the prompt cache. */
function inputUsage(usage: RawUsage | null | undefined): Usage | undefined {
  if (typeof usage?.input_tokens !== 'number') return undefined;
  const written = usage.cache_creation_input_tokens ?? 0;
  const read = usage.cache_read_input_tokens ?? 0;
  return {
    inputTokens: usage.input_tokens + written + read,
    ...(read > 0 && { cachedInputTokens: read }),
    ...(written > 0 && { cacheWriteTokens: written }),
  };
}

/** Turns the Messages API's raw stream events into adapter events. */
async function* readEvents(stream: AsyncIterable<AnthropicClient.RawMessageStreamEvent>, signal: AbortSignal): AsyncIterable<AdapterEvent> {
  let input: Usage | undefined;
  let finish: FinishReason | undefined;
  let note: FinishNote | undefined;
  let stopped = false;
  let redacted = false;
  let reasoned = false;
  // Open tool_use blocks by content block index: the call's id, and whether any argument text came yet.
  const calls = new Map<number, { id: string; input: unknown; sent: boolean }>();
  const serverTools = new ServerToolBlocks();
  const thinking = new ThinkingBlocks();
  for await (const event of stream) {
    switch (event.type) {
      case 'message_start':
        input = inputUsage(event.message.usage);
        break;
      case 'content_block_start': {
        const whole = thinking.start(event.index, event.content_block);
        if (whole) yield { type: 'thinking-block', block: whole };
        // Blocks start empty in practice; take any text they already carry.
        if (event.content_block.type === 'text' && event.content_block.text) yield { type: 'text-delta', text: event.content_block.text };
        if (event.content_block.type === 'thinking' && event.content_block.thinking) {
          reasoned = true;
          yield { type: 'reasoning-delta', text: event.content_block.thinking };
        }
        if (event.content_block.type === 'redacted_thinking' && !redacted) {
          redacted = true;
          yield { type: 'reasoning-delta', text: `${reasoned ? '\n\n' : ''}${REDACTED_THINKING_NOTE}\n\n` };
        }
        if (event.content_block.type === 'server_tool_use') serverTools.use(event.index, event.content_block);
        if (event.content_block.type === 'web_search_tool_result') yield* serverTools.result(event.content_block);
        if (event.content_block.type === 'tool_use') {
          const { id, name, input } = event.content_block;
          calls.set(event.index, { id, input, sent: false });
          yield { type: 'tool-call-start', id, name };
        }
        break;
      }
      case 'content_block_delta':
        thinking.delta(event.index, event.delta);
        if (event.delta.type === 'text_delta') yield { type: 'text-delta', text: event.delta.text };
        else if (event.delta.type === 'thinking_delta') {
          reasoned = true;
          yield { type: 'reasoning-delta', text: event.delta.thinking };
        } else if (event.delta.type === 'citations_delta' && event.delta.citation.type === 'web_search_result_location') {
          const { url, title } = event.delta.citation;
          yield { type: 'citation', citation: { url, ...(title && { title }) } };
        } else if (event.delta.type === 'input_json_delta' && !serverTools.input(event.index, event.delta.partial_json)) {
          // The model's own tool calls: a server tool's input (web search) went to its card above.
          const call = calls.get(event.index);
          if (call && event.delta.partial_json) {
            call.sent = true;
            yield { type: 'tool-call-delta', id: call.id, text: event.delta.partial_json };
          }
        }
        // signature_delta carries nothing to show (ThinkingBlocks keeps it).
        break;
      case 'content_block_stop': {
        yield* serverTools.stop(event.index);
        const whole = thinking.stop(event.index);
        if (whole) yield { type: 'thinking-block', block: whole };
        const call = calls.get(event.index);
        if (!call) break;
        calls.delete(event.index);
        // A call without arguments may stream no JSON at all: its arguments are then the (empty) start input.
        if (!call.sent) yield { type: 'tool-call-delta', id: call.id, text: JSON.stringify(call.input ?? {}) };
        yield { type: 'tool-call-end', id: call.id };
        break;
      }
      case 'message_delta': {
        if (event.delta.stop_reason) {
          finish = mapStopReason(event.delta.stop_reason);
          note = event.delta.stop_reason === 'pause_turn' ? PAUSED_NOTE : undefined;
        }
        input = inputUsage(event.usage) ?? input;
        const usage: Usage = { ...input };
        if (typeof event.usage?.output_tokens === 'number') usage.outputTokens = event.usage.output_tokens;
        const searches = webSearchCost(event.usage);
        if (searches !== undefined) usage.serverToolCost = searches;
        yield { type: 'usage', usage };
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  if (signal.aborted) return;
  if (!stopped || !finish) {
    throw streamCutOff();
  }
  yield* serverTools.unanswered();
  yield { type: 'finish', reason: finish, ...(note && { note }) };
}

export const anthropic: ProviderDefinition = {
  id: 'anthropic',
  label: 'Anthropic',
  keyEnv: ['ANTHROPIC_API_KEY'],
  needsKey: true,
  defaultBaseUrl: 'https://api.anthropic.com',
  builtinModels: ['claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-opus-4-6', 'claude-opus-4-5', 'claude-sonnet-4-0', 'claude-3-7-sonnet-latest', 'claude-3-5-haiku-latest'],
  capabilities(model) {
    const thinking = takesThinking(model);
    const cap = maxOutput(model);
    return describeCapabilities(
      {
        system: null,
        maxTokens: { min: 1, max: cap, step: 1 },
        temperature: { min: 0, max: 1, step: 0.05 },
        topP: { min: 0, max: 1, step: 0.01 },
        topK: { min: 1, max: 500, step: 1 },
        stop: { min: 0, max: 8 },
        ...(thinking && { thinkingBudget: { min: MIN_THINKING_BUDGET, max: cap - MIN_THINKING_BUDGET, step: 256 } }),
      },
      {
        seed: NO_SEED,
        frequencyPenalty: NO_PENALTIES,
        presencePenalty: NO_PENALTIES,
        jsonMode: NO_JSON_MODE,
        reasoningEffort: NO_EFFORT,
        thinkingBudget: NO_THINKING,
      },
      {
        vision: !/claude-3-5-haiku/.test(model),
        reasoning: thinking,
        contextWindow: 200_000,
        // Off until the chat turns it on: every search is billed ($10 per 1,000 searches, plus its tokens).
        ...(takesWebSearch(model) && { serverTools: ['web_search' as const], serverToolsDefault: [] }),
      },
    );
  },
  async createAdapter({ apiKey, baseUrl, timeoutMs, maxRetries, onRetryWait }) {
    const { Anthropic } = await import('@anthropic-ai/sdk');
    // An explicit key and base URL keep ANTHROPIC_* environment variables (auth token, base URL) out of it.
    const client = new Anthropic({ apiKey, baseURL: baseUrl || 'https://api.anthropic.com', timeout: timeoutMs, maxRetries, fetch: retryAwareFetch(onRetryWait, maxRetries) });
    return {
      async *stream(turns, config, signal, options) {
        const body = { ...requestBody(config, turns, options?.tools), stream: true as const };
        const stream = await client.messages.create(body as AnthropicClient.MessageCreateParamsStreaming, { signal });
        yield* readEvents(stream, signal);
      },
      async listModels(signal) {
        const models: ListedModel[] = [];
        for await (const model of client.models.list({ limit: 1000 }, { signal })) {
          // Newer API versions state the limits too; older ones give only the id.
          const limits = model as { max_input_tokens?: unknown; max_tokens?: unknown };
          models.push({
            id: model.id,
            ...(typeof limits.max_input_tokens === 'number' && { contextWindow: limits.max_input_tokens }),
            ...(typeof limits.max_tokens === 'number' && { maxOutput: limits.max_tokens }),
          });
        }
        return models;
      },
    };
  },
};
