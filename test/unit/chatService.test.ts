import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore } from '../../src/host/keys';
import { hasBaseUrlSetting, PROVIDER_IDS, type ProviderId, type StreamEvent } from '../../src/protocol';
import packageJson from '../../package.json';
import { groqModelList } from '../fakes/groqModels';
import { apiError, chatStream } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { baseConfig, MemorySecrets, RecordingClient, tempDir } from './helpers';

describe('ChatService (host logic with real storage and a Groq-format server)', () => {
  const server = new FakeServer('groq');
  let dir: ReturnType<typeof tempDir>;
  let logs: string[];
  let commands: string[];
  let settings: ServiceSettings;
  let secrets: MemorySecrets;

  before(async () => {
    await server.start();
  });
  after(() => server.stop());
  beforeEach(() => {
    server.reset();
    server.route(/\/models$/, () => groqModelList());
    dir = tempDir('service');
    logs = [];
    commands = [];
    secrets = new MemorySecrets();
    settings = {
      defaultProvider: 'groq',
      defaultModel: '',
      defaultConfig: baseConfig,
      baseUrl: (id: ProviderId) => (id === 'groq' ? server.url : undefined),
      requestTimeoutSeconds: 30,
      maxRetries: 0,
    };
  });
  afterEach(() => dir.remove());

  function makeService(env: NodeJS.ProcessEnv = {}) {
    const keys = new KeyStore(secrets, env);
    const service = new ChatService(
      { settings: () => settings, log: (l) => logs.push(l), runCommand: (c, p) => commands.push(`${c}:${p}`), openExternal: (u) => commands.push(`open:${u}`) },
      keys,
      new HistoryStore(dir.path),
    );
    return { service, keys };
  }

  /** Where one chat is saved (see HistoryStore). */
  const chatFile = (chatId: string) => join(dir.path, 'chats', `${chatId}.json`);

  async function ready(service: ChatService) {
    const client = new RecordingClient();
    service.connect(client);
    await service.handle(client, { type: 'ready' });
    return client;
  }

  it('with no key a new chat uses the demo model, which streams word by word', async () => {
    const { service } = makeService();
    const client = await ready(service);
    const chat = client.state.chat;
    assert.equal(chat.config.provider, 'demo');
    await service.handle(client, { type: 'send', chatId: chat.id, text: 'What is Parley?' });
    await service.idle(chat.id);
    const deltas = client.events().filter((e) => e.type === 'text-delta');
    assert.ok(deltas.length > 20, `expected many word deltas, got ${deltas.length}`);
    const reply = client.state.chat.messages.at(-1)!;
    assert.equal(reply.status, 'done');
    assert.match(reply.text, /What is Parley\?/);
    assert.match(reply.text, /offline demo model/);
    assert.match(reply.text, /Parley: Set API Key/);
  });

  it('a reply start posts what changed (replyStarted) to the chat’s panels and its list entry (chatListChange) to the others, never the whole chat', async () => {
    const { service } = makeService({ GROQ_API_KEY: 'gsk_env_key_1234567890' });
    const client = await ready(service);
    const chatId = client.state.chat.id;
    const other = await ready(service);
    await service.handle(other, { type: 'newChat' });
    server.enqueue(chatStream(['first']));
    await service.handle(client, { type: 'send', chatId, text: 'one' });
    await service.idle(chatId);
    const before = client.messages.length;
    const otherBefore = other.messages.length;
    server.enqueue(chatStream(['second']));
    await service.handle(client, { type: 'send', chatId, text: 'two' });
    const started = client.messages.slice(before).find((m) => m.type === 'replyStarted');
    assert.ok(started?.type === 'replyStarted', 'replyStarted posted');
    assert.equal(started.keep, 2);
    assert.deepEqual(started.append.map((m) => [m.role, m.text, m.status]), [['user', 'two', undefined], ['assistant', '', 'streaming']]);
    assert.equal(client.messages.slice(before).filter((m) => m.type === 'state').length, 0, 'no state before the stream');
    const firstStream = client.messages.slice(before).find((m) => m.type === 'stream');
    assert.ok(firstStream?.type === 'stream' && firstStream.requestId === started.requestId && firstStream.seq === 0);
    assert.deepEqual(other.messages.slice(otherBefore).map((m) => m.type), ['chatListChange']);
    await service.idle(chatId);
    // Regenerate keeps the messages before the reply it replaces.
    const mark = client.messages.length;
    server.enqueue(chatStream(['again']));
    await service.handle(client, { type: 'regenerate', chatId });
    await service.idle(chatId);
    const regenerated = client.messages.slice(mark).find((m) => m.type === 'replyStarted');
    assert.ok(regenerated?.type === 'replyStarted');
    assert.equal(regenerated.keep, 3);
    assert.equal(client.state.chat.messages.length, 4);
  });

  it('with GROQ_API_KEY in the environment a new chat uses Groq and streams with increasing sequence numbers', async () => {
    const { service } = makeService({ GROQ_API_KEY: 'gsk_env_key_1234567890' });
    const client = await ready(service);
    const chat = client.state.chat;
    assert.equal(chat.config.provider, 'groq');
    assert.equal(chat.config.model, 'openai/gpt-oss-120b');
    server.enqueue(chatStream(['Hel', 'lo', '!'], { usage: { prompt_tokens: 5, completion_tokens: 3 } }));
    await service.handle(client, { type: 'send', chatId: chat.id, text: 'Hi' });
    await service.idle(chat.id);
    assert.equal(server.last.headers.authorization, 'Bearer gsk_env_key_1234567890');
    const stream = client.messages.filter((m) => m.type === 'stream');
    assert.deepEqual(stream.map((m) => (m.type === 'stream' ? m.seq : -1)), stream.map((_, i) => i));
    assert.deepEqual(client.events().map((e) => e.type), ['start', 'text-delta', 'text-delta', 'text-delta', 'usage', 'finish']);
    const reply = client.state.chat.messages.at(-1)!;
    assert.equal(reply.text, 'Hello!');
    assert.deepEqual(reply.usage, { inputTokens: 5, outputTokens: 3 });
  });

  it('choosing Groq without a key gives a specific error with a set-key action, and the panel stays usable', async () => {
    const { service } = makeService();
    const client = await ready(service);
    const chatId = client.state.chat.id;
    await service.handle(client, { type: 'setConfig', chatId, patch: { provider: 'groq' } });
    assert.equal(client.state.chat.config.model, 'openai/gpt-oss-120b');
    await service.handle(client, { type: 'send', chatId, text: 'Hi' });
    await service.idle(chatId);
    const error = client.events().find((e) => e.type === 'error');
    assert.deepEqual(error && { kind: (error as any).kind, action: (error as any).action }, { kind: 'no-key', action: 'set-key' });
    assert.match((error as any).message, /Set a Groq API key/);
    assert.equal(server.requests.length, 0);
    await service.handle(client, { type: 'setConfig', chatId, patch: { provider: 'demo' } });
    await service.handle(client, { type: 'send', chatId, text: 'again' });
    await service.idle(chatId);
    assert.equal(client.state.chat.messages.at(-1)!.status, 'done');
  });

  it('stop aborts at once; the partial reply stays, marked stopped; sending again works', async () => {
    const { service, keys } = makeService();
    await keys.set('groq', 'gsk_secret_key_abcdefgh');
    const client = await ready(service);
    const chatId = client.state.chat.id;
    server.enqueue(chatStream(Array.from({ length: 500 }, (_, i) => `w${i} `), { delayMs: 4 }));
    await service.handle(client, { type: 'send', chatId, text: 'Long please' });
    while (client.events().filter((e) => e.type === 'text-delta').length < 5) await new Promise((r) => setTimeout(r, 2));
    await service.handle(client, { type: 'stop', chatId });
    await service.idle(chatId);
    const reply = client.state.chat.messages.at(-1)!;
    assert.equal(reply.status, 'stopped');
    assert.ok(reply.text.startsWith('w0 w1 w2 w3 w4'));
    assert.ok(reply.text.split(' ').length < 200, 'stopped well before the end');
    assert.deepEqual(client.events().at(-1), { type: 'finish', reason: 'stopped' });
    server.enqueue(chatStream(['fine']));
    await service.handle(client, { type: 'send', chatId, text: 'Short' });
    await service.idle(chatId);
    assert.equal(client.state.chat.messages.at(-1)!.text, 'fine');
    // The second request carried the stopped partial reply as history.
    assert.deepEqual(server.last.body.messages.map((m: { role: string }) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.ok(server.last.body.messages[2].content.startsWith('w0 w1'));
  });

  it('a 401 becomes an invalid-key error; the key itself appears nowhere', async () => {
    const { service, keys } = makeService();
    const key = 'gsk_wrongkey_0123456789abcdef';
    await keys.set('groq', key);
    const client = await ready(service);
    const chatId = client.state.chat.id;
    server.enqueue(apiError(401, `Invalid API Key: ${key}`, { code: 'invalid_api_key' }));
    await service.handle(client, { type: 'send', chatId, text: 'Hi' });
    await service.idle(chatId);
    const error = client.events().find((e) => e.type === 'error') as Extract<StreamEvent, { type: 'error' }>;
    assert.equal(error.kind, 'auth');
    assert.equal(error.action, 'set-key');
    assert.equal(JSON.stringify(client.messages).includes(key), false, 'key posted to the webview');
    assert.equal(logs.join('\n').includes(key), false, 'key in the log');
    for (const file of readdirSync(dir.path, { recursive: true, withFileTypes: true }).filter((f) => f.isFile())) {
      assert.equal(readFileSync(join(file.parentPath, file.name), 'utf8').includes(key), false, `key in history file ${file.name}`);
    }
  });

  it('a stream that stalls past the timeout ends with a timeout error and keeps the partial text', async () => {
    settings.requestTimeoutSeconds = 1;
    const { service, keys } = makeService();
    await keys.set('groq', 'gsk_key_12345678');
    const client = await ready(service);
    const chatId = client.state.chat.id;
    server.enqueue(chatStream(['Before ', 'the ', 'stall'], { stallAfter: 3 }));
    await service.handle(client, { type: 'send', chatId, text: 'Hi' });
    await service.idle(chatId);
    const reply = client.state.chat.messages.at(-1)!;
    assert.equal(reply.status, 'error');
    assert.equal(reply.error?.kind, 'timeout');
    assert.equal(reply.text, 'Before the ');
  });

  it('ignores and logs malformed messages from the webview', async () => {
    const { service } = makeService();
    const client = await ready(service);
    const before = client.messages.length;
    for (const bad of [null, { type: 'send' }, { type: 'send', chatId: 'x', text: 1 }, { type: 'hack', cmd: 'rm -rf' }]) await service.handle(client, bad);
    assert.equal(client.messages.length, before);
    assert.equal(logs.filter((l) => l.startsWith('Ignored a malformed message')).length, 4);
    await service.handle(client, { type: 'openLink', url: 'javascript:alert(1)' });
    assert.equal(commands.length, 0);
    await service.handle(client, { type: 'openLink', url: 'https://example.com/docs' });
    assert.deepEqual(commands, ['open:https://example.com/docs']);
  });

  it('runs only the commands it knows: Set API Key, and the base URL setting of a provider that has one', async () => {
    const { service } = makeService();
    const client = await ready(service);
    await service.handle(client, { type: 'runCommand', command: 'setApiKey', provider: 'groq' });
    await service.handle(client, { type: 'runCommand', command: 'openBaseUrlSetting', provider: 'ollama' });
    assert.deepEqual(commands, ['setApiKey:groq', 'openBaseUrlSetting:ollama']);
    await service.handle(client, { type: 'runCommand', command: 'openBaseUrlSetting', provider: 'demo' });
    await service.handle(client, { type: 'runCommand', command: 'openBaseUrlSetting' });
    await service.handle(client, { type: 'runCommand', command: 'workbench.action.terminal.sendSequence' });
    assert.deepEqual(commands, ['setApiKey:groq', 'openBaseUrlSetting:ollama'], 'nothing else ran');
    assert.deepEqual(client.notices().slice(-2), ['demo has no base URL setting.', 'Which provider’s base URL? None was named.']);
    // Every provider said to have the setting has it in package.json, and no other does.
    const contributed = Object.keys(packageJson.contributes.configuration.properties).filter((k) => k.endsWith('.baseUrl')).map((k) => k.split('.')[1]).sort();
    assert.deepEqual(PROVIDER_IDS.filter(hasBaseUrlSetting).sort(), contributed);
  });

  /** A webview whose postMessage settles when `settle` says (like VS Code's, which resolves once delivered). */
  class SlowClient extends RecordingClient {
    constructor(private readonly settle: (done: () => void) => void) {
      super();
    }
    override post(message: Parameters<RecordingClient['post']>[0]) {
      super.post(message);
      return new Promise<boolean>((resolve) => this.settle(() => resolve(true)));
    }
  }

  it('while a stream message is being delivered, later deltas are merged into one; nothing lost, order and seq kept', async () => {
    const { service } = makeService({ GROQ_API_KEY: 'gsk_env_key_1234567890' });
    const client = new SlowClient((done) => setTimeout(done, 15));
    service.connect(client);
    await service.handle(client, { type: 'ready' });
    const chatId = client.state.chat.id;
    const parts = Array.from({ length: 300 }, (_, i) => `w${i} `);
    server.enqueue(chatStream(parts, { usage: { prompt_tokens: 5, completion_tokens: 300 } }));
    await service.handle(client, { type: 'send', chatId, text: 'Hi' });
    await service.idle(chatId);
    const stream = client.messages.filter((m) => m.type === 'stream');
    assert.deepEqual(stream.map((m) => (m.type === 'stream' ? m.seq : -1)), stream.map((_, i) => i), 'seq without gaps');
    const types = client.events().map((e) => e.type);
    assert.equal(types[0], 'start');
    assert.deepEqual(types.slice(-2), ['usage', 'finish']);
    const deltas = client.events().flatMap((e) => (e.type === 'text-delta' ? [e.text] : []));
    assert.ok(deltas.length < parts.length / 3, `${deltas.length} text events for ${parts.length} deltas`);
    assert.equal(deltas.join(''), parts.join(''));
    assert.equal(client.state.chat.messages.at(-1)!.text, parts.join(''));
  });

  it('a delivery that never settles holds streamed text only briefly, not until the reply ends', async () => {
    const { service } = makeService({ GROQ_API_KEY: 'gsk_env_key_1234567890' });
    const client = new SlowClient(() => {});
    service.connect(client);
    await service.handle(client, { type: 'ready' });
    const chatId = client.state.chat.id;
    server.enqueue(chatStream(['one ', 'two ', 'three'], { delayMs: 700 }));
    await service.handle(client, { type: 'send', chatId, text: 'Hi' });
    await service.idle(chatId);
    const deltas = client.events().flatMap((e) => (e.type === 'text-delta' ? [e.text] : []));
    assert.deepEqual(deltas, ['one ', 'two ', 'three'], 'each sent before the next arrived');
    assert.equal(client.events().at(-1)?.type, 'finish');
  });

  it('history survives a restart; a reply that was streaming comes back marked interrupted', async () => {
    const first = makeService();
    const client = await ready(first.service);
    const chatId = client.state.chat.id;
    await first.service.handle(client, { type: 'send', chatId, text: 'Remember me' });
    await first.service.idle(chatId);
    const file = chatFile(chatId);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    saved.messages.at(-1).status = 'streaming';
    writeFileSync(file, JSON.stringify(saved));
    const second = makeService();
    const restored = await ready(second.service);
    assert.equal(restored.state.chat.id, chatId);
    assert.equal(restored.state.chat.messages[0].text, 'Remember me');
    assert.equal(restored.state.chat.messages[1].status, 'interrupted');
  });

  it('a reply is on disk, finished, by the time the panel is told it finished (the stream may close later)', async () => {
    const { service } = makeService({ GROQ_API_KEY: 'gsk_env_key_1234567890' });
    const savedAtFinish: { text: string; status?: string }[] = [];
    const client = new (class extends RecordingClient {
      override post(message: Parameters<RecordingClient['post']>[0]) {
        super.post(message);
        if (message.type === 'stream' && message.event.type === 'finish') savedAtFinish.push(JSON.parse(readFileSync(chatFile(message.chatId), 'utf8')).messages.at(-1));
      }
    })();
    service.connect(client);
    await service.handle(client, { type: 'ready' });
    const chatId = client.state.chat.id;
    // 300 ms between frames: [DONE] comes well after the chunk that carries finish_reason.
    server.enqueue(chatStream(['one ', 'two'], { delayMs: 300 }));
    await service.handle(client, { type: 'send', chatId, text: 'Hi' });
    await service.idle(chatId);
    assert.equal(savedAtFinish.length, 1);
    assert.equal(savedAtFinish[0].text, 'one two');
    assert.equal(savedAtFinish[0].status, 'done');
  });

  it('shutdown stops a reply in flight and resolves once it is saved as stopped', async () => {
    const { service } = makeService({ GROQ_API_KEY: 'gsk_env_key_1234567890' });
    const client = await ready(service);
    const chatId = client.state.chat.id;
    server.enqueue(chatStream(Array.from({ length: 500 }, (_, i) => `w${i} `), { delayMs: 4 }));
    await service.handle(client, { type: 'send', chatId, text: 'Long please' });
    while (client.events().filter((e) => e.type === 'text-delta').length < 5) await new Promise((r) => setTimeout(r, 2));
    await service.shutdown();
    const saved = JSON.parse(readFileSync(chatFile(chatId), 'utf8')).messages.at(-1);
    assert.equal(saved.status, 'stopped');
    assert.ok(saved.text.startsWith('w0 w1 w2 w3 w4'), saved.text.slice(0, 40));
  });

  it('a corrupted history file is moved aside with a warning, not dropped', async () => {
    writeFileSync(join(dir.path, 'chats.json'), '{not json');
    const { service } = makeService();
    const client = await ready(service);
    assert.equal(client.state.chat.messages.length, 0);
    assert.ok(logs.some((l) => /moved to .*corrupt/.test(l)), logs.join('\n'));
    assert.match(client.notices().join('\n'), /could not read its chat history; the file was moved to/, 'the panel says so too');
  });
});
