// What a tool loop costs Parley itself: a reply of 10 model calls, each asking for read_file on a workspace file,
// through the real ChatService, groq-sdk and a local Groq-format server that answers at once. The server times
// each request from its arrival to its last byte (the provider's own time); everything else in the reply's wall
// time is Parley's: the SDK, the loop, running the tool, saving, posting to the panel. Figures per reply and per
// step, median of several replies, and a one-call reply without tools for comparison.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore, type SecretStore } from '../../src/host/keys';
import { chatChunks, toolCallChunks } from '../../test/fakes/openaiFormat';
import { FakeServer, type FakeReply } from '../../test/fakes/server';
import { BenchPanel } from '../lib/benchPanel';
import { median, round, type MeasureResult } from '../lib/util';
import { tempDir } from '../../test/unit/helpers';

const STEPS = 10;

class Secrets implements SecretStore {
  async get() { return undefined; }
  async store() {}
  async delete() {}
}

export async function toolLoopBench(runs = 7): Promise<MeasureResult> {
  const server = new FakeServer('groq');
  const history = tempDir('bench-loop-history');
  const workspace = tempDir('bench-loop-ws');
  mkdirSync(join(workspace.path, 'src'));
  for (let i = 0; i < STEPS; i++) writeFileSync(join(workspace.path, 'src', `part${i}.ts`), `export const part${i} = ${i};\n`.repeat(200));
  let providerMs = 0;
  const timed = (frames: string[]): FakeReply => ({
    kind: 'raw',
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      const t0 = performance.now();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const f of frames) res.write(f);
      res.end(() => (providerMs += performance.now() - t0));
    },
  });
  try {
    await server.start();
    server.route(/\/models$/, () => ({ kind: 'json', body: { object: 'list', data: [{ id: 'openai/gpt-oss-120b', object: 'model', active: true, context_window: 131072 }] } }));
    const settings: ServiceSettings = {
      defaultProvider: 'groq', defaultModel: 'openai/gpt-oss-120b',
      defaultConfig: { system: '', maxTokens: 4096, temperature: 0.5, topP: 1, topK: null, frequencyPenalty: 0, presencePenalty: 0, stop: [], seed: null, jsonMode: false, reasoningEffort: null, thinkingBudget: null },
      baseUrl: () => server.url, requestTimeoutSeconds: 30, maxRetries: 0, modelCatalogUrl: '',
      tools: { enabled: true, maxSteps: STEPS + 1, approval: 'readOnly', timeoutSeconds: 30 },
    };
    const service = new ChatService(
      { settings: () => settings, log: () => undefined, runCommand: () => undefined, openExternal: () => undefined, toolContext: () => ({ view: { roots: [workspace.path], exclude: [] } }) },
      new KeyStore(new Secrets(), { GROQ_API_KEY: 'gsk_bench_key_0123456789' }),
      new HistoryStore(history.path),
    );
    const client = new BenchPanel();
    service.connect(client);
    await service.handle(client, { type: 'ready' });
    const chatId = (await service.currentChat()).id;

    async function reply(steps: number): Promise<{ wallMs: number; providerMs: number }> {
      for (let i = 0; i < steps; i++) {
        const frames = i < steps - 1
          ? toolCallChunks([{ id: `call_${i}_${Math.random().toString(36).slice(2)}`, name: 'read_file', pieces: ['{"path":', `"src/part${i}.ts"}`] }], { text: [`Step ${i}. `] })
          : chatChunks(['All parts ', 'read.'], { model: 'openai/gpt-oss-120b' });
        server.enqueue(timed(frames));
      }
      providerMs = 0;
      const t0 = performance.now();
      await service.handle(client, { type: 'send', chatId, text: `Read the ${steps - 1} parts` });
      await service.idle(chatId);
      const wallMs = performance.now() - t0;
      const last = service.getChat(chatId)!.messages.at(-1)!;
      if (last.status !== 'done' || (last.toolCalls?.length ?? 0) !== steps - 1) throw new Error(`the bench reply did not finish as scripted: ${last.status} ${last.error?.message ?? ''}`);
      return { wallMs, providerMs };
    }

    await reply(2); // warm-up: the SDK chunk, the catalog, the first file reads
    const loop: Array<{ wallMs: number; providerMs: number }> = [];
    const plain: Array<{ wallMs: number; providerMs: number }> = [];
    for (let r = 0; r < runs; r++) {
      loop.push(await reply(STEPS));
      plain.push(await reply(1));
    }
    const overhead = loop.map((x) => x.wallMs - x.providerMs);
    const plainOverhead = plain.map((x) => x.wallMs - x.providerMs);
    const perStep = median(overhead) / STEPS;
    return {
      rows: [
        {
          measure: 'toolLoop', metric: `Parley's time in a ${STEPS}-call reply (9 read_file calls), beyond the provider's`, value: round(median(overhead), 1), unit: 'ms',
          target: '< 300 ms (30 ms a call)', pass: median(overhead) < 300, runs: overhead.map((x) => round(x, 1)),
          note: `${round(perStep, 1)} ms per model call; provider time ${round(median(loop.map((x) => x.providerMs)), 1)} ms (a local server answering at once); a one-call reply without tools: ${round(median(plainOverhead), 1)} ms beyond the provider's; includes groq-sdk, the tool, saving and posting`,
        },
      ],
      details: { loop, plain },
    };
  } finally {
    await server.stop();
    history.remove();
    workspace.remove();
  }
}
