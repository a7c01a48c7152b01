import assert from 'node:assert/strict';
import { classifyError } from '../../src/providers/errors';
import { google } from '../../src/providers/google';
import type { ChatConfig } from '../../src/protocol';
import type { AdapterEvent, ToolCallRecord, ToolSpec, Turn } from '../../src/providers/types';
import { blockedPrompt, frame, functionCallStream, geminiChunks, geminiError, geminiModelList, geminiStream, geminiWire, retryInfo } from '../fakes/geminiFormat';
import { FakeServer } from '../fakes/server';
import { collect, configFor, serveDuring } from './helpers';
import { providerContract } from './providerContract';

providerContract({
  definition: google,
  model: 'gemini-2.5-flash',
  // Every chunk carries the running usageMetadata; the last one counts.
  wire: geminiWire,
  baseUrl: (url) => url,
  chatPath: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
  keyOf: (request) => request.headers['x-goog-api-key'] as string | undefined,
  models: {
    path: '/v1beta/models',
    // Only models that support generateContent, without the models/ prefix, with their limits and thinking flag.
    reply: geminiModelList([
      { id: 'gemini-2.5-flash', methods: ['generateContent', 'countTokens', 'createCachedContent'], thinking: true },
      { id: 'text-embedding-004', methods: ['embedContent'] },
      { id: 'gemini-2.0-flash', methods: ['generateContent'], output: 8192, thinking: false },
    ]),
    expected: [
      { id: 'gemini-2.5-flash', contextWindow: 1_048_576, maxOutput: 65_536, reasoning: true },
      { id: 'gemini-2.0-flash', contextWindow: 1_048_576, maxOutput: 8192, reasoning: false },
    ],
  },
  host: 'generativelanguage.googleapis.com',
  keyPrefix: 'AIza',
});

describe('Google adapter (@google/genai against a Gemini-API-format server)', () => {
  const server = new FakeServer('gemini');
  let baseUrl: string;
  serveDuring(server, (url) => (baseUrl = url));

  const turns = [
    { role: 'user' as const, text: 'Hi' },
    { role: 'assistant' as const, text: 'Hello!' },
    { role: 'user' as const, text: 'Count to three' },
  ];
  const MODEL = 'gemini-2.5-flash';
  const context = { provider: 'Google Gemini', model: MODEL, host: 'generativelanguage.googleapis.com' };
  const requestPath = (r: { url: URL }) => r.url.pathname + r.url.search;

  it('posts to models/{model}:streamGenerateContent?alt=sse with the key header, contents, systemInstruction and generationConfig', async () => {
    server.enqueue(geminiStream(['ok']));
    const config = configFor(google, MODEL, {
      maxTokens: 300, temperature: 1.3, topP: 0.9, topK: 12, frequencyPenalty: 0.4, presencePenalty: -0.2, stop: ['END', 'STOP'], seed: 42, jsonMode: true, thinkingBudget: 1024,
    });
    await collect(google, { baseUrl }, turns, config);
    const { method, headers, body } = server.last;
    assert.equal(method, 'POST');
    assert.equal(requestPath(server.last), `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`);
    assert.equal(headers['x-goog-api-key'], 'test-key-123456');
    assert.deepEqual(body, {
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello!' }] },
        { role: 'user', parts: [{ text: 'Count to three' }] },
      ],
      systemInstruction: { role: 'user', parts: [{ text: 'You are terse.' }] },
      generationConfig: {
        maxOutputTokens: 300,
        temperature: 1.3,
        topP: 0.9,
        topK: 12,
        frequencyPenalty: 0.4,
        presencePenalty: -0.2,
        stopSequences: ['END', 'STOP'],
        seed: 42,
        responseMimeType: 'application/json',
        thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 },
      },
    });
  });

  it('a JSON schema goes as responseJsonSchema with the JSON mime type', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'integer' } }, required: ['answer'] };
    server.enqueue(geminiStream(['{"answer":3}']));
    await collect(google, { baseUrl }, turns, configFor(google, MODEL, { jsonSchema: JSON.stringify(schema) }));
    assert.equal(server.last.body.generationConfig.responseMimeType, 'application/json');
    assert.deepEqual(server.last.body.generationConfig.responseJsonSchema, schema);
  });

  it('clamps values into Gemini ranges: temperature ≤ 2, penalties < 2, at most five stop sequences', async () => {
    server.enqueue(geminiStream(['ok']));
    await collect(google, { baseUrl }, turns, configFor(google, MODEL, { temperature: 7, topP: 3, topK: 0, presencePenalty: 2, stop: ['a', 'b', 'c', 'd', 'e', 'f'], thinkingBudget: 1e6 }));
    const generation = server.last.body.generationConfig;
    assert.equal(generation.temperature, 2);
    assert.equal(generation.topP, 1);
    assert.equal(generation.topK, 1);
    assert.ok(generation.presencePenalty < 2);
    assert.deepEqual(generation.stopSequences, ['a', 'b', 'c', 'd', 'e']);
    assert.equal(generation.thinkingConfig.thinkingBudget, 24_576);
  });

  it('thought parts are reasoning deltas; thoughtsTokenCount counts as reasoning (and output) tokens', async () => {
    server.enqueue(geminiStream(['42'], { thoughts: ['Counting ', 'carefully.'], usage: { promptTokenCount: 10, candidatesTokenCount: 2, thoughtsTokenCount: 50 } }));
    const result = await collect(google, { baseUrl }, turns, configFor(google, 'gemini-2.5-pro'));
    assert.equal(result.reasoning, 'Counting carefully.');
    assert.equal(result.text, '42');
    assert.deepEqual(result.events.find((e) => e.type === 'usage'), { type: 'usage', usage: { inputTokens: 10, outputTokens: 52, reasoningTokens: 50 } });
    assert.deepEqual(server.last.body.generationConfig.thinkingConfig, { includeThoughts: true }, 'no budget set: the model decides');
  });

  it('Gemini 3 takes a reasoning effort as thinkingLevel; Gemini 2.0 gets no thinkingConfig at all', async () => {
    server.enqueue(geminiStream(['a']), geminiStream(['b']));
    await collect(google, { baseUrl }, turns, configFor(google, 'gemini-3-pro-preview', { reasoningEffort: 'high', thinkingBudget: 2048 }));
    assert.deepEqual(server.last.body.generationConfig.thinkingConfig, { includeThoughts: true, thinkingLevel: 'HIGH' });
    await collect(google, { baseUrl }, turns, configFor(google, 'gemini-2.0-flash', { reasoningEffort: 'high', thinkingBudget: 2048 }));
    assert.equal('thinkingConfig' in server.last.body.generationConfig, false);
    const caps = google.capabilities('gemini-2.0-flash');
    assert.match(caps.unsupported.thinkingBudget!, /thinking models/);
    assert.match(caps.unsupported.reasoningEffort!, /thinking/);
  });

  it('unset controls stay out of the request', async () => {
    server.enqueue(geminiStream(['ok']));
    await collect(google, { baseUrl }, turns, configFor(google, 'gemini-2.0-flash', { system: '', maxTokens: null, temperature: null, topP: null, topK: null, frequencyPenalty: null, presencePenalty: null }));
    assert.equal('systemInstruction' in server.last.body, false);
    assert.deepEqual(server.last.body.generationConfig ?? {}, {});
  });

  it('finishReason MAX_TOKENS → length, SAFETY → content-filter', async () => {
    server.enqueue(geminiStream(['cut'], { finishReason: 'MAX_TOKENS' }), geminiStream(['no'], { finishReason: 'SAFETY' }));
    const a = await collect(google, { baseUrl }, turns, configFor(google, MODEL));
    assert.deepEqual(a.events.at(-1), { type: 'finish', reason: 'length' });
    const b = await collect(google, { baseUrl }, turns, configFor(google, MODEL));
    assert.deepEqual(b.events.at(-1), { type: 'finish', reason: 'content-filter', note: { text: 'Gemini stopped the reply (SAFETY).' } });
  });

  it('a blocked prompt (promptFeedback, no candidates) finishes with content-filter and a note naming the reason', async () => {
    server.enqueue(blockedPrompt('PROHIBITED_CONTENT', MODEL));
    const result = await collect(google, { baseUrl }, turns, configFor(google, MODEL));
    assert.equal(result.error, undefined);
    assert.equal(result.text, '');
    const finish = result.events.at(-1);
    assert.equal(finish?.type === 'finish' && finish.reason, 'content-filter');
    assert.match(finish?.type === 'finish' ? finish.note?.text ?? '' : '', /^Gemini blocked the prompt \(PROHIBITED_CONTENT\) and sent no reply/);
  });

  it('cached content tokens are shown apart from (and inside) the prompt tokens', async () => {
    server.enqueue(geminiStream(['ok'], { usage: { promptTokenCount: 1200, candidatesTokenCount: 300, cachedContentTokenCount: 1000 } }));
    const result = await collect(google, { baseUrl }, turns, configFor(google, MODEL));
    assert.deepEqual(result.events.find((e) => e.type === 'usage'), { type: 'usage', usage: { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 300 } });
  });

  it('Google Search grounding chunks become citation events', async () => {
    const redirect = (id: string) => `https://vertexaisearch.cloud.google.com/grounding-api-redirect/${id}`;
    server.enqueue(geminiStream(['Spain won ', 'Euro 2024.'], { grounding: [{ uri: redirect('AUZIYQGa1'), title: 'uefa.com' }, { uri: redirect('AUZIYQHb2'), title: 'wikipedia.org' }] }));
    const result = await collect(google, { baseUrl }, turns, configFor(google, MODEL));
    assert.equal(result.error, undefined);
    assert.deepEqual(result.events.filter((e) => e.type === 'citation'), [
      { type: 'citation', citation: { url: redirect('AUZIYQGa1'), title: 'uefa.com' } },
      { type: 'citation', citation: { url: redirect('AUZIYQHb2'), title: 'wikipedia.org' } },
    ]);
  });

  it('images go as inlineData parts; consecutive same-role turns are merged', async () => {
    server.enqueue(geminiStream(['a cat']));
    const image = { mimeType: 'image/png', base64: 'iVBORw0KGgo=', name: 'cat.png' };
    await collect(google, { baseUrl }, [{ role: 'user', text: 'First' }, { role: 'user', text: 'What is this?', images: [image] }], configFor(google, MODEL));
    assert.deepEqual(server.last.body.contents, [
      { role: 'user', parts: [{ text: 'First' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }, { text: 'What is this?' }] },
    ]);
  });

  it('a 400 API_KEY_INVALID (how Gemini rejects a bad key) asks for a key, like a 401', async () => {
    server.enqueue(geminiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }] }));
    const { error } = await collect(google, { baseUrl }, turns, configFor(google, MODEL));
    const classified = classifyError(error, context);
    assert.equal(classified.kind, 'auth');
    assert.equal(classified.action, 'set-key');
  });

  it('a 429 whose RetryInfo asks for a short retryDelay is retried after it', async () => {
    server.enqueue(geminiError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded', { details: [retryInfo('1s')] }), geminiStream(['ok']));
    const waits: number[] = [];
    const result = await collect(google, { baseUrl, maxRetries: 2, onRetryWait: (s) => waits.push(s) }, turns, configFor(google, MODEL));
    assert.equal(result.text, 'ok');
    assert.deepEqual(waits, [1]);
  });

  it('a 429 with a long wait is not retried: the error says when to try again', async () => {
    server.enqueue(geminiError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for metric generate_content_free_tier_requests', { details: [retryInfo('37s')] }), geminiStream(['never']));
    const waits: number[] = [];
    const result = await collect(google, { baseUrl, maxRetries: 2, onRetryWait: (s) => waits.push(s) }, turns, configFor(google, MODEL));
    assert.equal(server.requests.length, 1);
    assert.deepEqual(waits, []);
    const classified = classifyError(result.error, context);
    assert.equal(classified.kind, 'rate-limit');
    assert.match(classified.message, /Try again in 37 s/);
  });

  it('a 503 is overloaded (a 500 is a server error, as for every provider)', async () => {
    server.enqueue(geminiError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'));
    const { error } = await collect(google, { baseUrl }, turns, configFor(google, MODEL));
    const classified = classifyError(error, context);
    assert.equal(classified.kind, 'overloaded');
    assert.equal(classified.action, 'retry');
  });

  it('an error chunk inside the stream keeps the partial text and is classified by its code', async () => {
    const frames = geminiChunks(['Partial ', 'answer ', 'lost']);
    server.enqueue({ kind: 'sse', frames: [...frames.slice(0, 2), frame({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })] });
    const result = await collect(google, { baseUrl }, turns, configFor(google, MODEL));
    assert.equal(result.text, 'Partial answer ');
    assert.equal(classifyError(result.error, context).kind, 'overloaded');
  });

  describe('function calls', () => {
    const WEATHER: ToolSpec = {
      name: 'get_weather',
      description: 'Current weather for a city.',
      parameters: { type: 'object', properties: { city: { type: 'string' }, units: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city'] },
    };
    const TIME: ToolSpec = { name: 'get_time', description: 'Local time in a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
    const ask: Turn[] = [{ role: 'user', text: 'Weather and time in Zürich?' }];
    const SIG = 'CiQBcsjafJ2b1Tm3p4Vx0hQhO5pY2kQ5r1a8F9uXyWcQ3m0vZ5sKdgEBcsjafP';

    async function run(history: Turn[], config: ChatConfig, tools?: ToolSpec[]): Promise<{ events: AdapterEvent[]; error?: unknown }> {
      const adapter = await google.createAdapter({ apiKey: 'test-key-123456', baseUrl, timeoutMs: 10_000, maxRetries: 0 });
      const events: AdapterEvent[] = [];
      try {
        for await (const e of adapter.stream(history, config, new AbortController().signal, { tools })) events.push(e);
      } catch (error) {
        return { events, error };
      }
      return { events };
    }
    /** The calls of a step as the chat keeps them, from the adapter's events. */
    function callsOf(events: AdapterEvent[]): ToolCallRecord[] {
      const calls = new Map<string, ToolCallRecord>();
      for (const e of events) {
        if (e.type === 'tool-call-start') calls.set(e.id, { id: e.id, name: e.name, arguments: '' });
        if (e.type === 'tool-call-delta') calls.get(e.id)!.arguments += e.text;
        if (e.type === 'tool-call-end' && e.signature) calls.get(e.id)!.signature = e.signature;
      }
      return [...calls.values()];
    }

    it('sends the tools as functionDeclarations with parametersJsonSchema; none when there are none', async () => {
      server.enqueue(geminiStream(['ok']), geminiStream(['ok']));
      await run(ask, configFor(google, MODEL), [WEATHER, TIME]);
      assert.deepEqual(server.last.body.tools, [
        {
          functionDeclarations: [
            { name: 'get_weather', description: 'Current weather for a city.', parametersJsonSchema: WEATHER.parameters },
            { name: 'get_time', description: 'Local time in a city.', parametersJsonSchema: TIME.parameters },
          ],
        },
      ]);
      assert.equal('tools' in (server.last.body.generationConfig ?? {}), false);
      await run(ask, configFor(google, MODEL));
      assert.equal('tools' in server.last.body, false);
    });

    it('a functionCall part is one call: start, its args as JSON, end with the thoughtSignature; STOP after a call finishes with tool-calls', async () => {
      server.enqueue(functionCallStream([
        [{ text: 'Checking the weather', thought: true }],
        [{ functionCall: { name: 'get_weather', args: { city: 'Zürich', units: 'celsius' } }, thoughtSignature: SIG }],
      ], { usage: { promptTokenCount: 60, candidatesTokenCount: 20, thoughtsTokenCount: 30 } }));
      const { events, error } = await run(ask, configFor(google, MODEL), [WEATHER]);
      assert.equal(error, undefined);
      const start = events.find((e) => e.type === 'tool-call-start');
      assert.ok(start?.type === 'tool-call-start');
      assert.match(start.id, /^gemini_call_/, 'Gemini gave no id: one is made up');
      const { id } = start;
      assert.deepEqual(events, [
        { type: 'reasoning-delta', text: 'Checking the weather' },
        { type: 'tool-call-start', id, name: 'get_weather' },
        { type: 'tool-call-delta', id, text: '{"city":"Zürich","units":"celsius"}' },
        { type: 'tool-call-end', id, signature: SIG },
        { type: 'usage', usage: { inputTokens: 60, outputTokens: 50, reasoningTokens: 30 } },
        { type: 'finish', reason: 'tool-calls' },
      ]);
    });

    it('two functionCall parts in one chunk are parallel calls, each with its own id; made-up ids are unique', async () => {
      server.enqueue(
        functionCallStream([[
          { text: "I'll check both." },
          { functionCall: { id: 'w1x2y3z4', name: 'get_weather', args: { city: 'Zürich' } }, thoughtSignature: SIG },
          { functionCall: { id: 'a9b8c7d6', name: 'get_time', args: { city: 'Zürich' } } },
        ]]),
        functionCallStream([[
          { functionCall: { name: 'get_time', args: { city: 'Bern' } } },
          { functionCall: { name: 'get_time' } },
        ]]),
      );
      const first = await run(ask, configFor(google, MODEL), [WEATHER, TIME]);
      assert.deepEqual(first.events.filter((e) => e.type !== 'usage'), [
        { type: 'text-delta', text: "I'll check both." },
        { type: 'tool-call-start', id: 'w1x2y3z4', name: 'get_weather' },
        { type: 'tool-call-delta', id: 'w1x2y3z4', text: '{"city":"Zürich"}' },
        { type: 'tool-call-end', id: 'w1x2y3z4', signature: SIG },
        { type: 'tool-call-start', id: 'a9b8c7d6', name: 'get_time' },
        { type: 'tool-call-delta', id: 'a9b8c7d6', text: '{"city":"Zürich"}' },
        { type: 'tool-call-end', id: 'a9b8c7d6' },
        { type: 'finish', reason: 'tool-calls' },
      ]);
      const second = await run(ask, configFor(google, MODEL), [TIME]);
      const calls = callsOf(second.events);
      assert.equal(calls.length, 2);
      assert.notEqual(calls[0].id, calls[1].id);
      assert.deepEqual(calls.map((c) => c.arguments), ['{"city":"Bern"}', '{}'], 'a call without args has arguments {}');
      assert.deepEqual(second.events.at(-1), { type: 'finish', reason: 'tool-calls' });
    });

    it('the next request replays the calls as functionCall parts (signature beside them) and the results as functionResponse parts', async () => {
      server.enqueue(functionCallStream([[
        { text: "I'll check both." },
        { functionCall: { name: 'get_weather', args: { city: 'Zürich' } }, thoughtSignature: SIG },
        { functionCall: { id: 'a9b8c7d6', name: 'get_time', args: { city: 'Zürich' } } },
      ]]));
      const step = await run(ask, configFor(google, MODEL), [WEATHER, TIME]);
      const calls = callsOf(step.events);
      server.enqueue(geminiStream(['Sunny, 21 °C; it is 14:05.']));
      const next = await run([
        ...ask,
        { role: 'assistant', text: "I'll check both.", toolCalls: calls },
        {
          role: 'tool',
          text: '',
          toolResults: [
            { callId: calls[0].id, name: 'get_weather', text: '{"temp":21,"sky":"sunny"}' },
            { callId: 'a9b8c7d6', name: 'get_time', text: 'Unknown time zone', isError: true },
          ],
        },
        { role: 'user', text: 'Also in Celsius please.' },
      ], configFor(google, MODEL), [WEATHER, TIME]);
      assert.deepEqual(next.events.at(-1), { type: 'finish', reason: 'stop' });
      assert.deepEqual(server.last.body.contents, [
        { role: 'user', parts: [{ text: 'Weather and time in Zürich?' }] },
        {
          role: 'model',
          parts: [
            { text: "I'll check both." },
            // the made-up id stays Parley's; Gemini's own id goes back
            { functionCall: { name: 'get_weather', args: { city: 'Zürich' } }, thoughtSignature: SIG },
            { functionCall: { id: 'a9b8c7d6', name: 'get_time', args: { city: 'Zürich' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { output: '{"temp":21,"sky":"sunny"}' } } },
            { functionResponse: { id: 'a9b8c7d6', name: 'get_time', response: { error: 'Unknown time zone' } } },
            { text: 'Also in Celsius please.' },
          ],
        },
      ]);
    });

    it("another provider's calls go as functionCall/functionResponse with their ids; broken arguments stay readable", async () => {
      server.enqueue(geminiStream(['ok']));
      await run([
        ...ask,
        { role: 'assistant', text: '', toolCalls: [{ id: 'call_Vq9pZ0aXbC1d', name: 'get_weather', arguments: '{"city": "Bern"' }, { id: 'toolu_01Time', name: 'get_time', arguments: '' }] },
        { role: 'tool', text: '', toolResults: [{ callId: 'call_Vq9pZ0aXbC1d', name: 'get_weather', text: 'bad arguments', isError: true }, { callId: 'toolu_01Time', name: 'get_time', text: '14:05' }] },
      ], configFor(google, MODEL), [WEATHER, TIME]);
      assert.deepEqual(server.last.body.contents.slice(1), [
        {
          role: 'model',
          parts: [
            { functionCall: { id: 'call_Vq9pZ0aXbC1d', name: 'get_weather', args: { _raw: '{"city": "Bern"' } } },
            { functionCall: { id: 'toolu_01Time', name: 'get_time', args: {} } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: 'call_Vq9pZ0aXbC1d', name: 'get_weather', response: { error: 'bad arguments' } } },
            { functionResponse: { id: 'toolu_01Time', name: 'get_time', response: { output: '14:05' } } },
          ],
        },
      ]);
    });
  });
});
