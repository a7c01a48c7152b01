import type { ChatConfig, ReasoningEffort, ReasoningFormat, ServerTool } from '../protocol';
import { describeCapabilities } from './capabilities';
import { configuredSchema } from './jsonSchema';
import { readChunks, readCompletion, toChatMessages, toChatTools } from './chatCompletions';
import { retryAwareFetch } from './fetch';
import type { ProviderDefinition } from './types';

const NO_TOP_K = "Groq's API has no top_k.";
const NO_PENALTIES = 'Groq accepts no frequency_penalty or presence_penalty on any model it serves.';
const NO_REASONING = 'Only reasoning models (openai/gpt-oss-*, qwen/qwen3*) take a reasoning effort.';
const NO_FORMAT = 'Only reasoning models let you choose how their reasoning comes back.';
const NO_THINKING_BUDGET = 'Groq sets no thinking budget; use reasoning effort.';
const RAW_WITH_JSON = 'Groq refuses raw reasoning together with JSON mode or a JSON schema.';

/** Name patterns: the last fallback when neither the catalog nor the models endpoint says. */
export const isGroqReasoningModel = (model: string) => /gpt-oss|qwen3|deepseek-r1/i.test(model);
const isVisionModel = (model: string) => /llama-4|vision|maverick|scout/i.test(model);
const isGptOss = (model: string) => /gpt-oss/i.test(model);
const isQwen3 = (model: string) => /qwen3/i.test(model);
const isCompound = (model: string) => /^groq\/compound|^compound-beta/i.test(model);
const NO_FUNCTION_TOOLS = "Groq's compound systems run their own tools (web search, code execution) and take no others.";

/** Groq's built-in tools each model takes, and those on when a chat has not chosen (groq docs: tool-use/built-in-tools). */
function serverTools(model: string): { all: ServerTool[]; byDefault: ServerTool[] } | undefined {
  if (isGptOss(model)) return { all: ['browser_search', 'code_interpreter'], byDefault: [] };
  if (isCompound(model)) return { all: ['web_search', 'code_interpreter', 'visit_website', 'browser_automation', 'wolfram_alpha'], byDefault: ['web_search', 'code_interpreter', 'visit_website'] };
  return undefined;
}

/** gpt-oss takes built-in tools in `tools` beside functions; compound takes them as `compound_custom`. */
function serverToolFields(model: string, config: ChatConfig) {
  const chosen = config.serverTools;
  if (isCompound(model)) return chosen ? { compound_custom: { tools: { enabled_tools: chosen } } } : {};
  return chosen?.length ? { builtIn: chosen.map((type) => ({ type })) } : {};
}

/** Groq documents `none`/`default` for Qwen 3 and `low`/`medium`/`high` for gpt-oss. */
export function groqEfforts(model: string): ReasoningEffort[] {
  if (isQwen3(model)) return ['none', 'default'];
  return ['low', 'medium', 'high'];
}

/** applyCapabilities keeps only the efforts of groqEfforts(). */
type GroqEffort = Exclude<ReasoningEffort, 'minimal'>;

/** gpt-oss takes `include_reasoning` instead of `reasoning_format`, so it cannot return raw `<think>` text. */
const groqFormats = (model: string): ReasoningFormat[] => (isGptOss(model) ? ['parsed', 'hidden'] : ['parsed', 'raw', 'hidden']);

function responseFormat(config: ChatConfig) {
  const schema = configuredSchema(config);
  if (schema) return { type: 'json_schema' as const, json_schema: { name: 'reply', schema } };
  if (config.jsonMode) return { type: 'json_object' as const };
  return undefined;
}

function reasoningFields(model: string, config: ChatConfig) {
  if (isGptOss(model)) {
    return {
      ...(config.reasoningFormat === 'hidden' && { include_reasoning: false }),
      ...(config.reasoningEffort && { reasoning_effort: config.reasoningEffort as GroqEffort }),
    };
  }
  // Other reasoning models (qwen3) need `parsed` to return their reasoning separately; it is the default here.
  return {
    reasoning_format: config.reasoningFormat ?? 'parsed',
    ...(config.reasoningEffort && { reasoning_effort: config.reasoningEffort as GroqEffort }),
  };
}

function requestBody(model: string, config: ChatConfig, reasoning: boolean) {
  const format = responseFormat(config);
  return {
    model,
    ...(config.maxTokens != null && { max_completion_tokens: config.maxTokens }),
    ...(config.temperature != null && { temperature: config.temperature }),
    ...(config.topP != null && { top_p: config.topP }),
    ...(config.stop.length > 0 && { stop: config.stop.length === 1 ? config.stop[0] : config.stop }),
    ...(config.seed != null && { seed: config.seed }),
    ...(format && { response_format: format }),
    ...(config.serviceTier && { service_tier: config.serviceTier }),
    ...(reasoning && reasoningFields(model, config)),
  };
}

interface GroqModel { id: string; active?: boolean; context_window?: number; max_completion_tokens?: number }

export const groq: ProviderDefinition = {
  id: 'groq',
  label: 'Groq',
  keyEnv: ['GROQ_API_KEY'],
  needsKey: true,
  defaultBaseUrl: 'https://api.groq.com',
  // Groq's production models after its 2026 deprecations (llama-3.x, qwen3-32b and Llama 4 Scout are gone).
  builtinModels: ['openai/gpt-oss-120b', 'openai/gpt-oss-20b', 'qwen/qwen3.6-27b'],
  recommendedModels: ['openai/gpt-oss-120b', 'openai/gpt-oss-20b'],
  capabilities(model, facts) {
    const reasoning = facts?.reasoning ?? isGroqReasoningModel(model);
    return describeCapabilities(
      {
        system: null,
        maxTokens: { min: 1, max: 131_072, step: 1 },
        temperature: { min: 0, max: 2, step: 0.05 },
        topP: { min: 0, max: 1, step: 0.01 },
        stop: { min: 0, max: 4 },
        seed: { min: -9_007_199_254_740_991, max: 9_007_199_254_740_991, step: 1 },
        jsonMode: null,
        jsonSchema: null,
        serviceTier: null,
        ...(reasoning && { reasoningEffort: null, reasoningFormat: null }),
      },
      {
        topK: NO_TOP_K,
        frequencyPenalty: NO_PENALTIES,
        presencePenalty: NO_PENALTIES,
        reasoningEffort: NO_REASONING,
        reasoningFormat: NO_FORMAT,
        thinkingBudget: NO_THINKING_BUDGET,
      },
      {
        vision: facts?.vision ?? isVisionModel(model),
        reasoning,
        ...(isCompound(model) && { toolCalls: false, toolCallsReason: NO_FUNCTION_TOOLS }),
        ...(serverTools(model) && { serverTools: serverTools(model)!.all, serverToolsDefault: serverTools(model)!.byDefault }),
        ...(reasoning && { reasoningEfforts: groqEfforts(model), reasoningFormats: groqFormats(model), rawReasoningWithJson: RAW_WITH_JSON }),
      },
    );
  },
  async createAdapter({ apiKey, baseUrl, timeoutMs, maxRetries, onRetryWait }) {
    const { Groq } = await import('groq-sdk');
    const client = new Groq({ apiKey, baseURL: baseUrl || undefined, timeout: timeoutMs, maxRetries, fetch: retryAwareFetch(onRetryWait, maxRetries) });
    return {
      async *stream(turns, config, signal, options) {
        // The config has been through applyCapabilities: a format or effort is set only for a reasoning model.
        const reasoning = isGroqReasoningModel(config.model) || config.reasoningFormat != null || config.reasoningEffort != null;
        const { builtIn, ...compound } = { builtIn: undefined as Array<{ type: ServerTool }> | undefined, ...serverToolFields(config.model, config) };
        const functions = toChatTools(options?.tools)?.tools ?? [];
        const tools = [...functions, ...(builtIn ?? [])];
        const body = {
          ...requestBody(config.model, config, reasoning),
          messages: toChatMessages(turns, config.system) as never,
          ...(tools.length && { tools: tools as never }),
          ...compound,
        };
        // Groq refuses raw reasoning with tool use as it does with JSON output.
        if (options?.tools?.length && 'reasoning_format' in body && body.reasoning_format === 'raw') body.reasoning_format = 'parsed';
        if (body.response_format) {
          // Groq does not stream JSON output: one request, one delta.
          const completion = await client.chat.completions.create({ ...body, stream: false }, { signal });
          yield* readCompletion(completion);
          return;
        }
        const stream = await client.chat.completions.create({ ...body, stream: true }, { signal });
        yield* readChunks(stream, signal);
      },
      async listModels(signal) {
        const page = await client.models.list({ signal });
        // Groq adds `active`, `context_window` and `max_completion_tokens` to OpenAI's model objects.
        return (page.data as GroqModel[])
          .filter((m) => m.active !== false)
          .map((m) => ({
            id: m.id,
            ...(typeof m.context_window === 'number' && { contextWindow: m.context_window }),
            ...(typeof m.max_completion_tokens === 'number' && { maxOutput: m.max_completion_tokens }),
          }));
      },
    };
  },
};
