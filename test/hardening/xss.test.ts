// Item 1: model output cannot run code. Every payload of the corpus is streamed by a provider (a Groq-format
// FakeServer) through the real ChatService, as reply text and as reasoning, split across deltas; the exact host
// messages the service posted (state + stream) are delivered to the real webview bundle in headless Chromium.
// A trap records every call of window.__pwned() and every CSP violation, and the DOM is searched for anything
// that could run code. Run twice: with the real CSP from webviewHtml(), and with no CSP at all, so that the
// sanitizer is tested on its own and not only the CSP behind it.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { HostMessage } from '../../src/protocol';
import { chatStream } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { makeRig, type RecordingClient, type Rig, within } from './helpers';
import { buildAndServeWebview, launchChromium, openTrappedPanel, type BuiltWebview, type TrappedPanel } from './page';
import { PAYLOADS, splitIntoDeltas } from './xssCorpus';

const MODEL = 'openai/gpt-oss-120b';
const BATCH = 25;
/** CSP directives whose violation means a script tried to run in the page. */
const SCRIPT_DIRECTIVE = /^script-src(?:-elem|-attr)? (?!\(not in the page\))/;
/**
 * Reports from inert documents: Mermaid (strict) sanitizes a diagram's labels with DOMPurify, which parses them
 * into a document of its own, where an inline handler of a hostile label is reported; that document never runs.
 */
const INERT_REPORT = /^script-src(?:-elem|-attr)? \(not in the page\)/;

describe('hardening: model output cannot run code (XSS corpus in the real webview)', function () {
  this.timeout(120_000);
  const server = new FakeServer('groq');
  let web: BuiltWebview;
  let browser: Browser;
  let rig: Rig;
  let client: RecordingClient;
  /** Host messages per batch of payloads, exactly as ChatService posted them. */
  const batches: HostMessage[][] = [];
  const results: Array<{ csp: string; executed: string[]; violations: string[]; dom: string[] }> = [];
  const drawn: string[] = [];

  before(async () => {
    [web, browser] = await Promise.all([buildAndServeWebview(), launchChromium(), server.start()]);
    rig = makeRig();
    rig.urls.groq = server.url;
    server.route(/models$/, () => ({ kind: 'json', body: { object: 'list', data: [] } }));
    await rig.keys.set('groq', 'gsk_xss_test_key_0123456789');
    client = await rig.client();
    await rig.service.handle(client, { type: 'setConfig', chatId: client.chatId!, patch: { provider: 'groq', model: MODEL } });
    let from = 0;
    let batch: HostMessage[] = [];
    for (const payload of PAYLOADS) {
      if (payload.id > 1 && (payload.id - 1) % BATCH === 0) {
        batches.push(batch);
        batch = [];
        await rig.service.handle(client, { type: 'newChat' });
        await rig.service.handle(client, { type: 'setConfig', chatId: client.chatId!, patch: { provider: 'groq', model: MODEL } });
      }
      server.enqueue(chatStream(splitIntoDeltas(payload.text, payload.id, payload.cut), { model: MODEL, reasoning: splitIntoDeltas(payload.text, payload.id * 7 + 3, payload.cut) }));
      await rig.service.handle(client, { type: 'send', chatId: client.chatId!, text: `payload ${payload.id}` });
      await within(10_000, rig.service.idle(client.chatId!), `payload ${payload.id}`);
      const reply = client.state.chat.messages.at(-1)!;
      assert.equal(reply.status, 'done', `payload ${payload.id} did not stream: ${JSON.stringify(reply.error)}`);
      assert.equal(reply.text, payload.text);
      assert.equal(reply.reasoning, payload.text);
      batch.push(...client.messages.slice(from));
      from = client.messages.length;
    }
    batches.push(batch);
  });

  after(async () => {
    const streamed = PAYLOADS.length;
    const executed = results.reduce((n, r) => n + r.executed.length, 0);
    console.log(`\n    XSS: ${streamed} payloads streamed, ${executed} executed` +
      ` (${results.length} runs: ${results.map((r) => `CSP ${r.csp}: ${r.executed.length} executed, ${r.violations.filter((v) => SCRIPT_DIRECTIVE.test(v)).length} script-src violations in the page (+${r.violations.filter((v) => INERT_REPORT.test(v)).length} in inert documents, +${r.violations.filter((v) => /^style-src/.test(v)).length} inline style reports), ${r.dom.length} dangerous DOM nodes`).join('; ')};` +
      ` each payload as reply text and as reasoning, split into 1–9 character deltas, KaTeX and Mermaid ones in the middle of their dangerous token; ${drawn.join('; ')})\n`);
    rig?.dispose();
    await browser?.close();
    await web?.close();
    await server.stop();
  });

  async function runCorpus(csp: 'on' | 'off'): Promise<void> {
    const panel = await openTrappedPanel(browser, web.origin, csp);
    try {
      // The trap is live: injected straight into the page (bypassing the sanitizer), a handler runs without a
      // CSP and is blocked, and reported, with it.
      await panel.page.evaluate(() => {
        const probe = document.createElement('div');
        probe.innerHTML = '<img src="data:image/png;base64,AAAA" onerror="__pwned(\'control\')">';
        document.body.append(probe);
      });
      await panel.page.waitForFunction((mode) => (mode === 'off' ? window.__pwnedCalls.length > 0 : window.__violations.length > 0), csp);
      assert.deepEqual(await panel.pwned(), csp === 'off' ? ['control'] : []);
      await panel.page.evaluate(() => {
        document.body.lastElementChild?.remove();
        window.__pwnedCalls.length = 0;
        window.__violations.length = 0;
      });

      const dom: string[] = [];
      const diagrams = { drawn: 0, failed: 0, formulas: 0, rejected: 0 };
      for (const batch of batches) {
        await panel.deliver(batch);
        // Give every survivor its chance: events fired on every element, every link clicked, resources settled.
        await panel.page.evaluate(async () => {
          const log = document.getElementById('log')!;
          for (const el of Array.from(log.querySelectorAll('*'))) {
            for (const type of ['mouseover', 'mouseenter', 'pointerenter', 'focus', 'focusin', 'toggle', 'animationstart', 'load', 'error']) {
              el.dispatchEvent(new Event(type, { bubbles: false }));
            }
          }
          for (const details of Array.from(log.querySelectorAll('details'))) (details as HTMLDetailsElement).open = true;
          for (const a of Array.from(log.querySelectorAll('a, area'))) (a as HTMLElement).click();
          // Diagrams draw asynchronously (Mermaid loads on the first): wait until every one is drawn or failed.
          for (let i = 0; i < 400 && log.querySelector('.diagram[data-diagram="pending"], .diagram[data-diagram="drawing"], .math:not([data-rendered])'); i++) await new Promise((r) => setTimeout(r, 25));
          for (const el of Array.from(log.querySelectorAll('.diagram-view img, .katex *'))) {
            for (const type of ['mouseover', 'click', 'focus', 'load', 'error']) el.dispatchEvent(new Event(type, { bubbles: true }));
          }
          await new Promise((r) => setTimeout(r, 150));
        });
        dom.push(...(await panel.dangerousDom()));
        const counts = await panel.page.evaluate(() => [document.querySelectorAll('#log .diagram[data-diagram="drawn"]').length, document.querySelectorAll('#log .diagram[data-diagram="failed"]').length, document.querySelectorAll('#log .katex').length, document.querySelectorAll('#log .math-error').length]);
        diagrams.drawn += counts[0];
        diagrams.failed += counts[1];
        diagrams.formulas += counts[2];
        diagrams.rejected += counts[3];
      }
      const executed = await panel.pwned();
      const violations = await panel.violations();
      results.push({ csp, executed, violations, dom });
      assert.deepEqual(executed, [], `payloads ran: ${executed.join(', ')}`);
      assert.deepEqual(violations.filter((v) => SCRIPT_DIRECTIVE.test(v)), [], 'a script got past the sanitizer and was stopped only by the CSP');
      assert.deepEqual(dom, [], 'something that could run code survived in the DOM');
      assert.deepEqual(panel.requests, [], 'the page requested something outside its own origin');
      // The hostile diagrams and formulas were really drawn (or rejected), not left as text.
      drawn.push(`CSP ${csp}: ${diagrams.drawn} diagrams drawn, ${diagrams.failed} rejected, ${diagrams.formulas} formulas rendered, ${diagrams.rejected} rejected by KaTeX`);
      assert.deepEqual(panel.pageErrors, []);
      const opened = (await panel.posted()).filter((m) => m.type === 'openLink').map((m) => String(m.url));
      assert.ok(opened.every((url) => /^https?:\/\//i.test(url)), `non-http links posted: ${opened.join(', ')}`);
      assert.equal(panel.popups, 0);
      assert.deepEqual(panel.navigations, [], 'the panel navigated');
      // What the CSP did report: <style> elements of payloads, blocked while DOMPurify parses them (it then
      // removes them), and the <style> and style attributes of Mermaid's SVG, blocked while Mermaid's DOMPurify
      // parses it (the SVG is then shown as an image). No image, media, frame or font load was attempted.
      assert.deepEqual(violations.filter((v) => !/^style-src-(?:elem|attr)(?: \(not in the page\))? inline/.test(v) && !INERT_REPORT.test(v)), [], 'CSP violations other than inline styles and inert documents');
      // Every payload was rendered: the last batch's replies are on screen, each with its reasoning.
      const lastBatch = PAYLOADS.slice(-(PAYLOADS.length % BATCH || BATCH));
      assert.equal(await panel.page.locator('article.message.assistant').count(), lastBatch.length);
      assert.equal(await panel.page.locator('article.message.assistant details.reasoning:not([hidden])').count(), lastBatch.length);
    } finally {
      await panel.page.close();
    }
  }

  // Both runs go at once, each in its own page (a stream's pace is set by animation frames, not by the CPU).
  const runs = new Map<'on' | 'off', Promise<void>>();
  const run = (csp: 'on' | 'off') => {
    if (!runs.has(csp)) {
      for (const mode of ['on', 'off'] as const) {
        const promise = runCorpus(mode);
        promise.catch(() => undefined);
        runs.set(mode, promise);
      }
    }
    return runs.get(csp)!;
  };

  it(`${PAYLOADS.length} payloads with the real CSP: nothing runs, no script-src violation, nothing dangerous in the DOM`, async () => {
    assert.ok(PAYLOADS.length >= 50);
    await run('on');
  });

  it('the same payloads with no CSP at all: the sanitizer alone lets nothing run', async () => {
    await run('off');
  });

  describe('links open only through the host', () => {
    let panel: TrappedPanel;
    const LINKS = [
      '[docs](https://example.com/docs)',
      '<a href="http://example.org/raw">raw http</a>',
      '[js](javascript:__pwned(901))',
      '[data](data:text/html,<script>top.__pwned(902)</script>)',
      '[file](file:///etc/passwd)',
      '<a href="javascript:__pwned(903)">raw js</a>',
    ].join('\n\n');

    before(async () => {
      panel = await openTrappedPanel(browser, web.origin, 'off');
      const from = client.messages.length;
      server.enqueue(chatStream(splitIntoDeltas(LINKS, 5), { model: MODEL }));
      await rig.service.handle(client, { type: 'send', chatId: client.chatId!, text: 'links please' });
      await rig.service.idle(client.chatId!);
      // The chat's full state first (the panel opened after the earlier batches), then this reply.
      await panel.deliver([batches.at(-1)!.find((m) => m.type === 'state')!, ...client.messages.slice(from)]);
    });
    after(() => panel?.page.close());

    it('clicking a rendered http(s) link posts openLink and the host opens it; other schemes render without a target', async () => {
      const anchors = panel.page.locator('article.message.assistant').last().locator('.message-body a');
      const hrefs = await anchors.evaluateAll((list) => list.map((a) => a.getAttribute('href')));
      // Markdown links render as links (only http(s) keep their target); raw HTML anchors are shown as text.
      assert.deepEqual(hrefs, ['https://example.com/docs', null, null, null]);
      const body = await panel.page.locator('article.message.assistant').last().locator('.message-body').innerText();
      assert.ok(body.includes('<a href="http://example.org/raw">raw http</a>'), 'raw HTML is shown as text');
      await panel.clearPosted();
      for (let i = 0; i < hrefs.length; i++) await anchors.nth(i).click();
      const posted = await panel.posted();
      assert.deepEqual(posted, [{ type: 'openLink', url: 'https://example.com/docs' }]);
      for (const message of posted) await rig.service.handle(client, message);
      assert.deepEqual(rig.opened, ['https://example.com/docs']);
      assert.deepEqual(await panel.pwned(), []);
      assert.deepEqual(panel.navigations, []);
    });

    it('even a javascript:, data: or file: link that got into the DOM posts nothing and navigates nowhere', async () => {
      await panel.clearPosted();
      await panel.page.evaluate(() => {
        const body = document.querySelector('article.message.assistant:last-of-type .message-body') ?? document.getElementById('log')!;
        const hrefs = ['javascript:__pwned(904)', 'data:text/html,<script>top.__pwned(905)</script>', 'file:///etc/passwd', 'JAVASCRIPT:__pwned(906)', 'vbscript:x'];
        for (const href of hrefs) {
          const a = document.createElement('a');
          a.href = href;
          a.textContent = `bypass ${href.slice(0, 10)}`;
          a.className = 'bypass';
          body.append(a, document.createElement('br'));
        }
      });
      const bypass = panel.page.locator('a.bypass');
      assert.equal(await bypass.count(), 5);
      for (let i = 0; i < 5; i++) {
        await bypass.nth(i).click();
        await bypass.nth(i).click({ modifiers: ['Control'] });
        await bypass.nth(i).click({ button: 'middle' });
      }
      await panel.page.waitForTimeout(200);
      assert.deepEqual(await panel.posted(), []);
      assert.deepEqual(await panel.pwned(), []);
      assert.deepEqual(panel.navigations, []);
      assert.equal(panel.popups, 0);
      assert.match(panel.page.url(), /\/panel\.html\?csp=off$/);
      // And the host refuses them if a compromised panel posted them anyway.
      const opened = rig.opened.length;
      for (const url of ['javascript:__pwned(907)', 'data:text/html,x', 'file:///etc/passwd', ' https://example.com', 'vscode://settings']) {
        await rig.service.handle(client, { type: 'openLink', url });
      }
      assert.equal(rig.opened.length, opened);
    });
  });
});
