// Parley's models used by another extension through VS Code's own API (vscode.lm), in a real VS Code: a small
// test extension (test/e2e/lm-client) selects models by vendor, streams a reply, cancels one and meets a
// provider without a key — the keys set with Parley: Set API Key, the replies from local Groq and Anthropic servers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { anthropicError, anthropicModelList, messageStream } from '../fakes/anthropicFormat';
import { GROQ_MODELS_TODAY, groqModelList } from '../fakes/groqModels';
import { chatChunks, chatStream, toolCallChunks } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { sampleWorkspace, startVsCode, until, type Session } from './harness';

const CLIENT_DIR = resolve(__dirname, 'lm-client');

describe('e2e: Parley models for other extensions (vscode.lm)', function () {
  const groq = new FakeServer('groq');
  const anthropic = new FakeServer('anthropic');
  let vs: Session;
  let exchange: string;
  let run = 0;
  /** Set when the slow stream's connection closes (the request was aborted). */
  let slowClosed = false;

  /** Runs the test extension's scenario through the palette and returns what it saw. */
  async function scenario(steps: object[]): Promise<any[]> {
    run++;
    writeFileSync(join(exchange, 'request.json'), JSON.stringify({ run, steps }));
    await vs.runCommand('Parley LM Client: Run Scenario');
    const resultFile = join(exchange, 'result.json');
    const result = await until(() => (existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : undefined), (r) => r?.run === run, `scenario ${run}`);
    return result.results;
  }

  before(async function () {
    exchange = mkdtempSync(join(tmpdir(), 'parley-lm-'));
    const vsix = join(exchange, 'lm-client.vsix');
    execFileSync(resolve('node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: CLIENT_DIR, stdio: 'pipe' });
    await groq.start();
    await anthropic.start();
    groq.route(/\/models$/, () => groqModelList());
    anthropic.route(/\/models$/, () => anthropicModelList(['claude-sonnet-4-6', 'claude-haiku-4-5']));
    vs = await startVsCode({
      workspace: sampleWorkspace,
      name: 'language-models',
      extraVsix: [vsix],
      env: { PARLEY_LM_CLIENT_DIR: exchange },
      settings: { 'parley.groq.baseUrl': groq.url, 'parley.anthropic.baseUrl': anthropic.url },
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vs?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
  });
  after(async function () {
    await vs?.close();
    await groq.stop();
    await anthropic.stop();
    rmSync(exchange, { recursive: true, force: true });
  });

  it('with keys set for Groq and Anthropic, another extension sees their models (and none of a provider without a key)', async function () {
    for (const [label, key] of [['Groq', 'gsk_lm_e2e_key_000000000001'], ['Anthropic', 'sk-ant-lm-e2e-key-0000000002']]) {
      await vs.runCommand('Parley: Set API Key');
      await vs.quickPick(label);
      await vs.quickInputType(key);
    }
    const [groqModels, anthropicModels, openaiModels] = await scenario([
      { op: 'select', vendor: 'parley-groq', id: 'openai/gpt-oss-20b', as: 'groq' },
      { op: 'select', vendor: 'parley-anthropic', id: 'claude-haiku-4-5', as: 'anthropic' },
      { op: 'select', vendor: 'parley-openai' },
    ]);
    const chatModels = GROQ_MODELS_TODAY.filter((m) => !/whisper|orpheus|guard/.test(m.id)).map((m) => m.id).sort();
    assert.deepEqual(groqModels.models.map((m: { id: string }) => m.id).sort(), chatModels);
    const oss = groqModels.models.find((m: { id: string }) => m.id === 'openai/gpt-oss-20b');
    assert.equal(oss.vendor, 'parley-groq');
    assert.equal(oss.maxInputTokens, 131_072 - 65_536, "Groq's context window less the output it reserves (both from its endpoint)");
    assert.deepEqual(anthropicModels.models.map((m: { id: string }) => m.id).sort(), ['claude-haiku-4-5', 'claude-sonnet-4-6']);
    assert.deepEqual(openaiModels.models, [], 'no key, no models');
  });

  it('a request streams from the provider through the same adapter as the panel, with the caller\'s messages only', async function () {
    groq.enqueue(chatStream(['Hello ', 'from ', 'Groq.'], { model: 'openai/gpt-oss-20b', delayMs: 20 }));
    anthropic.enqueue(messageStream(['Hi ', 'from Claude.'], { model: 'claude-haiku-4-5' }));
    const [fromGroq, fromAnthropic, count] = await scenario([
      { op: 'send', model: 'groq', text: 'Say hello' },
      { op: 'send', model: 'anthropic', text: 'Say hi' },
      { op: 'count', model: 'groq', text: 'four words of text' },
    ]);
    assert.equal(fromGroq.error, undefined, JSON.stringify(fromGroq.error));
    assert.equal(fromGroq.text, 'Hello from Groq.');
    assert.ok(fromGroq.chunks.length >= 2, `streamed in parts (${fromGroq.chunks.length})`);
    assert.equal(groq.last.body.model, 'openai/gpt-oss-20b');
    assert.equal(groq.last.headers.authorization, 'Bearer gsk_lm_e2e_key_000000000001');
    assert.deepEqual(groq.last.body.messages, [{ role: 'user', content: 'Say hello' }], "no system message of Parley's own");
    assert.equal(fromAnthropic.text, 'Hi from Claude.');
    assert.equal(anthropic.last.body.model, 'claude-haiku-4-5');
    assert.equal(count.tokens, 5, 'about 4 characters per token');
  });

  it('a tool-call round trip: the model\'s call reaches the caller as a LanguageModelToolCallPart, the result goes back in Groq\'s form', async function () {
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'call_time1', name: 'get_time', pieces: ['{"zo', 'ne": "UTC"}'] }], { model: 'openai/gpt-oss-20b' }) });
    groq.enqueue(chatStream(['It is ', 'noon.'], { model: 'openai/gpt-oss-20b' }));
    const [round] = await scenario([{ op: 'tools', model: 'groq', text: 'What time is it?', tool: 'get_time', result: '12:00 UTC' }]);
    assert.equal(round.error, undefined, JSON.stringify(round.error));
    assert.deepEqual(round.calls, [{ callId: 'call_time1', name: 'get_time', input: { zone: 'UTC' } }]);
    assert.equal(round.answer, 'It is noon.');
    const [first, second] = groq.requests.slice(-2);
    assert.deepEqual(first.body.tools, [{ type: 'function', function: { name: 'get_time', description: 'Test tool', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } }]);
    assert.deepEqual(second.body.messages, [
      { role: 'user', content: 'What time is it?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_time1', type: 'function', function: { name: 'get_time', arguments: '{"zone":"UTC"}' } }] },
      { role: 'tool', tool_call_id: 'call_time1', content: '12:00 UTC' },
    ]);
  });

  it('cancelling through the token aborts the provider request at once', async function () {
    slowClosed = false;
    const frames = chatChunks(Array.from({ length: 400 }, (_, i) => `w${i} `), { model: 'openai/gpt-oss-20b' });
    groq.enqueue({
      kind: 'raw',
      handler: (req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        let i = 0;
        const timer = setInterval(() => (i < frames.length ? res.write(frames[i++]) : res.end()), 30);
        res.on('close', () => {
          clearInterval(timer);
          slowClosed = i < frames.length;
        });
      },
    });
    const [cancelled] = await scenario([{ op: 'send', model: 'groq', text: 'A long one', cancelAfterChunks: 3 }]);
    assert.equal(cancelled.cancelled, true);
    assert.ok(!cancelled.text.includes('w399'), 'stopped before the end');
    await until(() => slowClosed, (closed) => closed, 'the provider connection to close before the stream ended');
  });

  it('errors are LanguageModelErrors with the panel\'s messages; a provider whose key is cleared withdraws its models', async function () {
    anthropic.enqueue(anthropicError(401, 'authentication_error', 'invalid x-api-key'));
    const [rejected] = await scenario([{ op: 'send', model: 'anthropic', text: 'Hello?' }]);
    assert.equal(rejected.error?.code, 'NoPermissions', JSON.stringify(rejected.error));
    assert.match(rejected.error.message, /Anthropic rejected the API key \(401\)\. Set a valid Anthropic key\./);
    assert.ok(!JSON.stringify(rejected).includes('sk-ant-lm-e2e-key'), 'the key appears in nothing the caller gets');
    await vs.runCommand('Parley: Clear API Key');
    await vs.quickPick('Anthropic');
    // VS Code asks Parley for the models again; with no key there are none, so a kept model is gone.
    const [, models] = await until(
      () => scenario([{ op: 'send', model: 'anthropic', text: 'Still there?' }, { op: 'select', vendor: 'parley-anthropic' }]),
      ([, listed]) => listed.models.length === 0,
      'the Anthropic models to be withdrawn',
    );
    assert.deepEqual(models.models, []);
    const [afterClear] = await scenario([{ op: 'send', model: 'anthropic', text: 'Still there?' }]);
    assert.ok(afterClear.error, 'a request to a withdrawn model fails');
    assert.equal(anthropic.requests.filter((r) => r.body?.messages?.some((m: { content: unknown }) => JSON.stringify(m.content).includes('Still there?'))).length, 0, 'nothing reached Anthropic without a key');
  });
});
