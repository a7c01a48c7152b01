// The chat from the keyboard alone, in a real VS Code (code-server 1.139): the palette opens the panel, the
// message goes with Enter to the demo model, Tab reaches Stop while it streams and Enter stops it, Shift+F6 goes
// to the conversation (VS Code does not take the key from the panel), Up reaches your last message, Enter edits
// it and Enter resends it. No mouse click anywhere.
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { sampleWorkspace, startVsCode, until, type Session } from './harness';

// Long enough that the demo model (one word per 12 ms) is still streaming when Stop is pressed.
const QUESTION = `Please echo ${'go '.repeat(110).trim()}`;

describe('e2e: the chat from the keyboard only', function () {
  let vs: Session;
  let panel: FrameLocator;

  /** What has the focus in the panel: `#id`, `msg:<role>:<id>`, or the tag and label. */
  const focused = () =>
    panel.locator('body').evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return `body${document.hasFocus() ? '' : ' (frame not focused)'}`;
      if (el.matches('article.message')) return `msg:${el.classList.contains('user') ? 'user' : 'assistant'}:${el.dataset.id}`;
      return el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? ''}`;
    });
  const press = (key: string) => vs.page.keyboard.press(key);
  const lastReply = () => panel.locator('article.message.assistant').last();

  before(async function () {
    vs = await startVsCode({ workspace: sampleWorkspace, name: 'keyboard' });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vs?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
  });
  after(async function () {
    await vs?.close();
  });

  it('opens the chat, sends, stops, and edits and resends the last message, all from the keyboard', async function () {
    await vs.runCommand('Parley: Start Chat', { keyboard: true });
    panel = vs.webview();
    await panel.locator('textarea#prompt').waitFor({ state: 'visible', timeout: 30_000 });
    await until(() => panel.locator('#demo-badge').isVisible(), (v) => v, 'the demo model');
    await until(focused, (f) => f === '#prompt', 'the input to have the focus once the panel opened');

    await vs.page.keyboard.type(QUESTION);
    await press('Enter');
    await until(() => panel.locator('#stop').isVisible(), (v) => v, 'the reply to stream');
    await press('Tab');
    assert.equal(await focused(), '#stop', 'Tab goes from the input to Stop');
    await press('Enter');
    await until(() => lastReply().getAttribute('data-status'), (s) => s === 'stopped', 'the reply to stop');
    assert.doesNotMatch(await lastReply().innerText(), /To talk to a real model/, 'stopped before its end');
    await until(focused, (f) => f === '#send', 'the focus to move from the hidden Stop to Send');

    // Shift+F6: the previous region, the conversation, on its latest message; Up: the user's message.
    await press('Shift+F6');
    const reply = await until(focused, (f) => f.startsWith('msg:assistant:'), 'Shift+F6 to reach the conversation');
    assert.equal(reply, `msg:assistant:${await lastReply().getAttribute('data-id')}`);
    await press('ArrowUp');
    const lastUser = await panel.locator('article.message.user').last().getAttribute('data-id');
    assert.equal(await focused(), `msg:user:${lastUser}`);
    await press('Enter');
    await until(focused, (f) => f === 'textarea:Edit message', 'Enter to open the editor');
    await vs.page.keyboard.type(' edited');
    await press('Enter');
    await until(() => lastReply().getAttribute('data-status'), (s) => s === 'done', 'the new reply to finish', 60_000);
    assert.match(await lastReply().innerText(), /go go edited/);
    assert.equal(await panel.locator('article.message.user').count(), 1, 'the edit replaced the message and what followed');
    assert.match(await panel.locator('article.message.user').innerText(), /go edited$/);
  });
});
