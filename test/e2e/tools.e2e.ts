// Tools end to end in a real VS Code (code-server 1.139): a Groq-format server asks for tool calls, the real
// extension host runs them on the sample workspace, the panel shows each call as a card in the reply, waits for
// the user's approval (parley.tools.approval = always, so every call asks), and the cards come back after a reload.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { groqModelList } from '../fakes/groqModels';
import { chatStream, toolCallChunks } from '../fakes/openaiFormat';
import { FakeServer, type RecordedRequest } from '../fakes/server';
import { sampleWorkspace, startVsCode, sendInPanel, toolCardIn, until, type Session } from './harness';

describe('e2e: tool calls in a real VS Code', function () {
  const groq = new FakeServer('groq');
  let vs: Session;
  let panel: FrameLocator;
  const hello = readFileSync(join(sampleWorkspace, 'hello.ts'), 'utf8');

  const lastReply = () => panel.locator('article.message.assistant').last();
  const replyStatus = () => lastReply().getAttribute('data-status');
  const chats = (): RecordedRequest[] => groq.requests.filter((r) => r.method === 'POST');
  const toolMessages = (request: RecordedRequest) => (request.body.messages as Array<{ role: string; content: string; tool_call_id?: string }>).filter((m) => m.role === 'tool');

  const send = (text: string) => sendInPanel(panel, text);
  const cardIn = (callId: string, status: string) => toolCardIn(panel, callId, status);

  before(async function () {
    await groq.start();
    groq.route(/\/models$/, () => groqModelList());
    vs = await startVsCode({
      workspace: sampleWorkspace,
      name: 'tools',
      settings: { 'parley.groq.baseUrl': groq.url, 'parley.tools.approval': 'always' },
      env: { GROQ_API_KEY: 'gsk_tools_e2e_key_000000000001' },
    });
    await vs.runCommand('Parley: Start Chat');
    panel = vs.webview();
    await panel.locator('textarea#prompt').waitFor({ state: 'visible', timeout: 30_000 });
    await until(() => panel.locator('#provider').inputValue(), (v) => v === 'groq');
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vs?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
  });
  after(async function () {
    await vs?.close();
    await groq.stop();
  });

  it('"What does hello.ts export?": a read_file card asks, Allow for this chat (keyboard) runs it on the real file, the answer follows', async function () {
    groq.enqueue(
      { kind: 'sse', frames: toolCallChunks([{ id: 'call_read_1', name: 'read_file', pieces: ['{"pa', 'th": "hel', 'lo.ts"}'] }], { text: ['Let me read it.'] }), delayMs: 10 },
      chatStream(['hello.ts exports ', '`greet` and `add`.'], { model: 'openai/gpt-oss-120b' }),
    );
    await send('What does hello.ts export?');
    const card = await cardIn('call_read_1', 'approval');
    assert.equal(await card.locator('.tool-name').innerText(), 'read_file');
    assert.match(await card.locator('.tool-status-text').innerText(), /approval/i);
    assert.equal(chats().length, 1, 'nothing ran before the approval');
    await vs.screenshot('tool-approval');
    // Keyboard: focus the button, press Enter.
    const allowForChat = card.locator('button[data-decision="chat"]');
    await allowForChat.focus();
    await allowForChat.press('Enter');
    await cardIn('call_read_1', 'done');
    await until(replyStatus, (s) => s === 'done');
    assert.match(await lastReply().locator('.message-body').innerText(), /Let me read it\.[\s\S]*hello\.ts exports greet and add\./);
    // The card sits between the two parts of the text.
    const order = await lastReply().locator('.message-body').evaluate((body) => {
      const card = body.querySelector('.tool-card')!;
      const text = (body as HTMLElement).innerText;
      return { cardAfterFirst: text.indexOf('Let me read it.') < text.indexOf('read_file'), cardBeforeAnswer: text.indexOf('read_file') < text.indexOf('hello.ts exports'), inBody: !!card };
    });
    assert.deepEqual(order, { cardAfterFirst: true, cardBeforeAnswer: true, inBody: true });
    assert.match(await card.locator('.tool-result summary').innerText(), /hello\.ts/);
    // The extension host read the workspace file and sent it back as the call's result.
    const [result] = toolMessages(chats()[1]);
    assert.equal(result.tool_call_id, 'call_read_1');
    for (const line of hello.trim().split('\n')) assert.ok(result.content.includes(line), `the result carries "${line}"`);
    await vs.screenshot('tool-read-file-done');
  });

  it('a regex search across the workspace (the regex checker loads from its own chunk): search_text asks again (only read_file was allowed), Allow once, the matches go back', async function () {
    groq.enqueue(
      { kind: 'sse', frames: toolCallChunks([{ id: 'call_search_1', name: 'search_text', pieces: ['{"query":"\\\\badd\\\\(","isRegex":true}'] }]) },
      chatStream(['`add` is defined in hello.ts and called once.']),
    );
    const before = chats().length;
    await send('Where is add used?');
    const card = await cardIn('call_search_1', 'approval');
    await card.locator('button[data-decision="once"]').click();
    await cardIn('call_search_1', 'done');
    await until(replyStatus, (s) => s === 'done');
    const [result] = toolMessages(chats()[before + 1]).slice(-1);
    assert.equal(result.tool_call_id, 'call_search_1');
    assert.match(result.content, /^hello\.ts:\d+: export function add/m);
    assert.match(result.content, /^hello\.ts:\d+: console\.log\(greet\('Parley'\), add\(2, 3\)\);/m);
    assert.match(await card.locator('.tool-result summary').innerText(), /2 matches/);
    // read_file was allowed for this chat: asked for again, it runs without a prompt.
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'call_read_2', name: 'read_file', pieces: ['{"path":"README.md"}'] }]) }, chatStream(['A readme.']));
    await send('And the readme?');
    await cardIn('call_read_2', 'done');
    await until(replyStatus, (s) => s === 'done');
  });

  it('Stop while a call waits in its card: the card says cancelled, the reply is stopped, the model is not called again', async function () {
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'call_list_1', name: 'list_files', pieces: ['{"glob":"**/*.ts"}'] }], { text: ['Listing.'] }) });
    const before = chats().length;
    await send('List the TypeScript files');
    await cardIn('call_list_1', 'approval');
    await panel.locator('#stop').click();
    const card = await cardIn('call_list_1', 'cancelled');
    await until(replyStatus, (s) => s === 'stopped');
    assert.match(await card.locator('.tool-status-text').innerText(), /cancel/i);
    assert.equal(chats().length, before + 1);
    // The chat goes on: the unrun call is replayed with a result saying it did not run.
    groq.enqueue(chatStream(['Fine.']));
    await send('Never mind.');
    await until(replyStatus, (s) => s === 'done');
    const replayed = toolMessages(chats().at(-1)!).find((m) => m.tool_call_id === 'call_list_1');
    assert.match(replayed!.content, /^Error: Stopped by the user/);
  });

  it('after a reload the cards render from the saved chat exactly as they did live', async function () {
    const snapshot = () => panel.locator('.tool-card').evaluateAll((els) => els.map((el) => `${el.getAttribute('data-call-id')}|${el.getAttribute('data-status')}|${(el as HTMLElement).innerText.replace(/\s+/g, ' ').trim()}`));
    // The log renders only the messages near the screen, and which ones can differ after a reload (heights are
    // measured again): every card shown after the reload must equal the same call's card before it.
    const before = await snapshot();
    assert.ok(before.length >= 2, `cards in view: ${before.length}`);
    await vs.reload();
    panel = vs.webview();
    await panel.locator('textarea#prompt').waitFor({ timeout: 90_000 }); // after a reload: the extension host starts anew;
    const idOf = (entry: string) => entry.split('|')[0];
    const after = await until(snapshot, (s) => s.filter((entry) => before.some((b) => idOf(b) === idOf(entry))).length >= 2);
    for (const entry of after) {
      const was = before.find((b) => idOf(b) === idOf(entry));
      if (was) assert.equal(entry, was);
    }
    await vs.screenshot('tool-cards-after-reload');
  });
});
