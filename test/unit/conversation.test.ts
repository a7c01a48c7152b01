import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatService, type ServiceHost, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore } from '../../src/host/keys';
import { fillBuiltins, promptVariables } from '../../src/host/prompts';
import type { ChatMessage } from '../../src/protocol';
import { GROQ_MODELS_TODAY, groqModelList } from '../fakes/groqModels';
import { chatStream } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { extensionModels, registerExtensionModel } from '../../src/providers/extensionModels';
import { baseConfig, collect, configFor, MemorySecrets, RecordingClient, tempDir } from './helpers';

describe('conversations: edit, regenerate, continue, chats, attachments, export, keys', () => {
  const server = new FakeServer('groq');
  let store: ReturnType<typeof tempDir>;
  let ws: ReturnType<typeof tempDir>;
  let documents: Array<{ content: string; language: string }>;
  let clipboard: string[];
  let service: ChatService;
  let keys: KeyStore;
  let secrets: MemorySecrets;
  let client: RecordingClient;
  let logs: string[];

  before(() => server.start());
  after(() => server.stop());
  beforeEach(async () => {
    server.reset();
    server.route(/\/models$/, () => groqModelList([...GROQ_MODELS_TODAY, { id: 'listed-by-endpoint', owned_by: 'test', context_window: 8192, max_completion_tokens: 1024 }]));
    store = tempDir('store');
    ws = tempDir('ws');
    writeFileSync(join(ws.path, 'hello.ts'), 'export const answer = 42;\n');
    documents = [];
    clipboard = [];
    logs = [];
    secrets = new MemorySecrets();
    keys = new KeyStore(secrets, {});
    const settings: ServiceSettings = {
      defaultProvider: 'groq', defaultModel: '', defaultConfig: baseConfig, baseUrl: () => server.url, requestTimeoutSeconds: 30, maxRetries: 0,
      prompts: [{ text: 'Review {{file}} for {{concern}}' }, { name: 'explain', description: 'Explain it simply', text: 'Explain {{selection}} to a beginner' }],
      attachments: { allowedTypes: ['text/*', 'image/png'], maxBytes: 10_000 },
    };
    const host: ServiceHost = {
      settings: () => settings,
      log: (l) => logs.push(l),
      runCommand: () => undefined,
      openExternal: () => undefined,
      workspaceRoots: () => [ws.path],
      editorContext: () => ({ selection: 'let x = 1;', file: 'let x = 1;\nlet y = 2;', language: 'typescript', fileName: 'src/x.ts' }),
      openDocument: async (content, language) => void documents.push({ content, language }),
      copyToClipboard: async (text) => void clipboard.push(text),
      insertAtCursor: async () => false,
    };
    await keys.set('groq', 'gsk_conversation_key_123');
    service = new ChatService(host, keys, new HistoryStore(store.path));
    client = new RecordingClient();
    service.connect(client);
    await service.handle(client, { type: 'ready' });
  });
  afterEach(() => {
    store.remove();
    ws.remove();
  });

  const chatId = () => client.state.chat.id;
  const messages = (): ChatMessage[] => client.state.chat.messages;
  async function say(text: string, reply: string[], extra: object = {}) {
    server.enqueue(chatStream(reply));
    await service.handle(client, { type: 'send', chatId: chatId(), text, ...extra });
    await service.idle(chatId());
  }

  it('edit & resend replaces the rest of the conversation', async () => {
    await say('first', ['one']);
    await say('second', ['two']);
    const first = messages()[0];
    server.enqueue(chatStream(['edited reply']));
    await service.handle(client, { type: 'editResend', chatId: chatId(), messageId: first.id, text: 'first, edited' });
    await service.idle(chatId());
    assert.deepEqual(messages().map((m) => m.text), ['first, edited', 'edited reply']);
    assert.deepEqual(server.last.body.messages.slice(1), [{ role: 'user', content: 'first, edited' }]);
  });

  it('regenerate replaces the last reply', async () => {
    await say('question', ['answer A']);
    server.enqueue(chatStream(['answer B']));
    await service.handle(client, { type: 'regenerate', chatId: chatId() });
    await service.idle(chatId());
    assert.deepEqual(messages().map((m) => m.text), ['question', 'answer B']);
  });

  it('a user can continue a cut-off reply', async () => {
    server.enqueue(chatStream(['The first half', ' never'], { dropAfter: 2 }));
    await service.handle(client, { type: 'send', chatId: chatId(), text: 'tell me' });
    await service.idle(chatId());
    server.enqueue(chatStream([' and the second half.']));
    await service.handle(client, { type: 'continue', chatId: chatId() });
    await service.idle(chatId());
    assert.equal(messages().length, 2);
    assert.equal(messages()[1].text, 'The first half and the second half.');
    assert.equal(messages()[1].status, 'done');
    assert.deepEqual(server.last.body.messages.slice(-2).map((m: { role: string }) => m.role), ['assistant', 'user']);
  });

  it('delete message, new/switch/rename/delete chat, clear', async () => {
    await say('keep me', ['ok']);
    const firstChat = chatId();
    await service.handle(client, { type: 'deleteMessage', chatId: firstChat, messageId: messages()[1].id });
    assert.deepEqual(messages().map((m) => m.text), ['keep me']);
    await service.handle(client, { type: 'newChat' });
    const second = chatId();
    assert.notEqual(second, firstChat);
    assert.equal(client.state.chats.length, 2);
    await service.handle(client, { type: 'renameChat', chatId: second, title: 'Renamed' });
    assert.equal(client.state.chats.find((c) => c.id === second)?.title, 'Renamed');
    await service.handle(client, { type: 'switchChat', chatId: firstChat });
    assert.equal(chatId(), firstChat);
    await service.handle(client, { type: 'deleteChat', chatId: firstChat });
    assert.equal(chatId(), second);
    assert.deepEqual(client.state.chats.map((c) => c.id), [second]);
    await say('hello', ['hi']);
    await service.handle(client, { type: 'clearChat', chatId: second });
    assert.equal(messages().length, 0);
  });

  it('attached files reach the provider as fenced blocks; refusals are specific notices', async () => {
    await service.handle(client, { type: 'attachUris', chatId: chatId(), uris: [join(ws.path, 'hello.ts')] });
    assert.deepEqual(client.state.pendingAttachments.map((a) => a.source), ['hello.ts']);
    await service.handle(client, { type: 'attachUris', chatId: chatId(), uris: ['/etc/passwd', join(ws.path, 'missing.txt')] });
    const notice = client.notices().at(-1)!;
    assert.match(notice, /passwd is outside the workspace/);
    assert.match(notice, /missing\.txt no longer exists/);
    await say('What is the answer?', ['42']);
    assert.equal(server.last.body.messages.at(-1).content, 'hello.ts:\n```ts\nexport const answer = 42;\n\n```\n\nWhat is the answer?');
    assert.deepEqual(messages()[0].attachments?.map((a) => a.name), ['hello.ts']);
    assert.equal(client.state.pendingAttachments.length, 0);
    // Later requests still carry the file, read back from storage.
    await say('And again?', ['still 42']);
    assert.match(server.last.body.messages[1].content, /export const answer = 42/);
  });

  it('an image for a model that cannot see refuses to send, and says why', async () => {
    await service.handle(client, { type: 'attachImage', chatId: chatId(), name: 'shot.png', mimeType: 'image/png', base64: 'iVBORw0KGgo=' });
    await service.handle(client, { type: 'send', chatId: chatId(), text: 'look' });
    assert.match(client.notices().at(-1)!, /openai\/gpt-oss-120b cannot see images/);
    assert.equal(server.requests.length, 0);
    await service.handle(client, { type: 'setConfig', chatId: chatId(), patch: { model: 'meta-llama/llama-4-scout-17b-16e-instruct' } });
    await say('look', ['a screenshot']);
    assert.deepEqual(server.last.body.messages.at(-1).content[1], { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } });
  });

  it('prompts: user prompts then built-ins (a user /explain replaces the built-in); built-in variables fill from the editor', async () => {
    assert.deepEqual(client.state.prompts[0], { text: 'Review {{file}} for {{concern}}' });
    assert.deepEqual(client.state.prompts.map((p) => p.name), [undefined, 'explain', 'fix', 'tests', 'translate']);
    assert.equal(client.state.prompts[1].text, 'Explain {{selection}} to a beginner');
    assert.deepEqual(promptVariables('Review {{file}} for {{ concern }} and {{concern}}'), ['file', 'concern']);
    await say('Explain {{selection}} in {{language}}', ['ok'], { fillBuiltins: true });
    assert.equal(server.last.body.messages.at(-1).content, 'Explain src/x.ts:\n```typescript\nlet x = 1;\n```\n in typescript');
    assert.equal(fillBuiltins('{{file}}', undefined), '(no file: no editor was open)');
    // The one grammar of the protocol module: names with spaces are variables too, and only built-ins are filled here.
    assert.deepEqual(promptVariables('Translate the following into {{target language}}:\n\n{{text}} ({{ language }})'), ['target language', 'text', 'language']);
    assert.equal(fillBuiltins('Into {{target language}}, from {{language}}', { language: 'python' }), 'Into {{target language}}, from python');
  });

  it('export opens a Markdown document with the conversation', async () => {
    await say('What is 6 x 7?', ['**42**']);
    await service.handle(client, { type: 'exportChat', chatId: chatId() });
    assert.equal(documents.length, 1);
    assert.equal(documents[0].language, 'markdown');
    assert.match(documents[0].content, /^# What is 6 x 7\?/);
    assert.match(documents[0].content, /## You\n\nWhat is 6 x 7\?/);
    assert.match(documents[0].content, /## openai\/gpt-oss-120b\n\n\*\*42\*\*/);
  });

  it('keys set from the panel go to secret storage only; state says set/not set and where from', async () => {
    await service.handle(client, { type: 'setKey', provider: 'groq', key: 'gsk_from_the_panel_999' });
    assert.equal(secrets.map.get('parley.apiKey.groq'), 'gsk_from_the_panel_999');
    const groq = client.state.providers.find((p) => p.id === 'groq')!;
    assert.equal(groq.keySet, true);
    assert.equal(groq.keySource, 'secret-storage');
    assert.equal(JSON.stringify(client.messages).includes('gsk_from_the_panel_999'), false);
    await service.handle(client, { type: 'clearKey', provider: 'groq' });
    assert.equal(client.state.providers.find((p) => p.id === 'groq')!.keySet, false);
  });

  it('the picker offers what the models endpoint lists now (chat models only, recommended first), with its age', async () => {
    const before = Date.now();
    await service.handle(client, { type: 'refreshModels', provider: 'groq' });
    const groq = client.state.providers.find((p) => p.id === 'groq')!;
    assert.deepEqual(groq.models, ['openai/gpt-oss-120b', 'openai/gpt-oss-20b', 'groq/compound', 'listed-by-endpoint', 'qwen/qwen3.6-27b']);
    assert.ok(groq.listedAt! >= before, 'the list says when it was fetched');
  });

  it('code actions reach the editor: copy and new file', async () => {
    await service.handle(client, { type: 'codeAction', action: 'copy', code: 'print(1)', language: 'python' });
    await service.handle(client, { type: 'codeAction', action: 'newFile', code: 'print(1)', language: 'python' });
    await service.handle(client, { type: 'codeAction', action: 'insert', code: 'print(1)', language: 'python' });
    assert.deepEqual(clipboard, ['print(1)']);
    assert.deepEqual(documents, [{ content: 'print(1)', language: 'python' }]);
    assert.match(client.notices().at(-1)!, /Open a file in an editor/);
  });

  it('on-message listeners see every finished message', async () => {
    const seen: string[] = [];
    service.onMessage((_chat, message) => seen.push(`${message.role}:${message.text}`));
    await say('ping', ['pong']);
    assert.deepEqual(seen, ['user:ping', 'assistant:pong']);
  });
});

describe('models registered by other extensions (the exported API)', () => {
  it('an async generator streams deltas; an async function gives the whole reply; unknown names fail clearly', async () => {
    const seen: Array<{ role: string; content: string }[]> = [];
    const gen = registerExtensionModel('echo-gen', async function* (messages) {
      seen.push([...messages]);
      yield 'Hello';
      yield ', world';
    });
    const fn = registerExtensionModel('whole', async (messages) => `you said ${messages.at(-1)?.content}`);
    try {
      assert.deepEqual(extensionModels.builtinModels, ['echo-gen', 'whole']);
      const turns = [{ role: 'user' as const, text: 'hi' }];
      const streamed = await collect(extensionModels, { baseUrl: '' }, turns, configFor(extensionModels, 'echo-gen'));
      assert.deepEqual(streamed.events, [{ type: 'text-delta', text: 'Hello' }, { type: 'text-delta', text: ', world' }, { type: 'finish', reason: 'stop' }]);
      assert.deepEqual(seen, [[{ role: 'user', content: 'hi' }]]);
      const whole = await collect(extensionModels, { baseUrl: '' }, turns, configFor(extensionModels, 'whole'));
      assert.equal(whole.text, 'you said hi');
      const missing = await collect(extensionModels, { baseUrl: '' }, turns, configFor(extensionModels, 'nope'));
      assert.match(String((missing.error as Error).message), /No extension has registered a model named "nope"/);
      assert.throws(() => registerExtensionModel('whole', async () => ''), /already registered/);
    } finally {
      gen.dispose();
      fn.dispose();
    }
    assert.deepEqual(extensionModels.builtinModels, []);
  });
});
