import type { OpenAI as OpenAIClient } from 'openai';
import type { ChatConfig } from '../protocol';
import { describeCapabilities } from './capabilities';
import { readChunks, readCompletion, toChatMessages, toChatTools } from './chatCompletions';
import { retryAwareFetch } from './fetch';
import { configuredSchema } from './jsonSchema';
import type { AdapterOptions, ProviderAdapter, ProviderDefinition } from './types';

// ---- the chat-completions adapter, shared with the OpenAI-compatible presets (compatible.ts) ----

/** The SDK insists on some key; keyless local servers (Ollama, LM Studio) get this instead, and ignore it. */
const KEYLESS_PLACEHOLDER = 'not-needed';

export interface ChatCompletionsSpec {
  /** Used when the user set no base URL. */
  defaultBaseUrl: string;
  /** The request fields besides model, messages and stream, under this provider's own names. */
  requestBody(config: ChatConfig): Record<string, unknown>;
  /** Ask for the final usage chunk (`stream_options.include_usage`); off for servers that reject the field. */
  includeUsage: boolean;
  /** The server cannot stream JSON mode: send it unstreamed and deliver the reply as one delta. */
  jsonModeUnstreamed?: boolean;
  /** Which ids from the models endpoint are chat models. */
  keepModel?(id: string): boolean;
}

/** An adapter for any server speaking OpenAI's chat completions, through the `openai` SDK (loaded lazily). */
export async function createChatCompletionsAdapter(options: AdapterOptions, spec: ChatCompletionsSpec): Promise<ProviderAdapter> {
  const { OpenAI } = await import('openai');
  const client = new OpenAI({
    apiKey: options.apiKey || KEYLESS_PLACEHOLDER,
    // Explicit, so nothing from OPENAI_* environment variables (base URL, organization, project, admin key)
    // reaches another provider's server.
    baseURL: options.baseUrl || spec.defaultBaseUrl,
    adminAPIKey: null,
    organization: null,
    project: null,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    fetch: retryAwareFetch(options.onRetryWait, options.maxRetries),
  });
  return {
    async *stream(turns, config, signal, options) {
      const body = { ...spec.requestBody(config), model: config.model, messages: toChatMessages(turns, config.system), ...toChatTools(options?.tools) };
      if (config.jsonMode && spec.jsonModeUnstreamed) {
        const completion = await client.chat.completions.create({ ...body, stream: false } as OpenAIClient.Chat.ChatCompletionCreateParamsNonStreaming, { signal });
        yield* readCompletion(completion);
        return;
      }
      const params = { ...body, stream: true, ...(spec.includeUsage && { stream_options: { include_usage: true } }) };
      // 'events': every chunk reaches readChunks, an error chunk too, so the usage it carries is kept
      // (by default the SDK throws on it and drops the rest of the chunk).
      const stream = await client.chat.completions.create(params as OpenAIClient.Chat.ChatCompletionCreateParamsStreaming, { signal, __streamMode: 'events' });
      yield* readChunks(stream, signal);
    },
    async listModels(signal) {
      const ids: string[] = [];
      for await (const model of client.models.list({ signal })) ids.push(model.id);
      return ids.filter((id) => spec.keepModel?.(id) ?? true).map((id) => ({ id }));
    },
  };
}

/** The controls every chat-completions server names the same way. `maxTokensField` differs between servers. */
export function standardBody(config: ChatConfig, maxTokensField: 'max_tokens' | 'max_completion_tokens'): Record<string, unknown> {
  const schema = configuredSchema(config);
  return {
    ...(config.maxTokens != null && { [maxTokensField]: config.maxTokens }),
    ...(config.temperature != null && { temperature: config.temperature }),
    ...(config.topP != null && { top_p: config.topP }),
    ...(config.frequencyPenalty != null && { frequency_penalty: config.frequencyPenalty }),
    ...(config.presencePenalty != null && { presence_penalty: config.presencePenalty }),
    ...(config.stop.length > 0 && { stop: config.stop }),
    ...(config.seed != null && { seed: config.seed }),
    ...(config.jsonMode && { response_format: { type: 'json_object' } }),
    ...(schema && { response_format: { type: 'json_schema', json_schema: { name: 'reply', schema } } }),
  };
}

// ---- OpenAI ----

const NO_TOP_K = "OpenAI's API has no top_k.";
const REASONING_SAMPLING = 'OpenAI reasoning models (o-series, GPT-5) take no temperature, top_p or penalties; use reasoning effort.';
const REASONING_STOP = 'OpenAI reasoning models (o-series, GPT-5 before 5.5) reject stop sequences.';
const NO_REASONING = 'Only reasoning models (o1, o3, o4-mini, GPT-5) take a reasoning effort.';
const NO_THINKING_BUDGET = 'OpenAI sets no thinking budget; use reasoning effort.';

/** o1/o3/o4 and the GPT-5 family, except the non-reasoning `gpt-5*-chat*` snapshots. */
export const isOpenAIReasoningModel = (model: string) => /^o\d(?:$|-)/.test(model) || (/^gpt-5/.test(model) && !/-chat/.test(model));
const isVisionModel = (model: string) => /^(?:gpt-4o|gpt-4\.1|gpt-5|chatgpt-4o|gpt-4-turbo|o1(?:$|-\d)|o3(?!-mini)|o4)/.test(model) && !/audio|search|realtime/.test(model);
/** GPT-5.5 and later take stop sequences again. */
const takesStop = (model: string) => !isOpenAIReasoningModel(model) || /^gpt-(?:5\.(?:[5-9]|\d\d)|[6-9])/.test(model);

function limits(model: string): { context?: number; output: number } {
  if (/^gpt-5|^gpt-[6-9]/.test(model)) return { context: 400_000, output: 128_000 };
  if (/^gpt-4\.1/.test(model)) return { context: 1_047_576, output: 32_768 };
  if (/^o\d/.test(model)) return { context: 200_000, output: 100_000 };
  if (/^(?:gpt-4o|chatgpt-4o|gpt-4-turbo)/.test(model)) return { context: 128_000, output: 16_384 };
  return { output: 128_000 };
}

function openaiEffort(model: string, effort: NonNullable<ChatConfig['reasoningEffort']>): string {
  if (/^o\d/.test(model)) return effort === 'none' || effort === 'minimal' ? 'low' : effort;
  // gpt-5 itself knows `minimal` but not `none`; gpt-5.1 and later know `none` but not `minimal`.
  if (/^gpt-5(?!\.)/.test(model)) return effort === 'none' ? 'minimal' : effort;
  return effort === 'minimal' ? 'low' : effort;
}

function openaiBody(config: ChatConfig): Record<string, unknown> {
  const reasoning = isOpenAIReasoningModel(config.model);
  const body = standardBody(config, 'max_completion_tokens');
  if (reasoning) {
    for (const key of ['temperature', 'top_p', 'frequency_penalty', 'presence_penalty']) delete body[key];
    if (!takesStop(config.model)) delete body.stop;
    if (config.reasoningEffort) body.reasoning_effort = openaiEffort(config.model, config.reasoningEffort);
  }
  return body;
}

/** Chat models among the ids OpenAI's models endpoint lists (it also lists embeddings, TTS, image and Responses-only models). */
const isChatModel = (id: string) =>
  /^(?:gpt-|o\d|chatgpt-)/.test(id) && !/audio|realtime|transcribe|tts|image|search|embedding|instruct|codex|computer|deep-research|(?:^|-)pro(?:-|$)/.test(id);

export const openai: ProviderDefinition = {
  id: 'openai',
  label: 'OpenAI',
  keyEnv: ['OPENAI_API_KEY'],
  needsKey: true,
  defaultBaseUrl: 'https://api.openai.com/v1',
  builtinModels: ['gpt-4.1-mini', 'gpt-4.1', 'gpt-4o', 'gpt-4o-mini', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'o3', 'o4-mini'],
  capabilities(model) {
    const reasoning = isOpenAIReasoningModel(model);
    const { context, output } = limits(model);
    return describeCapabilities(
      {
        system: null,
        maxTokens: { min: 1, max: output, step: 1 },
        ...(!reasoning && {
          temperature: { min: 0, max: 2, step: 0.05 },
          topP: { min: 0, max: 1, step: 0.01 },
          frequencyPenalty: { min: -2, max: 2, step: 0.1 },
          presencePenalty: { min: -2, max: 2, step: 0.1 },
        }),
        ...(takesStop(model) && { stop: { min: 0, max: 4 } }),
        seed: { min: -9_007_199_254_740_991, max: 9_007_199_254_740_991, step: 1 },
        jsonMode: null,
        jsonSchema: null,
        ...(reasoning && { reasoningEffort: null }),
      },
      {
        topK: NO_TOP_K,
        temperature: REASONING_SAMPLING,
        topP: REASONING_SAMPLING,
        frequencyPenalty: REASONING_SAMPLING,
        presencePenalty: REASONING_SAMPLING,
        stop: REASONING_STOP,
        reasoningEffort: NO_REASONING,
        thinkingBudget: NO_THINKING_BUDGET,
      },
      { vision: isVisionModel(model), reasoning, contextWindow: context },
    );
  },
  createAdapter: (options) =>
    createChatCompletionsAdapter(options, {
      defaultBaseUrl: 'https://api.openai.com/v1',
      requestBody: openaiBody,
      includeUsage: true,
      keepModel: isChatModel,
    }),
};
