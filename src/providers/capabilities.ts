import type { Capabilities, ChatConfig, ControlName, Range } from '../protocol';

type Controls = Partial<Record<ControlName, Range | null>>;

/** Builds a capability description; every control not listed is unsupported with `reason`. */
export function describeCapabilities(
  controls: Controls,
  reasons: Partial<Record<ControlName, string>>,
  extra: { vision: boolean; reasoning: boolean; contextWindow?: number },
): Capabilities {
  const unsupported: Partial<Record<ControlName, string>> = {};
  for (const [name, reason] of Object.entries(reasons) as [ControlName, string][]) {
    if (!(name in controls)) unsupported[name] = reason;
  }
  return { controls, unsupported, ...extra };
}

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
  if (!supported('system')) out.system = '';
  return out;
}
