// A panel restored after a window reload: it shows the chat it saved (vscode.setState) before the host answers
// `ready`, holds a message typed meanwhile until the host's state is in, and takes the host's state over its own.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assistant, stateMessage, user } from './fixtures';
import { launchBrowser, openPanel, type Panel } from './harness';

interface Saved {
  lastState?: { type: string; chat: { title: string; messages: Array<{ id: string }> } };
  drafts?: Record<string, string>;
}

describe('webview: restored after a reload', function () {
  let browser: Browser;
  const open: Panel[] = [];
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await Promise.all(open.map((p) => p.close()));
    await browser?.close();
  });
  afterEach(() => {
    for (const p of open) assert.deepEqual(p.errors, [], 'no page errors');
  });

  async function panel(viewState?: unknown): Promise<Panel> {
    const p = await openPanel(browser, { viewState });
    open.push(p);
    return p;
  }

  /** What the panel saved once it has shown `messages` (as VS Code would keep it over a reload). */
  async function savedAfter(messages: ReturnType<typeof user>[]): Promise<Saved> {
    const first = await panel();
    await first.deliver(stateMessage({ messages }));
    const deadline = Date.now() + 3000;
    for (;;) {
      const saved = (await first.viewState()) as Saved | undefined;
      if (saved?.lastState) return saved;
      if (Date.now() > deadline) throw new Error(`the panel saved no state: ${JSON.stringify(saved)}`);
      await first.page.waitForTimeout(50);
    }
  }

  it('shows the saved chat before any host message, then the host\'s state replaces it', async () => {
    const saved = await savedAfter([user('u1', 'How do I debounce?'), assistant('a1', 'Like this.')]);
    const restored = await panel(saved);
    assert.equal(await restored.page.locator('#chat-title').innerText(), 'Debounce in TypeScript', 'the title, with no host message yet');
    assert.deepEqual(await restored.page.locator('.message').evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))), ['u1', 'a1']);
    assert.equal(await restored.page.evaluate(() => performance.getEntriesByName('parley:snapshot').length), 1);

    await restored.deliver(stateMessage({ chat: { title: 'Debounce, renamed meanwhile' }, messages: [user('u1', 'How do I debounce?'), assistant('a1', 'Like this.'), user('u2', 'And throttle?')] }));
    assert.equal(await restored.page.locator('#chat-title').innerText(), 'Debounce, renamed meanwhile');
    assert.equal(await restored.page.locator('.message').count(), 3, 'the host\'s messages');
  });

  it('a message typed over the saved chat waits for the host\'s state, then goes', async () => {
    const restored = await panel(await savedAfter([user('u1', 'How do I debounce?'), assistant('a1', 'Like this.')]));
    const prompt = restored.page.locator('textarea#prompt');
    await prompt.fill('And throttle?');
    await prompt.press('Enter');
    assert.equal((await restored.posted('send')).length, 0, 'nothing is sent before the host has answered');
    assert.match((await restored.page.locator('#composer-message').textContent())!, /goes as soon as it is ready/);
    await restored.deliver(stateMessage({ messages: [user('u1', 'How do I debounce?'), assistant('a1', 'Like this.')] }));
    assert.deepEqual(await restored.waitForPosted('send'), { type: 'send', chatId: 'chat-1', text: 'And throttle?' });
  });

  it('keeps the last 40 messages of a long chat, and the drafts beside them', async () => {
    const long = Array.from({ length: 60 }, (_, i) => (i % 2 ? assistant(`a${i}`, `Answer ${i}`) : user(`u${i}`, `Question ${i}`)));
    const first = await panel();
    await first.deliver(stateMessage({ messages: long }));
    await first.page.locator('textarea#prompt').fill('a draft');
    const deadline = Date.now() + 3000;
    let saved: Saved | undefined;
    while (!(saved?.lastState && saved.drafts?.['chat-1'])) {
      if (Date.now() > deadline) throw new Error(`not saved: ${JSON.stringify(saved)?.slice(0, 300)}`);
      await first.page.waitForTimeout(50);
      saved = (await first.viewState()) as Saved;
    }
    const ids = saved.lastState.chat.messages.map((m) => m.id);
    assert.equal(ids.length, 40);
    assert.equal(ids[0], 'u20');
    assert.equal(ids.at(-1), 'a59');
    const restored = await panel(saved);
    assert.equal(await restored.page.locator('textarea#prompt').inputValue(), 'a draft', 'the draft comes back with the saved chat');
  });

  it('a saved state this version cannot read is ignored: the panel waits for the host as before, then saves the host\'s', async () => {
    const restored = await panel({ lastState: { type: 'state', chat: { id: 'chat-1' } }, drafts: { 'chat-1': 'kept' } });
    assert.equal(await restored.page.locator('#chat-title').innerText(), 'Chat', 'the placeholder, not a half chat');
    assert.equal(await restored.page.evaluate(() => performance.getEntriesByName('parley:snapshot').length), 0);
    await restored.deliver(stateMessage());
    assert.equal(await restored.page.locator('#chat-title').innerText(), 'New chat');
    const deadline = Date.now() + 3000;
    let saved = (await restored.viewState()) as Saved;
    while (!saved.lastState?.chat.title) {
      if (Date.now() > deadline) throw new Error(`the host's state was not saved over the bad one: ${JSON.stringify(saved)}`);
      await restored.page.waitForTimeout(50);
      saved = (await restored.viewState()) as Saved;
    }
    assert.equal(saved.lastState.chat.title, 'New chat');
    assert.deepEqual(saved.drafts, { 'chat-1': 'kept' }, 'the drafts kept');
  });
});
