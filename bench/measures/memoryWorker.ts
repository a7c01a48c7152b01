// Child process of the memory bench (run with --expose-gc): the real ChatService, real storage and groq-sdk
// streaming from a local Groq-format server, as in test/unit/chatService.test.ts. Streams `warmup` replies,
// forces GC, notes heapUsed, streams `replies` more in the same session, forces GC again, and prints JSON.
import { getHeapSnapshot, getHeapStatistics } from 'node:v8';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore, type SecretStore } from '../../src/host/keys';
import type { ProviderId } from '../../src/protocol';
import { chatStream, modelList } from '../../test/fakes/openaiFormat';
import { FakeServer } from '../../test/fakes/server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markerDeltas } from '../fixtures';
import { BenchPanel } from '../lib/benchPanel';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const replies = Number(process.argv[2] ?? 100);
const warmup = Number(process.argv[3] ?? 5);
const deltasPerReply = Number(process.argv[4] ?? 400);

class Secrets implements SecretStore {
  readonly map = new Map<string, string>();
  async get(key: string) { return this.map.get(key); }
  async store(key: string, value: string) { this.map.set(key, value); }
  async delete(key: string) { this.map.delete(key); }
}

async function settle(): Promise<number> {
  // Let timers and sockets wind down, then collect twice (weak refs, finalizers).
  await new Promise((r) => setTimeout(r, 50));
  gc!();
  await new Promise((r) => setImmediate(r));
  gc!();
  return process.memoryUsage().heapUsed;
}

/** Live objects per constructor name, from a heap snapshot (only the names the bench watches for leaks). */
async function countObjects(): Promise<Record<string, number>> {
  const chunks: Buffer[] = [];
  for await (const c of getHeapSnapshot()) chunks.push(c as Buffer);
  const snap = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const fields: string[] = snap.snapshot.meta.node_fields;
  const types: string[] = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const counts: Record<string, number> = Object.fromEntries(WATCHED.map((n) => [n, 0]));
  const nodes: number[] = snap.nodes;
  for (let i = 0; i < nodes.length; i += width) {
    if (types[nodes[i + typeAt]] !== 'object') continue;
    const name: string = snap.strings[nodes[i + nameAt]];
    if (name in counts) counts[name]++;
  }
  return counts;
}

const WATCHED = ['AbortController', 'AbortSignal', 'Timeout', 'Socket', 'TLSSocket', 'ClientRequest', 'IncomingMessage', 'Stream', 'ReadableStream', 'Response', 'Request', 'Headers', 'TextDecoder', 'Uint8Array', 'ArrayBuffer', 'Buffer', 'Promise', 'EventTarget', 'EventEmitter'];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-mem-'));
  const server = new FakeServer('groq');
  await server.start();
  server.route(/\/models$/, () => modelList(['llama-3.3-70b-versatile']));
  const settings: ServiceSettings = {
    defaultProvider: 'groq',
    defaultModel: '',
    defaultConfig: { system: 'You are terse.', maxTokens: 4096, temperature: 0.5, topP: 1, topK: null, frequencyPenalty: 0, presencePenalty: 0, stop: [], seed: null, jsonMode: false, reasoningEffort: null, thinkingBudget: null },
    baseUrl: (id: ProviderId) => (id === 'groq' ? server.url : undefined),
    requestTimeoutSeconds: 30,
    maxRetries: 0,
  };
  const logs: string[] = [];
  const keys = new KeyStore(new Secrets(), { GROQ_API_KEY: 'gsk_bench_key_0123456789' });
  const service = new ChatService({ settings: () => settings, log: (l) => logs.push(l), runCommand: () => {}, openExternal: () => {} }, keys, new HistoryStore(dir));
  // Not serialized: the memory figure is the service's, not the serializer's garbage.
  const client = new BenchPanel(false);
  service.connect(client);
  await service.handle(client, { type: 'ready' });
  const chatId = client.state.chat.id;
  const deltas = markerDeltas(deltasPerReply);
  const replyChars = deltas.join('').length;

  async function one(i: number) {
    server.enqueue(chatStream(deltas, { usage: { prompt_tokens: 10, completion_tokens: deltasPerReply } }));
    await service.handle(client, { type: 'send', chatId, text: `Question ${i}` });
    await service.idle(chatId);
    const last = client.state.chat.messages.at(-1)!;
    if (last.status !== 'done' || last.text.length !== replyChars) throw new Error(`reply ${i} did not finish: ${last.status} ${last.error?.message ?? ''}`);
    // The fake server records every request (each carries the whole conversation): drop them, they are the
    // bench's, not the service's.
    server.requests.length = 0;
    server.routed.length = 0;
  }

  for (let i = 0; i < warmup; i++) await one(i);
  const resourcesBefore = process.getActiveResourcesInfo();
  const before = await settle();
  const objectsBefore = await countObjects();
  const t0 = performance.now();
  for (let i = 0; i < replies; i++) await one(warmup + i);
  const ms = performance.now() - t0;
  // Everything the session should hold on to: the chat itself (texts), which is history, not a leak.
  const chat = client.state.chat;
  const historyChars = chat.messages.reduce((s, m) => s + m.text.length, 0);
  const after = await settle();
  const objectsAfter = await countObjects();
  const resourcesAfter = process.getActiveResourcesInfo();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  const count = (list: string[]) => list.reduce<Record<string, number>>((m, r) => ((m[r] = (m[r] ?? 0) + 1), m), {});
  process.stdout.write(
    JSON.stringify({
      replies,
      warmup,
      deltasPerReply,
      replyChars,
      ms,
      heapBefore: before,
      heapAfter: after,
      growth: after - before,
      historyChars,
      messagesInChat: chat.messages.length,
      posted: client.posted,
      resourcesBefore: count(resourcesBefore),
      resourcesAfter: count(resourcesAfter),
      heapTotal: getHeapStatistics().total_heap_size,
      objectsBefore,
      objectsAfter,
      errors: logs.filter((l) => /fail|error/i.test(l)),
    }) + '\n',
  );
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
