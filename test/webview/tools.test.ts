// Tool calls in the panel: cards streamed into a reply at their text offset (text, card, text), their status,
// arguments and result; the approval buttons; the same cards from the saved chat; untrusted results shown as text;
// the per-chat tool picker.
import assert from 'node:assert/strict';
import type { Capabilities, ChatMessage, StreamEvent, ToolCall, ToolInfo } from '../../src/protocol';
import { assistant, chunks, DEMO_CAPS, GROQ_CAPS, stateMessage, streamOf, text, user } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

const BEFORE = 'Let me read the file first.\n\n';
const AFTER = 'The file exports **one** function.';
const ARGS = '{"path":"src/hello.ts","startLine":1}';
const RESULT = 'export function hello(name: string) {\n  return `Hello, ${name}!`;\n}\n'.repeat(20);

const TOOLS: ToolInfo[] = [
  { name: 'read_file', description: 'Read a file of the workspace', readOnly: true, source: 'workspace' },
  { name: 'list_files', description: 'List files matching a glob', readOnly: true, source: 'workspace' },
  { name: 'write_file', description: 'Create or overwrite a file', readOnly: false, source: 'workspace' },
];

const start: StreamEvent = { type: 'start', messageId: 'a1', provider: 'groq', model: 'llama-3.3-70b-versatile' };
const call = (id: string, name = 'read_file', textOffset = BEFORE.length): StreamEvent => ({ type: 'tool-call', id, name, step: 1, textOffset });
const args = (id: string, t: string): StreamEvent => ({ type: 'tool-args', id, text: t });
const update = (id: string, u: Extract<StreamEvent, { type: 'tool-update' }>['update']): StreamEvent => ({ type: 'tool-update', id, update: u });

const DONE_CALL: ToolCall = { id: 'call_1', name: 'read_file', arguments: ARGS, step: 1, textOffset: BEFORE.length, status: 'done', result: RESULT, summary: 'hello.ts, 60 lines', durationMs: 420 };

describe('webview: tool calls', function () {
  let panel: Panel;
  eachTestPanel(async (opened) => {
    panel = opened;
  });

  const reply = () => panel.page.locator('article.message[data-id="a1"]');
  const card = (id = 'call_1') => reply().locator(`.tool-card[data-call-id="${id}"]`);

  async function streaming(messages: ChatMessage[] = [user('u1', 'What does hello.ts export?'), assistant('a1', '', { status: 'streaming' })]): Promise<void> {
    await panel.deliver(stateMessage({ messages, activeRequest: 'r1', tools: TOOLS }));
  }

  /** The reply's body as a list of parts: text segments (their text; the empty live one left out) and cards. */
  function parts(): Promise<string[]> {
    return reply().locator('.message-body').evaluate((body) =>
      Array.from(body.children).flatMap((el) =>
        el.classList.contains('tool-calls')
          ? Array.from(el.querySelectorAll('.tool-card'), (c) => `card:${c.querySelector('.tool-name')?.textContent}:${c.querySelector('.tool-status-text')?.textContent}`)
          : el.textContent?.trim() ? [`text:${el.textContent.trim()}`] : [],
      ),
    );
  }

  /** A card's DOM with nothing that may differ between a streamed and a rendered card (whitespace). */
  function cardHtml(id = 'call_1'): Promise<string> {
    return card(id).evaluate((el) => el.outerHTML.replace(/\s+/g, ' '));
  }

  it('streams text, a card at its offset with its arguments and result, then more text', async () => {
    await streaming();
    await panel.deliver(...streamOf('r1', [start, text('Let me read '), text('the file first.\n\n'), call('call_1')]));
    assert.equal(await card().locator('.tool-status-text').textContent(), 'Writing arguments…');
    assert.equal(await card().getAttribute('data-status'), 'streaming');
    // The text before the card is finished: its blocks stay the same nodes to the end.
    await reply().locator('.reply-text p').first().evaluate((p) => ((p as HTMLElement & { __kept?: boolean }).__kept = true));
    await panel.deliver(...streamOf('r1', chunks(ARGS, 5).map((piece) => args('call_1', piece)), 4));
    const argsText = card().locator('.tool-args pre');
    assert.equal(await argsText.textContent(), JSON.stringify(JSON.parse(ARGS), null, 2), 'pretty-printed once it is JSON');
    assert.equal(await card().locator('.tool-args').evaluate((d) => (d as HTMLDetailsElement).open), false, 'arguments collapsed');
    await panel.deliver(...streamOf('r1', [update('call_1', { status: 'running' })], 20));
    assert.equal(await card().locator('.tool-status-text').textContent(), 'Running…');
    assert.equal(await card().locator('.tool-result').isVisible(), false, 'no result yet');
    await panel.deliver(...streamOf('r1', [update('call_1', { status: 'done', result: RESULT, summary: 'hello.ts, 60 lines', durationMs: 420 }), ...chunks(AFTER, 6).map(text)], 21));
    assert.equal(await card().locator('.tool-status-text').textContent(), 'Done');
    assert.equal(await card().locator('.tool-duration').textContent(), '0.4 s');
    const result = card().locator('details.tool-result');
    assert.equal(await result.evaluate((d) => (d as HTMLDetailsElement).open), false, 'result collapsed');
    assert.equal(await result.locator('summary').textContent(), 'Result · 1.3 KB · hello.ts, 60 lines');
    assert.equal(await result.locator('pre').textContent(), RESULT);
    await reply().locator('.message-body').filter({ hasText: 'exports one function.' }).waitFor();
    assert.deepEqual(await parts(), ['text:Let me read the file first.', 'card:read_file:Done', 'text:The file exports one function.']);
    assert.equal(await reply().locator('.message-body strong').textContent(), 'one', 'the text after the card is markdown');

    // The host's final state: the same cards, and the streamed DOM kept.
    const streamed = await cardHtml();
    const final = assistant('a1', BEFORE + AFTER, { toolCalls: [DONE_CALL] });
    await panel.deliver(...streamOf('r1', [{ type: 'finish', reason: 'stop' }], 30));
    await panel.deliver(stateMessage({ messages: [user('u1', 'What does hello.ts export?'), final], tools: TOOLS }));
    assert.deepEqual(await parts(), ['text:Let me read the file first.', 'card:read_file:Done', 'text:The file exports one function.']);
    assert.equal(await cardHtml(), streamed);
    assert.equal(await reply().locator('.reply-text p').first().evaluate((p) => (p as HTMLElement & { __kept?: boolean }).__kept), true, 'streamed DOM kept');
    await card().locator('.tool-args summary').click();
    await card().locator('.tool-result summary').click();
    await panel.screenshot('tool-card');
    await card().locator('.tool-args summary').click();
    await card().locator('.tool-result summary').click();
    // A reload: the same chat rendered from its saved state shows the very same card.
    await panel.page.reload();
    await panel.waitForPosted('ready');
    await panel.deliver(stateMessage({ messages: [user('u1', 'What does hello.ts export?'), final], tools: TOOLS }));
    assert.deepEqual(await parts(), ['text:Let me read the file first.', 'card:read_file:Done', 'text:The file exports one function.']);
    assert.equal(await cardHtml(), streamed);
  });

  it('calls of one step share their offset, in order; malformed arguments show as written', async () => {
    await streaming();
    await panel.deliver(...streamOf('r1', [start, text(BEFORE), call('call_1'), args('call_1', ARGS), call('call_2', 'list_files'), args('call_2', '{"glob": "src/**'), update('call_2', { status: 'failed', result: 'Unterminated string in JSON', isError: true })]));
    assert.deepEqual(await parts(), ['text:Let me read the file first.', 'card:read_file:Writing arguments…', 'card:list_files:Failed']);
    assert.equal(await reply().locator('.tool-calls').count(), 1);
    assert.equal(await card('call_2').locator('.tool-args pre').textContent(), '{"glob": "src/**');
    assert.match((await card('call_2').getAttribute('class')) ?? '', /\berror\b/);
    assert.equal(await card('call_2').locator('.tool-result summary').textContent(), 'Error · 27 B');
    // Live and saved cards match for these too.
    const live = [await cardHtml('call_1'), await cardHtml('call_2')];
    const calls: ToolCall[] = [
      { id: 'call_1', name: 'read_file', arguments: ARGS, step: 1, textOffset: BEFORE.length, status: 'streaming' },
      { id: 'call_2', name: 'list_files', arguments: '{"glob": "src/**', step: 1, textOffset: BEFORE.length, status: 'failed', result: 'Unterminated string in JSON', isError: true },
    ];
    await panel.deliver(stateMessage({ messages: [user('u1', 'What does hello.ts export?'), assistant('a1', BEFORE, { toolCalls: calls, status: 'stopped' })], tools: TOOLS }));
    assert.deepEqual([await cardHtml('call_1'), await cardHtml('call_2')], live);
  });

  it('a call placed before text that already arrived lays the reply out again, and the final state agrees', async () => {
    await streaming();
    await panel.deliver(...streamOf('r1', [start, text(BEFORE + 'Early '), call('call_1'), args('call_1', ARGS), text('words.')]));
    await reply().locator('.message-body').filter({ hasText: 'Early words.' }).waitFor();
    assert.deepEqual(await parts(), ['text:Let me read the file first.', 'card:read_file:Writing arguments…', 'text:Early words.']);
    const live = await cardHtml();
    await panel.deliver(stateMessage({ messages: [user('u1', 'What does hello.ts export?'), assistant('a1', `${BEFORE}Early words.`, { toolCalls: [{ id: 'call_1', name: 'read_file', arguments: ARGS, step: 1, textOffset: BEFORE.length, status: 'streaming' }], status: 'stopped' })], tools: TOOLS }));
    assert.deepEqual(await parts(), ['text:Let me read the file first.', 'card:read_file:Writing arguments…', 'text:Early words.']);
    assert.equal(await cardHtml(), live);
  });

  it('asks for approval: the buttons post approveTool, work from the keyboard, and wait for the next update', async () => {
    await streaming();
    await panel.deliver(...streamOf('r1', [start, text(BEFORE), call('call_1', 'write_file'), args('call_1', '{"path":"a.txt","text":"hi"}'), update('call_1', { status: 'approval' })]));
    assert.equal(await card().locator('.tool-status-text').textContent(), 'Waiting for your approval');
    await panel.screenshot('tool-approval');
    await panel.page.locator('#announcer').filter({ hasText: 'Parley wants to run write_file: waiting for your approval' }).waitFor();
    const buttons = card().locator('.tool-approval button');
    assert.deepEqual(await buttons.allTextContents(), ['Allow once', 'Allow for this chat', 'Deny']);
    // Keyboard: the first button takes the focus, Enter answers.
    await buttons.first().focus();
    assert.equal(await buttons.first().evaluate((b) => b === document.activeElement), true);
    await panel.page.keyboard.press('Enter');
    assert.deepEqual(await panel.waitForPosted('approveTool'), { type: 'approveTool', chatId: 'chat-1', callId: 'call_1', decision: 'once' });
    assert.deepEqual(await buttons.evaluateAll((list) => list.map((b) => (b as HTMLButtonElement).disabled)), [true, true, true], 'no second answer');
    // The host asks again (e.g. the answer did not arrive): the buttons work again.
    await panel.deliver(...streamOf('r1', [update('call_1', { status: 'approval' })], 5));
    await panel.clearPosted();
    await buttons.nth(1).click();
    assert.deepEqual(await panel.waitForPosted('approveTool'), { type: 'approveTool', chatId: 'chat-1', callId: 'call_1', decision: 'chat' });
    await panel.deliver(...streamOf('r1', [update('call_1', { status: 'approval' })], 6));
    await panel.clearPosted();
    await buttons.nth(2).focus();
    await panel.page.keyboard.press('Enter');
    assert.deepEqual(await panel.waitForPosted('approveTool'), { type: 'approveTool', chatId: 'chat-1', callId: 'call_1', decision: 'deny' });
    await panel.deliver(...streamOf('r1', [update('call_1', { status: 'denied', result: 'The user denied this call.', isError: true })], 7));
    assert.equal(await card().locator('.tool-status-text').textContent(), 'Denied');
    assert.equal(await card().locator('.tool-approval').isVisible(), false);
  });

  it('a reply joined mid-stream (after a reload) shows the calls the state carried and streams on', async () => {
    const waiting: ToolCall = { id: 'call_1', name: 'read_file', arguments: ARGS, step: 1, textOffset: BEFORE.length, status: 'approval' };
    await streaming([user('u1', 'Read it'), assistant('a1', BEFORE, { status: 'streaming', toolCalls: [waiting] })]);
    assert.equal(await card().locator('.tool-approval button').first().isVisible(), true, 'buttons from the state alone');
    await panel.deliver(...streamOf('r1', [update('call_1', { status: 'done', result: 'ok' }), text(AFTER)], 9));
    await reply().locator('.message-body').filter({ hasText: 'exports one function.' }).waitFor();
    assert.deepEqual(await parts(), ['text:Let me read the file first.', 'card:read_file:Done', 'text:The file exports one function.']);
  });

  it('a call the provider ran says so, live (once the final state says it) and from history', async () => {
    await streaming();
    await panel.deliver(...streamOf('r1', [start, text(BEFORE), call('call_1', 'browser_search'), update('call_1', { status: 'done', result: 'results' })]));
    assert.equal(await card().locator('.tool-by').isVisible(), false, 'the stream does not say who runs a call');
    const final = assistant('a1', BEFORE, { toolCalls: [{ ...DONE_CALL, name: 'browser_search', arguments: '', result: 'results', summary: undefined, durationMs: undefined, byProvider: true }] });
    await panel.deliver(stateMessage({ messages: [user('u1', 'Search'), final], tools: TOOLS }));
    assert.equal(await card().locator('.tool-by').isVisible(), true);
    assert.equal(await card().locator('.tool-by').textContent(), 'run by the provider');
    const live = await cardHtml();
    await panel.page.reload();
    await panel.waitForPosted('ready');
    await panel.deliver(stateMessage({ messages: [user('u1', 'Search'), final], tools: TOOLS }));
    assert.equal(await cardHtml(), live);
  });

  it('shows a result as text, never as HTML', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';
    await panel.deliver(stateMessage({ messages: [user('u1', 'Read it'), assistant('a1', BEFORE + AFTER, { toolCalls: [{ ...DONE_CALL, result: evil, summary: '<i>x</i>' }] })], tools: TOOLS }));
    await card().locator('.tool-result summary').click();
    assert.equal(await card().locator('.tool-result pre').textContent(), evil);
    assert.equal(await card().locator('img, script, b, i').count(), 0);
    assert.match((await card().locator('.tool-result summary').textContent()) ?? '', /<i>x<\/i>/);
    await panel.frames(2);
    assert.equal(await panel.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  });

  it('the picker turns tools on and off with setConfig, all at once too, and counts them', async () => {
    await panel.deliver(stateMessage({ showControls: true, tools: TOOLS, config: { disabledTools: ['write_file'] } }));
    const picker = panel.page.locator('.tool-picker');
    assert.equal(await picker.locator('.tool-count').textContent(), '· 2 of 3 on');
    assert.equal(await picker.getByRole('checkbox', { name: 'write_file' }).isChecked(), false);
    assert.equal(await picker.locator('.tool-hint').first().textContent(), 'Read a file of the workspace');
    await picker.scrollIntoViewIfNeeded();
    await panel.screenshot('tool-picker');
    await picker.getByRole('checkbox', { name: 'list_files' }).click();
    assert.deepEqual(await panel.waitForPosted('setConfig'), { type: 'setConfig', chatId: 'chat-1', patch: { disabledTools: ['list_files', 'write_file'] } });
    assert.equal(await picker.locator('.tool-count').textContent(), '· 1 of 3 on');
    await panel.clearPosted();
    await picker.getByRole('checkbox', { name: /^All tools/ }).click();
    assert.deepEqual(await panel.waitForPosted('setConfig'), { type: 'setConfig', chatId: 'chat-1', patch: { disabledTools: [] } });
    assert.equal(await picker.locator('.tool-count').textContent(), '· 3 of 3 on');
    await panel.clearPosted();
    await picker.getByRole('checkbox', { name: /^All tools/ }).press('Space');
    assert.deepEqual(await panel.waitForPosted('setConfig'), { type: 'setConfig', chatId: 'chat-1', patch: { disabledTools: ['read_file', 'list_files', 'write_file'] } });
  });

  it('a tool that is off by default is on only once the chat turns it on (enabledTools)', async () => {
    const extra: ToolInfo = { name: 'ext_deploy', description: 'Deploy the app (another extension)', readOnly: false, source: 'vscode', defaultOn: false };
    await panel.deliver(stateMessage({ showControls: true, tools: [...TOOLS, extra], config: { disabledTools: ['write_file'] } }));
    const picker = panel.page.locator('.tool-picker');
    assert.equal(await picker.getByRole('checkbox', { name: 'ext_deploy' }).isChecked(), false);
    assert.equal(await picker.locator('.tool-count').textContent(), '· 2 of 4 on');
    await picker.getByRole('checkbox', { name: 'ext_deploy' }).click();
    assert.deepEqual(await panel.waitForPosted('setConfig'), { type: 'setConfig', chatId: 'chat-1', patch: { disabledTools: ['write_file'], enabledTools: ['ext_deploy'] } });
    await panel.deliver(stateMessage({ showControls: true, tools: [...TOOLS, extra], config: { disabledTools: ['write_file'], enabledTools: ['ext_deploy'] } }));
    assert.equal(await picker.getByRole('checkbox', { name: 'ext_deploy' }).isChecked(), true);
    await panel.clearPosted();
    await picker.getByRole('checkbox', { name: 'ext_deploy' }).click();
    assert.deepEqual(await panel.waitForPosted('setConfig'), { type: 'setConfig', chatId: 'chat-1', patch: { disabledTools: ['write_file'], enabledTools: [] } });
  });

  it("the provider's own tools (Groq's built-in tools) are checkboxes when the model has them: the default, then the chat's choice", async () => {
    const caps: Capabilities = { ...GROQ_CAPS, serverTools: ['web_search', 'code_interpreter', 'wolfram_alpha'], serverToolsDefault: ['web_search', 'code_interpreter'] };
    await panel.deliver(stateMessage({ showControls: true, tools: TOOLS, capabilities: caps }));
    const row = panel.page.locator('section.server-tools');
    await row.waitFor();
    const checked = () => row.locator('input[data-server-tool]').evaluateAll((boxes) => boxes.map((b) => `${(b as HTMLInputElement).dataset.serverTool}:${(b as HTMLInputElement).checked}`));
    assert.deepEqual(await checked(), ['web_search:true', 'code_interpreter:true', 'wolfram_alpha:false']);
    await row.getByLabel('Code execution').uncheck();
    const posted = await panel.waitForPosted('setConfig', (m) => m.patch.serverTools !== undefined);
    assert.deepEqual(posted.patch, { serverTools: ['web_search'] });
    await panel.deliver(stateMessage({ showControls: true, tools: TOOLS, config: { serverTools: ['wolfram_alpha'] }, capabilities: caps }));
    await panel.page.waitForFunction(() => (document.querySelector('input[data-server-tool="wolfram_alpha"]') as HTMLInputElement | null)?.checked === true);
    assert.deepEqual(await checked(), ['web_search:false', 'code_interpreter:false', 'wolfram_alpha:true']);
    await panel.deliver(stateMessage({ showControls: true, tools: TOOLS }));
    await row.waitFor({ state: 'hidden' });
  });

  it('the picker is disabled, with the reason, when the model cannot call tools; says when there are none', async () => {
    await panel.deliver(stateMessage({ showControls: true, tools: TOOLS, config: { provider: 'demo', model: 'parley-demo (offline)' }, capabilities: DEMO_CAPS }));
    const picker = panel.page.locator('.tool-picker');
    assert.equal(await picker.locator('.tool-reason').textContent(), 'parley-demo (offline) does not call tools.');
    assert.deepEqual(await picker.locator('input[type="checkbox"]').evaluateAll((list) => list.map((b) => (b as HTMLInputElement).disabled)), [true, true, true, true]);
    await panel.deliver(stateMessage({ showControls: true, tools: TOOLS, capabilities: { ...GROQ_CAPS, toolCalls: false } }));
    assert.equal(await picker.locator('.tool-reason').textContent(), 'llama-3.3-70b-versatile cannot call tools (per the model catalog).');
    await panel.deliver(stateMessage({ showControls: true, tools: TOOLS, capabilities: { ...GROQ_CAPS, toolCalls: false, toolCallsReason: 'groq/compound runs only its own tools.' } }));
    assert.equal(await picker.locator('.tool-reason').textContent(), 'groq/compound runs only its own tools.');
    await panel.deliver(stateMessage({ showControls: true, tools: TOOLS, capabilities: { ...GROQ_CAPS, toolCalls: true } }));
    assert.equal(await picker.locator('.tool-reason').isVisible(), false);
    assert.equal(await picker.getByRole('checkbox', { name: 'read_file' }).isEnabled(), true);
    await panel.deliver(stateMessage({ showControls: true, tools: [] }));
    assert.equal(await picker.locator('.tool-reason').textContent(), 'No tools available.');
    assert.equal(await picker.locator('.tool-item').count(), 0);
  });
});
