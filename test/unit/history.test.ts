import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatService } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore } from '../../src/host/keys';
import type { Chat, ChatMessage } from '../../src/protocol';
import { baseConfig, MemorySecrets, RecordingClient, tempDir } from './helpers';

const demo = { ...baseConfig, provider: 'demo' as const, model: 'parley-demo (offline)' };

function chat(id: string, updatedAt: number, messages: ChatMessage[], extra: Partial<Chat> = {}): Chat {
  return { id, title: `chat ${id}`, messages, config: demo, createdAt: 1, updatedAt, ...extra };
}

/** Every field a saved message can carry. */
const richChats = (): Chat[] => [
  chat('c1', 10, [
    {
      id: 'u1', role: 'user', text: 'look at these', createdAt: 1,
      attachments: [
        { id: 'a1', name: 'a.ts', source: 'src/a.ts', kind: 'text', mimeType: 'text/plain', size: 12 },
        { id: 'a2', name: 'pic.png', source: 'pasted image', kind: 'image', mimeType: 'image/png', size: 3000 },
      ],
    },
    {
      id: 'r1', role: 'assistant', text: 'answer', reasoning: 'thinking', provider: 'anthropic', model: 'claude-x', status: 'done', createdAt: 2,
      usage: { inputTokens: 100, outputTokens: 20, reasoningTokens: 5, cachedInputTokens: 10, cacheWriteTokens: 3 },
      cost: 0.0123, citations: [{ url: 'https://example.com/a', title: 'A' }, { url: 'https://example.com/b' }],
      note: { text: 'paused', action: 'continue' },
    },
    { id: 'u2', role: 'user', text: 'again', createdAt: 3 },
    { id: 'r2', role: 'assistant', text: 'part', status: 'error', cost: null, createdAt: 4, error: { kind: 'cut-off', message: 'cut', action: 'continue' } },
  ]),
  chat('c2', 20, [{ id: 'u3', role: 'user', text: 'hello', createdAt: 5 }], { fallbackFrom: 'groq' }),
];

describe('HistoryStore (one file per chat, an index, the reply in flight on its own)', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir('history')));
  afterEach(() => dir.remove());

  it('migrates chats.json once, losslessly, and keeps it as a backup', async () => {
    const legacy = JSON.stringify({ version: 1, activeChatId: 'c1', chats: richChats() });
    writeFileSync(join(dir.path, 'chats.json'), legacy);
    const index = await new HistoryStore(dir.path).loadIndex();
    assert.deepEqual(index.entries, [
      { id: 'c1', title: 'chat c1', updatedAt: 10, messageCount: 4 },
      { id: 'c2', title: 'chat c2', updatedAt: 20, messageCount: 1, fallbackFrom: 'groq' },
    ]);
    assert.equal(index.activeChatId, 'c1');
    assert.equal(index.warning, undefined);
    assert.equal(existsSync(join(dir.path, 'chats.json')), false);
    assert.equal(readFileSync(join(dir.path, 'chats.json.v1-backup'), 'utf8'), legacy, 'the backup is the old file, byte for byte');
    // A second start reads the new files and does not migrate again.
    const again = await new HistoryStore(dir.path).load();
    assert.deepEqual(again.chats, richChats());
    assert.equal(again.activeChatId, 'c1');
  });

  it('reads one chat without the others, and a corrupt chat file is moved aside while the others load', async () => {
    const store = new HistoryStore(dir.path);
    const [c1, c2] = richChats();
    await Promise.all([store.saveChat(c1), store.saveChat(c2), store.saveIndex([c1, c2].map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, messageCount: c.messages.length })), 'c2')]);
    writeFileSync(join(dir.path, 'chats', 'c1.json'), '{"id": "c1", "trunc');
    const broken = await store.loadChat('c1');
    assert.equal(broken.chat, undefined);
    assert.match(broken.warning ?? '', /could not read one saved chat; its file was moved to .*c1\.json\.corrupt-/);
    assert.equal(readdirSync(join(dir.path, 'chats')).filter((f) => f.startsWith('c1.json.corrupt-')).length, 1);
    assert.deepEqual((await store.loadChat('c2')).chat, c2);
  });

  it('a reply saved on its own comes back with its chat, marked interrupted; the next whole save folds it in', async () => {
    const store = new HistoryStore(dir.path);
    const streaming: ChatMessage = { id: 'r9', role: 'assistant', text: '', status: 'streaming', createdAt: 9 };
    const saved = chat('c3', 1, [{ id: 'u9', role: 'user', text: 'q', createdAt: 8 }, streaming]);
    await store.saveChat(saved);
    await store.saveReply('c3', { ...streaming, text: 'partial text' });
    const restored = (await new HistoryStore(dir.path).loadChat('c3')).chat!;
    assert.equal(restored.messages.length, 2);
    assert.equal(restored.messages[1].text, 'partial text');
    assert.equal(restored.messages[1].status, 'interrupted');
    await store.saveChat({ ...saved, messages: [saved.messages[0], { ...streaming, text: 'all of it', status: 'done' }] });
    assert.deepEqual(readdirSync(join(dir.path, 'chats')), ['c3.json']);
    assert.equal((await store.loadChat('c3')).chat!.messages[1].text, 'all of it');
  });

  it('writes to one chat land in the order they were made', async () => {
    const store = new HistoryStore(dir.path);
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.saveChat(chat('c4', i, [{ id: `m${i}`, role: 'user', text: 'x'.repeat(i * 1000), createdAt: i }]))));
    assert.equal((await store.loadChat('c4')).chat!.updatedAt, 29);
  });

  it('ids that are no file names are stored under a hex name', async () => {
    const store = new HistoryStore(dir.path);
    await store.saveChat(chat('..', 1, []));
    assert.deepEqual(readdirSync(join(dir.path, 'chats')), ['h-2e2e.json']);
    assert.equal((await store.loadChat('..')).chat!.id, '..');
  });

  describe('through the service', () => {
    const makeService = (history: HistoryStore) =>
      new ChatService(
        { settings: () => ({ defaultProvider: 'demo', defaultModel: '', defaultConfig: baseConfig, baseUrl: () => undefined, requestTimeoutSeconds: 30, maxRetries: 0 }), log: () => undefined, runCommand: () => undefined, openExternal: () => undefined },
        new KeyStore(new MemorySecrets(), {}),
        history,
      );

    /** A HistoryStore that records which chats were read. */
    class CountingStore extends HistoryStore {
      readonly read: string[] = [];
      override loadChat(id: string) {
        this.read.push(id);
        return super.loadChat(id);
      }
    }

    it('startup reads the index and the active chat only; a chat is read when it is opened', async () => {
      writeFileSync(join(dir.path, 'chats.json'), JSON.stringify({ version: 1, activeChatId: 'c2', chats: [...richChats(), chat('c5', 5, [])] }));
      const history = new CountingStore(dir.path);
      const service = makeService(history);
      const client = new RecordingClient();
      service.connect(client);
      await service.handle(client, { type: 'ready' });
      assert.equal(client.state.chat.id, 'c2');
      assert.deepEqual(client.state.chats.map((c) => c.id), ['c2', 'c1', 'c5']);
      assert.deepEqual(history.read, ['c2']);
      await service.handle(client, { type: 'switchChat', chatId: 'c1' });
      assert.deepEqual(client.state.chat, richChats()[0]);
      assert.deepEqual(history.read, ['c2', 'c1']);
    });

    it('a corrupt chat is reported when opened, leaves the list, and the others stay', async () => {
      writeFileSync(join(dir.path, 'chats.json'), JSON.stringify({ version: 1, activeChatId: 'c2', chats: richChats() }));
      await new HistoryStore(dir.path).loadIndex();
      writeFileSync(join(dir.path, 'chats', 'c1.json'), 'garbage');
      const service = makeService(new HistoryStore(dir.path));
      const client = new RecordingClient();
      service.connect(client);
      await service.handle(client, { type: 'ready' });
      await service.handle(client, { type: 'switchChat', chatId: 'c1' });
      assert.match(client.notices().join('\n'), /could not read one saved chat; its file was moved to/);
      assert.equal(client.chatId, 'c2');
      await service.handle(client, { type: 'renameChat', chatId: 'c2', title: 'still here' });
      assert.deepEqual(client.state.chats.map((c) => [c.id, c.title]), [['c2', 'still here']]);
      const restarted = await new HistoryStore(dir.path).load();
      assert.deepEqual(restarted.chats.map((c) => c.id), ['c2']);
      assert.equal(restarted.warning, undefined);
    });

    it('a change appends one line to the index log, of the same size with 300 chats as with 2; the next start folds it into index.json', async () => {
      const many = Array.from({ length: 300 }, (_, i) => chat(`m${i}`, i, []));
      writeFileSync(join(dir.path, 'chats.json'), JSON.stringify({ version: 1, activeChatId: 'm0', chats: many }));
      await new HistoryStore(dir.path).loadIndex();
      const indexBefore = readFileSync(join(dir.path, 'index.json'), 'utf8');
      const service = makeService(new HistoryStore(dir.path));
      const client = new RecordingClient();
      service.connect(client);
      await service.handle(client, { type: 'ready' });
      await service.handle(client, { type: 'renameChat', chatId: 'm0', title: 'renamed' });
      await service.handle(client, { type: 'switchChat', chatId: 'm7' });
      await service.handle(client, { type: 'deleteChat', chatId: 'm9' });
      await service.shutdown();
      assert.equal(readFileSync(join(dir.path, 'index.json'), 'utf8'), indexBefore, 'index.json is not rewritten per change');
      const lines = readFileSync(join(dir.path, 'index.log'), 'utf8').trim().split('\n');
      assert.ok(lines.some((l) => JSON.parse(l).set?.title === 'renamed'));
      assert.ok(lines.some((l) => JSON.parse(l).active === 'm7'));
      assert.ok(lines.some((l) => JSON.parse(l).remove === 'm9'));
      assert.ok(lines.every((l) => l.length < 200), 'each line holds one change, not the list');

      const restarted = await new HistoryStore(dir.path).loadIndex();
      assert.equal(restarted.entries.length, 299);
      assert.equal(restarted.entries.find((e) => e.id === 'm0')?.title, 'renamed');
      assert.equal(restarted.activeChatId, 'm7');
      assert.equal(restarted.warning, undefined);
      assert.equal(existsSync(join(dir.path, 'index.log')), false, 'folded into a new index.json at load');
      assert.deepEqual(await new HistoryStore(dir.path).loadIndex(), restarted);
    });

    it('the log is folded into index.json once it has as many lines as the list has chats (at least 100)', async () => {
      const store = new HistoryStore(dir.path);
      const service = makeService(store);
      const client = new RecordingClient();
      service.connect(client);
      await service.handle(client, { type: 'ready' });
      const chatId = client.state.chat.id;
      for (let i = 0; i < 150; i++) await service.handle(client, { type: 'renameChat', chatId, title: `title ${i}` });
      await service.shutdown();
      const snapshotTitle = Number(JSON.parse(readFileSync(join(dir.path, 'index.json'), 'utf8')).chats[0].title.split(' ')[1]);
      const logLines = readFileSync(join(dir.path, 'index.log'), 'utf8').trim().split('\n').length;
      assert.ok(snapshotTitle >= 50 && logLines <= 100, `snapshot at rename ${snapshotTitle}, ${logLines} lines after it`);
      assert.equal(snapshotTitle + logLines, 149, 'the log holds exactly the changes after the snapshot');
      assert.equal((await new HistoryStore(dir.path).loadIndex()).entries[0].title, 'title 149');
    });

    it('a change cut short (a torn last line) rebuilds the list from the chat files and says so; a log replayed over its own snapshot reads the same', async () => {
      writeFileSync(join(dir.path, 'chats.json'), JSON.stringify({ version: 1, activeChatId: 'c1', chats: richChats() }));
      const store = new HistoryStore(dir.path);
      await store.loadIndex();
      await store.saveChat(chat('c7', 30, []));
      const entry = { id: 'c7', title: 'chat c7', updatedAt: 30, messageCount: 0 };
      writeFileSync(join(dir.path, 'index.log'), `${JSON.stringify({ set: entry })}\n${JSON.stringify({ active: 'c7' })}\n`);
      const replayed = await new HistoryStore(dir.path).loadIndex();
      assert.deepEqual(replayed.entries.map((e) => e.id), ['c1', 'c2', 'c7']);
      // The same lines again over the snapshot that already has them (a crash between the snapshot and the log's removal).
      writeFileSync(join(dir.path, 'index.log'), `${JSON.stringify({ set: entry })}\n${JSON.stringify({ active: 'c7' })}\n`);
      assert.deepEqual(await new HistoryStore(dir.path).loadIndex(), replayed);

      await store.saveChat(chat('c8', 40, []));
      writeFileSync(join(dir.path, 'index.log'), '{"set":{"id":"c8","title":"cha');
      const rebuilt = await new HistoryStore(dir.path).loadIndex();
      assert.deepEqual(rebuilt.entries.map((e) => e.id).sort(), ['c1', 'c2', 'c7', 'c8']);
      assert.equal(rebuilt.activeChatId, 'c7');
      assert.match(rebuilt.warning ?? '', /chat list cut short .* rebuilt it from the chat files/);
    });
  });
});
