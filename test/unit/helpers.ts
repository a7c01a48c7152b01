import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyCapabilities } from '../../src/providers/capabilities';
import type { AdapterEvent, AdapterOptions, ProviderDefinition, Turn } from '../../src/providers/types';
import type { ChatConfig } from '../../src/protocol';

export const baseConfig: Omit<ChatConfig, 'provider' | 'model'> = {
  system: 'You are terse.',
  maxTokens: 256,
  temperature: 0.5,
  topP: 1,
  topK: 40,
  frequencyPenalty: 0,
  presencePenalty: 0,
  stop: [],
  seed: null,
  jsonMode: false,
  reasoningEffort: null,
  thinkingBudget: null,
};

export function configFor(definition: ProviderDefinition, model: string, patch: Partial<ChatConfig> = {}): ChatConfig {
  return applyCapabilities({ ...baseConfig, provider: definition.id, model, ...patch }, definition.capabilities(model));
}

/** Runs an adapter's stream to the end, collecting events; errors are returned, not thrown. */
export async function collect(
  definition: ProviderDefinition,
  options: Partial<AdapterOptions> & { baseUrl: string },
  turns: Turn[],
  config: ChatConfig,
  signal = new AbortController().signal,
): Promise<{ events: AdapterEvent[]; error?: unknown; text: string; reasoning: string }> {
  const adapter = await definition.createAdapter({ apiKey: 'test-key-123456', timeoutMs: 10_000, maxRetries: 0, ...options });
  const events: AdapterEvent[] = [];
  let error: unknown;
  try {
    for await (const event of adapter.stream(turns, config, signal)) events.push(event);
  } catch (err) {
    error = err;
  }
  const text = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
  const reasoning = events.flatMap((e) => (e.type === 'reasoning-delta' ? [e.text] : [])).join('');
  return { events, error, text, reasoning };
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `parley-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
