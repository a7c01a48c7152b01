import assert from 'node:assert/strict';
import { anthropic, DEFAULT_MAX_TOKENS, REDACTED_THINKING_NOTE } from '../../src/providers/anthropic';
import { classifyError } from '../../src/providers/errors';
import type { AdapterEvent, ToolSpec, Turn } from '../../src/providers/types';
import type { ChatConfig } from '../../src/protocol';
import { anthropicError, anthropicModelList, errorEvent, event, messageEvents, messageStream, toolUseEvents, toolUseStream } from '../fakes/anthropicFormat';
import { FakeServer } from '../fakes/server';
import { collect, configFor, serveDuring } from './helpers';

describe('Anthropic adapter (@anthropic-ai/sdk against a Messages-API-format server)', () => {
  const server = new FakeServer('anthropic');
  let baseUrl: string;
  serveDuring(server, (url) => (baseUrl = url));

  const turns = [
    { role: 'user' as const, text: 'Hi' },
    { role: 'assistant' as const, text: 'Hello!' },
    { role: 'user' as const, text: 'Count to three' },
  ];
  const context = { provider: 'Anthropic', model: 'claude-sonnet-4-6', host: 'api.anthropic.com' };
  const MODEL = 'claude-sonnet-4-6';
  /** Claude Sonnet 4 (May 2025) still takes temperature and top_p together. */
  const BOTH_SAMPLERS = 'claude-sonnet-4-20250514';

  it('streams text deltas in order, then usage from message_start and message_delta, then finish (pings ignored)', async () => {
    server.enqueue(messageStream(['One', ', two', ', three.'], { usage: { input_tokens: 21, output_tokens: 6, cache_read_input_tokens: 4 } }));
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.equal(result.error, undefined);
    assert.deepEqual(result.events, [
      { type: 'text-delta', text: 'One' },
      { type: 'text-delta', text: ', two' },
      { type: 'text-delta', text: ', three.' },
      { type: 'usage', usage: { inputTokens: 25, cachedInputTokens: 4, outputTokens: 6 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('input counts cache reads and writes, each also shown apart', async () => {
    server.enqueue(messageStream(['ok'], { usage: { input_tokens: 200, output_tokens: 300, cache_read_input_tokens: 1000, cache_creation_input_tokens: 500 } }));
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.deepEqual(result.events.find((e) => e.type === 'usage'), { type: 'usage', usage: { inputTokens: 1700, cachedInputTokens: 1000, cacheWriteTokens: 500, outputTokens: 300 } });
  });

  it('a redacted_thinking block shows, once, that reasoning was redacted', async () => {
    server.enqueue(messageStream(['Answer'], { redactedThinking: true, thinking: ['Visible ', 'part.'] }));
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL, { thinkingBudget: 2048 }));
    assert.equal(result.error, undefined);
    assert.equal(result.reasoning, `${REDACTED_THINKING_NOTE}\n\nVisible part.`);
    assert.match(REDACTED_THINKING_NOTE, /Some reasoning was redacted by Anthropic's safety systems/);
    assert.equal(result.text, 'Answer');
  });

  it('stop_reason pause_turn says Claude paused its turn and offers Continue', async () => {
    server.enqueue(messageStream(['Searching…'], { stopReason: 'pause_turn' }));
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    const finish = result.events.at(-1);
    assert.ok(finish?.type === 'finish');
    assert.equal(finish.reason, 'stop');
    assert.equal(finish.note?.action, 'continue');
    assert.match(finish.note?.text ?? '', /Claude paused its turn/);
  });

  it('web search citations (citations_delta, web_search_result_location) become citation events; tool blocks show nothing', async () => {
    server.enqueue(messageStream(['Spain won Euro 2024.'], {
      webSearch: {
        query: 'euro 2024 winner',
        results: [{ url: 'https://www.uefa.com/euro2024/', title: 'UEFA EURO 2024' }, { url: 'https://en.wikipedia.org/wiki/UEFA_Euro_2024', title: 'UEFA Euro 2024 - Wikipedia' }],
        citations: [
          { url: 'https://www.uefa.com/euro2024/', title: 'UEFA EURO 2024', cited_text: 'Spain beat England 2-1 in the final in Berlin.' },
          { url: 'https://en.wikipedia.org/wiki/UEFA_Euro_2024', title: null, cited_text: 'Spain won a record fourth title.' },
        ],
      },
    }));
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'Spain won Euro 2024.');
    assert.deepEqual(result.events.filter((e) => e.type === 'citation'), [
      { type: 'citation', citation: { url: 'https://www.uefa.com/euro2024/', title: 'UEFA EURO 2024' } },
      { type: 'citation', citation: { url: 'https://en.wikipedia.org/wiki/UEFA_Euro_2024' } },
    ]);
  });

  it('sends system top-level and every control under its Messages-API name', async () => {
    server.enqueue(messageStream(['ok']));
    const config = configFor(anthropic, BOTH_SAMPLERS, {
      maxTokens: 300, temperature: 0.7, topP: 0.9, topK: 12, frequencyPenalty: 0.4, presencePenalty: -0.2, stop: ['END', 'STOP'], seed: 42, jsonMode: true, reasoningEffort: 'high',
    });
    await collect(anthropic, { baseUrl }, turns, config);
    const { path, headers, body } = server.last;
    assert.equal(path, '/v1/messages');
    assert.ok(headers['anthropic-version'], 'the SDK sends anthropic-version');
    assert.ok(headers.authorization === 'Bearer test-key-123456' || headers['x-api-key'] === 'test-key-123456');
    assert.deepEqual(body, {
      model: BOTH_SAMPLERS,
      stream: true,
      system: 'You are terse.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
        { role: 'user', content: [{ type: 'text', text: 'Count to three' }] },
      ],
      max_tokens: 300,
      temperature: 0.7,
      top_p: 0.9,
      top_k: 12,
      stop_sequences: ['END', 'STOP'],
    });
    for (const key of ['seed', 'frequency_penalty', 'presence_penalty', 'response_format', 'reasoning_effort', 'thinking', 'stop']) assert.equal(key in body, false, key);
  });

  it('unsupported controls are disabled in the panel with a reason', () => {
    const caps = anthropic.capabilities(MODEL);
    for (const name of ['seed', 'frequencyPenalty', 'presencePenalty', 'jsonMode', 'reasoningEffort'] as const) {
      assert.equal(name in caps.controls, false, name);
      assert.ok(caps.unsupported[name], `${name} needs a reason`);
    }
    assert.match(caps.unsupported.jsonMode!, /JSON/);
    assert.ok('thinkingBudget' in caps.controls);
    assert.match(anthropic.capabilities('claude-3-5-haiku-latest').unsupported.thinkingBudget!, /think/);
  });

  it('clamps temperature to 1, defaults max_tokens, and sends only temperature to models that take one sampler', async () => {
    server.enqueue(messageStream(['ok']), messageStream(['ok']));
    await collect(anthropic, { baseUrl }, turns, configFor(anthropic, BOTH_SAMPLERS, { temperature: 1.8, topP: 2, maxTokens: null }));
    assert.equal(server.last.body.temperature, 1);
    assert.equal(server.last.body.top_p, 1);
    assert.equal(server.last.body.max_tokens, DEFAULT_MAX_TOKENS);
    await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL, { temperature: 0.3, topP: 0.8, maxTokens: 1e9 }));
    assert.equal(server.last.body.temperature, 0.3);
    assert.equal('top_p' in server.last.body, false, 'Claude Sonnet 4.5+ reject temperature with top_p');
    assert.equal(server.last.body.max_tokens, 64_000);
  });

  it('extended thinking: budget sent, temperature forced to 1, no top_k, max_tokens above the budget; thinking_delta → reasoning', async () => {
    server.enqueue(messageStream(['42'], { thinking: ['Let me ', 'count.'], usage: { input_tokens: 30, output_tokens: 900 } }));
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, BOTH_SAMPLERS, { thinkingBudget: 2048, maxTokens: 1000, temperature: 0.2, topP: 0.5, topK: 10 }));
    const { body } = server.last;
    assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 2048 });
    assert.equal(body.temperature, 1);
    assert.equal(body.top_p, 0.95, 'thinking takes top_p 0.95–1');
    assert.equal('top_k' in body, false);
    assert.ok(body.max_tokens > 2048, `max_tokens ${body.max_tokens} must exceed the budget`);
    assert.equal(result.reasoning, 'Let me count.');
    assert.equal(result.text, '42');
    assert.deepEqual(result.events.filter((e) => e.type === 'reasoning-delta' || e.type === 'text-delta').map((e) => e.type), ['reasoning-delta', 'reasoning-delta', 'text-delta']);
  });

  it('models without extended thinking never get a thinking block', async () => {
    server.enqueue(messageStream(['ok']));
    await collect(anthropic, { baseUrl }, turns, configFor(anthropic, 'claude-3-5-haiku-latest', { thinkingBudget: 4096 }));
    assert.equal('thinking' in server.last.body, false);
  });

  it('stop_reason max_tokens finishes with length', async () => {
    server.enqueue(messageStream(['cut'], { stopReason: 'max_tokens' }));
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.deepEqual(result.events.at(-1), { type: 'finish', reason: 'length' });
  });

  it('merges consecutive same-role turns (Anthropic requires alternation) and sends images as base64 blocks', async () => {
    server.enqueue(messageStream(['a cat']));
    const image = { mimeType: 'image/png', base64: 'iVBORw0KGgo=', name: 'cat.png' };
    await collect(anthropic, { baseUrl }, [
      { role: 'user', text: 'First question' },
      { role: 'user', text: 'What is this?', images: [image] },
      { role: 'assistant', text: 'It is ' },
    ], configFor(anthropic, MODEL));
    assert.deepEqual(server.last.body.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'First question' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'text', text: 'What is this?' },
        ],
      },
      // a final assistant message may not end in whitespace
      { role: 'assistant', content: [{ type: 'text', text: 'It is' }] },
    ]);
  });

  it('an image type Claude cannot read is an attachment error before any request', async () => {
    const image = { mimeType: 'image/bmp', base64: 'Qk0=', name: 'old.bmp' };
    const { error } = await collect(anthropic, { baseUrl }, [{ role: 'user', text: 'Look', images: [image] }], configFor(anthropic, MODEL));
    assert.equal(classifyError(error, context).kind, 'attachment');
    assert.equal(server.requests.length, 0);
  });

  it('a 401 becomes an invalid-key error asking for a key', async () => {
    server.enqueue(anthropicError(401, 'authentication_error', 'invalid x-api-key'));
    const { error } = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    const classified = classifyError(error, context);
    assert.equal(classified.kind, 'auth');
    assert.equal(classified.action, 'set-key');
    assert.match(classified.message, /invalid x-api-key/);
  });

  it('a 400 saying the credit balance is too low is a quota error, with no retry offered', async () => {
    server.enqueue(anthropicError(400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'));
    const { error } = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    const classified = classifyError(error, context);
    assert.equal(classified.kind, 'quota');
    assert.equal(classified.action, undefined);
    assert.match(classified.message, /out of quota or credits \(400\).*credit balance is too low/);
  });

  it('a 404 for an unknown model says which model', async () => {
    server.enqueue(anthropicError(404, 'not_found_error', 'model: claude-9'));
    const { error } = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, 'claude-9'));
    const classified = classifyError(error, { ...context, model: 'claude-9' });
    assert.equal(classified.kind, 'model');
    assert.match(classified.message, /"claude-9"/);
  });

  it('a 429 with retry-after: 1 is retried by the SDK and then succeeds, reporting the wait', async () => {
    server.enqueue(anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': '1' }), messageStream(['after the wait']));
    const waits: number[] = [];
    const result = await collect(anthropic, { baseUrl, maxRetries: 2, onRetryWait: (s) => waits.push(s) }, turns, configFor(anthropic, MODEL));
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'after the wait');
    assert.equal(server.requests.length, 2);
    assert.deepEqual(waits, [1]);
  });

  it('a 429 with a long retry-after is not retried silently: the error says when to try again', async () => {
    server.enqueue(anthropicError(429, 'rate_limit_error', 'Rate limited', { 'retry-after': '120' }), messageStream(['never']));
    const result = await collect(anthropic, { baseUrl, maxRetries: 2 }, turns, configFor(anthropic, MODEL));
    assert.equal(server.requests.length, 1);
    const classified = classifyError(result.error, context);
    assert.equal(classified.kind, 'rate-limit');
    assert.match(classified.message, /Try again in 2 min/);
  });

  it('a 500 is a server error and a 529 is overloaded', async () => {
    server.enqueue(anthropicError(500, 'api_error', 'Internal server error'), anthropicError(529, 'overloaded_error', 'Overloaded'));
    const a = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.equal(classifyError(a.error, context).kind, 'server');
    const b = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.equal(classifyError(b.error, context).kind, 'overloaded');
  });

  it('a mid-stream `event: error` (overloaded_error) keeps the partial text and is classified overloaded', async () => {
    const frames = messageEvents(['Partial ', 'answer ', 'lost']);
    // message_start, content_block_start, ping, two text deltas, then the error event
    server.enqueue({ kind: 'sse', frames: [...frames.slice(0, 5), errorEvent('overloaded_error', 'Overloaded')] });
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.equal(result.text, 'Partial answer ');
    const classified = classifyError(result.error, context);
    assert.equal(classified.kind, 'overloaded');
    assert.equal(classified.action, 'retry');
  });

  it('a malformed event keeps what arrived and becomes a bad-response error', async () => {
    const frames = messageEvents(['Good ', 'start']);
    server.enqueue({ kind: 'sse', frames: [...frames.slice(0, 5), 'event: content_block_delta\ndata: {"type":"content_block_delta",\n\n', ...frames.slice(5)] });
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.equal(result.text, 'Good start');
    assert.equal(classifyError(result.error, context).kind, 'bad-response');
  });

  it('a stream that ends without message_stop is a cut-off', async () => {
    const frames = messageEvents(['Half']);
    server.enqueue({ kind: 'sse', frames: frames.filter((f) => !f.startsWith('event: message_stop')).slice(0, -1) });
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.equal(result.text, 'Half');
    assert.equal((result.error as Error).name, 'StreamCutOff');
  });

  it('a connection dropped mid-stream keeps the deltas that arrived and reports a cut-off', async () => {
    server.enqueue(messageStream(['Partial ', 'answer ', 'never ', 'finished'], { dropAfter: 5 }));
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.equal(result.text, 'Partial answer ');
    assert.ok(result.error, 'the drop must surface as an error');
    assert.ok(['cut-off', 'network'].includes(classifyError(result.error, context).kind));
  });

  it('aborting stops the stream at once', async () => {
    server.enqueue({ kind: 'sse', frames: [...messageEvents(Array.from({ length: 200 }, (_, i) => `w${i} `))], delayMs: 5 });
    const controller = new AbortController();
    const adapter = await anthropic.createAdapter({ apiKey: 'k-12345678', baseUrl, timeoutMs: 10_000, maxRetries: 0 });
    const seen: string[] = [];
    let error: unknown;
    try {
      for await (const e of adapter.stream(turns, configFor(anthropic, MODEL), controller.signal)) {
        if (e.type === 'text-delta') seen.push(e.text);
        if (seen.length === 3) controller.abort();
      }
    } catch (err) {
      error = err;
    }
    assert.equal(seen.length, 3);
    assert.ok(error === undefined || /Abort/.test((error as Error).name), `an abort is not a failure (got ${(error as Error)?.name})`);
    assert.equal(server.requests.length, 1);
  });

  it('lists models from the models endpoint', async () => {
    server.enqueue(anthropicModelList(['claude-sonnet-4-6', 'claude-haiku-4-5']));
    const adapter = await anthropic.createAdapter({ apiKey: 'k-12345678', baseUrl, timeoutMs: 10_000, maxRetries: 0 });
    assert.deepEqual((await adapter.listModels!()).map((m) => m.id).sort(), ['claude-haiku-4-5', 'claude-sonnet-4-6']);
    assert.equal(server.last.path, '/v1/models');
  });

  it('ignores event types it does not know (the API may add some)', async () => {
    const frames = messageEvents(['ok']);
    server.enqueue({ kind: 'sse', frames: [frames[0], event('future_event', { x: 1 }), ...frames.slice(1)] });
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'ok');
  });
  describe('tool calls', () => {
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

    it('with thinking on, a step that continues a tool loop goes without thinking (Turns keep no thinking blocks to start it with)', async () => {
      server.enqueue(messageStream(['ok']), messageStream(['ok']));
      const config = configFor(anthropic, MODEL, { thinkingBudget: 2048, temperature: 0.3 });
      const call = { id: 'toolu_1', name: 'get_time', arguments: '{"city":"Bern"}' };
      await run([...ask, { role: 'assistant', text: '', toolCalls: [call] }, { role: 'tool', text: '', toolResults: [{ callId: 'toolu_1', name: 'get_time', text: '14:05' }] }], config, [TIME]);
      assert.equal('thinking' in server.last.body, false);
      assert.equal(server.last.body.temperature, 0.3);
      // Once the loop is over (a plain assistant reply, a new question), thinking is back.
      await run([...ask, { role: 'assistant', text: '', toolCalls: [call] }, { role: 'tool', text: '', toolResults: [{ callId: 'toolu_1', name: 'get_time', text: '14:05' }] }, { role: 'assistant', text: 'It is 14:05.' }, { role: 'user', text: 'Thanks. And Zürich?' }], config, [TIME]);
      assert.deepEqual(server.last.body.thinking, { type: 'enabled', budget_tokens: 2048 });
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
});
