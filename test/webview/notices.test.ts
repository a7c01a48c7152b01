// Notices (e.g. "Could not list Groq models") sit in a bar of their own between the conversation and the input:
// the log gets shorter instead of being covered, and a conversation followed to its end keeps its last message in
// view; one the user scrolled up in stays where it was.
import assert from 'node:assert/strict';
import type { ChatMessage } from '../../src/protocol';
import { assistant, stateMessage, user } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

const NOTICE = 'Could not list Groq models: Could not reach api.groq.com: the host name does not resolve. Check your connection or the base URL setting.';

describe('webview: notices do not cover the conversation', function () {
  let panel: Panel;
  eachTestPanel(async (opened) => {
    panel = opened;
    const messages: ChatMessage[] = [];
    for (let i = 0; i < 20; i++) messages.push(user(`u${i}`, `Question ${i}`), assistant(`a${i}`, `Answer number ${i}\n\nwith a second paragraph`));
    await panel.deliver(stateMessage({ messages }));
  });

  /** Where the log, its last message and the notice are on screen. */
  const layout = () =>
    panel.page.evaluate(() => {
      // (no named inner functions: tsx would wrap them in a helper the page does not have)
      const log = document.getElementById('log')!;
      const last = document.querySelector('article.message.is-last')?.getBoundingClientRect();
      const notice = document.getElementById('notice')!;
      return { logBottom: log.getBoundingClientRect().bottom, lastBottom: last?.bottom, noticeTop: notice.hidden ? undefined : notice.getBoundingClientRect().top, scrollTop: log.scrollTop };
    });

  it('keeps the last message in view above the notice when the conversation was followed to its end', async () => {
    const before = await layout();
    assert.ok(before.lastBottom! <= before.logBottom, `the last message is in view before (${JSON.stringify(before)})`);
    await panel.deliver({ type: 'notice', level: 'error', text: NOTICE });
    await panel.page.waitForFunction(() => {
      const log = document.getElementById('log')!.getBoundingClientRect();
      const last = document.querySelector('article.message.is-last')?.getBoundingClientRect();
      return !!last && last.bottom <= log.bottom + 0.5;
    });
    const after = await layout();
    assert.ok(after.noticeTop !== undefined && after.noticeTop >= after.logBottom, `the notice is below the log, not over it (${JSON.stringify(after)})`);
    assert.ok(after.lastBottom! <= after.logBottom + 0.5 && after.lastBottom! <= after.noticeTop!, `the last message ends above the notice (${JSON.stringify(after)})`);
  });

  it('leaves a conversation the user scrolled up in where it was', async () => {
    await panel.page.locator('#log').evaluate((log) => log.scrollTo({ top: 200 }));
    await panel.page.mouse.move(200, 300);
    await panel.page.mouse.wheel(0, -100);
    await panel.page.waitForFunction(() => document.getElementById('log')!.scrollTop < 200);
    const scrolled = (await layout()).scrollTop;
    await panel.deliver({ type: 'notice', level: 'warning', text: NOTICE });
    await panel.frames(3);
    const after = await layout();
    assert.equal(after.scrollTop, scrolled);
    assert.ok(after.noticeTop! >= after.logBottom);
  });
});
