// Task lists, math (KaTeX) and diagrams (Mermaid) in replies, streamed and reopened from history, in the real
// bundle under the panel's CSP; screenshots of a reply with numbered steps and code, math and a diagram in the
// light, dark and high-contrast themes (.test-artifacts/webview/rich-reply-<theme>.png).
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assistant, chunks, stateMessage, streamOf, text, user } from './fixtures';
import { eachTestPanel, launchBrowser, openPanel, type Panel, type Theme } from './harness';
import { REPLIES, STEPS_WITH_CODE } from './streaming/corpus';

const MATH = 'Area $\\pi r^2$ and \\( e^{i\\pi} = -1 \\), and the integral\n\n\\[ \\int_0^1 x^2 \\, dx \\]\n\nequals $$\\frac{1}{3}$$.';
const DIAGRAM = '```mermaid\ngraph TD\n  A[Request] --> B{Cached?}\n  B -->|yes| C[Serve from cache]\n  B -->|no| D[Fetch and store]\n```';
/** Dollar signs that are not math: currency, variables, prompts, code. */
const NOT_MATH = [
  'It costs $5 and $10 with tax.',
  'Between $5-$10, or $6.50.',
  'Set `$PATH`, then echo $HOME and $USER.',
  '$ npm install\n$ npm test',
  'I have $5. You have $6.',
  'US$5 or US$10 per month',
  'Escaped \\$x\\$ stays text.',
  'In code: `$x$` and\n\n```sh\necho "$a $b"\n```',
  'A lone $$ without a closer.',
];

/**
 * CSP reports other than Mermaid's own sanitizing: Mermaid (strict) runs its SVG, with its <style> and style
 * attributes, through DOMPurify, which parses it into an inert document of the page, where the CSP blocks (and
 * reports) those styles; the string it returns is unaffected, and nothing of it is applied to the page.
 */
async function unexpectedCspReports(panel: Panel): Promise<string[]> {
  // Chromium also logs each of these reports as a console error: those are dropped from the panel's errors too.
  for (let i = panel.errors.length - 1; i >= 0; i--) if (panel.errors[i].startsWith('console: Applying inline style violates')) panel.errors.splice(i, 1);
  return (await panel.cspViolations()).filter((v) => !/^style-src-(?:attr|elem) blocked inline at \S+\/dist\/chunks\//.test(v));
}

async function reply(panel: Panel, body: string, options: { stream?: boolean; size?: number } = {}): Promise<ReturnType<Panel['page']['locator']>> {
  if (!options.stream) {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Show me'), assistant('a1', body)] }));
  } else {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Show me'), assistant('a1', '', { status: 'streaming' })], activeRequest: 'r1' }));
    let seq = 0;
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'groq', model: 'm' }], seq++));
    for (const part of chunks(body, options.size ?? 5)) await panel.deliver(...streamOf('r1', [text(part)], seq++));
    await panel.deliver(...streamOf('r1', [{ type: 'finish', reason: 'stop' }], seq++));
    await panel.deliver(stateMessage({ messages: [user('u1', 'Show me'), assistant('a1', body)] }));
  }
  return panel.page.locator('article.message.assistant[data-id="a1"] .message-body');
}

describe('webview: task lists, math and diagrams', function () {
  this.timeout(60_000);
  let panel: Panel;
  eachTestPanel((opened) => {
    panel = opened;
  });

  for (const stream of [false, true]) {
    it(`task lists render as read-only checkboxes (${stream ? 'streamed' : 'from history'})`, async () => {
      const body = await reply(panel, 'Plan:\n\n- [ ] write the test\n- [x] fix the bug\n  - [ ] nested\n\n<input type="text" value="raw"> stays text', { stream });
      const boxes = body.locator('input');
      assert.equal(await boxes.count(), 3);
      assert.deepEqual(await boxes.evaluateAll((list) => list.map((b) => [(b as HTMLInputElement).type, (b as HTMLInputElement).disabled, (b as HTMLInputElement).checked])), [
        ['checkbox', true, false],
        ['checkbox', true, true],
        ['checkbox', true, false],
      ]);
      await boxes.first().click({ force: true });
      assert.equal(await boxes.first().isChecked(), false, 'a click does not tick it');
      assert.match((await body.textContent()) ?? '', /<input type="text" value="raw"> stays text/);
      assert.deepEqual(await panel.cspViolations(), []);
    });
  }

  it('ordered lists keep their start, streamed and from history; steps with code blocks stay one list', async () => {
    const body = '2. two\n3. three\n\nthen\n\n' + STEPS_WITH_CODE;
    for (const stream of [true, false]) {
      const el = await reply(panel, body, { stream, size: 3 });
      assert.deepEqual(await el.locator('ol').evaluateAll((list) => list.map((ol) => [ol.getAttribute('start'), ol.children.length])), [['2', 2], [null, 3]], stream ? 'streamed' : 'history');
      assert.equal(await el.locator('ol').nth(1).locator('.code-block').count(), 2);
    }
  });

  for (const stream of [false, true]) {
    it(`math renders with KaTeX, inline and display, backslash delimiters included (${stream ? 'streamed' : 'from history'})`, async () => {
      const body = await reply(panel, MATH, { stream });
      await panel.page.waitForFunction(() => document.querySelectorAll('.message-body .katex').length === 4);
      assert.equal(await body.locator('.katex-display').count(), 2, '\\[…\\] and $$…$$ are display math');
      const tex = await body.locator('.katex-mathml annotation').allTextContents();
      assert.deepEqual(tex.map((t) => t.trim()), ['\\pi r^2', 'e^{i\\pi} = -1', '\\int_0^1 x^2 \\, dx', '\\frac{1}{3}']);
      // Theme colours: the formula is drawn in the text colour.
      const colours = await body.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el.querySelector('.katex')!).color]);
      assert.equal(colours[1], colours[0]);
      // KaTeX's fonts loaded from the webview's own origin, under the CSP.
      assert.equal(await panel.page.evaluate(async () => (await document.fonts.ready, [...document.fonts].some((f) => f.family.includes('KaTeX') && f.status === 'loaded'))), true);
      assert.deepEqual(await panel.cspViolations(), []);
    });
  }

  it('copying a formula copies its TeX', async () => {
    await reply(panel, 'Euler: $e^{i\\pi} + 1 = 0$ indeed.');
    await panel.page.waitForSelector('.message-body .katex');
    const copied = await panel.page.evaluate(() => {
      const katex = document.querySelector('.message-body .katex')!;
      const range = document.createRange();
      range.selectNode(katex);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      const data = new DataTransfer();
      document.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }));
      return data.getData('text/plain');
    });
    assert.equal(copied, '$e^{i\\pi} + 1 = 0$');
  });

  it('dollar signs that are not math stay text', async () => {
    for (const sample of NOT_MATH) {
      const body = await reply(panel, sample);
      assert.equal(await body.locator('.math, .katex').count(), 0, sample);
    }
    // An open $$ while streaming shows text, not the rest of the reply as math.
    await panel.deliver(stateMessage({ messages: [user('u1', 'x'), assistant('a1', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'groq', model: 'm' }, text('Intro.\n\n$$\n\\int_0^1 x\\,dx\n'), text('and more text')]));
    const body = panel.page.locator('article[data-id="a1"] .message-body');
    assert.equal(await body.locator('.math').count(), 0);
    // (unclosed, `\\,` is a markdown escape like any other: the text shows what the whole text would)
    assert.match((await body.textContent()) ?? '', /\$\$\s*\\int_0\^1 x,dx\s*and more text/);
    await panel.deliver(...streamOf('r1', [text('\n$$\n\nAfter.'), { type: 'finish', reason: 'stop' }], 3));
    await panel.page.waitForSelector('article[data-id="a1"] .katex-display');
    assert.equal(await body.locator('.math').count(), 1);
  });

  it('a formula KaTeX rejects shows its source, with the error on hover', async () => {
    const body = await reply(panel, 'Bad: $\\frac{1}{\\undefinedmacro}$ end.');
    const bad = body.locator('.math-error');
    await bad.waitFor();
    assert.equal(await bad.textContent(), '$\\frac{1}{\\undefinedmacro}$');
    assert.match((await bad.getAttribute('title')) ?? '', /Undefined control sequence: \\undefinedmacro/);
  });

  it('a mermaid block shows its source while it streams, then the diagram (Mermaid loaded only then), with a toggle and Copy', async () => {
    const requests: string[] = [];
    panel.page.on('request', (r) => requests.push(r.url()));
    await panel.deliver(stateMessage({ messages: [user('u1', 'Draw'), assistant('a1', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'groq', model: 'm' }, text('Here:\n\n' + DIAGRAM.slice(0, -3))]));
    const body = panel.page.locator('article[data-id="a1"] .message-body');
    assert.equal(await body.locator('.code-block .code-lang').textContent(), 'mermaid');
    assert.match((await body.locator('pre code').textContent()) ?? '', /A\[Request\] --> B\{Cached\?\}/);
    assert.equal(await body.locator('.diagram').count(), 0, 'no diagram while the fence is open');
    assert.equal(requests.filter((u) => /mermaid/i.test(u)).length, 0, 'Mermaid is not loaded before a diagram needs it');
    await panel.deliver(...streamOf('r1', [text('```\n\nDone.'), { type: 'finish', reason: 'stop' }], 2));
    const diagram = body.locator('.diagram');
    await panel.page.waitForSelector('article[data-id="a1"] .diagram[data-diagram="drawn"] img', { timeout: 20_000 });
    assert.ok(requests.some((u) => /\/chunks\/.*mermaid/i.test(u)), 'Mermaid came from its own chunk');
    const img = diagram.locator('.diagram-view img');
    assert.match((await img.getAttribute('src')) ?? '', /^data:image\/svg\+xml;/);
    assert.ok(await img.evaluate((i) => (i as HTMLImageElement).naturalWidth > 50), 'the SVG decoded as an image');
    assert.equal(await diagram.locator('> .code-block').isVisible(), false);
    await diagram.getByRole('button', { name: 'Source', exact: true }).click();
    assert.equal(await diagram.locator('> .code-block').isVisible(), true);
    assert.equal(await img.isVisible(), false);
    await diagram.getByRole('button', { name: 'Diagram', exact: true }).click();
    assert.equal(await img.isVisible(), true);
    await diagram.getByRole('button', { name: 'Copy diagram source' }).click();
    const copied = await panel.waitForPosted('codeAction', (m) => m.action === 'copy');
    assert.equal(copied.code, DIAGRAM.split('\n').slice(1, -1).join('\n'));
    assert.equal(copied.language, 'mermaid');
    // VS Code switches the theme by the body's class: the diagram is drawn again in the new theme.
    const darkSrc = await img.getAttribute('src');
    await panel.page.evaluate(() => document.body.classList.replace('vscode-dark', 'vscode-light'));
    await panel.page.waitForSelector('article[data-id="a1"] .diagram[data-theme="light"][data-diagram="drawn"]', { timeout: 20_000 });
    assert.notEqual(await diagram.locator('.diagram-view img').getAttribute('src'), darkSrc);
    assert.deepEqual(await unexpectedCspReports(panel), []);
  });

  it('a diagram Mermaid rejects shows its source and the error', async () => {
    const body = await reply(panel, '```mermaid\ngraph TD\n  A -->\n```');
    const diagram = body.locator('.diagram');
    await panel.page.waitForSelector('.diagram[data-diagram="failed"]', { timeout: 20_000 });
    assert.equal(await diagram.locator('pre code').isVisible(), true);
    assert.match((await diagram.locator('.diagram-error').textContent()) ?? '', /^Mermaid could not draw this diagram: .*(Parse error|Expecting)/s);
    assert.equal(await diagram.locator('img').count(), 0);
    assert.deepEqual(await unexpectedCspReports(panel), []);
  });
});

/** A seeded split into deltas of 1 to 6 characters (mulberry32, as in streaming/probe.ts). */
function seededDeltas(body: string, seed: number): string[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const parts: string[] = [];
  for (let i = 0; i < body.length; ) {
    const n = 1 + Math.floor(random() * 6);
    parts.push(body.slice(i, i + n));
    i += n;
  }
  return parts;
}

/** The reply's DOM without the streaming renderer's wrappers and the whitespace between its blocks. A string, for the page. */
const NORMALIZED_BODY = `(id) => {
  const copy = document.querySelector('article[data-id="' + id + '"] .message-body').cloneNode(true);
  for (const w of Array.from(copy.querySelectorAll('.md-chunk, .md-block'))) w.replaceWith(...Array.from(w.childNodes));
  copy.normalize();
  for (const n of Array.from(copy.childNodes)) if (n.nodeType === 3 && !n.textContent.trim()) n.remove();
  return copy.innerHTML;
}`;

describe('webview: streamed in the real panel = reopened from history', function () {
  this.timeout(120_000);
  let panel: Panel;
  eachTestPanel((opened) => {
    panel = opened;
  });

  it(`${REPLIES.length} reply-like texts, each streamed in a seeded random split (one delta per frame)`, async () => {
    const differ: number[] = [];
    for (const [i, body] of REPLIES.entries()) {
      await panel.deliver(stateMessage({ messages: [user('u1', 'Q'), assistant('a1', '', { status: 'streaming' })], activeRequest: `r${i}` }));
      const events = streamOf(`r${i}`, [{ type: 'start', messageId: 'a1', provider: 'groq', model: 'm' }, ...seededDeltas(body, 100 + i).map(text), { type: 'finish', reason: 'stop' }]);
      await panel.page.evaluate(async (list) => {
        for (const m of list) {
          window.postMessage(m, '*');
          await new Promise((r) => requestAnimationFrame(() => r(undefined)));
        }
      }, JSON.parse(JSON.stringify(events)));
      // The host's state after the reply, and the same text as a second message reopened from history.
      await panel.deliver(stateMessage({ messages: [user('u1', 'Q'), assistant('a1', body), user('u2', 'Q'), assistant('a2', body)] }));
      await panel.page.waitForFunction(() => !document.querySelector('.math:not([data-rendered])'));
      const [streamed, history] = await Promise.all(['a1', 'a2'].map((id) => panel.page.evaluate(`(${NORMALIZED_BODY})(${JSON.stringify(id)})`)));
      if (streamed !== history) differ.push(i);
      assert.ok(String(streamed).length > 10);
    }
    assert.deepEqual(differ, [], 'texts whose streamed DOM differs from the history render');
  });
});

describe('webview: screenshots of steps with code, math and a diagram', function () {
  this.timeout(90_000);
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as Theme[]) {
    it(`${theme} theme`, async () => {
      const panel = await openPanel(browser, { theme, height: 1300 });
      try {
        await reply(panel, `${STEPS_WITH_CODE}\n\n${MATH}\n\n${DIAGRAM}`, { stream: true, size: 9 });
        await panel.page.waitForSelector('.diagram[data-diagram="drawn"] img', { timeout: 20_000 });
        await panel.page.waitForFunction(() => document.querySelectorAll('.message-body .katex').length === 4 && [...document.images].every((i) => i.complete));
        assert.equal(await panel.page.evaluate(() => document.querySelector('.diagram')!.getAttribute('data-theme')), theme);
        const file = await panel.screenshot('rich-reply');
        console.log(`      (${file})`);
        assert.deepEqual(await unexpectedCspReports(panel), []);
        assert.deepEqual(panel.errors, []);
      } finally {
        await panel.close();
      }
    });
  }
});
