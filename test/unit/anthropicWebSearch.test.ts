// Anthropic's web search (a server tool): the chat's "Web search" toggle puts web_search_20250305 in the request's
// tools (only then, and only for models that have it); the stream's server_tool_use / web_search_tool_result blocks
// become cards run by the provider (done with the results, or failed with what the error code means), citations_delta
// become the reply's citations, and a continued conversation sends the reply back as plain text. The real SDK runs
// through ChatService against a Messages-API-format server.
import assert from 'node:assert/strict';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore } from '../../src/host/keys';
import { DEFAULT_TOOL_SETTINGS } from '../../src/host/serviceSettings';
import { WEB_SEARCH_MAX_USES } from '../../src/providers/anthropicWebSearch';
import { anthropicModelList, event, messageEvents, messageStream } from '../fakes/anthropicFormat';
import { FakeServer } from '../fakes/server';
import { baseConfig, MemorySecrets, RecordingClient, tempDir } from './helpers';
import { costOf } from '../../src/providers/catalog';

const MODEL = 'claude-sonnet-4-6';
const WEB_SEARCH = { type: 'web_search_20250305', name: 'web_search', max_uses: WEB_SEARCH_MAX_USES };
const EURO = {
  query: 'euro 2024 winner',
  results: [
    { url: 'https://www.uefa.com/euro2024/', title: 'UEFA EURO 2024', page_age: 'July 15, 2024' },
    { url: 'https://en.wikipedia.org/wiki/UEFA_Euro_2024', title: 'UEFA Euro 2024 - Wikipedia' },
  ],
  citations: [{ url: 'https://www.uefa.com/euro2024/', title: 'UEFA EURO 2024', cited_text: 'Spain beat England 2-1 in the final in Berlin.' }],
};

describe("Anthropic's web search (server_tool_use, web_search_tool_result, citations_delta)", () => {
  const server = new FakeServer('anthropic');
  let dir: ReturnType<typeof tempDir>;
  let workspace: ReturnType<typeof tempDir>;
  let settings: ServiceSettings;

  before(() => server.start());
  after(() => server.stop());
  beforeEach(() => {
    server.reset();
    server.route(/\/v1\/models/, () => anthropicModelList([MODEL, 'claude-3-haiku-20240307']));
    dir = tempDir('websearch');
    workspace = tempDir('websearch-ws');
    settings = {
      defaultProvider: 'anthropic', defaultModel: MODEL, defaultConfig: baseConfig, baseUrl: (id) => (id === 'anthropic' ? server.url : undefined),
      requestTimeoutSeconds: 30, maxRetries: 0, modelCatalogUrl: '', tools: { ...DEFAULT_TOOL_SETTINGS },
    };
  });
  afterEach(() => {
    dir.remove();
    workspace.remove();
  });

  async function start(webSearch = true) {
    const service = new ChatService(
      { settings: () => settings, log: () => undefined, runCommand: () => undefined, openExternal: () => undefined, toolContext: () => ({ view: { roots: [workspace.path], exclude: [] } }) },
      new KeyStore(new MemorySecrets(), { ANTHROPIC_API_KEY: 'sk-ant-websearch-0123456789' }),
      new HistoryStore(dir.path),
    );
    const client = new RecordingClient();
    service.connect(client);
    await service.handle(client, { type: 'ready' });
    const chatId = client.state.chat.id;
    if (webSearch) await service.handle(client, { type: 'setConfig', chatId, patch: { serverTools: ['web_search'] } });
    const ask = async (text: string) => {
      await service.handle(client, { type: 'send', chatId, text });
      await service.idle(chatId);
      return client.state.chat.messages.at(-1)!;
    };
    return { service, client, chatId, ask };
  }

  it('offered (off) for Claude models that have it; the tool is sent beside the function tools only once turned on', async () => {
    const { service, client, chatId, ask } = await start(false);
    assert.deepEqual(client.state.capabilities.serverTools, ['web_search']);
    assert.deepEqual(client.state.capabilities.serverToolsDefault, []);
    server.enqueue(messageStream(['plain']));
    await ask('no search yet');
    const functions = server.requests[0].body.tools as Array<{ name: string; type?: string }>;
    assert.ok(functions.length > 0 && functions.every((t) => t.type === undefined && t.name !== 'web_search'), 'only function tools while off');

    await service.handle(client, { type: 'setConfig', chatId, patch: { serverTools: ['web_search'] } });
    server.enqueue(messageStream(['searched']));
    await ask('search now');
    const tools = server.requests[1].body.tools as Array<{ name: string }>;
    assert.deepEqual(tools.at(-1), WEB_SEARCH);
    assert.deepEqual(tools.slice(0, -1), functions, 'the workspace functions are still offered, unchanged');

    // Claude 3 Haiku has no web search: no toggle, and the chat's choice is not sent.
    await service.handle(client, { type: 'setConfig', chatId, patch: { model: 'claude-3-haiku-20240307' } });
    assert.equal(client.state.capabilities.serverTools, undefined);
    server.enqueue(messageStream(['old model'], { model: 'claude-3-haiku-20240307' }));
    await ask('and on Haiku 3?');
    assert.ok(!(server.requests[2].body.tools as Array<{ name: string }>).some((t) => t.name === 'web_search'));
  });

  it('a search shows as a done card (query as arguments, results listed), the cited sources as citations; a continued conversation sends plain text', async () => {
    const { client, chatId, ask } = await start();
    server.enqueue(messageStream(['Spain won Euro 2024.'], { webSearch: EURO }));
    const reply = await ask('Who won Euro 2024?');
    assert.equal(reply.status, 'done');
    assert.equal(reply.text, 'Spain won Euro 2024.');
    const [card] = reply.toolCalls!;
    assert.deepEqual(
      { name: card.name, arguments: card.arguments, status: card.status, byProvider: card.byProvider, summary: card.summary, isError: card.isError, textOffset: card.textOffset },
      { name: 'web_search', arguments: '{"query":"euro 2024 winner"}', status: 'done', byProvider: true, summary: '2 results', isError: undefined, textOffset: 0 },
    );
    assert.equal(card.result, '1. UEFA EURO 2024\n   https://www.uefa.com/euro2024/ (July 15, 2024)\n2. UEFA Euro 2024 - Wikipedia\n   https://en.wikipedia.org/wiki/UEFA_Euro_2024');
    // What Claude cited, not every result.
    assert.deepEqual(reply.citations, [{ url: 'https://www.uefa.com/euro2024/', title: 'UEFA EURO 2024' }]);
    const updates = client.events().flatMap((e) => (e.type === 'tool-update' ? [e.update.status] : []));
    assert.deepEqual(updates, ['running', 'done']);

    server.enqueue(messageStream(['In Berlin.']));
    await ask('Where was the final?');
    const { body } = server.requests[1];
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Who won Euro 2024?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Spain won Euro 2024.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Where was the final?' }] },
    ]);
    assert.deepEqual(body.tools.at(-1), WEB_SEARCH);
    assert.equal(client.state.chat.messages.at(-1)!.status, 'done');
    assert.equal(client.state.chat.id, chatId);
  });

  it("the streaming docs' web search example, replayed: the card sits after the text before it, with the streamed query", async () => {
    const { ask } = await start();
    // "Streaming request with web search tool use" (Anthropic's Streaming Messages page), with its elided parts
    // ("…" results, blocks 4-17) cut down to one result and one closing text block.
    const raw = [
      ['message_start', '{"type":"message_start","message":{"id":"msg_01G","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":2679,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3}}}'],
      ['content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'],
      ['content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I\'ll check"}}'],
      ['content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" the current weather in New York City for you"}}'],
      ['ping', '{"type": "ping"}'],
      ['content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"."}}'],
      ['content_block_stop', '{"type":"content_block_stop","index":0}'],
      ['content_block_start', '{"type":"content_block_start","index":1,"content_block":{"type":"server_tool_use","id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","name":"web_search","input":{}}}'],
      ['content_block_delta', '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}'],
      ['content_block_delta', '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"query"}}'],
      ['content_block_delta', '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\\":"}}'],
      ['content_block_delta', '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"weather"}}'],
      ['content_block_delta', '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" NY"}}'],
      ['content_block_delta', '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"C to"}}'],
      ['content_block_delta', '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"day\\"}"}}'],
      ['content_block_stop', '{"type":"content_block_stop","index":1 }'],
      ['content_block_start', '{"type":"content_block_start","index":2,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","content":[{"type":"web_search_result","title":"Weather in New York City in May 2025 (New York) - detailed Weather Forecast for a month","url":"https://world-weather.info/forecast/usa/new_york/may-2025/","encrypted_content":"Ev0DCioIAxgCIiQ3NmU4ZmI4OC1k...","page_age":null}]}}'],
      ['content_block_stop', '{"type":"content_block_stop","index":2}'],
      ['content_block_start', '{"type":"content_block_start","index":3,"content_block":{"type":"text","text":""}}'],
      ['content_block_delta', '{"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":"Here\'s the current weather information for New York"}}'],
      ['content_block_delta', '{"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":" City."}}'],
      ['content_block_stop', '{"type":"content_block_stop","index":3}'],
      ['message_delta', '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10682,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":510,"server_tool_use":{"web_search_requests":1}}}'],
      ['message_stop', '{"type":"message_stop"}'],
    ];
    server.enqueue({ kind: 'sse', frames: raw.map(([name, data]) => `event: ${name}\ndata: ${data}\n\n`) });
    const reply = await ask('What is the weather like in New York City today?');
    const before = "I'll check the current weather in New York City for you.";
    assert.equal(reply.status, 'done');
    assert.equal(reply.text, `${before}Here's the current weather information for New York City.`);
    const [card] = reply.toolCalls!;
    assert.deepEqual(
      { arguments: card.arguments, textOffset: card.textOffset, status: card.status, summary: card.summary },
      { arguments: '{"query": "weather NYC today"}', textOffset: before.length, status: 'done', summary: '1 result' },
    );
    assert.equal(card.result, '1. Weather in New York City in May 2025 (New York) - detailed Weather Forecast for a month\n   https://world-weather.info/forecast/usa/new_york/may-2025/');
    // The search is billed besides the tokens ($10 per 1,000 searches), and counted in the reply's cost.
    assert.deepEqual(reply.usage, { inputTokens: 10682, outputTokens: 510, serverToolCost: 0.01 });
    // (The packaged catalog has no price for this model, so the reply's cost is unknown here.)
    assert.ok(Math.abs(costOf(reply.usage!, { input: 3, output: 15 }) - ((10682 * 3 + 510 * 15) / 1e6 + 0.01)) < 1e-12);
  });

  it('an input_json_delta without partial_json (seen in recorded streams) adds nothing to the query', async () => {
    const { ask } = await start();
    const frames = messageEvents(['Found.'], { webSearch: { ...EURO, citations: [] } });
    const delta = frames.findIndex((f) => f.includes('"input_json_delta"'));
    frames.splice(delta, 0, event('content_block_delta', { index: 0, delta: { type: 'input_json_delta' } }));
    server.enqueue({ kind: 'sse', frames });
    const reply = await ask('Who won Euro 2024?');
    assert.equal(reply.toolCalls![0].arguments, '{"query":"euro 2024 winner"}');
  });

  for (const [code, message] of [
    ['max_uses_exceeded', `Web search failed: Claude reached Parley's limit of ${WEB_SEARCH_MAX_USES} web searches in one response (max_uses).`],
    ['unavailable', "Web search failed: Anthropic's web search is unavailable right now."],
  ] as const) {
    it(`an error result (${code}) is a failed card saying what happened; the reply still finishes`, async () => {
      const { client, ask } = await start();
      server.enqueue(messageStream(['I could not search, but from memory: Spain.'], { webSearch: { ...EURO, citations: [], errorCode: code } }));
      const reply = await ask('Who won Euro 2024?');
      assert.equal(reply.status, 'done');
      assert.equal(reply.text, 'I could not search, but from memory: Spain.');
      const [card] = reply.toolCalls!;
      assert.deepEqual({ status: card.status, isError: card.isError, result: card.result, byProvider: card.byProvider }, { status: 'failed', isError: true, result: message, byProvider: true });
      assert.equal(reply.citations, undefined);
      const updates = client.events().flatMap((e) => (e.type === 'tool-update' ? [e.update.status] : []));
      assert.deepEqual(updates, ['running', 'failed']);
    });
  }

  it('a search beside a call of Parley\'s tool: the next step sends text, tool_use and tool_result only', async () => {
    const { ask } = await start();
    const [opening, ...rest] = messageEvents([], { webSearch: { ...EURO, citations: [] } });
    // The search's two blocks (0 and 1) as the fake sends them, then a text block and a tool_use block, ending the
    // step with stop_reason tool_use.
    const searchBlocks = rest.slice(0, rest.findIndex((f) => f.includes('"content_block":{"type":"text"')));
    assert.equal(searchBlocks.length, 5);
    server.enqueue({
      kind: 'sse',
      frames: [
        opening,
        ...searchBlocks,
        event('content_block_start', { index: 2, content_block: { type: 'text', text: '' } }),
        event('content_block_delta', { index: 2, delta: { type: 'text_delta', text: 'Now the files.' } }),
        event('content_block_stop', { index: 2 }),
        event('content_block_start', { index: 3, content_block: { type: 'tool_use', id: 'toolu_list1', name: 'list_files', input: {} } }),
        event('content_block_delta', { index: 3, delta: { type: 'input_json_delta', partial_json: '{}' } }),
        event('content_block_stop', { index: 3 }),
        event('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 40 } }),
        event('message_stop', {}),
      ],
    });
    server.enqueue(messageStream(['Done.']));
    const reply = await ask('Search, then list the files.');
    assert.equal(reply.status, 'done');
    assert.deepEqual(reply.toolCalls!.map((c) => [c.name, c.status, c.byProvider ?? false]), [['web_search', 'done', true], ['list_files', 'done', false]]);
    const [user, assistant, results] = server.requests[1].body.messages;
    assert.deepEqual(user, { role: 'user', content: [{ type: 'text', text: 'Search, then list the files.' }] });
    assert.deepEqual(assistant, { role: 'assistant', content: [{ type: 'text', text: 'Now the files.' }, { type: 'tool_use', id: 'toolu_list1', name: 'list_files', input: {} }] });
    assert.equal(results.role, 'user');
    assert.deepEqual(results.content.map((b: { type: string; tool_use_id: string }) => [b.type, b.tool_use_id]), [['tool_result', 'toolu_list1']]);
    assert.equal(server.requests[1].body.messages.length, 3);
  });

  it('a search left without a result (pause_turn) fails, saying so, and Continue sends the text only (no unfinished server_tool_use)', async () => {
    const { service, client, chatId, ask } = await start();
    server.enqueue({
      kind: 'sse',
      frames: [
        event('message_start', { message: { id: 'msg_pause', type: 'message', role: 'assistant', content: [], model: MODEL, stop_reason: null, stop_sequence: null, usage: { input_tokens: 50, output_tokens: 1 } } }),
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Let me look that up.' } }),
        event('content_block_stop', { index: 0 }),
        event('content_block_start', { index: 1, content_block: { type: 'server_tool_use', id: 'srvtoolu_pause', name: 'web_search', input: {} } }),
        event('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"query": "euro' } }),
        event('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: ' 2024"}' } }),
        event('content_block_stop', { index: 1 }),
        event('message_delta', { delta: { stop_reason: 'pause_turn', stop_sequence: null }, usage: { output_tokens: 30 } }),
        event('message_stop', {}),
      ],
    });
    const reply = await ask('Who won Euro 2024?');
    assert.equal(reply.status, 'done');
    assert.equal(reply.note?.action, 'continue');
    const [card] = reply.toolCalls!;
    assert.equal(card.arguments, '{"query": "euro 2024"}');
    assert.equal(card.status, 'failed');
    assert.match(card.result!, /^No result came for this search before the response ended/);

    server.enqueue(messageStream([' Spain won.']));
    await service.handle(client, { type: 'continue', chatId });
    await service.idle(chatId);
    assert.deepEqual(server.requests[1].body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Who won Euro 2024?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me look that up.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Your previous reply was cut off. Continue exactly where it stopped, without repeating anything.' }] },
    ]);
  });
});
