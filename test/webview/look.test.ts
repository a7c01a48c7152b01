// The whole panel: no CSP violation anywhere, accessible buttons and log, and screenshots in a dark and a light
// theme (saved to .test-artifacts/webview/) of the empty chat, a streamed reply, the controls and the keys.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { AttachmentInfo } from '../../src/protocol';
import { assistant, chunks, CODE_REPLY, reasoning, REASONING_TEXT, stateMessage, streamOf, text, user } from './fixtures';
import { launchBrowser, openPanel, type Panel, type Theme } from './harness';

const ATTACHMENTS: AttachmentInfo[] = [
  { id: 'att-1', name: 'debounce.ts', source: 'src/util/debounce.ts', kind: 'text', mimeType: 'text/x-typescript', size: 2_345 },
  { id: 'att-2', name: 'diagram.png', source: 'pasted image', kind: 'image', mimeType: 'image/png', size: 184_320 },
];

async function streamCodeReply(panel: Panel): Promise<void> {
  const history = [user('u0', 'What does a debounce do?'), assistant('a0', 'It waits until calls **stop** for a while, then runs once.', { usage: { inputTokens: 812, outputTokens: 24 } })];
  await panel.deliver(stateMessage({ messages: [...history, user('u1', 'Write a typed debounce in TypeScript'), assistant('a1', '', { status: 'streaming' })], activeRequest: 'r1' }));
  let seq = 0;
  await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'groq', model: 'llama-3.3-70b-versatile' }], seq++));
  for (const part of chunks(REASONING_TEXT, 24)) await panel.deliver(...streamOf('r1', [reasoning(part)], seq++));
  for (const part of chunks(CODE_REPLY, 24)) await panel.deliver(...streamOf('r1', [text(part)], seq++));
  await panel.deliver(...streamOf('r1', [{ type: 'usage', usage: { inputTokens: 861, outputTokens: 142 } }, { type: 'finish', reason: 'stop' }], seq));
  await panel.deliver(stateMessage({ messages: [...history, user('u1', 'Write a typed debounce in TypeScript'), assistant('a1', CODE_REPLY, { reasoning: REASONING_TEXT, usage: { inputTokens: 861, outputTokens: 142 } })] }));
}

describe('webview: CSP, accessibility and screenshots', function () {
  let browser: Browser;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('reports no CSP violation with every part of the panel in use', async () => {
    const panel = await openPanel(browser);
    await panel.deliver(stateMessage({ showControls: true, pendingAttachments: ATTACHMENTS }));
    await panel.page.locator('.prompt-chip', { hasText: 'Translate' }).click();
    await panel.page.locator('#var-language_name input').fill('German');
    await streamCodeReply(panel);
    await panel.page.locator('#toggle-keys').click();
    await panel.page.locator('#chats-toggle').click();
    await panel.page.locator('#toggle-controls').click();
    await panel.page.locator('#ctl-temperature input').fill('9');
    await panel.page.locator('textarea#prompt').fill('/');
    await panel.page.locator('article[data-id="a1"] summary').click();
    await panel.frames(3);
    assert.deepEqual(await panel.cspViolations(), []);
    assert.deepEqual(panel.errors, []);
    // vscode-elements styles arrive as adopted stylesheets, not as inline <style> (which the CSP would block).
    const adopted = await panel.page.locator('#ctl-temperature').evaluate((el) => el.shadowRoot!.adoptedStyleSheets.length);
    assert.ok(adopted > 0);
    await panel.close();
  });

  it('has a log with an announcer, labelled buttons, and reaches every button outside the conversation with Tab', async () => {
    const panel = await openPanel(browser);
    await panel.deliver(stateMessage({ showControls: true, messages: [user('u1', 'Hi'), assistant('a1', CODE_REPLY, { status: 'error', error: { kind: 'rate-limit', message: 'Slow down.', action: 'retry' } })], pendingAttachments: ATTACHMENTS.slice(0, 1) }));
    await panel.page.locator('#toggle-keys').click();
    await panel.page.locator('#chats-toggle').click();
    const log = panel.page.locator('div#log');
    assert.equal(await log.getAttribute('role'), 'log');
    // Virtualized, so not a live region: finished replies and errors are announced through a status region.
    assert.equal(await log.getAttribute('aria-live'), 'off');
    assert.equal(await panel.page.locator('#announcer').getAttribute('role'), 'status');

    const buttons = await panel.page.evaluate(() =>
      [...document.querySelectorAll('button')]
        .filter((b) => b.getClientRects().length > 0 && !b.disabled)
        .map((b) => ({ id: b.id, label: b.getAttribute('aria-label'), text: b.textContent?.trim(), tab: b.tabIndex, html: b.outerHTML.slice(0, 120) })),
    );
    assert.ok(buttons.length > 30, `${buttons.length} buttons`);
    for (const b of buttons) assert.ok(b.label && b.label.length > 1, `button without aria-label: ${b.html}`);

    // Walk the focus order with Tab and collect the buttons it visits.
    await panel.page.locator('#chats-toggle').focus();
    const visited = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const label = await panel.page.evaluate(() => {
        const el = document.activeElement;
        return el instanceof HTMLButtonElement ? `${el.getAttribute('aria-label')}|${el.closest('[data-id],[data-provider],[data-chat]')?.getAttribute('data-id') ?? ''}${el.closest('[data-provider]')?.getAttribute('data-provider') ?? ''}${el.closest('[data-chat]')?.getAttribute('data-chat') ?? ''}` : null;
      });
      if (label) visited.add(label);
      await panel.page.keyboard.press('Tab');
    }
    // The conversation is one Tab stop: its buttons are reached with the arrows (keyboard.test.ts).
    const inLog = await panel.page.evaluate(() => [...document.querySelectorAll<HTMLButtonElement>('#log button')].map((b) => b.tabIndex));
    assert.ok(inLog.length > 3 && inLog.every((t) => t === -1), `buttons in the log out of the Tab order: ${inLog}`);
    const expected = await panel.page.evaluate(() =>
      [...document.querySelectorAll('button')]
        .filter((b) => b.getClientRects().length > 0 && !b.disabled && !b.closest('#log'))
        .map((el) => `${el.getAttribute('aria-label')}|${el.closest('[data-id],[data-provider],[data-chat]')?.getAttribute('data-id') ?? ''}${el.closest('[data-provider]')?.getAttribute('data-provider') ?? ''}${el.closest('[data-chat]')?.getAttribute('data-chat') ?? ''}`),
    );
    const missed = expected.filter((e) => !visited.has(e));
    assert.deepEqual(missed, [], 'buttons Tab never reached');
    await panel.close();
  });

  for (const theme of ['dark', 'light'] as Theme[]) {
    describe(`screenshots (${theme})`, () => {
      let panel: Panel;
      beforeEach(async () => {
        panel = await openPanel(browser, { theme });
      });
      afterEach(async () => {
        assert.deepEqual(await panel.cspViolations(), []);
        assert.deepEqual(panel.errors, []);
        await panel.close();
      });

      it('an empty chat with prompts', async () => {
        await panel.deliver(stateMessage());
        assert.ok(existsSync(await panel.screenshot('empty-chat')));
        await panel.deliver(stateMessage({ config: { provider: 'demo', model: 'parley-demo (offline)' } }));
        assert.ok(existsSync(await panel.screenshot('empty-chat-demo')));
      });

      it('a streamed reply with code and reasoning', async () => {
        await streamCodeReply(panel);
        await panel.page.locator('article[data-id="a1"] details.reasoning summary').click();
        await panel.page.locator('div#log').evaluate((el) => (el.scrollTop = el.scrollHeight));
        await panel.page.locator('article[data-id="a1"]').hover();
        assert.ok(existsSync(await panel.screenshot('streamed-reply')));
      });

      it('the controls area', async () => {
        await panel.deliver(stateMessage({ showControls: true, messages: [user('u1', 'Hi'), assistant('a1', 'Hello! How can I help?')], config: { stop: ['END'], seed: 42 } }));
        await panel.page.locator('#ctl-temperature input').fill('7');
        assert.ok(existsSync(await panel.screenshot('controls')));
      });

      it('the keys area', async () => {
        await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', '', { status: 'error', error: { kind: 'no-key', message: 'Set an Anthropic API key to chat with Anthropic, or switch to the demo model.', action: 'set-key' }, provider: 'anthropic' })] }));
        await panel.page.locator('#toggle-keys').click();
        await panel.page.locator('#key-anthropic input').fill('sk-ant-not-saved-yet');
        assert.ok(existsSync(await panel.screenshot('keys')));
      });

      it('the composer with attachments, a blocked send and the / menu', async () => {
        await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', 'Hello! How can I help?', { usage: { inputTokens: 100_000, outputTokens: 12_000 } })], pendingAttachments: ATTACHMENTS }));
        await panel.page.locator('textarea#prompt').focus();
        await panel.page.keyboard.type('/sel');
        assert.ok(existsSync(await panel.screenshot('composer')));
        await panel.page.keyboard.press('ArrowDown');
        await panel.page.keyboard.press('Enter');
        await panel.page.keyboard.type('mocha');
        assert.ok(existsSync(await panel.screenshot('prompt-form')));
        await panel.page.locator('#chats-toggle').click();
        assert.ok(existsSync(await panel.screenshot('chat-list')));
      });
    });
  }
});
