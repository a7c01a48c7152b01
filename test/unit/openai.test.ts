import assert from 'node:assert/strict';
import { classifyError } from '../../src/providers/errors';
import { openai } from '../../src/providers/openai';
import { apiError, chatChunks, chatStream, modelList } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { collect, configFor, serveDuring } from './helpers';

describe('OpenAI adapter (openai SDK against an OpenAI-format server)', () => {
  const server = new FakeServer('openai');
  let baseUrl: string;
  serveDuring(server, (url) => (baseUrl = `${url}/v1`));

  const turns = [
    { role: 'user' as const, text: 'Hi' },
    { role: 'assistant' as const, text: 'Hello!' },
    { role: 'user' as const, text: 'Count to three' },
  ];
  const context = { provider: 'OpenAI', model: 'gpt-4.1', host: 'api.openai.com' };

  it('streams text deltas in order, then usage from the final empty-choices chunk, then finish', async () => {
    server.enqueue(chatStream(['One', ', two', ', three.'], { model: 'gpt-4.1', usageStyle: 'openai', usage: { prompt_tokens: 21, completion_tokens: 6 } }));
    const result = await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-4.1'));
    assert.equal(result.error, undefined);
    assert.deepEqual(result.events, [
      { type: 'text-delta', text: 'One' },
      { type: 'text-delta', text: ', two' },
      { type: 'text-delta', text: ', three.' },
      { type: 'usage', usage: { inputTokens: 21, outputTokens: 6 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('sends the conversation, system message and controls with OpenAI names, asking for usage', async () => {
    server.enqueue(chatStream(['ok'], { usageStyle: 'openai' }));
    const config = configFor(openai, 'gpt-4.1', {
      maxTokens: 300, temperature: 1.3, topP: 0.9, topK: 12, frequencyPenalty: 0.4, presencePenalty: -0.2, stop: ['END', 'STOP'], seed: 42,
    });
    await collect(openai, { baseUrl }, turns, config);
    const { path, headers, body } = server.last;
    assert.equal(path, '/v1/chat/completions');
    assert.equal(headers.authorization, 'Bearer test-key-123456');
    assert.deepEqual(body, {
      model: 'gpt-4.1',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Count to three' },
      ],
      max_completion_tokens: 300,
      temperature: 1.3,
      top_p: 0.9,
      frequency_penalty: 0.4,
      presence_penalty: -0.2,
      stop: ['END', 'STOP'],
      seed: 42,
    });
    assert.equal('top_k' in body, false, 'OpenAI has no top_k: it must not be sent');
    assert.equal('max_tokens' in body, false);
  });

  it('clamps values into OpenAI ranges and sends at most four stop sequences', async () => {
    server.enqueue(chatStream(['ok'], { usageStyle: 'openai' }));
    await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-4o', { temperature: 7, topP: 3, frequencyPenalty: -9, maxTokens: 1e9, stop: ['a', 'b', 'c', 'd', 'e'] }));
    assert.equal(server.last.body.temperature, 2);
    assert.equal(server.last.body.top_p, 1);
    assert.equal(server.last.body.frequency_penalty, -2);
    assert.equal(server.last.body.max_completion_tokens, 16_384);
    assert.deepEqual(server.last.body.stop, ['a', 'b', 'c', 'd']);
  });

  it('reasoning models get reasoning_effort and no sampling controls, each with a reason in the panel', async () => {
    const caps = openai.capabilities('o4-mini');
    for (const name of ['temperature', 'topP', 'frequencyPenalty', 'presencePenalty', 'stop', 'topK', 'thinkingBudget'] as const) {
      assert.equal(name in caps.controls, false, name);
      assert.ok(caps.unsupported[name], `${name} needs a reason`);
    }
    assert.ok('reasoningEffort' in caps.controls);
    assert.match(caps.unsupported.temperature!, /reasoning models/);

    server.enqueue(chatStream(['42'], { model: 'o4-mini', usageStyle: 'openai', usage: { prompt_tokens: 9, completion_tokens: 70, reasoning_tokens: 64 } }));
    const result = await collect(openai, { baseUrl }, turns, configFor(openai, 'o4-mini', { reasoningEffort: 'high', temperature: 1.2, stop: ['X'] }));
    const { body } = server.last;
    assert.equal(body.reasoning_effort, 'high');
    for (const key of ['temperature', 'top_p', 'frequency_penalty', 'presence_penalty', 'stop']) assert.equal(key in body, false, key);
    assert.equal(body.max_completion_tokens, 256);
    assert.deepEqual(result.events.find((e) => e.type === 'usage'), { type: 'usage', usage: { inputTokens: 9, outputTokens: 70, reasoningTokens: 64 } });
  });

  it('maps reasoning efforts onto what each family knows, and streams any reasoning text as reasoning deltas', async () => {
    server.enqueue(chatStream(['a'], { usageStyle: 'openai' }), chatStream(['b'], { usageStyle: 'openai' }), chatStream(['c'], { usageStyle: 'openai', reasoning: ['Because…'] }));
    await collect(openai, { baseUrl }, turns, configFor(openai, 'o3', { reasoningEffort: 'minimal' }));
    assert.equal(server.last.body.reasoning_effort, 'low');
    await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-5', { reasoningEffort: 'none' }));
    assert.equal(server.last.body.reasoning_effort, 'minimal');
    const result = await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-5.1', { reasoningEffort: 'none' }));
    assert.equal(server.last.body.reasoning_effort, 'none');
    assert.equal(result.reasoning, 'Because…');
    assert.equal(result.text, 'c');
  });

  it('non-reasoning models never receive reasoning_effort', async () => {
    server.enqueue(chatStream(['ok'], { usageStyle: 'openai' }));
    await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-4.1-mini', { reasoningEffort: 'high' }));
    assert.equal('reasoning_effort' in server.last.body, false);
    assert.match(openai.capabilities('gpt-4.1-mini').unsupported.reasoningEffort!, /Only reasoning models/);
  });

  it('JSON mode streams with response_format json_object', async () => {
    server.enqueue(chatStream(['{"answer"', ':3}'], { usageStyle: 'openai' }));
    const result = await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-4o-mini', { jsonMode: true }));
    assert.equal(server.last.body.stream, true);
    assert.deepEqual(server.last.body.response_format, { type: 'json_object' });
    assert.equal(result.text, '{"answer":3}');
  });

  it('a JSON schema goes as response_format json_schema (structured output)', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'integer' } }, required: ['answer'], additionalProperties: false };
    server.enqueue(chatStream(['{"answer":3}'], { usageStyle: 'openai' }));
    const result = await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-4.1-mini', { jsonSchema: JSON.stringify(schema) }));
    assert.deepEqual(server.last.body.response_format, { type: 'json_schema', json_schema: { name: 'reply', schema } });
    assert.equal(result.text, '{"answer":3}');
  });

  it('images go as image_url data URLs to vision models', async () => {
    assert.equal(openai.capabilities('gpt-4o').vision, true);
    assert.equal(openai.capabilities('gpt-5-mini').vision, true);
    assert.equal(openai.capabilities('gpt-3.5-turbo').vision, false);
    server.enqueue(chatStream(['a cat'], { usageStyle: 'openai' }));
    const image = { mimeType: 'image/png', base64: 'iVBORw0KGgo=', name: 'cat.png' };
    await collect(openai, { baseUrl }, [{ role: 'user', text: 'What is this?', images: [image] }], configFor(openai, 'gpt-4.1'));
    assert.deepEqual(server.last.body.messages.at(-1), {
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ],
    });
  });

  it('a 401 becomes an invalid-key error asking for a key', async () => {
    server.enqueue(apiError(401, 'Incorrect API key provided: sk-proj-abcdefghijklmnop.', { code: 'invalid_api_key' }));
    const { error } = await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-4.1'));
    const classified = classifyError(error, context);
    assert.equal(classified.kind, 'auth');
    assert.equal(classified.action, 'set-key');
    assert.doesNotMatch(classified.message, /abcdefghijklmnop/, 'key-shaped text is redacted');
  });

  it('a 404 for an unknown model says which model', async () => {
    server.enqueue(apiError(404, 'The model `gpt-9` does not exist or you do not have access to it.', { code: 'model_not_found' }));
    const { error } = await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-9'));
    const classified = classifyError(error, { ...context, model: 'gpt-9' });
    assert.equal(classified.kind, 'model');
    assert.match(classified.message, /"gpt-9"/);
  });

  it('a 429 with retry-after: 1 is retried by the SDK and then succeeds, reporting the wait', async () => {
    server.enqueue(apiError(429, 'Rate limit reached', { type: 'requests', code: 'rate_limit_exceeded', headers: { 'retry-after': '1' } }), chatStream(['after the wait'], { usageStyle: 'openai' }));
    const waits: number[] = [];
    const result = await collect(openai, { baseUrl, maxRetries: 2, onRetryWait: (s) => waits.push(s) }, turns, configFor(openai, 'gpt-4.1'));
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'after the wait');
    assert.equal(server.requests.length, 2);
    assert.deepEqual(waits, [1]);
  });

  it('a 429 with a long retry-after is not retried silently: the error says when to try again', async () => {
    server.enqueue(apiError(429, 'Rate limit reached', { headers: { 'retry-after': '120' } }), chatStream(['never'], { usageStyle: 'openai' }));
    const result = await collect(openai, { baseUrl, maxRetries: 2 }, turns, configFor(openai, 'gpt-4.1'));
    assert.equal(server.requests.length, 1);
    const classified = classifyError(result.error, context);
    assert.equal(classified.kind, 'rate-limit');
    assert.match(classified.message, /Try again in 2 min/);
  });

  it('a 500 is a server error', async () => {
    server.enqueue(apiError(500, 'The server had an error while processing your request.', { type: 'server_error' }));
    const { error } = await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-4.1'));
    const classified = classifyError(error, context);
    assert.equal(classified.kind, 'server');
    assert.equal(classified.action, 'retry');
  });

  it('an error sent inside the stream (after the 200) is classified by its type', async () => {
    const frames = [
      'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"content":"Part"},"finish_reason":null}]}\n\n',
      'data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","code":null}}\n\n',
    ];
    server.enqueue({ kind: 'sse', frames });
    const result = await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-4.1'));
    assert.equal(result.text, 'Part');
    assert.equal(classifyError(result.error, context).kind, 'server');
  });

  it('a malformed event keeps what arrived and becomes a bad-response error', async () => {
    const frames = chatChunks(['Good ', 'start'], { usageStyle: 'openai' });
    server.enqueue({ kind: 'sse', frames: [...frames.slice(0, 3), 'data: {"choices":[{"delta":{"content":"oops"\n\n', ...frames.slice(3)] });
    const result = await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-4.1'));
    assert.equal(result.text, 'Good start');
    assert.equal(classifyError(result.error, context).kind, 'bad-response');
  });

  it('a connection dropped mid-stream keeps the deltas that arrived and reports a cut-off', async () => {
    server.enqueue(chatStream(['Partial ', 'answer ', 'never ', 'finished'], { usageStyle: 'openai', dropAfter: 3 }));
    const result = await collect(openai, { baseUrl }, turns, configFor(openai, 'gpt-4.1'));
    assert.equal(result.text, 'Partial answer ');
    assert.ok(result.error, 'the drop must surface as an error');
    assert.ok(['cut-off', 'network'].includes(classifyError(result.error, context).kind));
  });

  it('aborting stops the stream at once', async () => {
    server.enqueue(chatStream(Array.from({ length: 200 }, (_, i) => `w${i} `), { usageStyle: 'openai', delayMs: 5 }));
    const controller = new AbortController();
    const adapter = await openai.createAdapter({ apiKey: 'k-12345678', baseUrl, timeoutMs: 10_000, maxRetries: 0 });
    const seen: string[] = [];
    let error: unknown;
    try {
      for await (const event of adapter.stream(turns, configFor(openai, 'gpt-4.1'), controller.signal)) {
        if (event.type === 'text-delta') seen.push(event.text);
        if (seen.length === 3) controller.abort();
      }
    } catch (err) {
      error = err;
    }
    assert.equal(seen.length, 3);
    assert.ok(error === undefined || /Abort/.test((error as Error).name), `an abort is not a failure (got ${(error as Error)?.name})`);
    assert.equal(server.requests.length, 1);
  });

  it('lists only chat models from the models endpoint', async () => {
    server.enqueue(modelList(['gpt-4.1', 'text-embedding-3-small', 'o4-mini', 'whisper-1', 'dall-e-3', 'gpt-4o-realtime-preview', 'tts-1', 'gpt-5']));
    const adapter = await openai.createAdapter({ apiKey: 'k-12345678', baseUrl, timeoutMs: 10_000, maxRetries: 0 });
    assert.deepEqual((await adapter.listModels!()).map((m) => m.id).sort(), ['gpt-4.1', 'gpt-5', 'o4-mini']);
    assert.equal(server.last.path, '/v1/models');
  });

  it('usage: reasoning is inside completion_tokens (total = prompt + completion), cached prompt tokens are shown apart', async () => {
    server.enqueue(chatStream(['42'], { model: 'o4-mini', usageStyle: 'openai', usage: { prompt_tokens: 1200, completion_tokens: 300, reasoning_tokens: 256, cached_tokens: 1000 } }));
    const result = await collect(openai, { baseUrl }, turns, configFor(openai, 'o4-mini'));
    assert.deepEqual(result.events.find((e) => e.type === 'usage'), { type: 'usage', usage: { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 300, reasoningTokens: 256 } });
    // A reply cut off while still reasoning: every generated token was reasoning, still counted once.
    server.enqueue(chatStream([], { model: 'o4-mini', usageStyle: 'openai', finishReason: 'length', usage: { prompt_tokens: 50, completion_tokens: 64, reasoning_tokens: 64 } }));
    const cut = await collect(openai, { baseUrl }, turns, configFor(openai, 'o4-mini'));
    assert.deepEqual(cut.events.find((e) => e.type === 'usage'), { type: 'usage', usage: { inputTokens: 50, outputTokens: 64, reasoningTokens: 64 } });
  });

  it('a 429 insufficient_quota is not retried and says the account is out of quota, with no retry offered', async () => {
    const body = 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.';
    server.enqueue(apiError(429, body, { type: 'insufficient_quota', code: 'insufficient_quota' }), chatStream(['never'], { usageStyle: 'openai' }));
    const waits: number[] = [];
    const result = await collect(openai, { baseUrl, maxRetries: 2, onRetryWait: (s) => waits.push(s) }, turns, configFor(openai, 'gpt-4.1'));
    assert.equal(server.requests.length, 1, 'the SDK must not retry a quota error');
    assert.deepEqual(waits, []);
    const classified = classifyError(result.error, context);
    assert.equal(classified.kind, 'quota');
    assert.equal(classified.action, undefined);
    assert.match(classified.message, /out of quota or credits \(429\)/);
    assert.doesNotMatch(classified.message, /try again/i);
  });
});
