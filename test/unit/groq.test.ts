import assert from 'node:assert/strict';
import { classifyError } from '../../src/providers/errors';
import { groq } from '../../src/providers/groq';
import { GROQ_MODELS_TODAY, groqModelDecommissioned, groqModelList } from '../fakes/groqModels';
import { apiError, chatCompletion, chatStream } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { collect, configFor, serveDuring } from './helpers';

describe('Groq adapter (groq-sdk against a Groq-format server)', () => {
  const server = new FakeServer('groq');
  let baseUrl: string;
  serveDuring(server, (url) => (baseUrl = url));

  const turns = [
    { role: 'user' as const, text: 'Hi' },
    { role: 'assistant' as const, text: 'Hello!' },
    { role: 'user' as const, text: 'Count to three' },
  ];

  it('streams text deltas in order, then usage from x_groq, then finish', async () => {
    server.enqueue(chatStream(['One', ', two', ', three.'], { usage: { prompt_tokens: 21, completion_tokens: 6 } }));
    const result = await collect(groq, { baseUrl }, turns, configFor(groq, 'openai/gpt-oss-20b'));
    assert.equal(result.error, undefined);
    assert.deepEqual(result.events, [
      { type: 'text-delta', text: 'One' },
      { type: 'text-delta', text: ', two' },
      { type: 'text-delta', text: ', three.' },
      { type: 'usage', usage: { inputTokens: 21, outputTokens: 6 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('sends the conversation, system message and controls with Groq names', async () => {
    server.enqueue(chatStream(['ok']));
    const config = configFor(groq, 'openai/gpt-oss-20b', {
      maxTokens: 300, temperature: 1.3, topP: 0.9, topK: 12, frequencyPenalty: 0.4, presencePenalty: -0.2, stop: ['END', 'STOP'], seed: 42, serviceTier: 'flex',
    });
    await collect(groq, { baseUrl }, turns, config);
    const { path, headers, body } = server.last;
    assert.equal(path, '/openai/v1/chat/completions');
    assert.equal(headers.authorization, 'Bearer test-key-123456');
    assert.deepEqual(body, {
      model: 'openai/gpt-oss-20b',
      stream: true,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Count to three' },
      ],
      max_completion_tokens: 300,
      temperature: 1.3,
      top_p: 0.9,
      stop: ['END', 'STOP'],
      seed: 42,
      service_tier: 'flex',
    });
    assert.equal('top_k' in body, false, 'Groq has no top_k: it must not be sent');
    assert.equal('frequency_penalty' in body || 'presence_penalty' in body, false, 'Groq takes no penalties: they must not be sent');
  });

  it('clamps values into Groq ranges and sends a single stop as a string', async () => {
    server.enqueue(chatStream(['ok']));
    await collect(groq, { baseUrl }, turns, configFor(groq, 'openai/gpt-oss-120b', { temperature: 7, topP: 3, stop: ['###'] }));
    assert.equal(server.last.body.temperature, 2);
    assert.equal(server.last.body.top_p, 1);
    assert.equal(server.last.body.stop, '###');
  });

  it('JSON mode is sent unstreamed with response_format and arrives as one delta', async () => {
    server.enqueue(chatCompletion('{"answer":3}', { usage: { prompt_tokens: 9, completion_tokens: 5 } }));
    const result = await collect(groq, { baseUrl }, turns, configFor(groq, 'openai/gpt-oss-20b', { jsonMode: true }));
    assert.equal(server.last.body.stream, false);
    assert.deepEqual(server.last.body.response_format, { type: 'json_object' });
    assert.deepEqual(result.events.filter((e) => e.type === 'text-delta'), [{ type: 'text-delta', text: '{"answer":3}' }]);
    assert.deepEqual(result.events.at(-1), { type: 'finish', reason: 'stop' });
  });

  it('Qwen 3 gets reasoning_format parsed, takes only none/default efforts, and its reasoning arrives as reasoning deltas', async () => {
    server.enqueue(chatStream(['42'], { model: 'qwen/qwen3.6-27b', reasoning: ['Think', 'ing…'] }));
    const result = await collect(groq, { baseUrl }, turns, configFor(groq, 'qwen/qwen3.6-27b', { reasoningEffort: 'default' }));
    assert.equal(server.last.body.reasoning_format, 'parsed');
    assert.equal(server.last.body.reasoning_effort, 'default');
    assert.equal(result.reasoning, 'Thinking…');
    assert.equal(result.text, '42');
    server.enqueue(chatStream(['ok']));
    await collect(groq, { baseUrl }, turns, configFor(groq, 'qwen/qwen3.6-27b', { reasoningEffort: 'high', reasoningFormat: 'raw' }));
    assert.equal('reasoning_effort' in server.last.body, false, 'high is not an effort Qwen 3 takes on Groq');
    assert.equal(server.last.body.reasoning_format, 'raw');
  });

  it('gpt-oss takes low/medium/high and include_reasoning instead of reasoning_format', async () => {
    const caps = groq.capabilities('openai/gpt-oss-120b');
    assert.deepEqual(caps.reasoningEfforts, ['low', 'medium', 'high']);
    assert.deepEqual(caps.reasoningFormats, ['parsed', 'hidden']);
    server.enqueue(chatStream(['ok']));
    await collect(groq, { baseUrl }, turns, configFor(groq, 'openai/gpt-oss-120b', { reasoningEffort: 'medium', reasoningFormat: 'hidden' }));
    assert.equal(server.last.body.reasoning_effort, 'medium');
    assert.equal(server.last.body.include_reasoning, false);
    assert.equal('reasoning_format' in server.last.body, false);
    server.enqueue(chatStream(['ok']));
    await collect(groq, { baseUrl }, turns, configFor(groq, 'openai/gpt-oss-120b', { reasoningEffort: 'minimal' }));
    assert.equal('reasoning_effort' in server.last.body, false, 'minimal is not an effort gpt-oss takes');
  });

  it('penalties are disabled for every Groq model, with the reason', () => {
    for (const model of ['openai/gpt-oss-120b', 'qwen/qwen3.6-27b', 'some-future-model']) {
      const caps = groq.capabilities(model);
      assert.equal('frequencyPenalty' in caps.controls, false);
      assert.match(caps.unsupported.presencePenalty!, /no frequency_penalty or presence_penalty/);
    }
  });

  it('raw reasoning is never sent with JSON output (Groq refuses the pair)', async () => {
    server.enqueue(chatCompletion('{"a":1}'));
    await collect(groq, { baseUrl }, turns, configFor(groq, 'qwen/qwen3.6-27b', { jsonMode: true, reasoningFormat: 'raw' }));
    assert.deepEqual(server.last.body.response_format, { type: 'json_object' });
    assert.equal(server.last.body.reasoning_format, 'parsed');
  });

  it('a JSON schema is sent as response_format json_schema, unstreamed', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'] };
    server.enqueue(chatCompletion('{"answer":3}'));
    const result = await collect(groq, { baseUrl }, turns, configFor(groq, 'openai/gpt-oss-20b', { jsonSchema: JSON.stringify(schema) }));
    assert.equal(server.last.body.stream, false);
    assert.deepEqual(server.last.body.response_format, { type: 'json_schema', json_schema: { name: 'reply', schema } });
    assert.equal(result.text, '{"answer":3}');
  });

  it('non-reasoning models never receive reasoning parameters', async () => {
    server.enqueue(chatStream(['ok']));
    await collect(groq, { baseUrl }, turns, configFor(groq, 'groq/compound', { reasoningEffort: 'high', reasoningFormat: 'raw' }, { reasoning: false, sources: ['test'] }));
    assert.equal('reasoning_effort' in server.last.body, false);
    assert.equal('reasoning_format' in server.last.body, false);
    assert.equal('include_reasoning' in server.last.body, false);
  });

  it('a decommissioned model is a model error that says so, with a pick-model action', async () => {
    server.enqueue(groqModelDecommissioned('llama-3.3-70b-versatile'));
    const { error } = await collect(groq, { baseUrl }, turns, configFor(groq, 'llama-3.3-70b-versatile'));
    const classified = classifyError(error, { provider: 'Groq', model: 'llama-3.3-70b-versatile', host: 'api.groq.com' });
    assert.equal(classified.kind, 'model');
    assert.equal(classified.action, 'pick-model');
    assert.match(classified.message, /no longer serves llama-3\.3-70b-versatile: it was decommissioned/);
  });

  it('images go as image_url data URLs', async () => {
    server.enqueue(chatStream(['a cat']));
    const image = { mimeType: 'image/png', base64: 'iVBORw0KGgo=', name: 'cat.png' };
    await collect(groq, { baseUrl }, [{ role: 'user', text: 'What is this?', images: [image] }], configFor(groq, 'meta-llama/llama-4-scout-17b-16e-instruct'));
    assert.deepEqual(server.last.body.messages.at(-1), {
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ],
    });
  });

  it('a 401 as Groq sends it becomes an invalid-key error asking for a key', async () => {
    server.enqueue(apiError(401, 'Invalid API Key', { code: 'invalid_api_key' }));
    const { error } = await collect(groq, { baseUrl }, turns, configFor(groq, 'openai/gpt-oss-20b'));
    const classified = classifyError(error, { provider: 'Groq', model: 'openai/gpt-oss-20b', host: 'api.groq.com' });
    assert.equal(classified.kind, 'auth');
    assert.equal(classified.action, 'set-key');
    assert.match(classified.message, /rejected the API key/);
  });

  it('a 404 for an unknown model says which model', async () => {
    server.enqueue(apiError(404, 'The model `llama-9` does not exist or you do not have access to it.', { code: 'model_not_found' }));
    const { error } = await collect(groq, { baseUrl }, turns, configFor(groq, 'llama-9'));
    const classified = classifyError(error, { provider: 'Groq', model: 'llama-9', host: 'api.groq.com' });
    assert.equal(classified.kind, 'model');
    assert.match(classified.message, /"llama-9"/);
    assert.equal(classified.action, 'pick-model');
  });

  it('a 429 with retry-after: 1 is retried by the SDK and then succeeds, reporting the wait', async () => {
    server.enqueue(apiError(429, 'Rate limit reached', { code: 'rate_limit_exceeded', headers: { 'retry-after': '1' } }), chatStream(['after the wait']));
    const waits: number[] = [];
    const result = await collect(groq, { baseUrl, maxRetries: 2, onRetryWait: (s) => waits.push(s) }, turns, configFor(groq, 'openai/gpt-oss-20b'));
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'after the wait');
    assert.equal(server.requests.length, 2);
    assert.deepEqual(waits, [1]);
  });

  it('a 429 with a long retry-after is not retried silently: the error says when to try again', async () => {
    server.enqueue(apiError(429, 'Rate limit reached', { headers: { 'retry-after': '120' } }), chatStream(['never']));
    const result = await collect(groq, { baseUrl, maxRetries: 2 }, turns, configFor(groq, 'openai/gpt-oss-20b'));
    assert.equal(server.requests.length, 1);
    const classified = classifyError(result.error, { provider: 'Groq', model: 'm', host: 'h' });
    assert.equal(classified.kind, 'rate-limit');
    assert.match(classified.message, /Try again in 2 min/);
  });

  it('a connection dropped mid-stream keeps the deltas that arrived and reports a cut-off', async () => {
    server.enqueue(chatStream(['Partial ', 'answer ', 'never ', 'finished'], { dropAfter: 3 }));
    const result = await collect(groq, { baseUrl }, turns, configFor(groq, 'openai/gpt-oss-20b'));
    assert.equal(result.text, 'Partial answer ');
    assert.ok(result.error, 'the drop must surface as an error');
    const classified = classifyError(result.error, { provider: 'Groq', model: 'm', host: 'h' });
    assert.ok(['cut-off', 'network'].includes(classified.kind), classified.kind);
  });

  it('aborting stops the stream at once', async () => {
    server.enqueue(chatStream(Array.from({ length: 200 }, (_, i) => `w${i} `), { delayMs: 5 }));
    const controller = new AbortController();
    const adapter = await groq.createAdapter({ apiKey: 'k-12345678', baseUrl, timeoutMs: 10_000, maxRetries: 0 });
    const seen: string[] = [];
    let error: unknown;
    try {
      for await (const event of adapter.stream(turns, configFor(groq, 'openai/gpt-oss-20b'), controller.signal)) {
        if (event.type === 'text-delta') seen.push(event.text);
        if (seen.length === 3) controller.abort();
      }
    } catch (err) {
      error = err;
    }
    assert.equal(seen.length, 3);
    assert.ok(error === undefined || /Abort/.test((error as Error).name), `an abort is not a failure (got ${(error as Error)?.name})`);
    assert.ok(server.requests.length === 1);
  });

  it('lists models from the models endpoint with their limits, leaving out inactive ones', async () => {
    server.enqueue(groqModelList([...GROQ_MODELS_TODAY.slice(0, 2), { id: 'retiring-model', owned_by: 'x', context_window: 8192, max_completion_tokens: 8192, active: false }]));
    const adapter = await groq.createAdapter({ apiKey: 'k-12345678', baseUrl, timeoutMs: 10_000, maxRetries: 0 });
    assert.deepEqual(await adapter.listModels!(), [
      { id: 'openai/gpt-oss-120b', contextWindow: 131_072, maxOutput: 65_536 },
      { id: 'openai/gpt-oss-20b', contextWindow: 131_072, maxOutput: 65_536 },
    ]);
    assert.equal(server.last.path, '/openai/v1/models');
  });

  it('cached prompt tokens (prompt caching) are shown apart, inside the input count', async () => {
    server.enqueue(chatStream(['ok'], { model: 'moonshotai/kimi-k2-instruct-0905', usage: { prompt_tokens: 1200, completion_tokens: 300, cached_tokens: 1000 } }));
    const result = await collect(groq, { baseUrl }, turns, configFor(groq, 'moonshotai/kimi-k2-instruct-0905'));
    assert.deepEqual(result.events.find((e) => e.type === 'usage'), { type: 'usage', usage: { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 300 } });
  });
});
