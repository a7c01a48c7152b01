import type { GenerateContentConfig, GenerateContentResponse } from '@google/genai';
import type { ChatConfig, FinishNote, FinishReason, Range, Usage } from '../protocol';
import { describeCapabilities } from './capabilities';
import { MAX_SILENT_RETRY_WAIT_SECONDS } from './fetch';
import { configuredSchema } from './jsonSchema';
import { parseToolArguments } from './toolArguments';
import type { AdapterEvent, AdapterOptions, ListedModel, ProviderDefinition, ToolSpec, Turn } from './types';
import { parseDuration, retryAfterFromHeaders, streamCutOff } from './errors';

const NO_EFFORT = 'Gemini 2.5 takes a thinking budget; only Gemini 3 takes a thinking level (reasoning effort).';
const NO_THINKING = 'Only thinking models (Gemini 2.5, Gemini 3) take a thinking budget.';
const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

const isThinkingModel = (model: string) => /gemini-(?:2\.5|[3-9])|thinking/.test(model);
const takesThinkingLevel = (model: string) => /gemini-[3-9]/.test(model);

function thinkingBudgetRange(model: string): Range {
  // Pro models cannot switch thinking off; Flash and Flash-Lite can (budget 0).
  if (/pro/.test(model)) return { min: 128, max: 32_768, step: 128 };
  return { min: 0, max: 24_576, step: 128 };
}

function thinkingLevel(model: string, effort: NonNullable<ChatConfig['reasoningEffort']>): string {
  // Gemini 3 Pro knows LOW and HIGH; Flash also MINIMAL and MEDIUM.
  if (/pro/.test(model)) return effort === 'medium' || effort === 'high' ? 'HIGH' : 'LOW';
  return effort === 'none' || effort === 'minimal' ? 'MINIMAL' : effort.toUpperCase();
}

interface Part {
  text?: string;
  inlineData?: { mimeType: string; data: string };
  functionCall?: { name: string; args: Record<string, unknown>; id?: string };
  functionResponse?: { name: string; id?: string; response: { output: string } | { error: string } };
  thoughtSignature?: string;
}
interface Content { role: 'user' | 'model'; parts: Part[] }

/**
 * Gemini's API often gives function calls no id; Parley then makes one up (with this prefix) so the chat can pair
 * the call with its result. Such ids are not Gemini's, so they are not sent back to it.
 */
const GENERATED_ID_PREFIX = 'gemini_call_';
let generated = 0;
const generateCallId = () => `${GENERATED_ID_PREFIX}${Date.now().toString(36)}_${(++generated).toString(36)}`;
const sentId = (id: string) => (id && !id.startsWith(GENERATED_ID_PREFIX) ? { id } : {});

/**
 * Gemini's `contents`: roles user/model, images as inlineData before the text, consecutive turns of a role merged.
 * An assistant turn's tool calls are functionCall parts after its text (with their thought signatures); a `tool`
 * turn is a user content of functionResponse parts.
 */
export function toGeminiContents(turns: Turn[]): Content[] {
  const contents: Content[] = [];
  for (const turn of turns) {
    const parts: Part[] = (turn.role === 'user' ? turn.images ?? [] : []).map((img) => ({ inlineData: { mimeType: img.mimeType, data: img.base64 } }));
    for (const result of turn.role === 'tool' ? turn.toolResults ?? [] : []) {
      parts.push({ functionResponse: { name: result.name, ...sentId(result.callId), response: result.isError ? { error: result.text } : { output: result.text } } });
    }
    if (turn.text) parts.push({ text: turn.text });
    for (const call of turn.role === 'assistant' ? turn.toolCalls ?? [] : []) {
      parts.push({
        functionCall: { name: call.name, args: parseToolArguments(call.arguments), ...sentId(call.id) },
        ...(call.signature && { thoughtSignature: call.signature }),
      });
    }
    if (!parts.length) continue;
    const role = turn.role === 'assistant' ? 'model' : 'user';
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  }
  return contents;
}

/** The request `config` under the SDK's names (it moves sampling fields into `generationConfig` on the wire). */
function generationConfig(config: ChatConfig, tools?: ToolSpec[]): GenerateContentConfig {
  const thinking = isThinkingModel(config.model);
  const level = takesThinkingLevel(config.model) && config.reasoningEffort ? thinkingLevel(config.model, config.reasoningEffort) : undefined;
  const schema = configuredSchema(config);
  return {
    ...(config.system && { systemInstruction: config.system }),
    ...(config.maxTokens != null && { maxOutputTokens: config.maxTokens }),
    ...(config.temperature != null && { temperature: config.temperature }),
    ...(config.topP != null && { topP: config.topP }),
    ...(config.topK != null && { topK: config.topK }),
    ...(config.presencePenalty != null && { presencePenalty: config.presencePenalty }),
    ...(config.frequencyPenalty != null && { frequencyPenalty: config.frequencyPenalty }),
    ...(config.stop.length > 0 && { stopSequences: config.stop }),
    ...(config.seed != null && { seed: config.seed }),
    ...(config.jsonMode && { responseMimeType: 'application/json' }),
    ...(schema && { responseMimeType: 'application/json', responseJsonSchema: schema }),
    // A level and a budget cannot go together: the level (Gemini 3) wins.
    ...(thinking && {
      thinkingConfig: {
        includeThoughts: true,
        ...(level ? { thinkingLevel: level } : config.thinkingBudget != null && { thinkingBudget: config.thinkingBudget }),
      } as GenerateContentConfig['thinkingConfig'],
    }),
    // parametersJsonSchema takes a plain JSON schema (`parameters` would want Gemini's OpenAPI subset).
    ...(tools?.length && {
      tools: [{ functionDeclarations: tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.parameters })) }],
    }),
  };
}

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE']);
function mapFinishReason(reason: string): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (FILTERED.has(reason)) return 'content-filter';
  return 'stop';
}

interface RawUsage { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number; cachedContentTokenCount?: number }
/** Output counts the thoughts too, as OpenAI's and Anthropic's output tokens do; the prompt count includes cached content. */
function mapUsage(usage: RawUsage): Usage {
  const out: Usage = {};
  if (typeof usage.promptTokenCount === 'number') out.inputTokens = usage.promptTokenCount;
  if (usage.cachedContentTokenCount) out.cachedInputTokens = usage.cachedContentTokenCount;
  const thoughts = usage.thoughtsTokenCount ?? 0;
  if (typeof usage.candidatesTokenCount === 'number' || thoughts) out.outputTokens = (usage.candidatesTokenCount ?? 0) + thoughts;
  if (thoughts) out.reasoningTokens = thoughts;
  return out;
}

/** Turns streamed GenerateContentResponse chunks into adapter events. */
async function* readResponses(stream: AsyncIterable<GenerateContentResponse>): AsyncIterable<AdapterEvent> {
  let finish: FinishReason | undefined;
  let note: FinishNote | undefined;
  let usage: RawUsage | undefined;
  let called = false;
  for await (const chunk of stream) {
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      // A function call comes whole, in one part: start, all its arguments, end (with its thought signature).
      if (part.functionCall) {
        called = true;
        const id = part.functionCall.id || generateCallId();
        yield { type: 'tool-call-start', id, name: part.functionCall.name ?? '' };
        yield { type: 'tool-call-delta', id, text: JSON.stringify(part.functionCall.args ?? {}) };
        yield { type: 'tool-call-end', id, ...(part.thoughtSignature && { signature: part.thoughtSignature }) };
        continue;
      }
      if (typeof part.text !== 'string' || !part.text) continue;
      yield part.thought ? { type: 'reasoning-delta', text: part.text } : { type: 'text-delta', text: part.text };
    }
    for (const source of candidate?.groundingMetadata?.groundingChunks ?? []) {
      if (source.web?.uri) yield { type: 'citation', citation: { url: source.web.uri, ...(source.web.title && { title: source.web.title }) } };
    }
    if (candidate?.finishReason) {
      finish = mapFinishReason(candidate.finishReason);
      if (finish === 'content-filter') note = { text: `Gemini stopped the reply (${candidate.finishReason}).` };
    }
    // A blocked prompt gets no candidates, only promptFeedback.
    const blocked = chunk.promptFeedback?.blockReason;
    if (blocked) {
      finish = 'content-filter';
      note = { text: `Gemini blocked the prompt (${blocked})${chunk.promptFeedback?.blockReasonMessage ? `: ${chunk.promptFeedback.blockReasonMessage}` : ''} and sent no reply. Rephrase the message or start a new chat.` };
    }
    // Every chunk carries the running totals; the last one counts.
    if (chunk.usageMetadata) usage = chunk.usageMetadata;
  }
  if (usage) yield { type: 'usage', usage: mapUsage(usage) };
  // Gemini says STOP after function calls too: the reply goes on once their results are sent.
  if (called && finish === 'stop') finish = 'tool-calls';
  if (!finish) {
    throw streamCutOff();
  }
  yield { type: 'finish', reason: finish, ...(note && { note }) };
}

// ---- request start: timeout and retries ----
//
// @google/genai 3.x retries only when `httpOptions.retryOptions` is set, and then with plain exponential backoff
// that ignores retry-after; its `httpOptions.timeout` stays armed while the body streams (and is sent to the
// server as X-Server-Timeout), so a long reply would be cut at the request timeout. So Parley gives it a fetch
// that does both for the request start only, like the Stainless SDKs: a timeout until the response headers
// arrive, and 408/429/5xx retried after the wait the server asks for (retry-after, or Gemini's RetryInfo),
// reported through onRetryWait; a wait longer than MAX_SILENT_RETRY_WAIT_SECONDS is not waited out.

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

interface StartState { retryAfterSeconds?: number }


/** The wait a failed response asks for: `retry-after-ms`, `retry-after`, or google.rpc.RetryInfo's `retryDelay` in the body. */
async function requestedWait(response: Response): Promise<number | undefined> {
  const header = retryAfterFromHeaders((name) => response.headers.get(name));
  if (header !== undefined) return header;
  if (!response.headers.get('content-type')?.includes('json')) return undefined;
  try {
    const body = (await response.clone().json()) as { error?: { details?: Array<{ retryDelay?: string }> } };
    return parseDuration(body.error?.details?.find((d) => typeof d.retryDelay === 'string')?.retryDelay);
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', abort, { once: true });
    function done() { signal?.removeEventListener('abort', abort); resolve(); }
    function abort() { clearTimeout(timer); reject(signal!.reason); }
  });
}

function requestStartFetch(options: AdapterOptions, state: StartState, base: typeof fetch = fetch): typeof fetch {
  const untilHeaders = async (input: Parameters<typeof fetch>[0], init: RequestInit | undefined): Promise<Response> => {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(Object.assign(new Error(`No answer within ${Math.round(options.timeoutMs / 1000)} s.`), { name: 'TimeoutError' })), options.timeoutMs);
    try {
      return await base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout.signal]) : timeout.signal });
    } catch (err) {
      if (timeout.signal.aborted && !init?.signal?.aborted) throw timeout.signal.reason;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      const response = await untilHeaders(input, init);
      if (response.ok || !RETRYABLE.has(response.status)) return response;
      const wait = await requestedWait(response);
      state.retryAfterSeconds = wait;
      if (attempt >= options.maxRetries || (wait !== undefined && wait > MAX_SILENT_RETRY_WAIT_SECONDS)) return response;
      const seconds = wait ?? Math.min(8, 0.5 * 2 ** attempt);
      options.onRetryWait?.(seconds, response.status);
      await response.body?.cancel();
      await sleep(seconds * 1000, init?.signal);
    }
  };
}

/** @google/genai's ApiError keeps no headers: give a 429 the wait the server asked for, so the message can say it. */
function withRetryAfter(err: unknown, state: StartState): unknown {
  const e = err as { status?: unknown; headers?: unknown } | null;
  if (e && typeof e === 'object' && e.status === 429 && !e.headers && state.retryAfterSeconds !== undefined) {
    Object.assign(e, { headers: { 'retry-after': String(Math.ceil(state.retryAfterSeconds)) } });
  }
  return err;
}

export const google: ProviderDefinition = {
  id: 'google',
  label: 'Google Gemini',
  keyEnv: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  needsKey: true,
  defaultBaseUrl: DEFAULT_BASE_URL,
  builtinModels: ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-2.5-flash-lite', 'gemini-3-pro-preview', 'gemini-2.0-flash'],
  capabilities(model) {
    const thinking = isThinkingModel(model);
    return describeCapabilities(
      {
        system: null,
        maxTokens: { min: 1, max: thinking ? 65_536 : 8192, step: 1 },
        temperature: { min: 0, max: 2, step: 0.05 },
        topP: { min: 0, max: 1, step: 0.01 },
        topK: { min: 1, max: 100, step: 1 },
        // Gemini's penalty range is [-2, 2): 2 itself is rejected.
        frequencyPenalty: { min: -2, max: 1.9, step: 0.1 },
        presencePenalty: { min: -2, max: 1.9, step: 0.1 },
        stop: { min: 0, max: 5 },
        seed: { min: -2_147_483_648, max: 2_147_483_647, step: 1 },
        jsonMode: null,
        jsonSchema: null,
        ...(thinking && { thinkingBudget: thinkingBudgetRange(model) }),
        ...(takesThinkingLevel(model) && { reasoningEffort: null }),
      },
      { reasoningEffort: NO_EFFORT, thinkingBudget: NO_THINKING },
      { vision: true, reasoning: thinking, contextWindow: 1_048_576 },
    );
  },
  async createAdapter(options) {
    const { GoogleGenAI } = await import('@google/genai');
    // Everything explicit, so GOOGLE_GENAI_* / GOOGLE_GEMINI_BASE_URL environment variables change nothing.
    const client = (state: StartState) =>
      new GoogleGenAI({
        apiKey: options.apiKey,
        enterprise: false,
        apiVersion: 'v1beta',
        httpOptions: { baseUrl: options.baseUrl || DEFAULT_BASE_URL, fetch: requestStartFetch(options, state) },
      });
    return {
      async *stream(turns, config, signal, streamOptions) {
        const state: StartState = {};
        try {
          const stream = await client(state).models.generateContentStream({
            model: config.model,
            contents: toGeminiContents(turns),
            config: { ...generationConfig(config, streamOptions?.tools), abortSignal: signal },
          });
          yield* readResponses(stream);
        } catch (err) {
          if (signal.aborted) return;
          throw withRetryAfter(err, state);
        }
      },
      async listModels(signal) {
        const models: ListedModel[] = [];
        const pager = await client({}).models.list({ config: { pageSize: 1000, abortSignal: signal } });
        for await (const model of pager) {
          if (!model.name || !model.supportedActions?.includes('generateContent')) continue;
          models.push({
            id: model.name.replace(/^models\//, ''),
            ...(typeof model.inputTokenLimit === 'number' && { contextWindow: model.inputTokenLimit }),
            ...(typeof model.outputTokenLimit === 'number' && { maxOutput: model.outputTokenLimit }),
            ...(typeof model.thinking === 'boolean' && { reasoning: model.thinking }),
          });
        }
        return models;
      },
    };
  },
};
