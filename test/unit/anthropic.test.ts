import assert from 'node:assert/strict';
import { anthropic, DEFAULT_MAX_TOKENS, REDACTED_THINKING_NOTE } from '../../src/providers/anthropic';
import { classifyError } from '../../src/providers/errors';
import { anthropicError, anthropicModelList, anthropicWire, errorEvent, event, messageEvents, messageStream } from '../fakes/anthropicFormat';
import { FakeServer } from '../fakes/server';
import { collect, configFor, serveDuring } from './helpers';
import { bearerKey, providerContract } from './providerContract';

providerContract({
  definition: anthropic,
  model: 'claude-sonnet-4-6',
  // Usage comes from message_start and message_delta; a ping sits before the first delta.
  wire: anthropicWire,
  baseUrl: (url) => url,
  chatPath: '/v1/messages',
  // The SDK's own choice: x-api-key, or the same key as a bearer token.
  keyOf: (request) => (request.headers['x-api-key'] as string | undefined) ?? bearerKey(request),
  models: { path: '/v1/models', reply: anthropicModelList(['claude-sonnet-4-6', 'claude-haiku-4-5']), expected: [{ id: 'claude-sonnet-4-6' }, { id: 'claude-haiku-4-5' }] },
  host: 'api.anthropic.com',
  keyPrefix: 'sk-ant-api03-',
});

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

  it('web search citations (citations_delta, web_search_result_location) become citation events (the search itself is a card: see anthropicWebSearch.test.ts)', async () => {
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

  it('a 400 saying the credit balance is too low is a quota error, with no retry offered', async () => {
    server.enqueue(anthropicError(400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'));
    const { error } = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    const classified = classifyError(error, context);
    assert.equal(classified.kind, 'quota');
    assert.equal(classified.action, undefined);
    assert.match(classified.message, /out of quota or credits \(400\).*credit balance is too low/);
  });

  it('a 529 is overloaded (a 500 is a server error, as for every provider)', async () => {
    server.enqueue(anthropicError(529, 'overloaded_error', 'Overloaded'));
    const { error } = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    const classified = classifyError(error, context);
    assert.equal(classified.kind, 'overloaded');
    assert.equal(classified.action, 'retry');
  });

  it('a stream that closes its text block but ends without message_delta and message_stop is a cut-off', async () => {
    const frames = messageEvents(['Half']);
    server.enqueue({ kind: 'sse', frames: frames.filter((f) => !f.startsWith('event: message_stop')).slice(0, -1) });
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.equal(result.text, 'Half');
    assert.equal((result.error as Error).name, 'StreamCutOff');
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

  it('ignores event types it does not know (the API may add some)', async () => {
    const frames = messageEvents(['ok']);
    server.enqueue({ kind: 'sse', frames: [frames[0], event('future_event', { x: 1 }), ...frames.slice(1)] });
    const result = await collect(anthropic, { baseUrl }, turns, configFor(anthropic, MODEL));
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'ok');
  });
});
