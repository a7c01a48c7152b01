// VS Code's language-model tools in Parley, in a real VS Code (code-server 1.139): a tool another extension
// registers (test/e2e/lm-client's parley_test_clock) and a real MCP stdio server's tool (test/e2e/mcp-server,
// configured in a workspace .vscode/mcp.json) are offered to a Groq-format model, which calls them; the call waits
// for Allow in the panel's card (and for VS Code's own confirmation dialog when the tool asks for one), and the
// tool's real result goes back to the model; a server that exits in the middle of a call fails that call, and the
// chat and the server go on. The workspace is a temporary copy of the sample workspace.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { groqModelList } from '../fakes/groqModels';
import { chatStream, toolCallChunks } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { sampleWorkspace, startVsCode, until, type Session } from './harness';

const CLIENT_DIR = resolve(__dirname, 'lm-client');
const MCP_SERVER = resolve(__dirname, 'mcp-server', 'server.mjs');
const GROQ_KEY = 'gsk_vscode_tools_e2e_key_00001';
const MODEL = 'openai/gpt-oss-120b';
const CLOCK = 'parley_test_clock';
/** VS Code's name for the MCP server's tool: mcp_<server name in mcp.json>_<tool>. */
const WORD_COUNT = 'mcp_parley-test_word_count';
/** The MCP server's tool whose call makes the server process exit before it answers. */
const CRASH = 'mcp_parley-test_crash';

interface ListedTool { name: string; description: string; tags: string[]; source?: Record<string, unknown>; inputSchema?: unknown }

describe('e2e: VS Code\'s language-model tools and MCP tools in Parley', function () {
  const groq = new FakeServer('groq');
  let vs: Session;
  let panel: FrameLocator;
  let exchange: string;
  let workspace: string;
  let run = 0;

  /** Runs the test extension's scenario through the palette and returns what it saw. */
  async function scenario(steps: object[]): Promise<any[]> {
    run++;
    writeFileSync(join(exchange, 'request.json'), JSON.stringify({ run, steps }));
    await vs.runCommand('Parley LM Client: Run Scenario');
    const resultFile = join(exchange, 'result.json');
    const result = await until(() => (existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : undefined), (r) => r?.run === run, `scenario ${run}`);
    return result.results;
  }
  const listTools = async (): Promise<ListedTool[]> => (await scenario([{ op: 'listTools' }]))[0].tools;
  const mcpLog = () => (existsSync(join(exchange, 'mcp.log')) ? readFileSync(join(exchange, 'mcp.log'), 'utf8') : '');
  const clockLog = () => (existsSync(join(exchange, 'tool-calls.log')) ? readFileSync(join(exchange, 'tool-calls.log'), 'utf8') : '');
  const lastReply = () => panel.locator('article.message.assistant').last();
  const card = (name: string) => lastReply().locator('.tool-card', { has: panel.locator('.tool-name', { hasText: name }) });

  async function send(text: string) {
    const prompt = panel.locator('textarea#prompt');
    await prompt.fill(text);
    await prompt.press('Enter');
  }

  before(async function () {
    exchange = mkdtempSync(join(tmpdir(), 'parley-vstools-'));
    const vsix = join(exchange, 'lm-client.vsix');
    execFileSync(resolve('node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: CLIENT_DIR, stdio: 'pipe' });
    // A copy of the shared sample workspace with the MCP server configured: the original stays untouched.
    workspace = join(exchange, 'workspace');
    cpSync(sampleWorkspace, workspace, { recursive: true });
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'mcp.json'), JSON.stringify({
      servers: {
        'parley-test': { type: 'stdio', command: process.execPath, args: [MCP_SERVER], env: { PARLEY_MCP_LOG: join(exchange, 'mcp.log') } },
      },
    }, null, 2));
    await groq.start();
    groq.route(/\/models$/, () => groqModelList());
    vs = await startVsCode({
      workspace,
      name: 'vscode-tools',
      extraVsix: [vsix],
      env: { PARLEY_LM_CLIENT_DIR: exchange, GROQ_API_KEY: GROQ_KEY },
      // The panel's tool picker turns single tools off; VS Code's tools are off until turned on, so the test
      // turns them on for every chat with the setting.
      settings: { 'parley.groq.baseUrl': groq.url, 'parley.tools.vscodeToolsOnByDefault': true },
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vs?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
  });
  after(async function () {
    await vs?.close();
    await groq.stop();
    rmSync(exchange, { recursive: true, force: true });
  });

  it('vscode.lm.tools lists the extension\'s tool at once, and the MCP server\'s tool once VS Code has started the server', async function () {
    const before = await listTools();
    const clock = before.find((t) => t.name === CLOCK);
    assert.ok(clock, `the test extension's tool is listed: ${before.map((t) => t.name).join(', ')}`);
    assert.deepEqual(clock.tags, ['parley-test']);
    assert.equal(before.some((t) => t.tags.includes('mcp')), false, 'no MCP tool before the server runs');
    assert.equal(mcpLog(), '', 'VS Code did not start the MCP server by itself (nothing asked for its tools yet)');
    // What a user does with MCP: List Servers → Start (or the code lens in mcp.json); VS Code trusted the
    // workspace's server without a prompt here (workspace trust is off in the e2e settings).
    // "Start" acts on the servers VS Code has read from mcp.json so far, and it reads the file in its own time: on
    // a busy machine the first Start can come before and start nothing. So Start is repeated until the tool is
    // listed (Start on a running server does nothing), with what Start answered kept for the failure message.
    const startAndList = async () => {
      const [start, listed] = await scenario([{ op: 'command', id: 'workbench.mcp.startServer', args: ['*', { waitForLiveTools: true }] }, { op: 'listTools' }]);
      return { start, mcpLog: mcpLog(), names: (listed.tools as ListedTool[]).map((t) => t.name).filter((n) => !n.startsWith('vscode_')), tools: listed.tools as ListedTool[] };
    };
    const { tools: after } = await until(startAndList, (r) => r.names.includes(WORD_COUNT), 'the MCP tool to be listed', 90_000);
    const wordCount = after.find((t) => t.name === WORD_COUNT)!;
    assert.deepEqual(wordCount.tags, ['mcp'], 'VS Code tags MCP tools "mcp"');
    assert.equal(wordCount.description, 'Counts the words in a text.');
    assert.deepEqual((wordCount.inputSchema as { properties: unknown }).properties, { text: { type: 'string', description: 'The text to count the words of' } });
    assert.match(mcpLog(), /started/, 'the real MCP server process ran');
    // Evidence for the report: every tool VS Code listed, with its tags and source.
    writeFileSync(join(vs.runDir, 'lm-tools.json'), JSON.stringify(after.map(({ name, tags, source }) => ({ name, tags, source })), null, 2));
  });

  it('the model is offered both tools; calling the extension\'s tool waits for Allow, then for VS Code\'s confirmation, and its real result goes back', async function () {
    await vs.runCommand('Parley: Start Chat');
    panel = vs.webview();
    await panel.locator('textarea#prompt').waitFor({ state: 'visible', timeout: 30_000 });
    await until(() => panel.locator('#provider').inputValue(), (v) => v === 'groq', 'the chat to be on Groq (key from the environment)');
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'call_clock1', name: CLOCK, pieces: ['{"ci', 'ty": "Oslo"}'] }], { model: MODEL }) });
    groq.enqueue(chatStream(['It is 12:34 ', 'in Oslo.'], { model: MODEL }));
    // The panel's tool picker shows where each tool comes from (the info Parley sends with the chat state).
    const pickerTags = async (name: string) => (await panel.locator(`.tool-item:has(input[data-tool="${name}"]) .tool-tags`).textContent())?.trim();
    assert.equal(await pickerTags(CLOCK), 'can change files · VS Code');
    assert.equal(await pickerTags(WORD_COUNT), 'can change files · MCP');
    const sentBefore = groq.requests.length;
    await send('What time is it in Oslo?');

    const approval = card(CLOCK);
    await until(() => approval.getAttribute('data-status').catch(() => null), (s) => s === 'approval', 'the approval card');
    const first = groq.requests[sentBefore];
    const offered = (first.body.tools ?? []).map((t: { function: { name: string } }) => t.function);
    writeFileSync(join(vs.runDir, 'offered-tools.json'), JSON.stringify(offered, null, 2));
    const clock = offered.find((f: { name: string }) => f.name === CLOCK);
    assert.deepEqual(clock, {
      name: CLOCK,
      description: 'Tells the time in a city (a fixed test answer).',
      parameters: { type: 'object', properties: { city: { type: 'string', description: 'The city' } }, required: ['city'] },
    });
    const wordCount = offered.find((f: { name: string }) => f.name === WORD_COUNT);
    assert.deepEqual(wordCount?.parameters, { type: 'object', properties: { text: { type: 'string', description: 'The text to count the words of' } }, required: ['text'] }, 'the MCP tool, without its $schema');
    assert.equal(offered.some((f: { name: string }) => f.name.endsWith('_internal') || f.name === 'run_in_terminal'), false, "VS Code's built-in chat tools are not offered");
    assert.match(await approval.locator('.tool-approval').innerText(), /Parley wants to run parley_test_clock/);
    assert.equal(clockLog(), '', 'nothing ran before Allow');
    await vs.screenshot('clock-approval-card');

    await approval.locator('button[data-decision="once"]').click();
    // The tool's prepareInvocation asks for confirmation: outside a VS Code chat that is VS Code's modal dialog.
    const dialog = vs.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await dialog.innerText(), /Run the test clock\?[\s\S]*Read the clock for Oslo\./);
    await vs.screenshot('clock-vscode-confirmation');
    await dialog.getByRole('button', { name: 'Yes', exact: true }).click();

    await until(() => lastReply().getAttribute('data-status'), (s) => s === 'done', 'the reply to finish');
    const second = groq.requests.at(-1)!;
    assert.deepEqual(second.body.messages.at(-1), { role: 'tool', tool_call_id: 'call_clock1', content: 'Clock for Oslo: 12:34 (test)' });
    assert.deepEqual(JSON.parse(clockLog().trim()), { tool: CLOCK, input: { city: 'Oslo' }, token: 'undefined' });
    assert.equal(await approval.getAttribute('data-status'), 'done');
    assert.match(await lastReply().locator('.message-body').innerText(), /It is 12:34 in Oslo\./);
  });

  it('the MCP server\'s tool: Allow in the card runs it in the real server (no VS Code dialog for a read-only MCP tool)', async function () {
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'call_wc1', name: WORD_COUNT, pieces: ['{"text": "one two ', 'three four"}'] }], { model: MODEL }) });
    groq.enqueue(chatStream(['Four words.'], { model: MODEL }));
    const sentBefore = groq.requests.length;
    await send('How many words are in "one two three four"?');
    const approval = card(WORD_COUNT);
    await until(() => approval.getAttribute('data-status').catch(() => null), (s) => s === 'approval', 'the approval card');
    assert.doesNotMatch(mcpLog(), /word_count/, 'the server was not called before Allow');
    await approval.locator('button[data-decision="once"]').click();
    await until(() => lastReply().getAttribute('data-status'), (s) => s === 'done', 'the reply to finish');
    assert.equal(groq.requests.length, sentBefore + 2);
    assert.deepEqual(groq.requests.at(-1)!.body.messages.at(-1), { role: 'tool', tool_call_id: 'call_wc1', content: '4 words' });
    assert.match(mcpLog(), /word_count "one two three four" -> 4/);
    assert.equal(await vs.page.locator('.monaco-dialog-box').isVisible(), false);
  });

  it('declining VS Code\'s confirmation dialog comes back to the model as a failed call, and the tool does not run', async function () {
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'call_clock2', name: CLOCK, pieces: ['{"city": "Lima"}'] }], { model: MODEL }) });
    groq.enqueue(chatStream(['The clock was not read.'], { model: MODEL }));
    await send('And in Lima?');
    const approval = card(CLOCK);
    await until(() => approval.getAttribute('data-status').catch(() => null), (s) => s === 'approval', 'the approval card');
    await approval.locator('button[data-decision="once"]').click();
    const dialog = vs.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await until(() => lastReply().getAttribute('data-status'), (s) => s === 'done', 'the reply to finish');
    const result = groq.requests.at(-1)!.body.messages.at(-1);
    assert.equal(result.role, 'tool');
    assert.equal(result.tool_call_id, 'call_clock2');
    assert.match(result.content, /parley_test_clock failed: cancelled in VS Code/);
    assert.doesNotMatch(clockLog(), /Lima/, 'the tool did not run');
  });
  it('an MCP server that dies mid-call: the card fails saying the server stopped, the model is told and answers, and the chat and the server go on', async function () {
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'call_crash1', name: CRASH, pieces: ['{}'] }], { model: MODEL }) });
    groq.enqueue(chatStream(['The tool server ', 'stopped.'], { model: MODEL }));
    const sentBefore = groq.requests.length;
    const startsBefore = (mcpLog().match(/ started$/gm) ?? []).length;
    await send('Call the crash tool.');
    const crash = card(CRASH);
    await until(() => crash.getAttribute('data-status').catch(() => null), (s) => s === 'approval', 'the approval card');
    assert.doesNotMatch(mcpLog(), /crash/, 'the server was not called before Allow');
    await crash.locator('button[data-decision="once"]').click();
    await until(() => lastReply().getAttribute('data-status'), (s) => s === 'done' || s === 'error', 'the reply to finish');
    assert.equal(await lastReply().getAttribute('data-status'), 'done');
    assert.equal((mcpLog().match(/crash: exiting mid-call/g) ?? []).length, 1, 'the real server ran the call once, and exited in it');

    // The card failed, with why; the model was called again with the same text as the call's result.
    assert.equal(await crash.getAttribute('data-status'), 'failed');
    const why = (await crash.locator('.tool-result-text').textContent()) ?? '';
    assert.match(why, /^mcp_parley-test_crash failed: VS Code cancelled the call before it answered\. The MCP server "parley-test" stopped during the call \(it exited or crashed; VS Code starts it again on the next call of its tools\)/);
    assert.equal(groq.requests.length, sentBefore + 2);
    assert.deepEqual(groq.requests.at(-1)!.body.messages.at(-1), { role: 'tool', tool_call_id: 'call_crash1', content: `Error: ${why}` });
    assert.match(await lastReply().locator('.message-body').innerText(), /The tool server stopped\./);
    await vs.screenshot('mcp-crash-failed-card');

    // The chat goes on, and so does the server: the next call of its tool starts it again and gets an answer.
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'call_wc2', name: WORD_COUNT, pieces: ['{"text": "still here"}'] }], { model: MODEL }) });
    groq.enqueue(chatStream(['Two words.'], { model: MODEL }));
    await send('How many words are in "still here"?');
    const again = card(WORD_COUNT);
    await until(() => again.getAttribute('data-status').catch(() => null), (s) => s === 'approval', 'the next approval card');
    await again.locator('button[data-decision="once"]').click();
    await until(() => lastReply().getAttribute('data-status'), (s) => s === 'done', 'the next reply to finish');
    assert.deepEqual(groq.requests.at(-1)!.body.messages.at(-1), { role: 'tool', tool_call_id: 'call_wc2', content: '2 words' });
    assert.equal((mcpLog().match(/ started$/gm) ?? []).length, startsBefore + 1, 'VS Code started the server again');
    assert.match(await lastReply().locator('.message-body').innerText(), /Two words\./);
  });
});
