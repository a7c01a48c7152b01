import assert from 'node:assert/strict';
import { classifyError } from '../../src/providers/errors';
import { groq } from '../../src/providers/groq';
import { GROQ_MODELS_TODAY, groqModelDecommissioned, groqModelList } from '../fakes/groqModels';
import { chatCompletion, chatCompletionsWire, chatStream } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { collect, configFor, serveDuring } from './helpers';
import { bearerKey, providerContract } from './providerContract';

providerContract({
  definition: groq,
  model: 'openai/gpt-oss-20b',
  // Groq's usage arrives in the finish chunk's x_groq.
  wire: chatCompletionsWire('groq'),
  baseUrl: (url) => url,
  chatPath: '/openai/v1/chat/completions',
  keyOf: bearerKey,
  models: {
    path: '/openai/v1/models',
    // Inactive models are left out; the limits Groq states are kept.
    reply: groqModelList([...GROQ_MODELS_TODAY.slice(0, 2), { id: 'retiring-model', owned_by: 'x', context_window: 8192, max_completion_tokens: 8192, active: false }]),
    expected: [
      { id: 'openai/gpt-oss-120b', contextWindow: 131_072, maxOutput: 65_536 },
      { id: 'openai/gpt-oss-20b', contextWindow: 131_072, maxOutput: 65_536 },
    ],
  },
  host: 'api.groq.com',
  keyPrefix: 'gsk_',
});

describe('Groq adapter (groq-sdk against a Groq-format server)', () => {
  const server = new FakeServer('groq');
  let baseUrl: string;
  serveDuring(server, (url) => (baseUrl = url));

  const turns = [
    { role: 'user' as const, text: 'Hi' },
    { role: 'assistant' as const, text: 'Hello!' },
    { role: 'user' as const, text: 'Count to three' },
  ];

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

  it('cached prompt tokens (prompt caching) are shown apart, inside the input count', async () => {
    server.enqueue(chatStream(['ok'], { model: 'moonshotai/kimi-k2-instruct-0905', usage: { prompt_tokens: 1200, completion_tokens: 300, cached_tokens: 1000 } }));
    const result = await collect(groq, { baseUrl }, turns, configFor(groq, 'moonshotai/kimi-k2-instruct-0905'));
    assert.deepEqual(result.events.find((e) => e.type === 'usage'), { type: 'usage', usage: { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 300 } });
  });
});
