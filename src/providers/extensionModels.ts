import { describeCapabilities } from './capabilities';
import type { AdapterEvent, ProviderDefinition, Turn } from './types';
import type { ChatConfig } from '../protocol';

/**
 * A model another extension registers through Parley's API, like marimo's custom model functions: an async
 * function returning the whole reply, or an async generator yielding text deltas.
 */
export type ExtensionModelFunction = (
  messages: ReadonlyArray<{ role: 'user' | 'assistant'; content: string }>,
  config: Readonly<ChatConfig>,
  signal: AbortSignal,
) => Promise<string> | AsyncIterable<string>;

const models = new Map<string, ExtensionModelFunction>();
const listeners = new Set<() => void>();

export function registerExtensionModel(name: string, fn: ExtensionModelFunction): { dispose(): void } {
  if (!name.trim()) throw new Error('A model needs a name.');
  if (models.has(name)) throw new Error(`A model named "${name}" is already registered.`);
  models.set(name, fn);
  listeners.forEach((l) => l());
  return {
    dispose() {
      if (models.get(name) === fn) models.delete(name);
      listeners.forEach((l) => l());
    },
  };
}

export function onExtensionModelsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<string> {
  return typeof (value as AsyncIterable<string>)?.[Symbol.asyncIterator] === 'function';
}

const UNSUPPORTED = 'Models registered by other extensions receive the config as it is; Parley does not validate it.';

export const extensionModels: ProviderDefinition = {
  id: 'extension',
  label: 'Other extensions',
  keyEnv: [],
  needsKey: false,
  get builtinModels() {
    return [...models.keys()];
  },
  capabilities: () =>
    describeCapabilities(
      { system: null, maxTokens: { min: 1, max: 1_000_000 }, temperature: { min: 0, max: 2 }, topP: { min: 0, max: 1 }, topK: { min: 1, max: 1000 } },
      { frequencyPenalty: UNSUPPORTED, presencePenalty: UNSUPPORTED, stop: UNSUPPORTED, seed: UNSUPPORTED, jsonMode: UNSUPPORTED, reasoningEffort: UNSUPPORTED, thinkingBudget: UNSUPPORTED },
      { vision: false, reasoning: false },
    ),
  async createAdapter() {
    return {
      async *stream(turns: Turn[], config, signal): AsyncIterable<AdapterEvent> {
        const fn = models.get(config.model);
        if (!fn) throw Object.assign(new Error(`No extension has registered a model named "${config.model}".`), { status: 404 });
        // Model functions of other extensions know user and assistant turns; tool results reach them as user text.
        const messages = turns.map((t) => ({ role: t.role === 'assistant' ? ('assistant' as const) : ('user' as const), content: t.text }));
        const result = fn(messages, config, signal);
        if (isAsyncIterable(result)) {
          for await (const delta of result) {
            if (signal.aborted) return;
            if (delta) yield { type: 'text-delta', text: String(delta) };
          }
        } else {
          const text = await result;
          if (text) yield { type: 'text-delta', text: String(text) };
        }
        yield { type: 'finish', reason: 'stop' };
      },
    };
  },
};
