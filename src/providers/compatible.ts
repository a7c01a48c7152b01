// OpenAI-compatible presets: the `openai` SDK pointed at another server, each preset its own provider with its
// own base URL, key and controls. The wire format is chatCompletions.ts's, the adapter chatCompletionsAdapter.ts's.
import type { Capabilities, ChatConfig, ControlName, ProviderId, Range } from '../protocol';
import { describeCapabilities } from './capabilities';
import { ParleyError } from './errors';
import { createChatCompletionsAdapter, standardBody } from './chatCompletionsAdapter';
import type { ProviderDefinition } from './types';

const SEED: Range = { min: -9_007_199_254_740_991, max: 9_007_199_254_740_991, step: 1 };
const PENALTY: Range = { min: -2, max: 2, step: 0.1 };
const TOP_P: Range = { min: 0, max: 1, step: 0.01 };

interface PresetModel {
  /** Supported controls and their ranges; every other control is unsupported with its reason below. */
  controls: Partial<Record<ControlName, Range | null>>;
  vision: boolean;
  reasoning: boolean;
  contextWindow?: number;
}

interface Preset {
  id: ProviderId;
  label: string;
  keyEnv: string[];
  needsKey: boolean;
  defaultBaseUrl?: string;
  builtinModels: string[];
  /** Why each control this server may not take is missing (shown in the panel). */
  reasons: Partial<Record<ControlName, string>>;
  model(model: string): PresetModel;
  /** The request fields besides model, messages and stream, under the server's names. */
  body(config: ChatConfig): Record<string, unknown>;
  includeUsage: boolean;
  jsonModeUnstreamed?: boolean;
  keepModel?(id: string): boolean;
}

/** Builds one provider definition from a preset: same shape as every other provider. */
function compatibleProvider(preset: Preset): ProviderDefinition {
  return {
    id: preset.id,
    label: preset.label,
    keyEnv: preset.keyEnv,
    needsKey: preset.needsKey,
    ...(preset.defaultBaseUrl && { defaultBaseUrl: preset.defaultBaseUrl }),
    builtinModels: preset.builtinModels,
    capabilities(model): Capabilities {
      const { controls, vision, reasoning, contextWindow } = preset.model(model);
      return describeCapabilities({ system: null, ...controls }, preset.reasons, { vision, reasoning, contextWindow });
    },
    async createAdapter(options) {
      const baseUrl = options.baseUrl || preset.defaultBaseUrl;
      if (!baseUrl) {
        throw new ParleyError('bad-request', `${preset.label} has no base URL. Set parley.${preset.id}.baseUrl to your server's OpenAI-compatible endpoint (e.g. http://localhost:8000/v1).`);
      }
      return createChatCompletionsAdapter(
        { ...options, baseUrl },
        { defaultBaseUrl: baseUrl, requestBody: preset.body, includeUsage: preset.includeUsage, jsonModeUnstreamed: preset.jsonModeUnstreamed, keepModel: preset.keepModel },
      );
    },
  };
}

const effortOrLow = (effort: NonNullable<ChatConfig['reasoningEffort']>) => (effort === 'none' || effort === 'minimal' ? 'low' : effort);
const LOCAL_VISION = /llava|vision|gemma-?3|qwen2\.5-?vl|qwen3-vl|-vl\b|minicpm-v|moondream|llama-?4|mistral-small3|pixtral|granite3\.2-vision/i;
const LOCAL_THINKING = /gpt-oss|qwen3|deepseek-r1|magistral|phi4-reasoning|thinking|cogito/i;
const notEmbedding = (id: string) => !/embed/i.test(id);

// ---- Cerebras ----
const cerebrasReasoning = (model: string) => /gpt-oss/i.test(model);
export const cerebras = compatibleProvider({
  id: 'cerebras',
  label: 'Cerebras',
  keyEnv: ['CEREBRAS_API_KEY'],
  needsKey: true,
  defaultBaseUrl: 'https://api.cerebras.ai/v1',
  builtinModels: ['gpt-oss-120b', 'llama-3.3-70b', 'llama3.1-8b', 'qwen-3-32b'],
  reasons: {
    topK: "Cerebras's API has no top_k.",
    frequencyPenalty: 'Cerebras rejects frequency_penalty.',
    presencePenalty: 'Cerebras rejects presence_penalty.',
    reasoningEffort: 'Only gpt-oss-120b takes a reasoning effort on Cerebras.',
    thinkingBudget: 'Cerebras sets no thinking budget; use reasoning effort.',
  },
  model: (model) => ({
    controls: {
      maxTokens: { min: 1, max: 65_536, step: 1 },
      temperature: { min: 0, max: 1.5, step: 0.05 },
      topP: TOP_P,
      stop: { min: 0, max: 4 },
      seed: SEED,
      jsonMode: null,
      ...(cerebrasReasoning(model) && { reasoningEffort: null }),
    },
    vision: false,
    reasoning: cerebrasReasoning(model),
    contextWindow: /gpt-oss|llama-3\.3|qwen-3/i.test(model) ? 131_072 : undefined,
  }),
  body: (config) => ({
    ...standardBody(config, 'max_completion_tokens'),
    ...(cerebrasReasoning(config.model) && config.reasoningEffort && { reasoning_effort: effortOrLow(config.reasoningEffort) }),
  }),
  // Usage arrives in the last chunk unasked; Cerebras cannot stream JSON mode for reasoning models.
  includeUsage: false,
  jsonModeUnstreamed: true,
});

// ---- xAI ----
/** Grok 3 mini and Grok 4 reason; Grok 4's "non-reasoning" variants do not. */
const xaiReasoning = (model: string) => /grok-3-mini|grok-4|grok-code/i.test(model) && !/non-reasoning/i.test(model);
const XAI_REASONING_SAMPLING = 'xAI reasoning models (Grok 3 mini, Grok 4) reject presence and frequency penalties and stop sequences.';
export const xai = compatibleProvider({
  id: 'xai',
  label: 'xAI',
  keyEnv: ['XAI_API_KEY'],
  needsKey: true,
  defaultBaseUrl: 'https://api.x.ai/v1',
  builtinModels: ['grok-4', 'grok-3', 'grok-3-mini'],
  reasons: {
    topK: "xAI's API has no top_k.",
    frequencyPenalty: XAI_REASONING_SAMPLING,
    presencePenalty: XAI_REASONING_SAMPLING,
    stop: XAI_REASONING_SAMPLING,
    reasoningEffort: 'Only Grok 3 mini takes a reasoning effort (low or high).',
    thinkingBudget: 'xAI sets no thinking budget; use reasoning effort.',
  },
  model: (model) => {
    const reasoning = xaiReasoning(model);
    return {
      controls: {
        maxTokens: { min: 1, max: 131_072, step: 1 },
        temperature: { min: 0, max: 2, step: 0.05 },
        topP: TOP_P,
        ...(!reasoning && { frequencyPenalty: PENALTY, presencePenalty: PENALTY, stop: { min: 0, max: 4 } }),
        seed: SEED,
        jsonMode: null,
        ...(/grok-3-mini/i.test(model) && { reasoningEffort: null }),
      },
      vision: /grok-4|vision/i.test(model),
      reasoning,
      contextWindow: /grok-4-fast|grok-4-1-fast/i.test(model) ? 2_000_000 : /grok-4|grok-code/i.test(model) ? 256_000 : /grok-3/i.test(model) ? 131_072 : undefined,
    };
  },
  body: (config) => {
    const body = standardBody(config, 'max_completion_tokens');
    if (xaiReasoning(config.model)) for (const key of ['frequency_penalty', 'presence_penalty', 'stop']) delete body[key];
    if (/grok-3-mini/i.test(config.model) && config.reasoningEffort) body.reasoning_effort = config.reasoningEffort === 'high' ? 'high' : 'low';
    return body;
  },
  includeUsage: true,
});

// ---- OpenRouter ----
export const openrouter = compatibleProvider({
  id: 'openrouter',
  label: 'OpenRouter',
  keyEnv: ['OPENROUTER_API_KEY'],
  needsKey: true,
  defaultBaseUrl: 'https://openrouter.ai/api/v1',
  builtinModels: ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-flash', 'meta-llama/llama-3.3-70b-instruct', 'deepseek/deepseek-r1'],
  reasons: {},
  model: (model) => ({
    controls: {
      maxTokens: { min: 1, max: 1_000_000, step: 1 },
      temperature: { min: 0, max: 2, step: 0.05 },
      topP: TOP_P,
      topK: { min: 0, max: 1000, step: 1 },
      frequencyPenalty: PENALTY,
      presencePenalty: PENALTY,
      stop: { min: 0, max: 4 },
      seed: SEED,
      jsonMode: null,
      // OpenRouter normalises `reasoning` for every model and ignores it for models that do not reason.
      reasoningEffort: null,
      thinkingBudget: { min: 0, max: 128_000, step: 256 },
    },
    vision: /gpt-4o|gpt-4\.1|gpt-5|claude|gemini|gemma-3|llama-4|vision|pixtral|-vl\b|grok-4/i.test(model),
    reasoning: /\/o\d|gpt-5|gpt-oss|claude-(?:3-7|sonnet-4|opus-4|haiku-4)|gemini-2\.5|gemini-3|deepseek-r1|qwen3|grok|thinking|reason/i.test(model),
  }),
  body: (config) => ({
    ...standardBody(config, 'max_tokens'),
    ...(config.topK != null && { top_k: config.topK }),
    // One of effort or a token budget: effort when both are set.
    ...(config.reasoningEffort ? { reasoning: { effort: config.reasoningEffort } } : config.thinkingBudget != null && { reasoning: { max_tokens: config.thinkingBudget } }),
  }),
  includeUsage: true,
});

// ---- Ollama ----
export const ollama = compatibleProvider({
  id: 'ollama',
  label: 'Ollama',
  keyEnv: [],
  needsKey: false,
  defaultBaseUrl: 'http://localhost:11434/v1',
  builtinModels: ['llama3.2', 'qwen3', 'gpt-oss:20b', 'gemma3'],
  reasons: {
    topK: "Ollama's OpenAI-compatible endpoint has no top_k; set it in a Modelfile.",
    reasoningEffort: 'Only thinking models (gpt-oss, qwen3, deepseek-r1…) take a reasoning effort.',
    thinkingBudget: 'Ollama sets no thinking budget; use reasoning effort.',
  },
  model: (model) => ({
    controls: {
      maxTokens: { min: 1, max: 131_072, step: 1 },
      temperature: { min: 0, max: 2, step: 0.05 },
      topP: TOP_P,
      frequencyPenalty: PENALTY,
      presencePenalty: PENALTY,
      stop: { min: 0, max: 8 },
      seed: SEED,
      jsonMode: null,
      ...(LOCAL_THINKING.test(model) && { reasoningEffort: null }),
    },
    vision: LOCAL_VISION.test(model),
    reasoning: LOCAL_THINKING.test(model),
  }),
  body: (config) => ({
    ...standardBody(config, 'max_tokens'),
    ...(LOCAL_THINKING.test(config.model) && config.reasoningEffort && { reasoning_effort: config.reasoningEffort === 'minimal' ? 'low' : config.reasoningEffort }),
  }),
  includeUsage: true,
  keepModel: notEmbedding,
});

// ---- LM Studio ----
export const lmstudio = compatibleProvider({
  id: 'lmstudio',
  label: 'LM Studio',
  keyEnv: [],
  needsKey: false,
  defaultBaseUrl: 'http://localhost:1234/v1',
  builtinModels: ['openai/gpt-oss-20b', 'qwen/qwen3-8b', 'google/gemma-3-12b'],
  reasons: {
    jsonMode: 'LM Studio takes structured output only with a JSON schema (response_format json_schema), not plain JSON mode.',
    reasoningEffort: 'LM Studio sets reasoning per model in its own settings.',
    thinkingBudget: 'LM Studio sets reasoning per model in its own settings.',
  },
  model: (model) => ({
    controls: {
      maxTokens: { min: 1, max: 131_072, step: 1 },
      temperature: { min: 0, max: 2, step: 0.05 },
      topP: TOP_P,
      topK: { min: 0, max: 1000, step: 1 },
      frequencyPenalty: PENALTY,
      presencePenalty: PENALTY,
      stop: { min: 0, max: 8 },
      seed: SEED,
    },
    vision: LOCAL_VISION.test(model),
    reasoning: LOCAL_THINKING.test(model),
  }),
  body: (config) => ({ ...standardBody(config, 'max_tokens'), ...(config.topK != null && { top_k: config.topK }) }),
  includeUsage: true,
  keepModel: notEmbedding,
});

// ---- Custom ----
export const custom = compatibleProvider({
  id: 'custom',
  label: 'Custom (OpenAI-compatible)',
  keyEnv: [],
  needsKey: false,
  builtinModels: [],
  reasons: {
    topK: 'A custom endpoint gets only standard OpenAI parameters, and top_k is not one.',
    thinkingBudget: 'A custom endpoint gets only standard OpenAI parameters; use reasoning effort.',
  },
  model: () => ({
    controls: {
      maxTokens: { min: 1, max: 1_000_000, step: 1 },
      temperature: { min: 0, max: 2, step: 0.05 },
      topP: TOP_P,
      frequencyPenalty: PENALTY,
      presencePenalty: PENALTY,
      stop: { min: 0, max: 4 },
      seed: SEED,
      jsonMode: null,
      reasoningEffort: null,
    },
    // Unknown server and model: send images and let the server decide.
    vision: true,
    reasoning: true,
  }),
  body: (config) => ({ ...standardBody(config, 'max_tokens'), ...(config.reasoningEffort && { reasoning_effort: config.reasoningEffort }) }),
  includeUsage: true,
  keepModel: notEmbedding,
});

/** The presets, in the order the panel lists them. */
export const compatibleProviders: readonly ProviderDefinition[] = [cerebras, xai, openrouter, ollama, lmstudio, custom];
