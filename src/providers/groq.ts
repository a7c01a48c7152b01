import type { ChatConfig } from '../protocol';
import { describeCapabilities } from './capabilities';
import { readChunks, readCompletion, toChatMessages } from './chatCompletions';
import { retryAwareFetch } from './fetch';
import type { ProviderDefinition } from './types';

const NO_TOP_K = "Groq's API has no top_k.";
const NO_REASONING = 'Only reasoning models (openai/gpt-oss-*, qwen/qwen3-*) take a reasoning effort.';
const NO_THINKING_BUDGET = 'Groq sets no thinking budget; use reasoning effort.';

const isReasoningModel = (model: string) => /gpt-oss|qwen3|deepseek-r1/i.test(model);
const isVisionModel = (model: string) => /llama-4|vision|maverick|scout/i.test(model);

function contextWindow(model: string): number | undefined {
  if (/llama-3\.[13]|gpt-oss|qwen3|llama-4|kimi/i.test(model)) return 131_072;
  return undefined;
}

function requestBody(model: string, config: ChatConfig) {
  const reasoning = isReasoningModel(model);
  return {
    model,
    ...(config.maxTokens != null && { max_completion_tokens: config.maxTokens }),
    ...(config.temperature != null && { temperature: config.temperature }),
    ...(config.topP != null && { top_p: config.topP }),
    ...(config.frequencyPenalty != null && { frequency_penalty: config.frequencyPenalty }),
    ...(config.presencePenalty != null && { presence_penalty: config.presencePenalty }),
    ...(config.stop.length > 0 && { stop: config.stop.length === 1 ? config.stop[0] : config.stop }),
    ...(config.seed != null && { seed: config.seed }),
    ...(config.jsonMode && { response_format: { type: 'json_object' as const } }),
    // gpt-oss always separates its reasoning; other reasoning models (qwen3) need `parsed` to do so.
    ...(reasoning && !/gpt-oss/i.test(model) && { reasoning_format: 'parsed' as const }),
    ...(reasoning && config.reasoningEffort && { reasoning_effort: groqEffort(model, config.reasoningEffort) }),
  };
}

function groqEffort(model: string, effort: NonNullable<ChatConfig['reasoningEffort']>): 'none' | 'default' | 'low' | 'medium' | 'high' {
  if (/qwen3/i.test(model)) return effort === 'none' ? 'none' : 'default';
  return effort === 'none' || effort === 'minimal' ? 'low' : effort;
}

export const groq: ProviderDefinition = {
  id: 'groq',
  label: 'Groq',
  keyEnv: ['GROQ_API_KEY'],
  needsKey: true,
  defaultBaseUrl: 'https://api.groq.com',
  builtinModels: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant', 'openai/gpt-oss-120b', 'openai/gpt-oss-20b', 'qwen/qwen3-32b', 'meta-llama/llama-4-scout-17b-16e-instruct'],
  capabilities(model) {
    const reasoning = isReasoningModel(model);
    return describeCapabilities(
      {
        system: null,
        maxTokens: { min: 1, max: 131_072, step: 1 },
        temperature: { min: 0, max: 2, step: 0.05 },
        topP: { min: 0, max: 1, step: 0.01 },
        frequencyPenalty: { min: -2, max: 2, step: 0.1 },
        presencePenalty: { min: -2, max: 2, step: 0.1 },
        stop: { min: 0, max: 4 },
        seed: { min: -9_007_199_254_740_991, max: 9_007_199_254_740_991, step: 1 },
        jsonMode: null,
        ...(reasoning && { reasoningEffort: null }),
      },
      { topK: NO_TOP_K, reasoningEffort: NO_REASONING, thinkingBudget: NO_THINKING_BUDGET },
      { vision: isVisionModel(model), reasoning, contextWindow: contextWindow(model) },
    );
  },
  async createAdapter({ apiKey, baseUrl, timeoutMs, maxRetries, onRetryWait }) {
    const { Groq } = await import('groq-sdk');
    const client = new Groq({ apiKey, baseURL: baseUrl || undefined, timeout: timeoutMs, maxRetries, fetch: retryAwareFetch(onRetryWait, maxRetries) });
    return {
      async *stream(turns, config, signal) {
        const body = { ...requestBody(config.model, config), messages: toChatMessages(turns, config.system) as never };
        if (config.jsonMode) {
          // Groq does not stream in JSON mode: one request, one delta.
          const completion = await client.chat.completions.create({ ...body, stream: false }, { signal });
          yield* readCompletion(completion);
          return;
        }
        const stream = await client.chat.completions.create({ ...body, stream: true }, { signal });
        yield* readChunks(stream, signal);
      },
      async listModels(signal) {
        const page = await client.models.list({ signal });
        return page.data.map((m) => m.id).sort();
      },
    };
  },
};
