// Edits end to end in a real VS Code (code-server 1.139): a model's propose_edit opens VS Code's diff editor and
// waits in its card; Deny leaves the file as it was, Allow writes it into the file's editor, where one Undo takes it
// back; Accept in the diff editor's title bar decides it too; a code block's Apply proposes it the same way. The
// workspace is a temporary copy of the sample workspace (the original stays untouched).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { groqModelList } from '../fakes/groqModels';
import { chatStream, toolCallChunks } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { sampleWorkspace, startVsCode, sendInPanel, toolCardIn, until, type Session } from './harness';

describe('e2e: edits reviewed as diffs in a real VS Code', function () {
  const groq = new FakeServer('groq');
  let vs: Session;
  let panel: FrameLocator;
  let dir: string;
  let hello: string;
  let original: string;

  const fileText = () => Promise.resolve(readFileSync(hello, 'utf8'));
  const lastReply = () => panel.locator('article.message.assistant').last();
  const diffTab = () => vs.page.locator('.tabs-container .tab', { hasText: 'hello.ts ↔ proposed by Parley' });
  const proposal = (id: string) => {
    const args = JSON.stringify({ path: 'hello.ts', edits: [{ oldText: '  return a + b;', newText: '  // Adds two numbers.\n  return a + b;' }] });
    return { kind: 'sse' as const, frames: toolCallChunks([{ id, name: 'propose_edit', pieces: [args.slice(0, 30), args.slice(30)] }]) };
  };

  const send = (text: string) => sendInPanel(panel, text);
  const cardIn = (callId: string, status: string) => toolCardIn(panel, callId, status);

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'parley-edits-'));
    cpSync(sampleWorkspace, join(dir, 'workspace'), { recursive: true });
    hello = join(dir, 'workspace', 'hello.ts');
    original = readFileSync(hello, 'utf8');
    await groq.start();
    groq.route(/\/models$/, () => groqModelList());
    vs = await startVsCode({ workspace: join(dir, 'workspace'), name: 'edits', settings: { 'parley.groq.baseUrl': groq.url }, env: { GROQ_API_KEY: 'gsk_edits_e2e_key_00000000001' } });
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
    rmSync(dir, { recursive: true, force: true });
  });

  it('a proposed edit opens as a diff and waits; Deny leaves the file unchanged and closes the diff', async function () {
    groq.enqueue(proposal('edit_1'), chatStream(['Understood, no change.']));
    await send('Document add()');
    const card = await cardIn('edit_1', 'approval');
    assert.match(await card.innerText(), /hello\.ts \(\+1 −0 lines\)/);
    await diffTab().waitFor({ timeout: 30_000 });
    await vs.screenshot('edit-proposed-diff');
    await card.locator('button[data-decision="deny"]').click();
    await cardIn('edit_1', 'denied');
    await until(() => diffTab().count(), (n) => n === 0);
    await until(() => lastReply().getAttribute('data-status'), (s) => s === 'done');
    assert.equal(readFileSync(hello, 'utf8'), original);
  });

  it('Allow once writes the edit (the file on disk changes), shown in its editor, where one Undo restores it', async function () {
    groq.enqueue(proposal('edit_2'), chatStream(['Documented.']));
    await send('Document add(), please');
    const card = await cardIn('edit_2', 'approval');
    await card.locator('button[data-decision="once"]').click();
    await cardIn('edit_2', 'done');
    await until(fileText, (t) => t.includes('// Adds two numbers.'));
    assert.equal(readFileSync(hello, 'utf8'), original.replace('  return a + b;', '  // Adds two numbers.\n  return a + b;'));
    await until(() => diffTab().count(), (n) => n === 0);
    // The edited file is shown beside the chat; one Undo there takes the whole edit back, and saving writes that.
    const editor = vs.page.locator('.editor-instance .monaco-editor', { hasText: 'export function add' }).first();
    // Monaco renders spaces as no-break spaces.
    const shown = async () => (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    await until(shown, (t) => t.includes('// Adds two numbers.'));
    await editor.locator('.view-lines').click({ position: { x: 40, y: 10 } });
    // The key goes where the focus is: wait until the text editor holds the page's focus.
    await until(() => editor.evaluate((el) => el.contains(document.activeElement)), (inside) => inside);
    await vs.page.keyboard.press('Control+z');
    await until(shown, (t) => !t.includes('// Adds two numbers.'));
    await vs.page.keyboard.press('Control+s');
    await until(fileText, (t) => t === original);
    await until(() => lastReply().getAttribute('data-status'), (s) => s === 'done');
  });

  it('Accept in the diff editor’s title bar decides the waiting call', async function () {
    groq.enqueue(proposal('edit_3'), chatStream(['Done.']));
    await send('Once more');
    await cardIn('edit_3', 'approval');
    await diffTab().click();
    await vs.page.locator('.editor-actions [aria-label="Accept Proposed Edit"]').first().click();
    await cardIn('edit_3', 'done');
    await until(fileText, (t) => t.split('// Adds two numbers.').length === 2);
  });

  it('Apply on a code block that names the file: a diff with Reject (nothing written), then Accept (written)', async function () {
    const replacement = original.replace('return `Hello, ${name}!`;', 'return `Hi, ${name}!`;');
    groq.enqueue(chatStream(['Here it is:\n\n```ts hello.ts\n', replacement, '```\n']));
    await send('Shorter greeting?');
    await until(() => lastReply().getAttribute('data-status'), (s) => s === 'done');
    const apply = lastReply().getByRole('button', { name: 'Apply to hello.ts (review the diff first)' });
    const before = readFileSync(hello, 'utf8');
    await apply.click();
    await diffTab().waitFor({ timeout: 30_000 });
    // From the palette this time (the title bar's ✗/✓ may sit in the overflow menu of a narrow editor group).
    await vs.runCommand('Parley: Reject Proposed Edit');
    await until(() => diffTab().count(), (n) => n === 0);
    assert.equal(readFileSync(hello, 'utf8'), before);
    await apply.click();
    await diffTab().waitFor({ timeout: 30_000 });
    await vs.runCommand('Parley: Accept Proposed Edit');
    await until(fileText, (t) => t === replacement);
  });
});
