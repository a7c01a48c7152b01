// Child process of the scale bench: the real ChatService and HistoryStore in Node (not inside VS Code: driving
// code-server over a 200 MB history would measure the machine, not Parley). Usage: scaleWorker.ts <chats>
// <messagesPerChat>. Writes a generated history in the storage format (index + one file per chat, plus one chat of
// 2,000 messages), then measures on a fresh service over it:
//   - list: from constructing the service to the first `state` (chat list + active chat) posted to a panel;
//   - open: switching to the 2,000-message chat until its state is posted;
//   - streaming: a reply streamed at `DELTAS_PER_S` deltas/s for `STREAM_S` s by an in-process model (so only
//     Parley's own work runs on this thread): event-loop active time per second (performance.eventLoopUtilization),
//     and the longest block of the thread (monitorEventLoopDelay's max, 1 ms resolution).
// Prints one JSON line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore, indexEntry, type IndexEntry } from '../../src/host/history';
import { KeyStore, type SecretStore } from '../../src/host/keys';
import type { Chat, ChatMessage } from '../../src/protocol';
import { registerExtensionModel } from '../../src/providers/extensionModels';
import { BenchPanel } from '../lib/benchPanel';

const chats = Number(process.argv[2] ?? 10);
const perChat = Number(process.argv[3] ?? 200);
const BIG_CHAT = 2000;
const DELTAS_PER_S = 100;
const STREAM_S = 5;

class Secrets implements SecretStore {
  async get() { return undefined; }
  async store() {}
  async delete() {}
}

const PARAGRAPH = 'Parley keeps every chat on disk. '.repeat(22) + '\n\n```ts\nconst x = compute(a, b);\nconsole.log(x);\n```\n';

function message(i: number): ChatMessage {
  return i % 2 === 0
    ? { id: `u${i}`, role: 'user', text: `Question ${i}: ${PARAGRAPH.slice(0, 200)}`, createdAt: i }
    : { id: `a${i}`, role: 'assistant', text: PARAGRAPH + PARAGRAPH.slice(0, 400), provider: 'groq', model: 'llama-3.3-70b-versatile', status: 'done', usage: { inputTokens: 1000, outputTokens: 300 }, cost: 0.0004, createdAt: i };
}

const config = { system: '', maxTokens: 4096, temperature: 0.5, topP: 1, topK: null, frequencyPenalty: 0, presencePenalty: 0, stop: [], seed: null, jsonMode: false, reasoningEffort: null, thinkingBudget: null };

function generate(dir: string): { bytes: number; bigId: string; streamId: string } {
  mkdirSync(join(dir, 'chats'), { recursive: true });
  const messages = Array.from({ length: perChat }, (_, i) => message(i));
  const entries: IndexEntry[] = [];
  let bytes = 0;
  const write = (chat: Chat) => {
    const text = JSON.stringify(chat);
    bytes += text.length;
    writeFileSync(join(dir, 'chats', `${chat.id}.json`), text);
    entries.push(indexEntry(chat));
  };
  for (let c = 0; c < chats; c++) write({ id: `chat-${c}`, title: `Chat ${c}`, messages, config: { ...config, provider: 'groq', model: 'llama-3.3-70b-versatile' }, createdAt: c, updatedAt: 1_000 + c });
  const bigId = 'chat-big';
  write({ id: bigId, title: 'A long chat', messages: Array.from({ length: BIG_CHAT }, (_, i) => message(i)), config: { ...config, provider: 'groq', model: 'llama-3.3-70b-versatile' }, createdAt: 0, updatedAt: 10 });
  // The active chat streams from the in-process model; it has as many messages as the others.
  const streamId = `chat-${chats - 1}`;
  write({ id: streamId, title: 'Streaming here', messages, config: { ...config, provider: 'extension', model: 'bench' }, createdAt: 0, updatedAt: 2_000_000 });
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ version: 2, activeChatId: streamId, chats: entries }));
  return { bytes, bigId, streamId };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-scale-'));
  try {
    const generated = generate(dir);
    registerExtensionModel('bench', async function* (_messages, _config, signal) {
      const end = Date.now() + STREAM_S * 1000;
      let i = 0;
      while (Date.now() < end && !signal.aborted) {
        await new Promise((r) => setTimeout(r, 1000 / DELTAS_PER_S));
        yield `token${i++} `;
      }
    });
    const settings: ServiceSettings = { defaultProvider: 'groq', defaultModel: 'llama-3.3-70b-versatile', defaultConfig: config, baseUrl: () => undefined, requestTimeoutSeconds: 30, maxRetries: 0 };
    const client = new BenchPanel();
    const stateAfter = (action: () => unknown) => {
      const t0 = performance.now();
      const posted = client.nextState().then(() => performance.now() - t0);
      void action();
      return posted;
    };

    // Activation to the chat list: a new service over the history, a panel says ready.
    let service!: ChatService;
    const listMs = await stateAfter(() => {
      service = new ChatService({ settings: () => settings, log: () => undefined, runCommand: () => undefined, openExternal: () => undefined }, new KeyStore(new Secrets(), {}), new HistoryStore(dir));
      service.connect(client);
      return service.handle(client, { type: 'ready' });
    });
    if (client.state.chats.length !== chats + 1) throw new Error(`chat list has ${client.state.chats.length} chats`);

    const openMs = await stateAfter(() => service.handle(client, { type: 'switchChat', chatId: generated.bigId }));
    if (client.state.chat.messages.length !== BIG_CHAT) throw new Error('the long chat did not open');
    await stateAfter(() => service.handle(client, { type: 'switchChat', chatId: generated.streamId }));

    // Streaming: measured over the reply's steady part (after the first second).
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    await service.handle(client, { type: 'send', chatId: generated.streamId, text: 'Stream please' });
    await new Promise((r) => setTimeout(r, 1000));
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    histogram.enable();
    await new Promise((r) => setTimeout(r, (STREAM_S - 2) * 1000));
    histogram.disable();
    const elu = performance.eventLoopUtilization(elu0);
    const cpu = process.cpuUsage(cpu0);
    const seconds = (performance.now() - t0) / 1000;
    await service.idle(generated.streamId);
    const reply = client.state.chat.messages.at(-1)!;
    if (reply.status !== 'done') throw new Error(`the streamed reply ended ${reply.status}: ${reply.error?.message ?? ''}`);
    await service.shutdown();
    process.stdout.write(
      JSON.stringify({
        chats: chats + 1,
        messagesPerChat: perChat,
        historyBytes: generated.bytes,
        listMs,
        openMs,
        streamActiveMsPerS: elu.active / seconds,
        streamCpuMsPerS: (cpu.user + cpu.system) / 1000 / seconds,
        longestBlockMs: histogram.max / 1e6,
        deltasPerS: DELTAS_PER_S,
        replyChars: reply.text.length,
      }) + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
