// Chats (marimo's `value`): the list (new, switch, rename inline, delete after confirming), export and clear.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assistant, OTHER_CHAT_ID, stateMessage, user } from './fixtures';
import { eachTestPanel, openPanel, type Panel } from './harness';

describe('webview: chats', function () {
  let panel: Panel;
  let browser: Browser;
  eachTestPanel(async (opened, launched) => {
    panel = opened;
    browser = launched;
    await panel.deliver(stateMessage({ messages: [user('u1', 'How do I debounce?'), assistant('a1', 'Like this.')] }));
    await panel.clearPosted();
  });

  const list = () => panel.page.locator('nav#chat-list');

  it('lists the chats, newest first, with the current one marked, and switches', async () => {
    const toggle = panel.page.locator('#chats-toggle');
    assert.equal(await panel.page.locator('#chat-title').textContent(), 'Debounce in TypeScript');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(await list().locator('.chat-name').allTextContents(), ['Debounce in TypeScript', 'Regex for ISO dates', 'Why is my build slow?']);
    assert.equal(await list().locator('[aria-current="true"] .chat-name').textContent(), 'Debounce in TypeScript');
    assert.match((await list().locator('.chat-meta').nth(1).textContent()) ?? '', /^4 messages · 3 h ago$/);
    await list().getByRole('button', { name: /Regex for ISO dates/ }).first().click();
    assert.deepEqual(await panel.waitForPosted('switchChat'), { type: 'switchChat', chatId: OTHER_CHAT_ID });
    assert.equal(await list().isVisible(), false, 'the list closes after switching');
  });

  it('keeps a draft per chat when switching', async () => {
    await panel.page.locator('textarea#prompt').fill('half-written question');
    await panel.deliver(stateMessage({ chat: { id: OTHER_CHAT_ID, title: 'Regex for ISO dates' } }));
    assert.equal(await panel.page.locator('textarea#prompt').inputValue(), '');
    await panel.deliver(stateMessage({ messages: [user('u1', 'How do I debounce?'), assistant('a1', 'Like this.')] }));
    assert.equal(await panel.page.locator('textarea#prompt').inputValue(), 'half-written question');
  });

  it('restores a draft after the webview was reloaded (getState)', async () => {
    const reloaded = await openPanel(browser, { viewState: { drafts: { 'chat-1': 'restored draft' } } });
    await reloaded.deliver(stateMessage());
    assert.equal(await reloaded.page.locator('textarea#prompt').inputValue(), 'restored draft');
    await reloaded.page.locator('textarea#prompt').fill('');
    await reloaded.page.waitForTimeout(400);
    assert.deepEqual((await reloaded.viewState() as { drafts?: unknown }).drafts, {}, 'an emptied draft is forgotten');
    await reloaded.close();
  });

  it('renames a chat inline (Enter saves, Esc cancels)', async () => {
    await panel.page.locator('#chats-toggle').click();
    await list().getByRole('button', { name: 'Rename “Regex for ISO dates”' }).click();
    const input = list().locator('input.rename-input');
    assert.equal(await input.inputValue(), 'Regex for ISO dates');
    assert.equal(await panel.page.evaluate(() => document.activeElement?.className), 'rename-input');
    // A state arriving meanwhile does not take the editor away.
    await panel.deliver(stateMessage({ messages: [user('u1', 'How do I debounce?'), assistant('a1', 'Like this.')] }));
    await input.fill('ISO 8601 regex');
    await input.press('Enter');
    assert.deepEqual(await panel.waitForPosted('renameChat'), { type: 'renameChat', chatId: OTHER_CHAT_ID, title: 'ISO 8601 regex' });

    await panel.clearPosted();
    await list().getByRole('button', { name: 'Rename “Why is my build slow?”' }).click();
    await list().locator('input.rename-input').fill('nope');
    await list().locator('input.rename-input').press('Escape');
    assert.equal(await list().locator('input.rename-input').count(), 0);
    assert.equal(await list().isVisible(), true, 'Esc in the editor does not close the list');
    assert.deepEqual(await panel.posted('renameChat'), []);
  });

  it('deletes a chat only after confirming', async () => {
    await panel.page.locator('#chats-toggle').click();
    await list().getByRole('button', { name: 'Delete “Why is my build slow?”' }).click();
    const confirm = list().locator('.confirm-inline');
    assert.match((await confirm.textContent()) ?? '', /Delete “Why is my build slow\?”\? This cannot be undone\./);
    assert.equal(await panel.page.evaluate(() => document.activeElement?.textContent), 'Cancel', 'focus on the safe choice');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(await panel.posted('deleteChat'), []);
    await list().getByRole('button', { name: 'Delete “Why is my build slow?”' }).click();
    await list().locator('.confirm-inline').getByRole('button', { name: 'Delete' }).click();
    assert.deepEqual(await panel.waitForPosted('deleteChat'), { type: 'deleteChat', chatId: 'chat-3' });
  });

  it('starts a new chat, exports to Markdown, and clears after confirming', async () => {
    await panel.page.getByRole('button', { name: 'New chat', exact: true }).first().click();
    await panel.waitForPosted('newChat');
    await panel.page.getByRole('button', { name: 'Export chat to Markdown' }).click();
    assert.deepEqual(await panel.waitForPosted('exportChat'), { type: 'exportChat', chatId: 'chat-1' });
    await panel.page.getByRole('button', { name: 'Clear chat' }).click();
    const bar = panel.page.locator('#confirm');
    assert.equal(await bar.isVisible(), true);
    assert.match((await bar.textContent()) ?? '', /Clear all 2 messages of “Debounce in TypeScript”\?/);
    await panel.page.keyboard.press('Escape');
    assert.equal(await bar.isVisible(), false);
    assert.deepEqual(await panel.posted('clearChat'), []);
    await panel.page.getByRole('button', { name: 'Clear chat' }).click();
    await bar.getByRole('button', { name: 'Clear' }).click();
    assert.deepEqual(await panel.waitForPosted('clearChat'), { type: 'clearChat', chatId: 'chat-1' });
  });
});
