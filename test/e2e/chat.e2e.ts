// End to end in a real VS Code (code-server 1.139): the palette, the panel's iframe, the real extension host
// streaming from a local Groq-format server through groq-sdk.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { GROQ_MODELS_TODAY, groqModelDecommissioned, groqModelList } from '../fakes/groqModels';
import { apiError, chatStream } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { sampleWorkspace, startVsCode, type Session } from './harness';

const GROQ_KEY = 'gsk_e2e_test_key_0123456789';

/** Polls `read` until `done(value)`, recording every distinct value seen on the way. */
async function watch<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T[]> {
  const seen: T[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (!seen.length || JSON.stringify(seen.at(-1)) !== JSON.stringify(value)) seen.push(value);
    if (done(value)) return seen;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('e2e: chat in a real VS Code', function () {
  const groq = new FakeServer('groq');
  let vs: Session;
  let panel: FrameLocator;

  const lastReply = () => panel.locator('article.message.assistant').last();
  const replyText = () => lastReply().locator('.message-body').innerText();
  const replyStatus = () => lastReply().getAttribute('data-status');

  /**
   * Records, inside the panel, every distinct text of the last reply as the DOM changes: polling from outside
   * misses intermediate states on a loaded machine, an observer in the page sees each rendered one.
   */
  async function recordReplyTexts(): Promise<() => Promise<string[]>> {
    await panel.locator('body').evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { parleyReplyTexts: string[] }).parleyReplyTexts = seen;
      new MutationObserver(() => {
        const body = [...document.querySelectorAll('article.message.assistant')].at(-1)?.querySelector('.message-body') as HTMLElement | null | undefined;
        const text = body?.innerText ?? '';
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    return () => panel.locator('body').evaluate(() => (window as unknown as { parleyReplyTexts: string[] }).parleyReplyTexts.slice());
  }

  async function send(text: string) {
    const prompt = panel.locator('textarea#prompt');
    await prompt.fill(text);
    await prompt.press('Enter');
  }

  before(async function () {
    await groq.start();
    // Today's list, without the model Parley would pick offline: the chat must take what the endpoint lists.
    groq.route(/\/models$/, () => groqModelList(GROQ_MODELS_TODAY.filter((m) => m.id !== 'openai/gpt-oss-120b')));
    vs = await startVsCode({ workspace: sampleWorkspace, name: 'chat', settings: { 'parley.groq.baseUrl': groq.url } });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vs?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
  });
  after(async function () {
    await vs?.close();
    await groq.stop();
  });

  it('Parley: Start Chat opens the panel on the labelled demo model, which answers with no key', async function () {
    await vs.runCommand('Parley: Start Chat');
    panel = vs.webview();
    await panel.locator('textarea#prompt').waitFor({ state: 'visible', timeout: 30_000 });
    // The input is there before the host's first state: wait for the chat itself.
    await watch(() => panel.locator('#demo-badge').isVisible(), (visible) => visible);
    assert.match(await panel.locator('body').innerText(), /demo model/i);
    const recorded = await recordReplyTexts();
    await send('Hello from the e2e test');
    await watch(replyText, (t) => /Set API Key/.test(t));
    const states = await recorded();
    assert.ok(states.length >= 3, `the demo reply should stream (saw ${states.length} states)`);
    assert.match(states.at(-1)!, /Hello from the e2e test/);
    await watch(replyStatus, (s) => s === 'done');
    await vs.screenshot('demo-reply');
  });

  it('Parley: Set API Key stores the Groq key; the demo chat moves to Groq, on a model Groq lists now', async function () {
    await vs.runCommand('Parley: Set API Key');
    await vs.quickPick('Groq');
    // The test key is not in Groq's format: the box warns, and Enter saves it all the same.
    const box = vs.page.locator('.quick-input-widget input.input');
    await box.waitFor({ state: 'visible', timeout: 10_000 });
    await box.fill(GROQ_KEY);
    await watch(() => vs.page.locator('.quick-input-widget .quick-input-message').innerText(), (t) => t.includes(`Groq keys are 56 characters of letters and digits; this one is ${GROQ_KEY.length} characters long.`));
    await box.press('Enter');
    await watch(() => panel.locator('#provider option[value="groq"]').innerText(), (t) => !/no key/i.test(t));
    // No provider was chosen by hand: the chat was on the demo model only for want of a key.
    await watch(() => panel.locator('#provider').inputValue(), (v) => v === 'groq');
    await watch(() => panel.locator('#demo-badge').isHidden(), (v) => v === true);
    assert.equal(await panel.locator('#model').inputValue(), 'openai/gpt-oss-20b');
    assert.match(await panel.locator('#notice').innerText(), /now uses Groq \(openai\/gpt-oss-20b\)/);
    const offered = await panel.locator('datalist#models option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(offered, ['openai/gpt-oss-20b', 'groq/compound', 'qwen/qwen3.6-27b'], 'speech, TTS and guard models are not offered');
  });

  it('a Groq reply streams incrementally from the local server through groq-sdk', async function () {
    const words = Array.from({ length: 40 }, (_, i) => `word${i} `);
    groq.enqueue(chatStream(words, { delayMs: 40, usage: { prompt_tokens: 31, completion_tokens: 40 } }));
    const recorded = await recordReplyTexts();
    await send('Stream forty words');
    await watch(replyText, (t) => t.includes('word39'));
    const states = await recorded();
    const intermediate = states.filter((t) => t.includes('word0') && !t.includes('word39'));
    assert.ok(intermediate.length >= 2, `expected at least two intermediate states, saw ${intermediate.length}`);
    await vs.screenshot('groq-streaming-done');
    await watch(replyStatus, (s) => s === 'done');
    const request = groq.last;
    assert.equal(request.path, '/openai/v1/chat/completions');
    assert.equal(request.headers.authorization, `Bearer ${GROQ_KEY}`);
    assert.equal(request.body.stream, true);
    assert.equal(request.body.model, 'openai/gpt-oss-20b', 'the first message goes to a model the models endpoint listed');
    assert.equal(request.body.messages[0].role, 'system');
    assert.deepEqual(request.body.messages.at(-1), { role: 'user', content: 'Stream forty words' });
    // The demo exchange before it is part of the conversation.
    assert.ok(request.body.messages.some((m: { content: string }) => m.content === 'Hello from the e2e test'));
    assert.match(await lastReply().innerText(), /31 in · 40 out/);
    assert.match(await lastReply().locator('.cost').innerText(), /^<?\$0\.\d+$/, 'the reply shows its cost at the catalog price');
  });

  it('a reply with a formula and a Mermaid diagram renders both (KaTeX and Mermaid chunks load under the CSP)', async function () {
    const reply = 'The area is $\\pi r^2$:\n\n\\[ \\int_0^1 x^2 \\, dx = \\frac{1}{3} \\]\n\n```mermaid\ngraph LR\n  A[Ask] --> B[Answer]\n```\n\nDone.';
    groq.enqueue(chatStream(reply.match(/[\s\S]{1,6}/g)!, { delayMs: 10 }));
    await send('A formula and a diagram please');
    await watch(replyStatus, (s) => s === 'done');
    const body = lastReply().locator('.message-body');
    await body.locator('.katex-display').waitFor({ timeout: 30_000 });
    assert.equal(await body.locator('.katex').count(), 2);
    assert.deepEqual((await body.locator('.katex-mathml annotation').allTextContents()).map((t) => t.trim()), ['\\pi r^2', '\\int_0^1 x^2 \\, dx = \\frac{1}{3}']);
    const img = body.locator('.diagram[data-diagram="drawn"] .diagram-view img');
    await img.waitFor({ timeout: 30_000 });
    assert.ok(await img.evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 50), 'the diagram decoded');
    // KaTeX's fonts came from the extension under the webview's CSP.
    assert.ok(await body.evaluate(async () => (await document.fonts.ready, [...document.fonts].some((f) => f.family.includes('KaTeX') && f.status === 'loaded'))));
    await vs.screenshot('formula-and-diagram');
  });

  it('Stop aborts mid-stream, keeps the partial reply marked stopped, and sending again works', async function () {
    groq.enqueue(chatStream(Array.from({ length: 400 }, (_, i) => `tok${i} `), { delayMs: 30 }));
    await send('A very long answer please');
    await watch(replyText, (t) => t.includes('tok5 '));
    await vs.screenshot('groq-mid-stream');
    await panel.locator('#stop').click();
    await watch(replyStatus, (s) => s === 'stopped');
    const partial = await replyText();
    assert.ok(partial.startsWith('tok0 tok1'), partial.slice(0, 50));
    assert.ok(!partial.includes('tok399'), 'stopped before the end');
    assert.match(await lastReply().innerText(), /Stopped/);
    groq.enqueue(chatStream(['Still ', 'here.']));
    await send('Are you there?');
    await watch(replyText, (t) => t === 'Still here.');
  });

  it('Esc stops a reply too', async function () {
    groq.enqueue(chatStream(Array.from({ length: 400 }, (_, i) => `esc${i} `), { delayMs: 30 }));
    await send('Another long one');
    await watch(replyText, (t) => t.includes('esc3 '));
    await panel.locator('textarea#prompt').press('Escape');
    await watch(replyStatus, (s) => s === 'stopped');
  });

  it('errors are specific: a 401 asks for a key, a 404 names the model; the panel stays usable', async function () {
    groq.enqueue(apiError(401, 'Invalid API Key', { code: 'invalid_api_key' }));
    await send('with a bad key');
    const error = lastReply().locator('.message-error');
    await error.waitFor({ timeout: 20_000 });
    assert.match(await error.innerText(), /rejected the API key/);
    assert.equal(await error.locator('[data-action="set-key"]').count(), 1);
    groq.enqueue(apiError(404, 'The model `llama-3.3-70b-versatile` does not exist', { code: 'model_not_found' }));
    await send('unknown model');
    await watch(() => lastReply().locator('.message-error').innerText().catch(() => ''), (t) => /does not know the model/.test(t));
    await vs.screenshot('groq-errors');
    groq.enqueue(chatStream(['Recovered.']));
    await send('and now?');
    await watch(replyText, (t) => t === 'Recovered.');
  });

  it('a saved chat on a decommissioned model says so after a reload, before anyone types, and the switch works', async function () {
    const model = panel.locator('#model');
    await model.fill('llama-3.3-70b-versatile');
    await model.press('Enter');
    const banner = panel.locator('#banner');
    await watch(() => banner.innerText().catch(() => ''), (t) => /no longer lists llama-3\.3-70b-versatile/.test(t));
    groq.enqueue(groqModelDecommissioned('llama-3.3-70b-versatile'));
    await send('still there?');
    await watch(() => lastReply().locator('.message-error').innerText().catch(() => ''), (t) => /no longer serves llama-3\.3-70b-versatile: it was decommissioned/.test(t));
    await vs.reload();
    await vs.runCommand('Parley: Start Chat');
    panel = vs.webview();
    await panel.locator('textarea#prompt').waitFor({ timeout: 90_000 }); // after a reload: the extension host starts anew;
    await watch(() => panel.locator('#banner').innerText().catch(() => ''), (t) => /Groq no longer lists llama-3\.3-70b-versatile/.test(t), 90_000); // the model list is fetched anew first
    assert.match(await panel.locator('article.message.user').last().innerText(), /still there\?/, 'the history is kept');
    await vs.screenshot('model-gone-after-reload');
    await panel.locator('#banner').getByRole('button', { name: 'Switch to openai/gpt-oss-20b' }).click();
    await watch(() => panel.locator('#model').inputValue(), (v) => v === 'openai/gpt-oss-20b');
    await watch(() => panel.locator('#banner').isHidden(), (v) => v === true);
    groq.enqueue(chatStream(['Back on a live model.']));
    await send('and now?');
    await watch(replyText, (t) => t === 'Back on a live model.');
    assert.equal(groq.last.body.model, 'openai/gpt-oss-20b');
  });
});

/** The text of the reply in flight as Parley last saved it (chats/<id>.reply.json in its global storage), or ''. */
function savedReplyText(vs: Session): string {
  const chats = join(vs.paths.userData, 'User', 'globalStorage', 'parley.parley', 'chats');
  if (!existsSync(chats)) return '';
  const saved = readdirSync(chats).filter((f) => f.endsWith('.reply.json'));
  return saved.map((f) => readFileSync(join(chats, f), 'utf8')).join('\n');
}

describe('e2e: a reply in flight when the extension host dies', function () {
  const groq = new FakeServer('groq');
  let vs: Session;

  before(async function () {
    await groq.start();
    groq.route(/\/models$/, () => groqModelList());
    vs = await startVsCode({ workspace: sampleWorkspace, name: 'host-crash', settings: { 'parley.groq.baseUrl': groq.url }, env: { GROQ_API_KEY: GROQ_KEY } });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vs?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
  });
  after(async function () {
    await vs?.close();
    await groq.stop();
  });

  it('after a restart the chat has every earlier message and the partial reply marked interrupted', async function () {
    await vs.runCommand('Parley: Start Chat');
    let panel = vs.webview();
    const prompt = panel.locator('textarea#prompt');
    await prompt.waitFor({ timeout: 30_000 });
    groq.enqueue(chatStream(['An earlier ', 'answer.']));
    await prompt.fill('An earlier question');
    await prompt.press('Enter');
    await watch(() => panel.locator('article.message.assistant').last().getAttribute('data-status'), (s) => s === 'done');
    groq.enqueue(chatStream(Array.from({ length: 2000 }, (_, i) => `part${i} `), { delayMs: 20 }));
    await prompt.fill('A long answer, please');
    await prompt.press('Enter');
    const reply = panel.locator('article.message.assistant').last().locator('.message-body');
    await watch(() => reply.innerText(), (t) => t.includes('part20 '));
    // The host saves the reply in flight on its own (at most once a second): the kill comes once it has.
    await watch(() => Promise.resolve(savedReplyText(vs)), (t) => t.includes('part20 '), 60_000);
    const pids = vs.extensionHostPids();
    assert.equal(pids.length, 1, `one extension host (found ${pids.length})`);
    process.kill(pids[0], 'SIGKILL');
    await vs.reload();
    await vs.runCommand('Parley: Start Chat');
    panel = vs.webview();
    const messages = panel.locator('article.message');
    await watch(() => messages.count(), (n) => n === 4, 90_000);
    const texts = (await panel.locator('article.message .message-body').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(texts.slice(0, 3), ['An earlier question', 'An earlier answer.', 'A long answer, please']);
    assert.ok(texts[3].startsWith('part0 part1 part2'), texts[3].slice(0, 40));
    assert.equal(await messages.last().getAttribute('data-status'), 'interrupted');
    assert.match(await messages.last().innerText(), /Interrupted/);
    await vs.screenshot('interrupted-after-host-death');
  });
});
