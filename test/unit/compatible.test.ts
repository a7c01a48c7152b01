import assert from 'node:assert/strict';
import { cerebras, compatibleProviders, custom, lmstudio, ollama, openrouter, xai } from '../../src/providers/compatible';
import { classifyError } from '../../src/providers/errors';
import { providers } from '../../src/providers/registry';
import { chatChunks, chatCompletion, chatCompletionsWire, chatStream, midStreamError, modelList } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { collect, configFor, serveDuring } from './helpers';
import { bearerKey, providerContract } from './providerContract';

// Every preset keeps the contract; the model lists say which presets leave out embedding models.
for (const [definition, model, listed, kept, keyPrefix] of [
  [cerebras, 'llama-3.3-70b', ['llama-3.3-70b', 'gpt-oss-120b'], ['llama-3.3-70b', 'gpt-oss-120b'], 'csk-'],
  [xai, 'grok-3', ['grok-3', 'grok-4'], ['grok-3', 'grok-4'], 'xai-'],
  [openrouter, 'openai/gpt-4o-mini', ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4'], ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4'], undefined],
  [ollama, 'llama3.2', ['qwen3:latest', 'nomic-embed-text:latest', 'llama3.2:latest'], ['qwen3:latest', 'llama3.2:latest'], undefined],
  [lmstudio, 'qwen/qwen3-8b', ['qwen/qwen3-8b', 'text-embedding-nomic-embed-text-v1.5'], ['qwen/qwen3-8b'], undefined],
  [custom, 'my-model', ['my-model', 'my-embedding-model'], ['my-model'], undefined],
] as const) {
  providerContract({
    definition,
    model,
    wire: chatCompletionsWire('openai'),
    baseUrl: (url) => `${url}/v1`,
    chatPath: '/v1/chat/completions',
    keyOf: bearerKey,
    models: { path: '/v1/models', reply: modelList([...listed]), expected: kept.map((id) => ({ id })) },
    host: definition.defaultBaseUrl ? new URL(definition.defaultBaseUrl).host : 'my-server.example',
    keyPrefix,
  });
}

describe('OpenAI-compatible presets (openai SDK against OpenAI-format servers)', () => {
  const server = new FakeServer('compatible');
  let baseUrl: string;
  serveDuring(server, (url) => (baseUrl = `${url}/v1`));

  const turns = [
    { role: 'user' as const, text: 'Hi' },
    { role: 'assistant' as const, text: 'Hello!' },
    { role: 'user' as const, text: 'Count to three' },
  ];
  const context = { provider: 'Preset', model: 'm', host: 'h' };

  it('each preset is its own provider, registered after the native ones in panel order', () => {
    const order = ['demo', 'groq', 'openai', 'anthropic', 'google', 'cerebras', 'xai', 'openrouter', 'ollama', 'lmstudio', 'custom'];
    assert.deepEqual(providers.map((p) => p.id).filter((id) => order.includes(id)), order);
    assert.deepEqual(
      compatibleProviders.map((p) => [p.id, p.defaultBaseUrl, p.keyEnv, p.needsKey]),
      [
        ['cerebras', 'https://api.cerebras.ai/v1', ['CEREBRAS_API_KEY'], true],
        ['xai', 'https://api.x.ai/v1', ['XAI_API_KEY'], true],
        ['openrouter', 'https://openrouter.ai/api/v1', ['OPENROUTER_API_KEY'], true],
        ['ollama', 'http://localhost:11434/v1', [], false],
        ['lmstudio', 'http://localhost:1234/v1', [], false],
        ['custom', undefined, [], false],
      ],
    );
  });

  it('reasoning arrives as delta.reasoning (OpenRouter, Ollama) or delta.reasoning_content (xAI, LM Studio)', async () => {
    server.enqueue(
      chatStream(['42'], { usageStyle: 'openai', reasoning: ['Think', 'ing…'], reasoningField: 'reasoning' }),
      chatStream(['43'], { usageStyle: 'openai', reasoning: ['Hm', 'm…'], reasoningField: 'reasoning_content' }),
    );
    const a = await collect(openrouter, { baseUrl }, turns, configFor(openrouter, 'deepseek/deepseek-r1'));
    assert.equal(a.reasoning, 'Thinking…');
    assert.equal(a.text, '42');
    const b = await collect(lmstudio, { baseUrl }, turns, configFor(lmstudio, 'qwen/qwen3-8b'));
    assert.equal(b.reasoning, 'Hmm…');
    assert.equal(b.text, '43');
  });

  it('Cerebras: max_completion_tokens, temperature clamped to 1.5, no penalties or top_k, reasoning_effort for gpt-oss', async () => {
    server.enqueue(chatStream(['ok'], { usageStyle: 'openai' }));
    await collect(cerebras, { baseUrl }, turns, configFor(cerebras, 'gpt-oss-120b', {
      maxTokens: 300, temperature: 1.9, topP: 0.9, topK: 12, frequencyPenalty: 0.4, presencePenalty: 0.3, stop: ['END'], seed: 7, reasoningEffort: 'minimal',
    }));
    const { body } = server.last;
    assert.deepEqual(body, {
      model: 'gpt-oss-120b',
      stream: true,
      messages: [{ role: 'system', content: 'You are terse.' }, ...turns.map((t) => ({ role: t.role, content: t.text }))],
      max_completion_tokens: 300,
      temperature: 1.5,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      reasoning_effort: 'low',
    });
    const caps = cerebras.capabilities('llama-3.3-70b');
    assert.match(caps.unsupported.frequencyPenalty!, /Cerebras rejects/);
    assert.match(caps.unsupported.topK!, /top_k/);
    assert.match(caps.unsupported.reasoningEffort!, /gpt-oss/);
  });

  it('Cerebras sends JSON mode unstreamed and delivers it as one delta', async () => {
    server.enqueue(chatCompletion('{"n":3}', { usage: { prompt_tokens: 9, completion_tokens: 5 } }));
    const result = await collect(cerebras, { baseUrl }, turns, configFor(cerebras, 'llama-3.3-70b', { jsonMode: true }));
    assert.equal(server.last.body.stream, false);
    assert.deepEqual(server.last.body.response_format, { type: 'json_object' });
    assert.equal(result.text, '{"n":3}');
    assert.deepEqual(result.events.at(-1), { type: 'finish', reason: 'stop' });
  });

  it('xAI: reasoning models lose penalties and stop; only Grok 3 mini takes reasoning_effort (low|high)', async () => {
    server.enqueue(chatStream(['a'], { usageStyle: 'openai' }), chatStream(['b'], { usageStyle: 'openai' }));
    await collect(xai, { baseUrl }, turns, configFor(xai, 'grok-3', { frequencyPenalty: 0.5, presencePenalty: 0.5, stop: ['X'], jsonMode: true, reasoningEffort: 'high' }));
    assert.equal(server.last.body.frequency_penalty, 0.5);
    assert.deepEqual(server.last.body.stop, ['X']);
    assert.deepEqual(server.last.body.response_format, { type: 'json_object' });
    assert.equal(server.last.body.stream, true, 'xAI streams JSON mode');
    assert.equal('reasoning_effort' in server.last.body, false);
    await collect(xai, { baseUrl }, turns, configFor(xai, 'grok-3-mini', { frequencyPenalty: 0.5, presencePenalty: 0.5, stop: ['X'], reasoningEffort: 'medium' }));
    for (const key of ['frequency_penalty', 'presence_penalty', 'stop', 'top_k']) assert.equal(key in server.last.body, false, key);
    assert.equal(server.last.body.reasoning_effort, 'low');
    assert.ok(xai.capabilities('grok-4').unsupported.stop);
  });

  it('OpenRouter: max_tokens, top_k and its unified reasoning object', async () => {
    server.enqueue(chatStream(['a'], { usageStyle: 'openai' }), chatStream(['b'], { usageStyle: 'openai' }));
    await collect(openrouter, { baseUrl }, turns, configFor(openrouter, 'anthropic/claude-sonnet-4', { maxTokens: 500, topK: 20, thinkingBudget: 2048 }));
    assert.equal(server.last.body.max_tokens, 500);
    assert.equal(server.last.body.top_k, 20);
    assert.deepEqual(server.last.body.reasoning, { max_tokens: 2048 });
    assert.equal('max_completion_tokens' in server.last.body, false);
    await collect(openrouter, { baseUrl }, turns, configFor(openrouter, 'openai/o4-mini', { reasoningEffort: 'high', thinkingBudget: 2048 }));
    assert.deepEqual(server.last.body.reasoning, { effort: 'high' });
  });

  it('Ollama and LM Studio need no key: a placeholder goes instead, never an OPENAI_API_KEY from the environment', async () => {
    const saved = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-proj-from-the-environment-000';
    try {
      server.enqueue(chatStream(['a'], { usageStyle: 'openai' }), chatStream(['b'], { usageStyle: 'openai' }));
      const a = await collect(ollama, { baseUrl, apiKey: undefined }, turns, configFor(ollama, 'qwen3', { reasoningEffort: 'high' }));
      assert.equal(a.error, undefined);
      assert.equal(server.last.headers.authorization, 'Bearer not-needed');
      assert.equal(server.last.body.max_tokens, 256);
      assert.equal(server.last.body.reasoning_effort, 'high');
      assert.equal('top_k' in server.last.body, false);
      await collect(lmstudio, { baseUrl, apiKey: undefined }, turns, configFor(lmstudio, 'google/gemma-3-12b', { topK: 30, jsonMode: true }));
      assert.equal(server.last.headers.authorization, 'Bearer not-needed');
      assert.equal(server.last.body.top_k, 30);
      assert.equal('response_format' in server.last.body, false, 'LM Studio has no plain JSON mode');
      assert.match(lmstudio.capabilities('x').unsupported.jsonMode!, /json_schema/);
      // Listing models needs no key either.
      server.enqueue(modelList(['qwen3:latest']));
      const adapter = await ollama.createAdapter({ baseUrl, timeoutMs: 10_000, maxRetries: 0 });
      assert.deepEqual(await adapter.listModels!(), [{ id: 'qwen3:latest' }]);
      assert.equal(server.last.path, '/v1/models');
      assert.equal(server.last.headers.authorization, 'Bearer not-needed');
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  });

  it('Custom without a base URL asks for parley.custom.baseUrl; with one it sends the key it has', async () => {
    await assert.rejects(custom.createAdapter({ timeoutMs: 1000, maxRetries: 0 }), (err: Error) => {
      const classified = classifyError(err, context);
      assert.match(classified.message, /parley\.custom\.baseUrl/);
      return true;
    });
    server.enqueue(chatStream(['ok'], { usageStyle: 'openai' }));
    await collect(custom, { baseUrl, apiKey: 'my-server-key' }, turns, configFor(custom, 'my-model', { topK: 5 }));
    assert.equal(server.last.headers.authorization, 'Bearer my-server-key');
    assert.equal(server.last.body.model, 'my-model');
    assert.equal('top_k' in server.last.body, false);
  });

  it('images go as image_url data URLs', async () => {
    server.enqueue(chatStream(['a cat'], { usageStyle: 'openai' }));
    const image = { mimeType: 'image/png', base64: 'iVBORw0KGgo=', name: 'cat.png' };
    assert.equal(ollama.capabilities('llava').vision, true);
    await collect(ollama, { baseUrl }, [{ role: 'user', text: 'What is this?', images: [image] }], configFor(ollama, 'llava'));
    assert.deepEqual(server.last.body.messages.at(-1).content[1], { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } });
  });

  it('xAI counts reasoning beside completion_tokens: output is both (a 291-token reply is 291 out, 290 of them reasoning)', async () => {
    server.enqueue(chatStream(['Hi'], {
      model: 'grok-3-mini', usageStyle: 'openai', reasoning: ['Hm…'], reasoningField: 'reasoning_content',
      usage: { prompt_tokens: 28, completion_tokens: 1, reasoning_tokens: 290, total_tokens: 319, cached_tokens: 5 },
    }));
    const a = await collect(xai, { baseUrl }, turns, configFor(xai, 'grok-3-mini'));
    assert.deepEqual(a.events.find((e) => e.type === 'usage'), { type: 'usage', usage: { inputTokens: 28, cachedInputTokens: 5, outputTokens: 291, reasoningTokens: 290 } });
    // Reasoning shorter than the answer: the total still says it was counted beside it.
    server.enqueue(chatStream(['Long answer'], { model: 'grok-4', usageStyle: 'openai', usage: { prompt_tokens: 10, completion_tokens: 200, reasoning_tokens: 100, total_tokens: 310 } }));
    const b = await collect(xai, { baseUrl }, turns, configFor(xai, 'grok-4'));
    assert.deepEqual(b.events.find((e) => e.type === 'usage'), { type: 'usage', usage: { inputTokens: 10, outputTokens: 300, reasoningTokens: 100 } });
  });

  it('OpenRouter: an error chunk after the finish chunk keeps the usage it carries and is classified by its numeric code', async () => {
    const frames = chatChunks(['The answer is'], { model: 'openai/gpt-4o-mini', usageStyle: 'openai', finishReason: 'length' });
    const done = frames.pop()!;
    server.enqueue({ kind: 'sse', frames: [...frames, midStreamError(400, 'Provider returned error', { prompt_tokens: 40, completion_tokens: 16 }), done] });
    const result = await collect(openrouter, { baseUrl }, turns, configFor(openrouter, 'openai/gpt-4o-mini'));
    assert.equal(result.text, 'The answer is');
    assert.deepEqual(result.events.at(-1), { type: 'usage', usage: { inputTokens: 40, outputTokens: 16 } });
    const classified = classifyError(result.error, { ...context, provider: 'OpenRouter' });
    assert.equal(classified.kind, 'bad-request');
    assert.match(classified.message, /\(400\): Provider returned error/);
    server.enqueue({ kind: 'sse', frames: [...frames.slice(0, 2), midStreamError(502, 'Upstream provider disconnected')] });
    const upstream = await collect(openrouter, { baseUrl }, turns, configFor(openrouter, 'openai/gpt-4o-mini'));
    assert.equal(classifyError(upstream.error, context).kind, 'server');
  });

  it('OpenRouter: a 402 (no credits left) is a quota error, not retried', async () => {
    server.enqueue({ kind: 'json', status: 402, body: { error: { code: 402, message: 'Insufficient credits. Add more using https://openrouter.ai/settings/credits' } } });
    const result = await collect(openrouter, { baseUrl, maxRetries: 2 }, turns, configFor(openrouter, 'openai/gpt-4o-mini'));
    assert.equal(server.requests.length, 1);
    const classified = classifyError(result.error, { ...context, provider: 'OpenRouter' });
    assert.equal(classified.kind, 'quota');
    assert.equal(classified.action, undefined);
  });

  it('OpenRouter: url_citation annotations become citation events', async () => {
    server.enqueue(chatStream(['Paris is the capital [1].'], {
      model: 'openai/gpt-4o-mini:online',
      usageStyle: 'openai',
      annotations: [
        { url: 'https://en.wikipedia.org/wiki/Paris', title: 'Paris - Wikipedia', start_index: 21, end_index: 24, content: 'Paris is the capital and largest city of France.' },
        { url: 'https://www.britannica.com/place/Paris', title: 'Paris | Definition, Map, Population, Facts, & History | Britannica' },
      ],
    }));
    const result = await collect(openrouter, { baseUrl }, turns, configFor(openrouter, 'openai/gpt-4o-mini:online'));
    assert.equal(result.error, undefined);
    assert.deepEqual(result.events.filter((e) => e.type === 'citation'), [
      { type: 'citation', citation: { url: 'https://en.wikipedia.org/wiki/Paris', title: 'Paris - Wikipedia' } },
      { type: 'citation', citation: { url: 'https://www.britannica.com/place/Paris', title: 'Paris | Definition, Map, Population, Facts, & History | Britannica' } },
    ]);
    assert.deepEqual(result.events.at(-1), { type: 'finish', reason: 'stop' });
  });
});
