// Rendering: markdown, code blocks, reasoning, streaming (batched, block-frozen), selection, scrolling.
import assert from 'node:assert/strict';
import { assistant, chunks, CODE_REPLY, GROQ_CAPS, reasoning, stateMessage, streamOf, text, user } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

describe('webview: messages and streaming', function () {
  let panel: Panel;
  eachTestPanel((opened) => {
    panel = opened;
  });

  it('a code block in a language not in the panel script (Rust, by its alias rs; Go) is highlighted once its chunk loads; its text is the same', async () => {
    const rust = 'fn main() {\n    let x: i32 = 5; // <b>not bold</b>\n    println!("{}", x);\n}';
    await panel.deliver(stateMessage({ messages: [user('u1', 'Rust and Go?'), assistant('a1', `\`\`\`rs\n${rust}\n\`\`\`\n\n\`\`\`go\nfunc main() { return }\n\`\`\``)] }));
    const blocks = panel.page.locator('article.message.assistant[data-id="a1"] .code-block code');
    await blocks.nth(1).waitFor();
    await panel.page.waitForFunction("document.querySelectorAll('article.message.assistant code[data-highlight]').length === 0");
    assert.ok(await blocks.nth(0).locator('.hljs-keyword').count() > 0, 'rust is highlighted');
    assert.ok(await blocks.nth(1).locator('.hljs-keyword').count() > 0, 'go is highlighted');
    assert.equal(await blocks.nth(0).textContent(), rust);
    assert.equal(await blocks.nth(0).locator('b').count(), 0, 'markup in the code stays text');
  });

  it('renders markdown, highlighted code blocks with their buttons, and sanitizes HTML', async () => {
    const evil = 'Hi <img src=x onerror="window.__pwned=1"> <span style="color:red">red</span> <script>window.__pwned=2</script> [link](javascript:alert(1)) [ok](https://example.com) ![cat](https://example.com/cat.png)';
    await panel.deliver(stateMessage({ messages: [user('u1', 'Write a debounce'), assistant('a1', `${CODE_REPLY}\n\n${evil}`)] }));
    const reply = panel.page.locator('article.message.assistant[data-id="a1"]');
    await reply.waitFor();
    assert.equal(await reply.getAttribute('data-status'), 'done');
    const block = reply.locator('.code-block');
    assert.equal(await block.locator('.code-lang').textContent(), 'ts');
    assert.ok(await block.locator('code .hljs-keyword').count() > 0, 'code is highlighted');
    for (const label of ['Copy code', 'Insert code at cursor', 'Open code in a new file']) {
      assert.equal(await block.getByRole('button', { name: label }).count(), 1, label);
    }
    assert.equal(await reply.locator('strong').textContent(), 'restarts');
    assert.equal(await panel.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await reply.locator('script').count(), 0);
    assert.equal(await reply.locator('[onerror]').count(), 0);
    assert.equal(await reply.locator('a[href^="javascript"]').count(), 0);
    assert.equal(await reply.locator('[style]').count(), 0);
    // Remote images cannot load under the CSP: they become links.
    assert.equal(await reply.locator('img[src]').count(), 0);
    assert.equal(await reply.locator('a.image-link').getAttribute('href'), 'https://example.com/cat.png');
    assert.deepEqual(await panel.cspViolations(), [], 'hostile HTML is defused before it is parsed');

    await block.getByRole('button', { name: 'Insert code at cursor' }).click();
    const action = await panel.waitForPosted('codeAction');
    assert.equal(action.action, 'insert');
    assert.equal(action.language, 'ts');
    assert.match(action.code, /^export function debounce/);
    assert.ok(action.code.endsWith('}'));
    await block.getByRole('button', { name: 'Copy code' }).click();
    await panel.waitForPosted('codeAction', (m) => m.action === 'copy');
    await block.getByRole('button', { name: 'Open code in a new file' }).click();
    await panel.waitForPosted('codeAction', (m) => m.action === 'newFile');
    // Apply, with no file named: the host proposes it for the active editor, shown as a diff first.
    await block.getByRole('button', { name: /^Apply to the active editor/ }).click();
    const apply = await panel.waitForPosted('codeAction', (m) => m.action === 'apply');
    assert.equal(apply.path, undefined);
    assert.match(apply.code, /^export function debounce/);

    await reply.getByRole('link', { name: 'ok' }).click();
    assert.equal((await panel.waitForPosted('openLink')).url, 'https://example.com');
  });

  it('a code block that names its file (```ts src/util.ts, ```ts:src/x.ts, title="…") shows the path and Apply proposes it for that file', async () => {
    const body = '```ts src/util.ts\nexport const x = 1;\n```\n\n```py title="tools/run.py"\nprint(1)\n```\n\n```ts:../../etc/passwd\nnope\n```';
    await panel.deliver(stateMessage({ messages: [user('u1', 'Files please'), assistant('a1', body)] }));
    const blocks = panel.page.locator('article.message.assistant[data-id="a1"] .code-block');
    await blocks.first().waitFor();
    assert.deepEqual(await blocks.locator('.code-path').allTextContents(), ['src/util.ts', 'tools/run.py'], 'a path with .. is not taken as a file');
    await blocks.nth(1).getByRole('button', { name: 'Apply to tools/run.py (review the diff first)' }).click();
    const apply = await panel.waitForPosted('codeAction', (m) => m.action === 'apply');
    assert.equal(apply.path, 'tools/run.py');
    assert.equal(apply.code, 'print(1)');
    assert.equal(apply.language, 'py');
  });

  it('streams text and reasoning, batched per frame, with an open code fence shown as code', async () => {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Write a debounce'), assistant('a1', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'groq', model: 'llama-3.3-70b-versatile' }, reasoning('Thinking about '), reasoning('timers.')]));
    const reply = panel.page.locator('article.message.assistant[data-id="a1"]');
    assert.equal(await reply.getAttribute('data-status'), 'streaming');
    const details = reply.locator('details.reasoning');
    assert.equal(await details.isVisible(), true);
    assert.equal(await details.getAttribute('open'), null, 'reasoning starts collapsed');
    assert.equal(await details.locator('summary').textContent(), 'Reasoning (thinking…)');
    assert.equal((await details.locator('.reasoning-body').textContent())?.trim(), 'Thinking about timers.');

    // An unterminated fence renders as a code block while it streams.
    await panel.deliver(...streamOf('r1', [text('Here:\n\n```python\ndef f(x):\n'), text('    return x * 2\n')], 3));
    const code = reply.locator('.message-body .code-block');
    assert.equal(await code.count(), 1);
    assert.equal(await code.locator('.code-lang').textContent(), 'python');
    assert.equal(await code.locator('pre code').textContent(), 'def f(x):\n    return x * 2');
    assert.equal(await details.locator('summary').textContent(), 'Reasoning');
    // No typing animation: the text is all there after one frame.
    assert.equal(await reply.locator('.message-body').evaluate((el) => getComputedStyle(el).animationName), 'none');

    await panel.deliver(...streamOf('r1', [text('```\n\nDone.'), { type: 'usage', usage: { inputTokens: 120, outputTokens: 42 } }, { type: 'finish', reason: 'stop' }], 5));
    assert.equal(await code.locator('pre code').textContent(), 'def f(x):\n    return x * 2');
    assert.match(((await reply.locator('.message-body').textContent())?.trim()) ?? '', /Done\.$/);
    assert.equal(await reply.locator('.usage').textContent(), '120 in · 42 out tokens');

    // Finished: the footer shows the status from the stream even before the host's state arrives.
    assert.equal(await reply.getAttribute('data-status'), 'done');
  });

  it('applies a burst of deltas in one frame', async () => {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Count'), assistant('a1', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'groq', model: 'm' }]));
    const deltas = streamOf('r1', chunks('word '.repeat(300), 5).map(text), 1);
    const flushes = await panel.page.evaluate(async (list) => {
      const body = document.querySelector('article[data-id="a1"] .message-body')!;
      let records = 0;
      const observer = new MutationObserver((r) => (records += r.length > 0 ? 1 : 0));
      observer.observe(body, { childList: true, subtree: true, characterData: true });
      for (const m of list) window.postMessage(m, '*');
      await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      observer.disconnect();
      return records;
    }, JSON.parse(JSON.stringify(deltas)));
    assert.ok(flushes <= 3, `300 deltas caused ${flushes} DOM update batches`);
    assert.equal((await panel.page.locator('article[data-id="a1"] .message-body').textContent())?.trim(), 'word '.repeat(300).trim());
  });

  it('stays fast on a long reply and a long history (finished blocks are never re-rendered)', async () => {
    const history = Array.from({ length: 150 }, (_, i) => [user(`u${i}`, `Question ${i}`), assistant(`a${i}`, `Answer ${i}\n\n${CODE_REPLY}`)]).flat();
    const t0 = Date.now();
    await panel.deliver(stateMessage({ messages: [...history, user('u-last', 'Long one'), assistant('live', '', { status: 'streaming' })], activeRequest: 'r1' }));
    const historyMs = Date.now() - t0;
    assert.ok(historyMs < 5000, `300 messages took ${historyMs} ms`);
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'live', provider: 'groq', model: 'm' }]));
    const paragraph = 'A sentence of a long streamed reply, with `code` and **bold** words in it. ';
    const body = `${paragraph.repeat(4)}\n\n`.repeat(60);
    const deltas = JSON.parse(JSON.stringify(streamOf('r1', chunks(body, 12).map(text), 1)));
    const result = await panel.page.evaluate(async (list) => {
      const root = document.querySelector('article[data-id="live"] .message-body')!;
      let frozenReplaced = 0;
      const observer = new MutationObserver((records) => {
        for (const r of records) for (const n of r.removedNodes) if (n instanceof HTMLElement && n.classList.contains('md-block') && !n.classList.contains('open')) frozenReplaced++;
      });
      observer.observe(root, { childList: true });
      const start = performance.now();
      // 40 deltas per task, like a fast provider.
      for (let i = 0; i < list.length; i += 40) {
        for (const m of list.slice(i, i + 40)) window.postMessage(m, '*');
        await new Promise((r) => requestAnimationFrame(() => r(undefined)));
      }
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined))));
      observer.disconnect();
      return { ms: performance.now() - start, frozenReplaced, blocks: root.querySelectorAll('.md-block:not(.open)').length };
    }, deltas);
    assert.equal(result.frozenReplaced, 0, 'no finished block was replaced');
    assert.ok(result.blocks > 10, `${result.blocks} finished blocks`);
    assert.equal(await panel.page.locator('article[data-id="live"] .message-body p').count(), 60);
    console.log(`      (history of 300: ${historyMs} ms; ${body.length} chars streamed in ${Math.round(result.ms)} ms)`);
    assert.ok(result.ms < 5000, `streaming ${body.length} characters took ${Math.round(result.ms)} ms`);
  });

  it('keeps a text selection inside a finished block while more text streams in', async () => {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Tell me'), assistant('a1', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'groq', model: 'm' }, text('The first paragraph is finished.\n\nThe second one is still '), text('growing')]));
    const selected = await panel.page.evaluate(() => {
      const p = document.querySelector('article[data-id="a1"] .message-body p')!;
      const range = document.createRange();
      range.setStart(p.firstChild!, 4);
      range.setEnd(p.firstChild!, 9);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return selection.toString();
    });
    assert.equal(selected, 'first');
    let seq = 3;
    for (const part of chunks(' and growing, with more paragraphs.\n\nA third paragraph.\n\n- a list\n- of items\n\n```js\nconst x = 1;\n```\n', 4)) {
      await panel.deliver(...streamOf('r1', [text(part)], seq++));
    }
    const after = await panel.page.evaluate(() => {
      const selection = window.getSelection()!;
      const node = selection.anchorNode;
      return { text: selection.toString(), connected: !!node?.isConnected, collapsed: selection.isCollapsed };
    });
    assert.deepEqual(after, { text: 'first', connected: true, collapsed: false });
    // ...and through the end of the stream and the host's final state.
    await panel.deliver(...streamOf('r1', [{ type: 'finish', reason: 'stop' }], seq));
    const full = 'The first paragraph is finished.\n\nThe second one is still growing and growing, with more paragraphs.\n\nA third paragraph.\n\n- a list\n- of items\n\n```js\nconst x = 1;\n```\n';
    await panel.deliver(stateMessage({ messages: [user('u1', 'Tell me'), assistant('a1', full)] }));
    assert.equal(await panel.page.evaluate(() => window.getSelection()!.toString()), 'first');
  });

  it('drops events of another request, of another chat, and repeated sequence numbers', async () => {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'groq', model: 'm' }, text('Hello')]));
    await panel.deliver(...streamOf('r-old', [text(' STALE')], 2));
    await panel.deliver(...streamOf('r1', [text(' OTHER CHAT')], 2, 'chat-2'));
    await panel.deliver(...streamOf('r1', [text(' DUPLICATE')], 1));
    await panel.deliver(...streamOf('r1', [text(' world')], 2));
    assert.equal((await panel.page.locator('article[data-id="a1"] .message-body').textContent())?.trim(), 'Hello world');
  });

  it('marks stopped, failed and interrupted replies and keeps their text; error actions post what they say', async () => {
    await panel.deliver(stateMessage({
      messages: [
        user('u1', 'One'),
        assistant('a1', 'Partial answer that was stopped', { status: 'stopped' }),
        user('u2', 'Two'),
        assistant('a2', 'Half of a reply', { status: 'interrupted' }),
        user('u3', 'Three'),
        assistant('a3', 'Cut here', { status: 'error', error: { kind: 'cut-off', message: 'The reply from Groq was cut off before it finished.', action: 'continue' } }),
      ],
    }));
    const a1 = panel.page.locator('article[data-id="a1"]');
    assert.equal(await a1.getAttribute('data-status'), 'stopped');
    assert.equal(await a1.locator('.status-badge').textContent(), 'Stopped');
    assert.equal((await a1.locator('.message-body').textContent())?.trim(), 'Partial answer that was stopped');
    assert.equal(await panel.page.locator('article[data-id="a2"] .status-badge').textContent(), 'Interrupted');
    const a3 = panel.page.locator('article[data-id="a3"]');
    assert.equal(await a3.locator('.status-badge').textContent(), 'Failed');
    assert.equal((await a3.locator('.message-body').textContent())?.trim(), 'Cut here');
    await a3.locator('.message-error').getByRole('button', { name: 'Continue' }).click();
    await panel.waitForPosted('continue', (m) => m.chatId === 'chat-1');

    for (const [action, label, expect] of [
      ['retry', 'Retry', 'regenerate'],
      ['set-key', 'Set API key', 'runCommand'],
    ] as const) {
      await panel.clearPosted();
      await panel.deliver(stateMessage({ messages: [user('u1', 'One'), assistant('a1', '', { status: 'error', error: { kind: 'rate-limit', message: 'Too many requests.', action } })] }));
      await panel.page.locator('.message-error').getByRole('button', { name: label, exact: true }).click();
      const posted = await panel.waitForPosted(expect);
      if (posted.type === 'runCommand') assert.deepEqual(posted, { type: 'runCommand', command: 'setApiKey', provider: 'groq' });
    }
    // set-key also offers the keys area in the panel
    await panel.page.locator('.message-error').getByRole('button', { name: 'Open key settings' }).click();
    assert.equal(await panel.page.locator('#keys').isVisible(), true);
    assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'key-groq');

    await panel.deliver(stateMessage({ messages: [user('u1', 'One'), assistant('a1', '', { status: 'error', error: { kind: 'model', message: 'Model not found.', action: 'pick-model' } })] }));
    await panel.page.locator('.message-error').getByRole('button', { name: 'Choose a model' }).click();
    assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'model');
  });

  it('shows a status (e.g. a rate-limit wait) while streaming until text flows again', async () => {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'groq', model: 'm' }, { type: 'status', text: 'Rate limited by Groq; retrying in 4 s…' }]));
    const status = panel.page.locator('article[data-id="a1"] .stream-status');
    assert.equal(await status.textContent(), 'Rate limited by Groq; retrying in 4 s…');
    assert.equal(await status.getAttribute('role'), 'status');
    await panel.deliver(...streamOf('r1', [text('Hello')], 2));
    assert.equal(await status.count(), 0);
  });

  it('continues a reply after a reload, from the text the state carried', async () => {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', 'Already here. ', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [text('And more.')], 7));
    assert.equal((await panel.page.locator('article[data-id="a1"] .message-body').textContent())?.trim(), 'Already here. And more.');
  });

  it('shows a streamed error at once, with the partial text kept', async () => {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'groq', model: 'm' }, text('Some text'), { type: 'error', kind: 'network', message: 'The connection dropped.', action: 'retry' }, { type: 'finish', reason: 'error' }]));
    const reply = panel.page.locator('article[data-id="a1"]');
    assert.equal(await reply.getAttribute('data-status'), 'error');
    assert.equal(await reply.locator('.message-error .error-text').textContent(), 'The connection dropped.');
    assert.equal((await reply.locator('.message-body').textContent())?.trim(), 'Some text');
  });

  it('follows the stream, stops following when the user scrolls up, and offers "Jump to latest"', async () => {
    const history = Array.from({ length: 6 }, (_, i) => [user(`u${i}`, `Question ${i}`), assistant(`a${i}`, `Answer ${i}\n\n${'Lorem ipsum dolor sit amet. '.repeat(12)}`)]).flat();
    await panel.deliver(stateMessage({ messages: [...history, user('u9', 'Last'), assistant('a9', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a9', provider: 'groq', model: 'm' }]));
    const log = panel.page.locator('div#log');
    const atBottom = () => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 24);
    let seq = 1;
    for (let i = 0; i < 5; i++) await panel.deliver(...streamOf('r1', [text(`Line ${i} of the streamed reply.\n\n`)], seq++));
    assert.equal(await atBottom(), true, 'follows the stream');
    const jump = panel.page.locator('#jump-latest');
    assert.equal(await jump.isVisible(), false);

    await log.hover();
    await panel.page.mouse.wheel(0, -400);
    await panel.page.waitForTimeout(100);
    const top = await log.evaluate((el) => el.scrollTop);
    for (let i = 5; i < 12; i++) await panel.deliver(...streamOf('r1', [text(`Line ${i} of the streamed reply.\n\n`)], seq++));
    assert.equal(await log.evaluate((el) => el.scrollTop), top, 'stays where the user scrolled');
    assert.equal(await jump.isVisible(), true);
    await jump.click();
    await panel.frames(2);
    assert.equal(await atBottom(), true);
    assert.equal(await jump.isVisible(), false);
    await panel.deliver(...streamOf('r1', [text('More.\n\n')], seq++));
    assert.equal(await atBottom(), true, 'follows again');
  });

  it('announces a finished reply (its text as shown) and a failed one to screen readers', async () => {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', '', { status: 'streaming' })], activeRequest: 'r1' }));
    const announcer = panel.page.locator('#announcer');
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a1', provider: 'groq', model: 'm' }, text('It **waits** until '), text('calls stop.')]));
    assert.equal(await announcer.textContent(), '', 'nothing while it streams');
    await panel.deliver(...streamOf('r1', [{ type: 'finish', reason: 'stop' }], 3));
    assert.equal(await announcer.textContent(), 'Reply: It waits until calls stop.');

    await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', 'It **waits** until calls stop.'), user('u2', 'More'), assistant('a2', '', { status: 'streaming' })], activeRequest: 'r2' }));
    await panel.deliver(...streamOf('r2', [{ type: 'start', messageId: 'a2', provider: 'groq', model: 'm' }, text('Partial'), { type: 'error', kind: 'rate-limit', message: 'Groq is rate limiting this key.', action: 'retry' }, { type: 'finish', reason: 'error' }]));
    assert.equal(await announcer.textContent(), 'Reply failed: Groq is rate limiting this key.');
  });

  it('posts ready first, shows host notices, and ignores malformed host messages', async () => {
    assert.equal((await panel.posted())[0].type, 'ready');
    await panel.deliver(stateMessage());
    await panel.deliver({ type: 'notice', level: 'error', text: 'Wait for the reply to finish, or stop it first.' });
    const notice = panel.page.locator('#notice');
    assert.equal(await notice.textContent(), 'Wait for the reply to finish, or stop it first.');
    assert.equal(await notice.getAttribute('role'), 'status');
    await panel.page.evaluate(() => window.postMessage({ type: 'state', chat: 'nonsense' }, '*'));
    await panel.frames(2);
    assert.equal(await panel.page.locator('#chat-title').textContent(), 'New chat', 'the malformed message changed nothing');
  });

  it('shows tokens under replies and a context meter near the input', async () => {
    await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', 'Hello!', { usage: { inputTokens: 30_000, outputTokens: 2_000, reasoningTokens: 500 } })] }));
    assert.equal(await panel.page.locator('article[data-id="a1"] .usage').textContent(), '30,000 in · 2,000 out · 500 reasoning tokens');
    const meter = panel.page.locator('#context-meter');
    assert.equal(await meter.getAttribute('role'), 'meter');
    assert.equal(await meter.getAttribute('aria-valuenow'), '32000');
    assert.equal(await meter.getAttribute('aria-valuemax'), '131072');
    assert.equal(await meter.locator('.meter-text').textContent(), '32k / 131k');
    // The draft counts too, as an estimate (chars / 4).
    await panel.page.locator('textarea#prompt').fill('x'.repeat(4000));
    assert.equal(await meter.getAttribute('aria-valuenow'), '33000');
    assert.match((await meter.locator('.meter-text').textContent()) ?? '', /^≈33k/);
    // Without usage: an estimate of all text; without a known window: no bar, just the count.
    await panel.deliver(stateMessage({ config: { system: '' }, messages: [user('u1', 'a'.repeat(400))], capabilities: { ...GROQ_CAPS, contextWindow: undefined } }));
    await panel.page.locator('textarea#prompt').fill('');
    assert.equal(await meter.getAttribute('aria-valuenow'), '100');
    assert.equal(await meter.locator('.meter-text').textContent(), '≈100 tokens');
  });
});
