import assert from 'node:assert/strict';
import { classifyError } from '../../src/providers/errors';
import { openai } from '../../src/providers/openai';
import { apiError, chatCompletionsWire, chatStream, modelList } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { collect, configFor, serveDuring } from './helpers';
import { bearerKey, providerContract } from './providerContract';

providerContract({
  definition: openai,
  model: 'gpt-4.1',
  // OpenAI's usage arrives in a last chunk with empty choices (stream_options.include_usage).
  wire: chatCompletionsWire('openai'),
  baseUrl: (url) => `${url}/v1`,
  chatPath: '/v1/chat/completions',
  keyOf: bearerKey,
  models: {
    path: '/v1/models',
    // Only chat models: embeddings, speech, images and realtime models are left out.
    reply: modelList(['gpt-4.1', 'text-embedding-3-small', 'o4-mini', 'whisper-1', 'dall-e-3', 'gpt-4o-realtime-preview', 'tts-1', 'gpt-5']),
    expected: [{ id: 'gpt-4.1' }, { id: 'o4-mini' }, { id: 'gpt-5' }],
  },
  host: 'api.openai.com',
});

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
