// The panel's workspace features in a real VS Code: attach the current file from the palette, a templated
// prompt, /translate picked from the / menu, a chat that survives a reload, and Export to Markdown opening an editor.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { chatStream } from '../fakes/openaiFormat';
import { groqModelList } from '../fakes/groqModels';
import { FakeServer } from '../fakes/server';
import { sampleWorkspace, startVsCode, type Session, until } from './harness';

describe('e2e: attachments, prompts, reload, export', function () {
  const groq = new FakeServer('groq');
  let vs: Session;
  let panel: FrameLocator;
  const helloSource = readFileSync(join(sampleWorkspace, 'hello.ts'), 'utf8');

  const replies = () => panel.locator('article.message.assistant');
  async function sendAndWait(text: string) {
    const before = await replies().count();
    const prompt = panel.locator('textarea#prompt');
    await prompt.fill(text);
    await prompt.press('Enter');
    await until(() => replies().count(), (n) => n === before + 1);
    await until(() => replies().last().getAttribute('data-status'), (s) => s === 'done');
  }

  before(async function () {
    await groq.start();
    groq.route(/\/models$/, () => groqModelList());
    vs = await startVsCode({
      workspace: sampleWorkspace,
      name: 'panel',
      settings: {
        'parley.groq.baseUrl': groq.url,
        'parley.prompts': [
          { name: 'summarize', description: 'Summarize a topic in bullets', prompt: 'Summarize {{topic}} in {{count}} bullet points' },
          { name: 'bad name', prompt: 'A prompt whose name has a space is skipped' },
        ],
      },
      env: { GROQ_API_KEY: 'gsk_from_the_environment_0000001' },
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vs?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
  });
  after(async function () {
    await vs?.close();
    await groq.stop();
  });

  it('Parley: Attach Current File to Parley Chat attaches the open file; its text reaches the provider', async function () {
    await vs.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'hello.ts' }).dblclick();
    await vs.page.locator('.monaco-editor .view-lines', { hasText: 'greet' }).first().waitFor({ timeout: 20_000 });
    await vs.runCommand('Parley: Attach Current File to Parley Chat');
    panel = vs.webview();
    const chip = panel.locator('#attachments .chip-name', { hasText: 'hello.ts' });
    await chip.waitFor({ timeout: 30_000 });
    // GROQ_API_KEY in the extension host's environment made Groq the provider of the new chat.
    assert.equal(await panel.locator('#provider').inputValue(), 'groq');
    await vs.screenshot('attachment-chip');
    groq.enqueue(chatStream(['It exports ', 'a greeting.']));
    await sendAndWait('What does this file export?');
    const lastUser = groq.last.body.messages.at(-1);
    assert.equal(lastUser.role, 'user');
    assert.ok(lastUser.content.includes(helloSource.trim()), 'the file text reached the request body');
    assert.ok(lastUser.content.startsWith('hello.ts:\n```ts\n'), lastUser.content.slice(0, 40));
    assert.ok(lastUser.content.endsWith('What does this file export?'));
    assert.equal(await panel.locator('#attachments .chip-name').count(), 0, 'chips clear after sending');
    // The editor tab is titled after the chat (titled after its first message) and has Parley's icon.
    const tab = vs.page.locator('.tabs-container .tab', { hasText: 'Parley — ' });
    await until(() => tab.first().locator('.label-name').textContent(), (t) => t === 'Parley — What does this file export?', 'the tab title');
    // VS Code draws an extension's icon (a URI) as the background of the label's .monaco-icon-label-iconpath.
    const icon = await tab.first().locator('.monaco-icon-label-iconpath').evaluate((el) => ({
      image: (el as HTMLElement).style.backgroundImage,
      dark: !!el.closest('.monaco-workbench.vs-dark, .monaco-workbench.hc-black'),
    }));
    assert.match(icon.image, icon.dark ? /parley-dark\.svg/ : /parley-light\.svg/, `the tab shows the Parley icon drawn for the ${icon.dark ? 'dark' : 'light'} theme (${icon.image})`);
  });

  it('a templated prompt asks for its variables, then sends the filled text', async function () {
    const prompt = panel.locator('textarea#prompt');
    await prompt.fill('/summ');
    const item = panel.locator('#slash-menu .slash-item', { hasText: 'Summarize' });
    await item.first().waitFor({ timeout: 10_000 });
    await prompt.press('Enter');
    const form = panel.locator('#prompt-form');
    await form.waitFor({ state: 'visible', timeout: 10_000 });
    await form.locator('#var-topic input').fill('streaming in VS Code');
    await form.locator('#var-count input').fill('three');
    await vs.screenshot('prompt-form');
    groq.enqueue(chatStream(['- one\n', '- two\n', '- three\n']));
    const before = await replies().count();
    await form.locator('[data-form="send"]').click();
    await until(() => replies().count(), (n) => n === before + 1);
    await until(() => replies().last().getAttribute('data-status'), (s) => s === 'done');
    assert.equal(groq.last.body.messages.at(-1).content, 'Summarize streaming in VS Code in three bullet points');
  });

  it('/translate picked from the / menu asks for both variables; the provider receives the filled text', async function () {
    // The bad entry of parley.prompts was skipped with a warning that names it.
    await vs.runCommand('Notifications: Show Notifications');
    const warning = vs.page.locator('.notification-list-item-message', { hasText: 'parley.prompts[1] (“bad name”) is skipped' });
    await warning.first().waitFor({ timeout: 20_000 });
    await vs.runCommand('Notifications: Clear All Notifications');

    const prompt = panel.locator('textarea#prompt');
    await prompt.fill('');
    await prompt.pressSequentially('/');
    const rows = panel.locator('#slash-menu .slash-item');
    const all = await until(() => rows.allTextContents(), (t) => t.length > 0);
    assert.deepEqual(all.map((t) => t.split(' — ')[0]), ['/summarize', '/explain', '/fix', '/tests', '/translate']);
    await prompt.pressSequentially('transl');
    await until(() => rows.allTextContents(), (t) => t.length === 1 && t[0] === '/translate — Translate a text into another language');
    await prompt.press('Enter');
    const form = panel.locator('#prompt-form');
    await form.waitFor({ state: 'visible', timeout: 10_000 });
    assert.deepEqual(await form.locator('.form-field label').allTextContents(), ['target language', 'text']);
    await form.locator('#var-target_language input').fill('Italian');
    await form.locator('#var-text input').fill('The cat sleeps.');
    await vs.screenshot('translate-form');
    groq.enqueue(chatStream(['Il gatto ', 'dorme.']));
    const before = await replies().count();
    await form.locator('[data-form="send"]').click();
    await until(() => replies().count(), (n) => n === before + 1);
    await until(() => replies().last().getAttribute('data-status'), (s) => s === 'done');
    assert.equal(groq.last.body.messages.at(-1).content, 'Translate the following into Italian:\n\nThe cat sleeps.');
    assert.equal((await replies().last().locator('.message-body').innerText()).trim(), 'Il gatto dorme.');
  });

  it('the chat comes back after a reload of the window, with its history, without any command, shown from its saved state before the host answers', async function () {
    const texts = async () => (await panel.locator('article.message .message-body').allInnerTexts()).map((t) => t.trim());
    const before = await texts();
    assert.ok(before.length >= 4);
    // VS Code's own reload (it saves the webview's state first).
    await vs.reload({ command: true });
    // No Parley command: the restored tab activates Parley (onWebviewPanel) and its serializer reconnects it.
    panel = vs.webview();
    // The extension host starts anew first: on a loaded machine that alone can take half a minute.
    await panel.locator('textarea#prompt').waitFor({ timeout: 90_000 });
    await until(texts, (t) => t.length === before.length);
    assert.deepEqual(await texts(), before);
    // The page showed the chat it had saved (vscode.setState) first, and the host's state after it.
    const marks = await until(
      () => panel.locator('body').evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as [string, number])),
      (m) => m.some(([n]) => n === 'parley:state'),
      'the host\'s state in the restored panel',
    );
    const at = (name: string) => marks.find(([n]) => n === name)?.[1];
    assert.ok(at('parley:snapshot') !== undefined, `the saved chat was shown (marks: ${JSON.stringify(marks)})`);
    assert.ok(at('parley:snapshot')! < at('parley:state')!, `before the host's state (marks: ${JSON.stringify(marks)})`);
  });

  it('a chat left for another editor in its own group comes back as it was: kept, not rebuilt, the draft still typed', async function () {
    const prompt = panel.locator('textarea#prompt');
    await prompt.fill('a draft in progress');
    // A mark in the page itself: a page rebuilt on return would not have it.
    await panel.locator('body').evaluate(() => void ((window as unknown as { keptMark?: string }).keptMark = 'kept'));
    await prompt.focus();
    await vs.runCommand('File: New Untitled Text File');
    const chatTab = vs.page.locator('.tabs-container .tab', { hasText: 'Parley' }).first();
    await until(() => chatTab.getAttribute('aria-selected'), (selected) => selected === 'false', 'the new editor to hide the chat in its group');
    await vs.runCommand('Parley: Start Chat');
    await until(() => chatTab.getAttribute('aria-selected'), (selected) => selected === 'true', 'the chat tab to be shown again');
    panel = vs.webview();
    assert.equal(await panel.locator('body').evaluate(() => (window as unknown as { keptMark?: string }).keptMark), 'kept');
    assert.equal(await panel.locator('textarea#prompt').inputValue(), 'a draft in progress');
    await panel.locator('textarea#prompt').fill('');
  });

  it('Export to Markdown opens an editor with the conversation', async function () {
    await panel.locator('#export-chat').click();
    const editor = vs.page.locator('.monaco-editor .view-lines', { hasText: 'Exported from Parley' }).first();
    // Monaco renders spaces as no-break spaces.
    const text = await until(async () => (await editor.innerText()).replace(/\u00a0/g, ' '), (t) => t.includes('# What does this file export?'));
    assert.match(text, /## You/);
    assert.match(text, /It exports a greeting\./);
    await vs.screenshot('exported-markdown');
  });

  it('the Parley view in the activity bar hosts the same chat', async function () {
    await vs.page.locator('.activitybar [aria-label^="Parley"]').first().click();
    // Webview iframes are overlaid at the workbench root, not nested in the sidebar's DOM: find the one on the left.
    const sidebarBox = await vs.page.locator('.part.sidebar').boundingBox();
    const sidebar = await until(async () => {
      const frames = vs.page.locator('iframe.webview.ready');
      for (let i = 0; i < (await frames.count()); i++) {
        const box = await frames.nth(i).boundingBox();
        if (box && sidebarBox && box.x < sidebarBox.x + sidebarBox.width && box.width > 0) return vs.webview({ which: i });
      }
      return undefined;
    }, (frame) => frame !== undefined);
    if (!sidebar) throw new Error('no webview in the sidebar');
    await sidebar.locator('textarea#prompt').waitFor({ timeout: 30_000 });
    await until(() => sidebar.locator('article.message .message-body').count(), (n) => n >= 4);
    assert.match(await sidebar.locator('article.message.user').first().innerText(), /hello\.ts[\s\S]*What does this file export\?/);
    await vs.screenshot('sidebar-view');
  });
});
