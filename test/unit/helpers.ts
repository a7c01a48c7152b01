import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyCapabilities } from '../../src/providers/capabilities';
import type { AdapterEvent, AdapterOptions, ModelFacts, ProviderDefinition, Turn } from '../../src/providers/types';
import { applyHostMessage, type PanelModel } from '../../src/panelModel';
import type { ChatConfig, HostMessage, StreamEvent } from '../../src/protocol';
import type { Client } from '../../src/host/chatService';
import type { SecretStore } from '../../src/host/keys';
import type { FakeServer } from '../fakes/server';

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

export function configFor(definition: ProviderDefinition, model: string, patch: Partial<ChatConfig> = {}, facts?: ModelFacts): ChatConfig {
  return applyCapabilities({ ...baseConfig, provider: definition.id, model, ...patch }, definition.capabilities(model, facts));
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

export class MemorySecrets implements SecretStore {
  readonly map = new Map<string, string>();
  async get(key: string) { return this.map.get(key); }
  async store(key: string, value: string) { this.map.set(key, value); }
  async delete(key: string) { this.map.delete(key); }
}

/** A connected webview stand-in that records everything the host posts to it. */
export class RecordingClient implements Client {
  readonly messages: HostMessage[] = [];
  chatId?: string;
  post(message: HostMessage) { this.messages.push(structuredClone(message)); }
  /** What a panel holds after applying every message so far, with the webview's own reducer. */
  get state(): PanelModel {
    const state = this.messages.reduce<PanelModel | undefined>(applyHostMessage, undefined);
    if (!state) throw new Error('no state posted');
    return state;
  }
  events(): StreamEvent[] {
    return this.messages.flatMap((m) => (m.type === 'stream' ? [m.event] : []));
  }
  notices(): string[] {
    return this.messages.flatMap((m) => (m.type === 'notice' ? [m.text] : []));
  }
}

/** Starts `server` before the describe block (`onUrl` gets its URL), empties it before each test, stops it after. */
export function serveDuring(server: FakeServer, onUrl: (url: string) => void): void {
  before(async () => onUrl(await server.start()));
  after(() => server.stop());
  beforeEach(() => server.reset());
}
