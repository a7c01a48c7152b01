// What the provider said beyond the text: cited sources, cached input, redacted reasoning, a quota error, and the
// note a reply ended with (Claude's paused turn, Gemini's blocked prompt).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Citation } from '../../src/protocol';
import { assistant, stateMessage, streamOf, text, user } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

const SOURCES: Citation[] = [
  { url: 'https://www.uefa.com/euro2024/', title: 'UEFA EURO 2024' },
  { url: 'https://en.wikipedia.org/wiki/UEFA_Euro_2024' },
];
const ANSWER = 'Spain won **Euro 2024**, beating England 2–1 in the final in Berlin.';

describe('webview: citations, cached usage, notes and quota errors', function () {
  let panel: Panel;
  eachTestPanel((opened) => {
    panel = opened;
  });

  it('a reply from history shows its sources as numbered links and its cached input in the usage line', async () => {
    const usage = { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 300 };
    await panel.deliver(stateMessage({ messages: [user('u1', 'Who won Euro 2024?'), assistant('a1', ANSWER, { citations: SOURCES, usage, provider: 'anthropic', model: 'claude-sonnet-4-6' })] }));
    const reply = panel.page.locator('article[data-id="a1"]');
    const sources = reply.locator('nav.message-sources');
    assert.equal(await sources.getAttribute('aria-label'), 'Sources');
    assert.deepEqual(await sources.locator('ol > li a').allTextContents(), ['UEFA EURO 2024', 'en.wikipedia.org']);
    assert.deepEqual(await sources.locator('ol > li a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))), SOURCES.map((s) => s.url));
    assert.equal(await reply.locator('.usage').textContent(), '1,200 in (1,000 cached) · 300 out tokens');
    assert.ok(existsSync(await panel.screenshot('citations-cached-usage')));
    await sources.getByRole('link', { name: 'en.wikipedia.org' }).click();
    assert.equal((await panel.waitForPosted('openLink')).url, 'https://en.wikipedia.org/wiki/UEFA_Euro_2024');
  });

  it('cache writes are shown beside cache reads', async () => {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', 'Hello', { usage: { inputTokens: 1700, cachedInputTokens: 1000, cacheWriteTokens: 500, outputTokens: 300, reasoningTokens: 120 } })] }));
    assert.equal(await panel.page.locator('article[data-id="a1"] .usage').textContent(), '1,700 in (1,000 cached, 500 written to cache) · 300 out · 120 reasoning tokens');
  });

  it('sources appear while the reply streams, each url once', async () => {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Who won Euro 2024?'), assistant('a1', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'openrouter', model: 'openai/gpt-4o-mini:online' }, text('Spain won '), { type: 'citation', citation: SOURCES[0] }]));
    const links = panel.page.locator('article[data-id="a1"] nav.message-sources li a');
    assert.deepEqual(await links.allTextContents(), ['UEFA EURO 2024']);
    assert.equal(await panel.page.locator('article[data-id="a1"]').getAttribute('data-status'), 'streaming');
    await panel.deliver(...streamOf('r1', [{ type: 'citation', citation: SOURCES[1] }, { type: 'citation', citation: SOURCES[0] }, text('Euro 2024.'), { type: 'finish', reason: 'stop' }], 3));
    assert.deepEqual(await links.allTextContents(), ['UEFA EURO 2024', 'en.wikipedia.org']);
  });

  it("Claude's paused turn shows its note with Continue, live and from history", async () => {
    const note = { text: 'Claude paused its turn (a long-running server tool). Continue to let it carry on.', action: 'continue' as const };
    await panel.deliver(stateMessage({ messages: [user('u1', 'Search the web'), assistant('a1', '', { status: 'streaming', provider: 'anthropic' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'anthropic', model: 'claude-sonnet-4-6' }, text('Let me search.'), { type: 'finish', reason: 'stop', note }]));
    const shown = panel.page.locator('article[data-id="a1"] .message-note');
    assert.equal(await shown.locator('.note-text').textContent(), note.text);
    await panel.deliver(stateMessage({ messages: [user('u1', 'Search the web'), assistant('a1', 'Let me search.', { provider: 'anthropic', note })] }));
    assert.equal(await shown.locator('.note-text').textContent(), note.text);
    assert.ok(existsSync(await panel.screenshot('paused-turn')));
    await shown.getByRole('button', { name: 'Continue' }).click();
    assert.deepEqual(await panel.waitForPosted('continue'), { type: 'continue', chatId: 'chat-1' });
  });

  it("Gemini's blocked prompt shows the reason instead of an empty reply", async () => {
    const note = { text: 'Gemini blocked the prompt (PROHIBITED_CONTENT) and sent no reply. Rephrase the message or start a new chat.' };
    await panel.deliver(stateMessage({ messages: [user('u1', '…'), assistant('a1', '', { status: 'done', provider: 'google', note })] }));
    const shown = panel.page.locator('article[data-id="a1"] .message-note');
    assert.match((await shown.textContent()) ?? '', /PROHIBITED_CONTENT/);
    assert.equal(await shown.getByRole('button').count(), 0);
  });

  it('redacted reasoning is shown in the reasoning area', async () => {
    const reasoning = "*Some reasoning was redacted by Anthropic's safety systems.*\n\nThe visible part.";
    await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', 'Answer', { provider: 'anthropic', reasoning })] }));
    const details = panel.page.locator('article[data-id="a1"] details.reasoning');
    assert.equal(await details.isVisible(), true);
    await details.locator('summary').click();
    assert.equal(await details.locator('.reasoning-body em').textContent(), "Some reasoning was redacted by Anthropic's safety systems.");
  });

  it('a quota error says so, with its own icon and no Retry', async () => {
    const message = 'OpenAI says this account is out of quota or credits (429). Add credits or raise the limit in your OpenAI billing settings; retrying will not help.';
    await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', '', { status: 'error', provider: 'openai', error: { kind: 'quota', message } })] }));
    const error = panel.page.locator('article[data-id="a1"] .message-error');
    assert.equal(await error.getAttribute('data-kind'), 'quota');
    assert.equal(await error.locator('.error-text').textContent(), message);
    assert.equal(await error.locator('.codicon-credit-card').count(), 1);
    assert.equal(await error.getByRole('button').count(), 0);
    assert.ok(existsSync(await panel.screenshot('quota-error')));
  });
});
