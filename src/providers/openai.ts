import type { ChatConfig } from '../protocol';
import { describeCapabilities } from './capabilities';
import { createChatCompletionsAdapter, standardBody } from './chatCompletionsAdapter';
import type { ProviderDefinition } from './types';

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
