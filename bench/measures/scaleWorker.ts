// Child process of the scale bench: the real ChatService and HistoryStore in Node (not inside VS Code: driving
// code-server over a 200 MB history would measure the machine, not Parley). Usage: scaleWorker.ts <chats>
// <messagesPerChat>. Writes a generated history in the storage format (index + one file per chat, plus one chat of
// 2,000 messages), then measures on a fresh service over it:
//   - list: from constructing the service to the first `state` (chat list + active chat) posted to a panel;
//   - open: switching to the 2,000-message chat until its state is posted;
//   - change: main-thread CPU time of one rename (posted to the panel and saved: the chat's file and the index);
//   - streaming: a reply streamed at `DELTAS_PER_S` deltas/s for `STREAM_S` s by an in-process model (so only
//     Parley's own work and the model's timers run on this thread): the main thread's CPU time per second
//     (process.threadCpuUsage, less the time the bench panel spends applying posts as the webview would), the same
//     for the model alone (Parley's share is the difference), event-loop active time per second
//     (performance.eventLoopUtilization: wall-clock inside callbacks, so a loaded machine inflates it); and the
//     longest block in the thread's CPU time (bench/lib/util.ts watchCpuBlocks) beside the wall-clock one
//     (monitorEventLoopDelay's max, 1 ms resolution), and the process's voluntary context switches (wake-ups).
//     Windows are long (10 s) because the thread's CPU time advances in scheduler ticks on Linux (4 ms here)
//     unless the thread sleeps; SCALE_PROFILE=<file> writes a CPU profile of a window.
// Prints one JSON line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore, indexEntry, type IndexEntry } from '../../src/host/history';
import { KeyStore, type SecretStore } from '../../src/host/keys';
import type { Chat, ChatMessage } from '../../src/protocol';
import { registerExtensionModel } from '../../src/providers/extensionModels';
import { BenchPanel } from '../lib/benchPanel';
import { median, watchCpuBlocks } from '../lib/util';

const chats = Number(process.argv[2] ?? 10);
const perChat = Number(process.argv[3] ?? 200);
const BIG_CHAT = 2000;
const DELTAS_PER_S = 100;
const STREAM_S = 12;
const ROUNDS = 3;

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

/** The in-process model: `DELTAS_PER_S` deltas a second for `STREAM_S` seconds. */
async function* benchModel(_messages: unknown, _config: unknown, signal: AbortSignal): AsyncGenerator<string> {
  const end = Date.now() + STREAM_S * 1000;
  let i = 0;
  while (Date.now() < end && !signal.aborted) {
    await new Promise((r) => setTimeout(r, 1000 / DELTAS_PER_S));
    yield `token${i++} `;
  }
}

interface Window { start(): void | Promise<void>; stop(): void | Promise<void> }

/** Sends a message and waits out the reply; `window` brackets its steady part (from 1 s to `STREAM_S` - 1 s). */
async function streamReply(service: ChatService, client: BenchPanel, chatId: string, window?: Window): Promise<number> {
  await service.handle(client, { type: 'send', chatId, text: 'Stream please' });
  await new Promise((r) => setTimeout(r, 1000));
  await window?.start();
  await new Promise((r) => setTimeout(r, (STREAM_S - 2) * 1000));
  await window?.stop();
  await service.idle(chatId);
  const reply = client.state.chat.messages.at(-1)!;
  if (reply.status !== 'done') throw new Error(`the streamed reply ended ${reply.status}: ${reply.error?.message ?? ''}`);
  return reply.text.length;
}

interface Measured { seconds: number; threadMs: number; panelMs: number; activeMs: number; processMs: number; switches: number; replyChars: number }

/** Main-thread CPU time (less the bench panel's reducer), event-loop active time and process CPU time over a window. */
async function threadTime(run: (window: Window) => Promise<unknown>, client?: BenchPanel): Promise<Measured> {
  let thread0 = process.threadCpuUsage();
  let cpu0 = process.cpuUsage();
  let elu0 = performance.eventLoopUtilization();
  let panel0 = 0;
  let t0 = 0;
  const out: Measured = { seconds: 0, threadMs: 0, panelMs: 0, activeMs: 0, processMs: 0, switches: 0, replyChars: 0 };
  let switches0 = 0;
  const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  let stopProfile: ((file: string) => Promise<void>) | undefined;
  const window: Window = {
    async start() {
      stopProfile = process.env.SCALE_PROFILE ? await startProfile() : undefined;
      [thread0, cpu0, elu0, panel0, t0, switches0] = [process.threadCpuUsage(), process.cpuUsage(), performance.eventLoopUtilization(), client?.panelCpuMs ?? 0, performance.now(), process.resourceUsage().voluntaryContextSwitches];
    },
    async stop() {
      out.seconds = (performance.now() - t0) / 1000;
      out.switches = process.resourceUsage().voluntaryContextSwitches - switches0;
      out.panelMs = (client?.panelCpuMs ?? 0) - panel0;
      out.threadMs = ms(process.threadCpuUsage(thread0)) - out.panelMs;
      out.processMs = ms(process.cpuUsage(cpu0));
      out.activeMs = performance.eventLoopUtilization(elu0).active;
      await stopProfile?.(process.env.SCALE_PROFILE!);
    },
  };
  const result = await run(window);
  if (typeof result === 'number') out.replyChars = result;
  return out;
}

/** With SCALE_PROFILE=<file>, a CPU profile (sampled every 50 µs) of the streaming windows (the last one written; read it with bench/lib/cpuprofile.ts). */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  const call = (method: string, params?: object) => new Promise<any>((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 50 });
  await call('Profiler.start');
  return async (file) => {
    const { profile } = await call('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-scale-'));
  try {
    const generated = generate(dir);
    // The generated history's strings are garbage now: collected before measuring, else their collection lands
    // in a measured window (run.ts starts this worker with --expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    registerExtensionModel('bench', benchModel);
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

    // A change (a rename of the active chat): main-thread time per change, posting and saving included.
    const changes = 50;
    const change0 = process.threadCpuUsage();
    const panelBefore = client.panelCpuMs;
    for (let i = 0; i < changes; i++) await service.handle(client, { type: 'renameChat', chatId: generated.streamId, title: `Streaming here ${i}` });
    const changeSpent = process.threadCpuUsage(change0);
    const changeMs = ((changeSpent.user + changeSpent.system) / 1000 - (client.panelCpuMs - panelBefore)) / changes;

    // Streaming, measured over each reply's steady part (after its first second). The model alone, then a reply,
    // `ROUNDS` times in turn (medians: the difference of two figures is noisy on a loaded machine): the model's
    // timers cost the thread time Parley's share is measured beside. Then another reply for the longest block (the
    // monitors' own timers cost thread time).
    const modelRounds: Measured[] = [];
    const replyRounds: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      modelRounds.push(await threadTime(async (window) => {
        const consumed = (async () => {
          for await (const _ of benchModel([], config, new AbortController().signal));
        })();
        await new Promise((r) => setTimeout(r, 1000));
        await window.start();
        await new Promise((r) => setTimeout(r, (STREAM_S - 2) * 1000));
        await window.stop();
        await consumed;
      }));
      replyRounds.push(await threadTime((window) => streamReply(service, client, generated.streamId, window), client));
    }
    const perSecond = (rounds: Measured[], key: 'threadMs' | 'panelMs' | 'activeMs' | 'processMs' | 'switches') => median(rounds.map((r) => r[key] / r.seconds));
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    let cpuBlocks: ReturnType<typeof watchCpuBlocks> | undefined;
    let cpuBlockMs = 0;
    await streamReply(service, client, generated.streamId, {
      start: () => {
        histogram.enable();
        cpuBlocks = watchCpuBlocks();
      },
      stop: () => {
        histogram.disable();
        cpuBlockMs = cpuBlocks!.stop();
      },
    });
    await service.shutdown();
    process.stdout.write(
      JSON.stringify({
        chats: chats + 1,
        messagesPerChat: perChat,
        historyBytes: generated.bytes,
        listMs,
        openMs,
        changeMs,
        streamThreadMsPerS: perSecond(replyRounds, 'threadMs'),
        streamModelMsPerS: perSecond(modelRounds, 'threadMs'),
        streamPanelMsPerS: perSecond(replyRounds, 'panelMs'),
        streamActiveMsPerS: perSecond(replyRounds, 'activeMs'),
        streamCpuMsPerS: perSecond(replyRounds, 'processMs'),
        streamSwitchesPerS: perSecond(replyRounds, 'switches'),
        modelSwitchesPerS: perSecond(modelRounds, 'switches'),
        rounds: ROUNDS,
        longestBlockMs: histogram.max / 1e6,
        cpuBlockMs,
        deltasPerS: DELTAS_PER_S,
        replyChars: replyRounds[0].replyChars,
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
