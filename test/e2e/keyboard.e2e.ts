// The chat from the keyboard alone, in a real VS Code (code-server 1.139): the palette opens the panel, the
// message goes with Enter to a Groq-format server whose reply stalls mid-way (so it is still streaming however
// long the keys take on a loaded machine), Tab reaches Stop and Enter stops it, Shift+F6 goes to the conversation
// (VS Code does not take the key from the panel), Up reaches your last message, Enter edits it and Enter resends
// it. No mouse click anywhere.
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { groqModelList } from '../fakes/groqModels';
import { chatStream } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { sampleWorkspace, startVsCode, until, type Session } from './harness';

const QUESTION = 'Please go on and on';

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

  const groq = new FakeServer('groq');

  before(async function () {
    await groq.start();
    groq.route(/\/models$/, () => groqModelList());
    vs = await startVsCode({ workspace: sampleWorkspace, name: 'keyboard', settings: { 'parley.groq.baseUrl': groq.url }, env: { GROQ_API_KEY: 'gsk_keyboard_e2e_key_00000000001' } });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vs?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
  });
  after(async function () {
    await vs?.close();
    await groq.stop();
  });

  it('opens the chat, sends, stops, and edits and resends the last message, all from the keyboard', async function () {
    await vs.runCommand('Parley: Start Chat', { keyboard: true });
    panel = vs.webview();
    await panel.locator('textarea#prompt').waitFor({ state: 'visible', timeout: 30_000 });
    await until(() => panel.locator('#provider').inputValue(), (p) => p === 'groq', 'Groq, whose key is set');
    await until(focused, (f) => f === '#prompt', 'the input to have the focus once the panel opened');

    // Two deltas, then the stream stalls with the connection open: still streaming when Stop is reached.
    groq.enqueue(chatStream(['Going on ', 'and on '], { stallAfter: 3 }));
    await vs.page.keyboard.type(QUESTION);
    await press('Enter');
    await until(() => panel.locator('#stop').isVisible(), (v) => v, 'the reply to stream');
    await press('Tab');
    assert.equal(await focused(), '#stop', 'Tab goes from the input to Stop');
    await press('Enter');
    await until(() => lastReply().getAttribute('data-status'), (s) => s === 'stopped', 'the reply to stop');
    assert.match(await lastReply().locator('.message-body').innerText(), /^Going on and on\s*$/, 'stopped with what had come');
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
    groq.enqueue(chatStream(['Edited, ', 'and answered.']));
    await vs.page.keyboard.type(' edited');
    await press('Enter');
    await until(() => lastReply().getAttribute('data-status'), (s) => s === 'done', 'the new reply to finish', 60_000);
    assert.equal((await lastReply().locator('.message-body').innerText()).trim(), 'Edited, and answered.');
    assert.equal(groq.last.body.messages.at(-1).content, `${QUESTION} edited`, 'the edited message went out');
    assert.equal(await panel.locator('article.message.user').count(), 1, 'the edit replaced the message and what followed');
    assert.match(await panel.locator('article.message.user').innerText(), /on and on edited$/);
  });
});
