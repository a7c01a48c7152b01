// A long chat: only the messages near the visible part are in the DOM, the rest stood in for by spacers. What a
// user sees must not show that: no blank screen while scrolling, nothing jumping, editing and streaming work
// on messages scrolled far away.
import assert from 'node:assert/strict';
import type { ChatMessage } from '../../src/protocol';
import { assistant, CODE_REPLY, stateMessage, streamOf, text, user } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

/** 2,000 messages of uneven length: short questions, replies from one line to code blocks and long prose. */
function longChat(pairs = 1000): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (let i = 0; i < pairs; i++) {
    messages.push(user(`u${i}`, `Question ${i}`));
    const body = i % 7 === 0 ? CODE_REPLY : i % 3 === 0 ? 'Short answer.' : `Answer ${i}. ${'Some prose that wraps over several lines of the panel. '.repeat(1 + (i % 9))}`;
    messages.push(assistant(`a${i}`, `**Reply ${i}**\n\n${body}`));
  }
  return messages;
}

describe('webview: long chats', function () {
  let panel: Panel;
  eachTestPanel((opened) => {
    panel = opened;
  });

  const log = () => panel.page.locator('div#log');
  const articles = () => panel.page.locator('article.message').count();
  /** The ids of the messages under three points of the visible log (top, middle, bottom), or "blank" (a spacer, or nothing). */
  const underPoints = () =>
    log().evaluate((el) => {
      const box = el.getBoundingClientRect();
      return [0.05, 0.5, 0.95].map((f) => {
        // Under whatever floats above the log (the "Jump to latest" button).
        const stack = document.elementsFromPoint(box.left + box.width / 2, box.top + box.height * f);
        const article = stack.find((hit) => hit.closest('article.message'))?.closest('article.message') as HTMLElement | undefined;
        return article?.dataset.id ?? 'blank';
      });
    });
  const scrollTo = (top: number) => log().evaluate((el, t) => (el.scrollTop = t), top);
  const scrollBy = (dy: number) => log().evaluate((el, d) => (el.scrollTop += d), dy);

  it('opens at the end with only the messages near the screen in the DOM', async () => {
    await panel.deliver(stateMessage({ messages: longChat() }));
    await panel.frames(3);
    assert.ok(await panel.page.locator('article[data-id="a999"]').isVisible(), 'the last reply shows');
    assert.ok(await log().evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 24), 'scrolled to the end');
    const count = await articles();
    assert.ok(count > 3 && count < 80, `${count} messages in the DOM of 2,000`);
    assert.ok((await log().evaluate((el) => el.scrollHeight)) > 100_000, 'the scrollbar stands for the whole chat');
    await panel.page.locator('#prompt').fill('typing works');
    assert.equal(await panel.page.locator('#prompt').inputValue(), 'typing works');
  });

  it('never shows a blank screen while scrolling up and down, and keeps the DOM small', async () => {
    await panel.deliver(stateMessage({ messages: longChat() }));
    await panel.frames(3);
    let most = 0;
    for (let step = 0; step < 60; step++) {
      await scrollBy(-500);
      await panel.frames(1);
      const ids = await underPoints();
      assert.ok(!ids.includes('blank'), `step ${step} up: ${ids.join(', ')}`);
      most = Math.max(most, await articles());
    }
    for (let step = 0; step < 20; step++) {
      await scrollBy(700);
      await panel.frames(1);
      const ids = await underPoints();
      assert.ok(!ids.includes('blank'), `step ${step} down: ${ids.join(', ')}`);
    }
    assert.ok(most < 80, `at most ${most} messages in the DOM`);
    assert.equal(await panel.page.locator('#announcer').textContent(), '', 'messages entering the DOM are not announced');
  });

  it('a jump to the top shows the first messages, and a jump back shows the last', async () => {
    await panel.deliver(stateMessage({ messages: longChat() }));
    await panel.frames(3);
    await scrollTo(0);
    await panel.frames(2);
    assert.equal((await underPoints())[0], 'u0');
    assert.ok(await panel.page.locator('article[data-id="a0"]').isVisible());
    // Heights measured on the way replace estimates: scroll to the end again until it holds.
    for (let i = 0; i < 5; i++) {
      await log().evaluate((el) => (el.scrollTop = el.scrollHeight));
      await panel.frames(2);
    }
    assert.ok(await panel.page.locator('article[data-id="a999"]').isVisible(), 'the last reply shows again');
  });

  it('what is on screen stays put while messages above it are rendered and measured', async () => {
    await panel.deliver(stateMessage({ messages: longChat() }));
    await panel.frames(3);
    await scrollBy(-20_000); // far past what was rendered: everything above and around is new
    await panel.frames(1);
    const [, middle] = await underPoints();
    assert.notEqual(middle, 'blank');
    const topOf = () => panel.page.locator(`article[data-id="${middle}"]`).evaluate((el) => Math.round(el.getBoundingClientRect().top));
    const before = await topOf();
    await panel.frames(20); // rendering ahead, measuring, idle-time work
    assert.equal(await topOf(), before, `${middle} did not move`);
    await scrollBy(-150);
    await panel.frames(10);
    assert.equal(await topOf(), before + 150, 'and moves with the scroll only');
  });

  it('edits the last question with ArrowUp when it is scrolled far away', async () => {
    await panel.deliver(stateMessage({ messages: longChat() }));
    await panel.frames(3);
    await scrollTo(0);
    await panel.frames(2);
    assert.equal(await panel.page.locator('article[data-id="u999"]').count(), 0, 'not in the DOM up here');
    await panel.page.locator('#prompt').focus();
    await panel.page.keyboard.press('ArrowUp');
    const editor = panel.page.locator('article[data-id="u999"] textarea.edit-input');
    await editor.waitFor();
    assert.ok(await editor.isVisible(), 'scrolled to the message being edited');
    assert.equal(await editor.inputValue(), 'Question 999');
    // Scrolling away and back keeps the edit in progress.
    await editor.fill('Question 999, rephrased');
    await scrollTo(0);
    await panel.frames(3);
    await log().evaluate((el) => (el.scrollTop = el.scrollHeight));
    await panel.frames(3);
    assert.equal(await editor.inputValue(), 'Question 999, rephrased');
  });

  it('a reply streams on while the user reads far above it, and is complete when they come back', async () => {
    const messages = [...longChat(), user('u-last', 'One more'), assistant('a-last', '', { status: 'streaming' })];
    await panel.deliver(stateMessage({ messages, activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a-last', provider: 'groq', model: 'm' }, text('Streaming ')]));
    await scrollTo(0);
    await panel.frames(2);
    await panel.deliver(...streamOf('r1', [text('while you read '), text('the start.')], 2));
    await panel.frames(2);
    assert.equal((await underPoints())[0], 'u0', 'the reader stays at the top');
    await panel.page.locator('#jump-latest').click();
    await panel.frames(3);
    const reply = panel.page.locator('article[data-id="a-last"]');
    assert.ok(await reply.isVisible());
    assert.equal((await reply.locator('.message-body').textContent())?.trim(), 'Streaming while you read the start.');
  });

  it('deleting messages in view re-renders the rest in order', async () => {
    const messages = longChat();
    await panel.deliver(stateMessage({ messages }));
    await panel.frames(3);
    const shown = await panel.page.locator('article.message').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.id!));
    const gone = new Set(shown.slice(-4, -2));
    await panel.deliver(stateMessage({ messages: messages.filter((m) => !gone.has(m.id)) }));
    await panel.frames(3);
    const after = await panel.page.locator('article.message').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.id!));
    for (const id of gone) assert.ok(!after.includes(id), `${id} is gone`);
    const order = messages.map((m) => m.id).filter((id) => after.includes(id));
    assert.deepEqual(after, order, 'in chat order');
    assert.equal(after.at(-1), 'a999');
  });
});
