// The panel at the widths it lives in: a wide editor column (1400 px) and a narrow sidebar (320 px), in the dark,
// light and high-contrast themes, with a reply holding code, the settings open and attachments waiting. Nothing
// may overflow sideways, and the conversation keeps a usable height beside the settings. Screenshots go to
// .test-artifacts/webview/ (width-<px>-<theme>.png) to be looked at.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assistant, CODE_REPLY, stateMessage, user } from './fixtures';
import { launchBrowser, openPanel, type Theme } from './harness';

const HEIGHT = 800;

describe('webview: the panel at 1400 px and in a 320 px sidebar, in three themes', function () {
  let browser: Browser;
  const figures: string[] = [];
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    console.log(`      (conversation height with the settings open: ${figures.join('; ')})`);
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as Theme[]) {
    for (const width of [1400, 320]) {
      it(`${width} px, ${theme}: nothing overflows sideways, the conversation keeps room`, async () => {
        const panel = await openPanel(browser, { theme, width, height: HEIGHT });
        try {
          await panel.deliver(stateMessage({
            showControls: true,
            messages: [user('u1', 'Write a typed debounce in TypeScript, with a long explanation of why each generic parameter is there'), assistant('a1', CODE_REPLY, { usage: { inputTokens: 861, outputTokens: 142 } })],
            pendingAttachments: [{ id: 'att-1', name: 'a-file-with-a-rather-long-name-for-a-narrow-sidebar.ts', source: 'src/util/a-file-with-a-rather-long-name-for-a-narrow-sidebar.ts', kind: 'text', mimeType: 'text/x-typescript', size: 2_345 }],
          }));
          await panel.page.locator('article[data-id="a1"] .code-block').first().waitFor();
          await panel.screenshot(`width-${width}`);
          const overflow = await panel.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.ok(overflow <= 0, `the page is ${overflow} px wider than the panel`);
          // What sticks out and is not clipped or scrolled by a box of its own (a code block scrolls; an ellipsis clips).
          const wide: string[] = await panel.page.evaluate(`(() => {
            const width = document.documentElement.clientWidth;
            return [...document.querySelectorAll('#app *')].filter((el) => {
              if (el.getBoundingClientRect().right <= width + 1 || el.closest('.visually-hidden, .diagram-measure')) return false;
              for (let up = el.parentElement; up && up.id !== 'app'; up = up.parentElement) if (getComputedStyle(up).overflowX !== 'visible') return false;
              return true;
            }).slice(0, 5).map((el) => el.tagName.toLowerCase() + '.' + el.className);
          })()`);
          assert.deepEqual(wide, [], 'elements sticking out of the panel');
          const logHeight = await panel.page.locator('div#log').evaluate((el) => el.clientHeight);
          figures.push(`${width} px ${theme}: ${logHeight} px of ${HEIGHT}`);
          assert.ok(logHeight >= 150, `the conversation is squeezed to ${logHeight} px of ${HEIGHT}`);
        } finally {
          await panel.close();
        }
      });
    }
  }
});
