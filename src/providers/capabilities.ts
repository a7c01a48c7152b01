import type { Capabilities, ChatConfig, ControlName, Range, ReasoningEffort } from '../protocol';
import type { ModelFacts } from './catalog';

type Controls = Partial<Record<ControlName, Range | null>>;

/** Why the newer, provider-specific controls are off, unless the provider says more. */
const DEFAULT_REASONS: Partial<Record<ControlName, string>> = {
  reasoningFormat: "Only Groq's reasoning models let you choose how their reasoning comes back.",
  serviceTier: 'Only Groq offers service tiers (auto, on demand, flex, performance).',
  jsonSchema: 'This provider takes no JSON schema for structured output.',
};

/** Builds a capability description; every control not listed is unsupported with `reason`. */
export function describeCapabilities(
  controls: Controls,
  reasons: Partial<Record<ControlName, string>>,
  extra: Omit<Capabilities, 'controls' | 'unsupported'>,
): Capabilities {
  const unsupported: Partial<Record<ControlName, string>> = {};
  for (const [name, reason] of Object.entries({ ...DEFAULT_REASONS, ...reasons }) as [ControlName, string][]) {
    if (!(name in controls)) unsupported[name] = reason;
  }
  return { controls, unsupported, ...extra };
}

/**
 * Lays the model's facts (catalog + models endpoint) over the provider's rules: context window, max output,
 * vision, tool calls and prices come from the facts; a model the catalog says takes no temperature gets none.
 * The provider's name patterns decide only what the facts do not say.
 */
export function withFacts(caps: Capabilities, facts: ModelFacts | undefined, model: string): Capabilities {
  if (!facts?.sources.length) return caps;
  const out: Capabilities = { ...caps, controls: { ...caps.controls }, unsupported: { ...caps.unsupported } };
  if (facts.contextWindow) out.contextWindow = facts.contextWindow;
  if (facts.maxOutput) {
    out.maxOutput = facts.maxOutput;
    const range = out.controls.maxTokens;
    if (range) out.controls.maxTokens = { ...range, max: facts.maxOutput };
  }
  if (facts.vision !== undefined) out.vision = facts.vision;
  if (facts.reasoning !== undefined) out.reasoning = facts.reasoning;
  // A provider rule against tools (a reason given) outranks the catalog.
  if (facts.toolCalls !== undefined && !caps.toolCallsReason) out.toolCalls = facts.toolCalls;
  if (facts.price) out.price = facts.price;
  if (facts.temperature === false) {
    for (const name of ['temperature', 'topP'] as const) {
      if (!(name in out.controls)) continue;
      delete out.controls[name];
      out.unsupported[name] = `${model} takes no temperature or top_p (models.dev catalog).`;
    }
  }
  out.factsSource = facts.sources.join(' and ');
  return out;
}

/** The efforts a model takes when its provider lists none of its own. */
export const COMMON_EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high'];

const NUMERIC: ControlName[] = ['maxTokens', 'temperature', 'topP', 'topK', 'frequencyPenalty', 'presencePenalty', 'seed', 'thinkingBudget'];

/**
 * The config as it will be sent: unsupported controls removed (null / empty), numbers clamped into the
 * provider's range. The panel has already told the user about both; this keeps the request valid.
 */
export function applyCapabilities(config: ChatConfig, caps: Capabilities): ChatConfig {
  const out: ChatConfig = { ...config };
  const supported = (name: ControlName) => name in caps.controls;
  for (const name of NUMERIC) {
    const key = name as keyof ChatConfig & ('maxTokens' | 'temperature' | 'topP' | 'topK' | 'frequencyPenalty' | 'presencePenalty' | 'seed' | 'thinkingBudget');
    const value = out[key];
    if (!supported(name)) { out[key] = null; continue; }
    const range = caps.controls[name];
    if (typeof value === 'number' && range) out[key] = Math.min(range.max, Math.max(range.min, value));
  }
  if (!supported('stop')) out.stop = [];
  else {
    const max = caps.controls.stop?.max;
    if (max !== undefined) out.stop = out.stop.slice(0, max);
  }
  if (!supported('jsonMode')) out.jsonMode = false;
  if (!supported('reasoningEffort')) out.reasoningEffort = null;
  else if (out.reasoningEffort && !(caps.reasoningEfforts ?? COMMON_EFFORTS).includes(out.reasoningEffort)) out.reasoningEffort = null;
  if (!supported('reasoningFormat')) out.reasoningFormat = null;
  else if (out.reasoningFormat && caps.reasoningFormats && !caps.reasoningFormats.includes(out.reasoningFormat)) out.reasoningFormat = null;
  else if (out.reasoningFormat === 'raw' && caps.rawReasoningWithJson && (out.jsonMode || out.jsonSchema)) out.reasoningFormat = null;
  if (!supported('serviceTier')) out.serviceTier = null;
  if (!supported('jsonSchema')) out.jsonSchema = '';
  if (!caps.serverTools?.length) out.serverTools = null;
  else if (out.serverTools) out.serverTools = out.serverTools.filter((t) => caps.serverTools!.includes(t));
  if (!supported('system')) out.system = '';
  return out;
}
