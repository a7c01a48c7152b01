// What the host posts after each change: an `update` with the chat's small parts and only the large part that
// changed, the changed list entry for every panel, never the whole chat again — so the size of a change's posts
// does not depend on the length of the chat. A panel that applies them (the webview's reducer) ends up holding
// exactly the host's chat.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore } from '../../src/host/keys';
import type { ChatMessage, HostMessage, WebviewMessage } from '../../src/protocol';
import { baseConfig, MemorySecrets, RecordingClient, tempDir } from './helpers';

describe('incremental posts: a change costs the same whatever the length of the chat', () => {
  let dir: ReturnType<typeof tempDir>;
  let service: ChatService;
  let panel: RecordingClient;
  let elsewhere: RecordingClient;
  let uiState = { showControls: false };
  const settings: ServiceSettings = { defaultProvider: 'demo', defaultModel: '', defaultConfig: baseConfig, baseUrl: () => undefined, requestTimeoutSeconds: 30, maxRetries: 0 };

  beforeEach(async () => {
    dir = tempDir('incremental');
    uiState = { showControls: false };
    service = new ChatService(
      { settings: () => settings, log: () => {}, runCommand: () => {}, openExternal: () => {}, uiState: { get: () => uiState, set: async (s) => void (uiState = s) } },
      new KeyStore(new MemorySecrets(), {}),
      new HistoryStore(dir.path),
    );
    panel = new RecordingClient();
    elsewhere = new RecordingClient();
    service.connect(panel);
    service.connect(elsewhere);
    await service.handle(panel, { type: 'ready' });
    await service.handle(elsewhere, { type: 'ready' });
    await service.handle(elsewhere, { type: 'newChat' });
  });
  afterEach(() => dir.remove());

  const chatId = () => panel.state.chat.id;
  const message = (i: number): ChatMessage => ({ id: randomUUID(), role: i % 2 ? 'assistant' : 'user', text: `message ${i} `.repeat(40), createdAt: Date.now(), ...(i % 2 && { provider: 'demo', model: 'parley-demo', status: 'done' }) });

  /** Gives the panel's chat `count` messages (as a long history would have), shown to the panel with a switch. */
  async function withMessages(count: number): Promise<void> {
    const chat = service.getChat(chatId())!;
    chat.messages = Array.from({ length: count }, (_, i) => message(i));
    for (const a of panel.state.pendingAttachments) await service.handle(panel, { type: 'removeAttachment', chatId: chat.id, attachmentId: a.id });
    await service.handle(panel, { type: 'switchChat', chatId: chat.id });
  }

  /** Everything `msg` made the host post, to the panel showing the chat and to the other one. */
  async function postsOf(msg: WebviewMessage): Promise<{ mine: HostMessage[]; theirs: HostMessage[]; bytes: number }> {
    const [a, b] = [panel.messages.length, elsewhere.messages.length];
    await service.handle(panel, msg);
    await service.idle(chatId());
    const mine = panel.messages.slice(a);
    return { mine, theirs: elsewhere.messages.slice(b), bytes: JSON.stringify(mine).length };
  }

  const changes = (): WebviewMessage[] => [
    { type: 'setConfig', chatId: chatId(), patch: { temperature: 0.3 } },
    { type: 'renameChat', chatId: chatId(), title: 'Renamed' },
    { type: 'setUiState', showControls: true },
    { type: 'attachImage', chatId: chatId(), name: 'dot.png', mimeType: 'image/png', base64: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' },
  ];

  it('config, rename, UI state and attachments post an update without messages, as small for 2,000 messages as for 2', async () => {
    const sizes: number[][] = [];
    for (const count of [2, 2000]) {
      await withMessages(count);
      const row: number[] = [];
      for (const change of changes()) {
        const { mine, bytes } = await postsOf(change);
        assert.ok(mine.some((m) => m.type === 'update'), `${change.type} posted an update`);
        assert.equal(mine.some((m) => m.type === 'state' || (m.type === 'update' && m.messages)), false, `${change.type} sent no messages`);
        row.push(bytes);
      }
      sizes.push(row);
    }
    // The same bytes but for the digits of the message count in the chat list entry.
    sizes[0].forEach((small, i) => assert.ok(Math.abs(sizes[1][i] - small) <= 8, `${changes()[i].type}: ${small} bytes with 2 messages, ${sizes[1][i]} with 2,000`));
    assert.ok(Math.max(...sizes[1]) < 8_000, `each change posts under 8 kB (largest: ${Math.max(...sizes[1])})`);
    assert.deepEqual(panel.state.chat, service.getChat(chatId()), "the panel's copy is the host's chat");
  });

  it('a finished reply posts only itself; a deleted message posts only what followed it; the other panel gets the list entry', async () => {
    await withMessages(2000);
    const sent = await postsOf({ type: 'send', chatId: chatId(), text: 'hello there' });
    const finished = sent.mine.filter((m) => m.type === 'update' && m.messages);
    assert.equal(finished.length, 1);
    const done = finished[0].type === 'update' && finished[0].messages!;
    assert.ok(done);
    assert.equal(done.keep, 2001, 'kept every message before the reply');
    assert.deepEqual(done.append.map((m) => [m.role, m.status]), [['assistant', 'done']]);
    assert.equal(sent.theirs.every((m) => m.type === 'chatListChange'), true, 'the other panel saw only list entries');
    assert.ok(sent.bytes < 20_000, `a whole exchange on a 2,000-message chat posts ${sent.bytes} bytes`);

    const target = service.getChat(chatId())!.messages[1990];
    const deleted = await postsOf({ type: 'deleteMessage', chatId: chatId(), messageId: target.id });
    const splice = deleted.mine.find((m) => m.type === 'update' && m.messages);
    assert.ok(splice?.type === 'update' && splice.messages);
    assert.equal(splice.messages.keep, 1990);
    assert.equal(splice.messages.append.length, 11);
    assert.deepEqual(panel.state.chat, service.getChat(chatId()), "the panel's copy is the host's chat");
    assert.deepEqual(elsewhere.state.chats, panel.state.chats, 'both panels list the same chats');
  });

  it('deleting a chat: its panel gets the next chat whole, the other panel only loses the entry', async () => {
    const gone = elsewhere.state.chat.id;
    const [a, b] = [panel.messages.length, elsewhere.messages.length];
    await service.handle(panel, { type: 'deleteChat', chatId: gone });
    assert.deepEqual(panel.messages.slice(a).map((m) => m.type), ['chatListChange']);
    assert.ok(elsewhere.messages.slice(b).some((m) => m.type === 'state'));
    assert.equal(elsewhere.state.chat.id, chatId());
    assert.deepEqual(panel.state.chats.map((c) => c.id), [chatId()]);
  });
});
