// Anthropic tool use: tools sent as input_schema, tool_use blocks read from the stream (arguments split anywhere),
// and the next step's tool_use / tool_result blocks, including calls another provider made.
import assert from 'node:assert/strict';
import { anthropic } from '../../src/providers/anthropic';
import type { AdapterEvent, ToolSpec, Turn } from '../../src/providers/types';
import type { ChatConfig } from '../../src/protocol';
import { messageStream, toolUseEvents, toolUseStream } from '../fakes/anthropicFormat';
import { FakeServer } from '../fakes/server';
import { configFor, serveDuring } from './helpers';

describe('Anthropic adapter: tool calls', () => {
  const server = new FakeServer('anthropic-tools');
  let baseUrl: string;
  serveDuring(server, (url) => (baseUrl = url));
  const MODEL = 'claude-sonnet-4-6';
  const WEATHER: ToolSpec = {
    name: 'get_weather',
    description: 'Current weather for a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' }, units: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city'] },
  };
  const TIME: ToolSpec = { name: 'get_time', description: 'Local time in a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
  const ask: Turn[] = [{ role: 'user', text: 'Weather and time in Zürich?' }];

  async function run(history: Turn[], config: ChatConfig, tools?: ToolSpec[]): Promise<{ events: AdapterEvent[]; error?: unknown }> {
    const adapter = await anthropic.createAdapter({ apiKey: 'test-key-123456', baseUrl, timeoutMs: 10_000, maxRetries: 0 });
    const events: AdapterEvent[] = [];
    try {
      for await (const e of adapter.stream(history, config, new AbortController().signal, { tools })) events.push(e);
    } catch (error) {
      return { events, error };
    }
    return { events };
  }
  const argumentText = (events: AdapterEvent[], id: string) => events.flatMap((e) => (e.type === 'tool-call-delta' && e.id === id ? [e.text] : [])).join('');

  it('sends the tools as name, description and input_schema; none when there are none', async () => {
    server.enqueue(messageStream(['ok']), messageStream(['ok']));
    await run(ask, configFor(anthropic, MODEL), [WEATHER, TIME]);
    assert.deepEqual(server.last.body.tools, [
      { name: 'get_weather', description: 'Current weather for a city.', input_schema: WEATHER.parameters },
      { name: 'get_time', description: 'Local time in a city.', input_schema: TIME.parameters },
    ]);
    await run(ask, configFor(anthropic, MODEL), []);
    assert.equal('tools' in server.last.body, false);
  });

  it('a tool_use block streams as start, its input_json_delta pieces, end; stop_reason tool_use finishes with tool-calls — arguments split at every character index', async () => {
    const json = '{"city":"Zürich","units":"celsius","note":"say \\"hi\\" ☃ 🌦"}';
    assert.deepEqual(JSON.parse(json).city, 'Zürich');
    const splits: string[][] = [json.split('')];
    for (let i = 1; i < json.length; i++) splits.push([json.slice(0, i), json.slice(i)]);
    for (const pieces of splits) {
      server.enqueue(toolUseStream([{ toolUse: { id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', pieces } }], { usage: { input_tokens: 400, output_tokens: 80 } }));
      const { events, error } = await run(ask, configFor(anthropic, MODEL), [WEATHER]);
      assert.equal(error, undefined);
      const id = 'toolu_01A09q90qw90lq917835lq9';
      assert.deepEqual(events, [
        { type: 'tool-call-start', id, name: 'get_weather' },
        ...pieces.map((text) => ({ type: 'tool-call-delta', id, text })),
        { type: 'tool-call-end', id },
        { type: 'usage', usage: { inputTokens: 400, outputTokens: 80 } },
        { type: 'finish', reason: 'tool-calls' },
      ], `split ${JSON.stringify(pieces.slice(0, 2))}`);
      assert.equal(argumentText(events, id), json);
      assert.deepEqual(JSON.parse(argumentText(events, id)), JSON.parse(json));
    }
  });

  it('the stream split into network chunks at every byte of the input_json_delta frame (inside multi-byte characters too) reads the same', async () => {
    const json = '{"city":"Zürich","note":"☃ 🌦"}';
    const frames = toolUseEvents([{ toolUse: { id: 'toolu_bytes', name: 'get_weather', pieces: [json] } }]);
    const body = Buffer.from(frames.join(''), 'utf8');
    const frame = Buffer.from(frames.find((f) => f.includes('"partial_json":"{'))!, 'utf8');
    const from = body.indexOf(frame);
    assert.ok(from > 0 && frame.length > Buffer.byteLength(json));
    for (let at = from; at <= from + frame.length; at++) {
      server.enqueue({
        kind: 'raw',
        handler: (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          res.write(body.subarray(0, at), () => setTimeout(() => res.end(body.subarray(at)), 1));
        },
      });
      const { events, error } = await run(ask, configFor(anthropic, MODEL), [WEATHER]);
      assert.equal(error, undefined, `split at byte ${at}`);
      assert.equal(argumentText(events, 'toolu_bytes'), json, `split at byte ${at}`);
      assert.deepEqual(events.at(-1), { type: 'finish', reason: 'tool-calls' });
    }
  });

  it('two parallel tool_use blocks after a text block: text first, then each call start…end in block order', async () => {
    server.enqueue(toolUseStream([
      { text: ["I'll check ", 'both.'] },
      { toolUse: { id: 'toolu_01Weather', name: 'get_weather', pieces: ['{"city": "Z', 'ürich"}'] } },
      { toolUse: { id: 'toolu_02Time', name: 'get_time', pieces: ['{"city"', ': "Zürich"}'] } },
    ]));
    const { events, error } = await run(ask, configFor(anthropic, MODEL), [WEATHER, TIME]);
    assert.equal(error, undefined);
    assert.deepEqual(events.filter((e) => e.type !== 'usage'), [
      { type: 'text-delta', text: "I'll check " },
      { type: 'text-delta', text: 'both.' },
      { type: 'tool-call-start', id: 'toolu_01Weather', name: 'get_weather' },
      { type: 'tool-call-delta', id: 'toolu_01Weather', text: '{"city": "Z' },
      { type: 'tool-call-delta', id: 'toolu_01Weather', text: 'ürich"}' },
      { type: 'tool-call-end', id: 'toolu_01Weather' },
      { type: 'tool-call-start', id: 'toolu_02Time', name: 'get_time' },
      { type: 'tool-call-delta', id: 'toolu_02Time', text: '{"city"' },
      { type: 'tool-call-delta', id: 'toolu_02Time', text: ': "Zürich"}' },
      { type: 'tool-call-end', id: 'toolu_02Time' },
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it('a call without arguments (only an empty input_json_delta) still has arguments: {}', async () => {
    server.enqueue(toolUseStream([{ toolUse: { id: 'toolu_03NoArgs', name: 'list_files', pieces: [] } }]));
    const { events } = await run(ask, configFor(anthropic, MODEL), [{ name: 'list_files', description: 'Files here.', parameters: { type: 'object', properties: {} } }]);
    assert.equal(argumentText(events, 'toolu_03NoArgs'), '{}');
    assert.equal(events.filter((e) => e.type === 'tool-call-end').length, 1);
  });

  it("a server tool's input (web search) is not a tool call", async () => {
    server.enqueue(messageStream(['Found it.'], { webSearch: { query: 'q', results: [{ url: 'https://example.com/', title: 'Example' }], citations: [] } }));
    const { events } = await run(ask, configFor(anthropic, MODEL), [WEATHER]);
    assert.deepEqual(events.filter((e) => e.type.startsWith('tool-call')), []);
  });

  it('the next step sends the assistant text and tool_use blocks, then a user message led by the tool_result blocks', async () => {
    server.enqueue(messageStream(['Sunny, 21 °C; it is 14:05.']));
    const history: Turn[] = [
      ...ask,
      {
        role: 'assistant',
        text: "I'll check both.",
        toolCalls: [
          { id: 'toolu_01Weather', name: 'get_weather', arguments: '{"city": "Zürich"}' },
          { id: 'toolu_02Time', name: 'get_time', arguments: '{"city":"Zürich"}' },
        ],
      },
      {
        role: 'tool',
        text: '',
        toolResults: [
          { callId: 'toolu_01Weather', name: 'get_weather', text: '{"temp":21,"sky":"sunny"}' },
          { callId: 'toolu_02Time', name: 'get_time', text: 'Unknown time zone', isError: true },
        ],
      },
      { role: 'user', text: 'Also in Celsius please.' },
    ];
    const { events } = await run(history, configFor(anthropic, MODEL), [WEATHER, TIME]);
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'stop' });
    assert.deepEqual(server.last.body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Weather and time in Zürich?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: "I'll check both." },
          { type: 'tool_use', id: 'toolu_01Weather', name: 'get_weather', input: { city: 'Zürich' } },
          { type: 'tool_use', id: 'toolu_02Time', name: 'get_time', input: { city: 'Zürich' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_01Weather', content: '{"temp":21,"sky":"sunny"}', is_error: false },
          { type: 'tool_result', tool_use_id: 'toolu_02Time', content: 'Unknown time zone', is_error: true },
          { type: 'text', text: 'Also in Celsius please.' },
        ],
      },
    ]);
    assert.equal(server.last.body.tools.length, 2);
  });

  it('with thinking on, a tool loop without its thinking blocks at hand (none kept, or written by another model) goes on without thinking', async () => {
    server.enqueue(messageStream(['ok']), messageStream(['ok']), messageStream(['ok']));
    const config = configFor(anthropic, MODEL, { thinkingBudget: 2048, temperature: 0.3 });
    const call = { id: 'toolu_1', name: 'get_time', arguments: '{"city":"Bern"}' };
    const result: Turn = { role: 'tool', text: '', toolResults: [{ callId: 'toolu_1', name: 'get_time', text: '14:05' }] };
    await run([...ask, { role: 'assistant', text: '', toolCalls: [call] }, result], config, [TIME]);
    assert.equal('thinking' in server.last.body, false);
    assert.equal(server.last.body.temperature, 0.3);
    const otherModel = { model: 'claude-opus-4-1', blocks: [{ thinking: 'Bern is in Switzerland.', signature: 'c2ln' }] };
    await run([...ask, { role: 'assistant', text: '', toolCalls: [call], thinking: otherModel }, result], config, [TIME]);
    assert.equal('thinking' in server.last.body, false);
    assert.deepEqual(server.last.body.messages[1].content.map((b: { type: string }) => b.type), ['tool_use']);
    // Once the loop is over (a plain assistant reply, a new question), thinking is back.
    await run([...ask, { role: 'assistant', text: '', toolCalls: [call] }, result, { role: 'assistant', text: 'It is 14:05.' }, { role: 'user', text: 'Thanks. And Zürich?' }], config, [TIME]);
    assert.deepEqual(server.last.body.thinking, { type: 'enabled', budget_tokens: 2048 });
  });

  it('thinking blocks stream as reasoning, then whole with their signature (redacted ones as their data); sent back, unchanged, ahead of the step they led', async () => {
    const signature = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds';
    server.enqueue(toolUseStream([{ redactedThinking: 'EmwKAhgBEgy3va3pzix' }, { thinking: ['Use the ', 'tool.'], signature }, { toolUse: { id: 'toolu_9', name: 'get_time', pieces: ['{"city":"Bern"}'] } }]));
    const config = configFor(anthropic, MODEL, { thinkingBudget: 2048 });
    const { events } = await run(ask, config, [TIME]);
    const blocks = events.flatMap((e) => (e.type === 'thinking-block' ? [e.block] : []));
    assert.deepEqual(blocks, [{ redacted: 'EmwKAhgBEgy3va3pzix' }, { thinking: 'Use the tool.', signature }]);
    assert.match(events.flatMap((e) => (e.type === 'reasoning-delta' ? [e.text] : [])).join(''), /redacted[\s\S]*Use the tool\.$/);

    server.enqueue(messageStream(['It is 14:05.']));
    const call = { id: 'toolu_9', name: 'get_time', arguments: '{"city":"Bern"}' };
    await run([...ask, { role: 'assistant', text: '', toolCalls: [call], thinking: { model: MODEL, blocks } }, { role: 'tool', text: '', toolResults: [{ callId: 'toolu_9', name: 'get_time', text: '14:05' }] }], config, [TIME]);
    assert.deepEqual(server.last.body.thinking, { type: 'enabled', budget_tokens: 2048 });
    assert.deepEqual(server.last.body.messages[1].content, [
      { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
      { type: 'thinking', thinking: 'Use the tool.', signature },
      { type: 'tool_use', id: 'toolu_9', name: 'get_time', input: { city: 'Bern' } },
    ]);
  });

  it('calls made by another provider get ids Anthropic accepts, the same in tool_use and tool_result; broken arguments stay readable', async () => {
    server.enqueue(messageStream(['ok']));
    // An OpenAI id, a Kimi-K2-on-Groq style id (dots and a colon), and a call whose arguments are not JSON.
    const history: Turn[] = [
      ...ask,
      {
        role: 'assistant',
        text: '',
        toolCalls: [
          { id: 'call_Vq9pZ0aXbC1d', name: 'get_weather', arguments: '{"city":"Zürich"}' },
          { id: 'functions.get_time:1', name: 'get_time', arguments: '' },
          { id: 'gemini/call 3', name: 'get_weather', arguments: '{"city": "Bern"' },
        ],
      },
      {
        role: 'tool',
        text: '',
        toolResults: [
          { callId: 'call_Vq9pZ0aXbC1d', name: 'get_weather', text: 'sunny' },
          { callId: 'functions.get_time:1', name: 'get_time', text: '' },
          { callId: 'gemini/call 3', name: 'get_weather', text: 'bad arguments', isError: true },
        ],
      },
    ];
    await run(history, configFor(anthropic, MODEL), [WEATHER, TIME]);
    const [, assistant, results] = server.last.body.messages;
    assert.deepEqual(assistant, {
      role: 'assistant',
      content: [
        { type: 'tool_use', id: 'call_Vq9pZ0aXbC1d', name: 'get_weather', input: { city: 'Zürich' } },
        { type: 'tool_use', id: 'functions_get_time_1', name: 'get_time', input: {} },
        { type: 'tool_use', id: 'gemini_call_3', name: 'get_weather', input: { _raw: '{"city": "Bern"' } },
      ],
    });
    assert.deepEqual(results.content.map((b: { tool_use_id: string }) => b.tool_use_id), ['call_Vq9pZ0aXbC1d', 'functions_get_time_1', 'gemini_call_3']);
    assert.deepEqual(results.content[1], { type: 'tool_result', tool_use_id: 'functions_get_time_1', is_error: false }, 'an empty result goes without content');
    for (const block of [...assistant.content, ...results.content]) assert.match(block.id ?? block.tool_use_id, /^[a-zA-Z0-9_-]+$/);
  });
});
