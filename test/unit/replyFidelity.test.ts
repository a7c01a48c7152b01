// Everything the provider says reaches the reply the host keeps: citations, usage before a late error, quota
// errors, notes such as Claude's paused turn. Real SDKs against a local server, through ChatService and its storage.
import assert from 'node:assert/strict';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { chatToMarkdown } from '../../src/host/export';
import { HistoryStore } from '../../src/host/history';
import { KeyStore } from '../../src/host/keys';
import type { ChatConfigPatch, ProviderId } from '../../src/protocol';
import { messageStream } from '../fakes/anthropicFormat';
import { apiError, chatChunks, chatStream, midStreamError } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { baseConfig, MemorySecrets, RecordingClient, tempDir } from './helpers';

describe('ChatService keeps everything the provider said with the reply', () => {
  const server = new FakeServer('fidelity');
  let dir: ReturnType<typeof tempDir>;
  let settings: ServiceSettings;
  const env = { OPENROUTER_API_KEY: 'sk-or-v1-test-000000000000', OPENAI_API_KEY: 'sk-proj-test-00000000000', ANTHROPIC_API_KEY: 'sk-ant-api03-test-000000000' };

  before(async () => {
    await server.start();
  });
  after(() => server.stop());
  beforeEach(() => {
    server.reset();
    server.route(/\/models$/, () => ({ kind: 'json', body: { object: 'list', data: [] } }));
    dir = tempDir('fidelity');
    settings = {
      defaultProvider: 'openrouter',
      defaultModel: '',
      defaultConfig: baseConfig,
      baseUrl: (id: ProviderId) => (id === 'anthropic' ? server.url : `${server.url}/v1`),
      requestTimeoutSeconds: 30,
      maxRetries: 0,
    };
  });
  afterEach(() => dir.remove());

  async function open(patch: ChatConfigPatch) {
    const service = new ChatService(
      { settings: () => settings, log: () => {}, runCommand: () => {}, openExternal: () => {} },
      new KeyStore(new MemorySecrets(), env),
      new HistoryStore(dir.path),
    );
    const client = new RecordingClient();
    service.connect(client);
    await service.handle(client, { type: 'ready' });
    const chatId = client.state.chat.id;
    await service.handle(client, { type: 'setConfig', chatId, patch });
    const send = async (text: string) => {
      await service.handle(client, { type: 'send', chatId, text });
      await service.idle(chatId);
      return client.state.chat.messages.at(-1)!;
    };
    return { service, client, chatId, send };
  }

  it('citations are posted live, deduplicated by url in order of first appearance, and saved with the reply', async () => {
    const wiki = { url: 'https://en.wikipedia.org/wiki/Paris', title: 'Paris - Wikipedia' };
    const britannica = { url: 'https://www.britannica.com/place/Paris', title: 'Paris | Britannica' };
    const frames = chatChunks(['Paris is the capital of France.'], { model: 'openai/gpt-4o-mini:online', usageStyle: 'openai', annotations: [wiki, britannica] });
    // A second annotations chunk repeating one source and adding a non-web one (not a link: left out).
    const again = chatChunks([], { usageStyle: 'openai', annotations: [britannica, { url: 'file:///etc/passwd', title: 'local' }] }).filter((f) => f.includes('annotations'));
    server.enqueue({ kind: 'sse', frames: [...frames.slice(0, -2), ...again, ...frames.slice(-2)] });
    const { client, send } = await open({ provider: 'openrouter', model: 'openai/gpt-4o-mini:online' });
    const reply = await send('Capital of France?');
    assert.equal(reply.status, 'done');
    assert.deepEqual(reply.citations, [wiki, britannica]);
    assert.deepEqual(client.events().filter((e) => e.type === 'citation'), [{ type: 'citation', citation: wiki }, { type: 'citation', citation: britannica }]);
    // Saved: a new service on the same storage shows them.
    const reopened = await open({});
    assert.deepEqual(reopened.client.state.chat.messages.at(-1)!.citations, [wiki, britannica]);
    // …and exports them under the reply.
    assert.match(chatToMarkdown(client.state.chat), /Paris is the capital of France\.\n\nSources:\n\n1\. \[Paris - Wikipedia\]\(<https:\/\/en\.wikipedia\.org\/wiki\/Paris>\)\n2\. \[Paris \| Britannica\]/);
  });

  it('an error chunk after the finish chunk (OpenRouter) keeps the usage and is classified by its code', async () => {
    const frames = chatChunks(['The answer is'], { model: 'openai/gpt-4o-mini', usageStyle: 'openai', finishReason: 'length' });
    server.enqueue({ kind: 'sse', frames: [...frames.slice(0, -1), midStreamError(400, 'Provider returned error', { prompt_tokens: 40, completion_tokens: 16 }), ...frames.slice(-1)] });
    const { send } = await open({ provider: 'openrouter', model: 'openai/gpt-4o-mini' });
    const reply = await send('Question');
    assert.equal(reply.status, 'error');
    assert.equal(reply.text, 'The answer is');
    assert.deepEqual(reply.usage, { inputTokens: 40, outputTokens: 16 });
    assert.equal(reply.error?.kind, 'bad-request');
    assert.match(reply.error?.message ?? '', /OpenRouter refused the request \(400\): Provider returned error/);
  });

  it('a 429 insufficient_quota (OpenAI) is a quota error: no retry, no retry wait shown, no retry offered', async () => {
    settings.maxRetries = 2;
    server.enqueue(apiError(429, 'You exceeded your current quota, please check your plan and billing details.', { type: 'insufficient_quota', code: 'insufficient_quota' }), chatStream(['never'], { usageStyle: 'openai' }));
    const { client, send } = await open({ provider: 'openai', model: 'gpt-4.1' });
    const reply = await send('Hi');
    assert.equal(server.requests.length, 1);
    assert.equal(client.events().some((e) => e.type === 'status'), false);
    assert.equal(reply.status, 'error');
    assert.equal(reply.error?.kind, 'quota');
    assert.equal(reply.error?.action, undefined);
    assert.match(reply.error?.message ?? '', /OpenAI says this account is out of quota or credits/);
  });

  it("Claude's pause_turn is saved as a note offering Continue; continuing clears it", async () => {
    server.enqueue(messageStream(['Let me search for that.'], { stopReason: 'pause_turn' }), messageStream([' Found it.']));
    const { service, client, chatId, send } = await open({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
    const paused = await send('Search the web');
    assert.equal(paused.status, 'done');
    assert.equal(paused.note?.action, 'continue');
    assert.match(paused.note?.text ?? '', /Claude paused its turn/);
    const finish = client.events().findLast((e) => e.type === 'finish');
    assert.deepEqual(finish, { type: 'finish', reason: 'stop', note: paused.note });
    await service.handle(client, { type: 'continue', chatId });
    await service.idle(chatId);
    const continued = client.state.chat.messages.at(-1)!;
    assert.equal(continued.text, 'Let me search for that. Found it.');
    assert.equal(continued.note, undefined);
  });
});
