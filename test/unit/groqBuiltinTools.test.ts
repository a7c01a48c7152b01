// Groq's built-in (server-side) tools: what the request asks for on gpt-oss and on the compound systems, and what
// the reply shows of the tools Groq ran (`executed_tools`): cards that are never run or replayed by Parley, and
// their search results as citations.
import assert from 'node:assert/strict';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore } from '../../src/host/keys';
import { DEFAULT_TOOL_SETTINGS } from '../../src/host/serviceSettings';
import { groqModelList, GROQ_MODELS_TODAY } from '../fakes/groqModels';
import { chatStream, executedToolChunks } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { baseConfig, MemorySecrets, RecordingClient, tempDir } from './helpers';

describe("Groq's built-in tools (browser_search, code_interpreter, compound)", () => {
  const groq = new FakeServer('groq');
  let dir: ReturnType<typeof tempDir>;
  let workspace: ReturnType<typeof tempDir>;
  let settings: ServiceSettings;

  before(() => groq.start());
  after(() => groq.stop());
  beforeEach(() => {
    groq.reset();
    groq.route(/\/models$/, () => groqModelList([...GROQ_MODELS_TODAY, { id: 'groq/compound', context_window: 131072 }] as never));
    dir = tempDir('builtin');
    workspace = tempDir('builtin-ws');
    settings = {
      defaultProvider: 'groq', defaultModel: 'openai/gpt-oss-120b', defaultConfig: baseConfig, baseUrl: () => groq.url,
      requestTimeoutSeconds: 30, maxRetries: 0, modelCatalogUrl: '', tools: { ...DEFAULT_TOOL_SETTINGS },
    };
  });
  afterEach(() => {
    dir.remove();
    workspace.remove();
  });

  async function start() {
    const service = new ChatService(
      { settings: () => settings, log: () => undefined, runCommand: () => undefined, openExternal: () => undefined, toolContext: () => ({ view: { roots: [workspace.path], exclude: [] } }) },
      new KeyStore(new MemorySecrets(), { GROQ_API_KEY: 'gsk_builtin_key_0123456789' }),
      new HistoryStore(dir.path),
    );
    const client = new RecordingClient();
    service.connect(client);
    await service.handle(client, { type: 'ready' });
    return { service, client, chatId: client.state.chat.id };
  }

  it('gpt-oss: the capabilities offer browser_search and code_interpreter, off by default; turned on they join the function tools', async () => {
    const { service, client, chatId } = await start();
    assert.deepEqual(client.state.capabilities.serverTools, ['browser_search', 'code_interpreter']);
    assert.deepEqual(client.state.capabilities.serverToolsDefault, []);
    groq.enqueue(chatStream(['plain']));
    await service.handle(client, { type: 'send', chatId, text: 'no built-ins yet' });
    await service.idle(chatId);
    assert.ok(!groq.requests[0].body.tools.some((t: { type: string }) => t.type !== 'function'));
    await service.handle(client, { type: 'setConfig', chatId, patch: { serverTools: ['browser_search', 'code_interpreter'] } });
    groq.enqueue(chatStream(['searched']));
    await service.handle(client, { type: 'send', chatId, text: 'search the web' });
    await service.idle(chatId);
    const tools = groq.requests[1].body.tools as Array<{ type: string }>;
    assert.deepEqual(tools.slice(-2), [{ type: 'browser_search' }, { type: 'code_interpreter' }]);
    assert.ok(tools.slice(0, -2).every((t) => t.type === 'function'), 'the workspace functions are still offered');
    assert.equal(groq.requests[1].body.compound_custom, undefined);
  });

  it('compound: no function tools (with the reason), its tools chosen through compound_custom; executed_tools become cards and citations, never replayed', async () => {
    const { service, client, chatId } = await start();
    await service.handle(client, { type: 'setConfig', chatId, patch: { model: 'groq/compound' } });
    const caps = client.state.capabilities;
    assert.equal(caps.toolCalls, false);
    assert.match(caps.toolCallsReason!, /compound systems run their own tools/);
    assert.deepEqual(caps.serverToolsDefault, ['web_search', 'code_interpreter', 'visit_website']);
    const output = 'Title: Weather in San Francisco\nURL: https://www.weatherapi.com/\nContent: 17.4 C, partly cloudy\nScore: 0.9655\n\n';
    groq.enqueue({
      kind: 'sse',
      frames: executedToolChunks(
        [{ type: 'search', arguments: '{"query": "What is the weather in San Francisco today?"}', output, results: [{ title: 'Weather in San Francisco', url: 'https://www.weatherapi.com/', content: '17.4 C', score: 0.9655 }, { title: 'Weather Underground', url: 'https://www.wunderground.com/weather/us/ca/san-francisco' }] }],
        ['It is 17 °C and ', 'partly cloudy.'],
      ),
    });
    await service.handle(client, { type: 'send', chatId, text: 'What is the weather in San Francisco today?' });
    await service.idle(chatId);
    const first = groq.requests[0].body;
    assert.equal(first.model, 'groq/compound');
    assert.equal(first.tools, undefined, 'no function tools for compound');
    assert.equal(first.compound_custom, undefined, 'the default tool choice is left to Groq');
    const reply = client.state.chat.messages.at(-1)!;
    assert.equal(reply.status, 'done');
    assert.equal(reply.text, 'It is 17 °C and partly cloudy.');
    const [card] = reply.toolCalls!;
    assert.deepEqual(
      { name: card.name, arguments: card.arguments, status: card.status, byProvider: card.byProvider, summary: card.summary, textOffset: card.textOffset },
      { name: 'search', arguments: '{"query": "What is the weather in San Francisco today?"}', status: 'done', byProvider: true, summary: '2 sources', textOffset: 0 },
    );
    assert.equal(card.result, output);
    assert.deepEqual(reply.citations?.map((c) => c.url), ['https://www.weatherapi.com/', 'https://www.wunderground.com/weather/us/ca/san-francisco']);
    const updates = client.events().flatMap((e) => (e.type === 'tool-update' ? [e.update.status] : []));
    assert.deepEqual(updates, ['running', 'done']);

    // Choosing tools sends compound_custom; the search Groq ran is not replayed as a call.
    await service.handle(client, { type: 'setConfig', chatId, patch: { serverTools: ['web_search'] } });
    groq.enqueue(chatStream(['Still cloudy.'], { model: 'groq/compound' }));
    await service.handle(client, { type: 'send', chatId, text: 'And now?' });
    await service.idle(chatId);
    const second = groq.requests[1].body;
    assert.deepEqual(second.compound_custom, { tools: { enabled_tools: ['web_search'] } });
    assert.deepEqual(second.messages.slice(-2), [{ role: 'assistant', content: 'It is 17 °C and partly cloudy.' }, { role: 'user', content: 'And now?' }]);
    assert.ok(!second.messages.some((m: { role: string }) => m.role === 'tool'));
  });
});
