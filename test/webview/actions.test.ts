// Per-message actions and the keyboard: copy, edit & resend, regenerate, delete; Enter, Shift+Enter, Esc, Up.
import assert from 'node:assert/strict';
import { assistant, stateMessage, streamOf, text, user } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

const HISTORY = [user('u1', 'First question'), assistant('a1', 'First answer'), user('u2', 'Second question'), assistant('a2', 'Second **answer**')];

describe('webview: message actions and keyboard', function () {
  let panel: Panel;
  eachTestPanel(async (opened) => {
    panel = opened;
    await panel.deliver(stateMessage({ messages: HISTORY }));
    await panel.clearPosted();
  });

  const message = (id: string) => panel.page.locator(`article.message[data-id="${id}"]`);
  const prompt = () => panel.page.locator('textarea#prompt');

  it('copies a message', async () => {
    await message('a2').hover();
    await message('a2').getByRole('button', { name: 'Copy reply' }).click();
    assert.deepEqual(await panel.waitForPosted('copyText'), { type: 'copyText', text: 'Second **answer**' });
  });

  it('edits a user message inline and posts editResend', async () => {
    await message('u1').getByRole('button', { name: 'Edit and resend' }).click();
    const editor = message('u1').locator('textarea.edit-input');
    assert.equal(await editor.inputValue(), 'First question');
    assert.equal(await panel.page.evaluate(() => document.activeElement?.className), 'edit-input');
    await editor.fill('First question, rephrased');
    await message('u1').getByRole('button', { name: 'Save & resend' }).click();
    assert.deepEqual(await panel.waitForPosted('editResend'), { type: 'editResend', chatId: 'chat-1', messageId: 'u1', text: 'First question, rephrased' });
    assert.equal(await editor.count(), 0);
  });

  it('offers regenerate on the last reply only, and deletes messages', async () => {
    assert.equal(await message('a1').getByRole('button', { name: 'Regenerate reply' }).isVisible(), false);
    await message('a2').hover();
    await message('a2').getByRole('button', { name: 'Regenerate reply' }).click();
    assert.deepEqual(await panel.waitForPosted('regenerate'), { type: 'regenerate', chatId: 'chat-1' });
    await message('u1').hover();
    await message('u1').getByRole('button', { name: 'Delete message' }).click();
    assert.deepEqual(await panel.waitForPosted('deleteMessage'), { type: 'deleteMessage', chatId: 'chat-1', messageId: 'u1' });
  });

  it('hides edit, regenerate and delete while a reply streams', async () => {
    await panel.deliver(stateMessage({ messages: [...HISTORY, user('u3', 'Third'), assistant('a3', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await message('u1').hover();
    assert.equal(await message('u1').getByRole('button', { name: 'Edit and resend' }).isVisible(), false);
    assert.equal(await message('u1').getByRole('button', { name: 'Delete message' }).isVisible(), false);
    assert.equal(await message('u1').getByRole('button', { name: 'Copy message' }).isVisible(), true);
  });

  it('Enter sends, Shift+Enter adds a line', async () => {
    await prompt().focus();
    await panel.page.keyboard.type('line one');
    await panel.page.keyboard.press('Shift+Enter');
    await panel.page.keyboard.type('line two');
    assert.equal(await prompt().inputValue(), 'line one\nline two');
    assert.deepEqual(await panel.posted('send'), []);
    await panel.page.keyboard.press('Enter');
    assert.deepEqual(await panel.waitForPosted('send'), { type: 'send', chatId: 'chat-1', text: 'line one\nline two' });
    assert.equal(await prompt().inputValue(), '');
    // Whitespace only: nothing is sent.
    await panel.page.keyboard.type('   ');
    await panel.page.keyboard.press('Enter');
    assert.equal((await panel.posted('send')).length, 1);
  });

  it('Esc stops a streaming reply; Send becomes Stop meanwhile', async () => {
    await panel.deliver(stateMessage({ messages: [...HISTORY, user('u3', 'Third'), assistant('a3', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.deliver(...streamOf('r1', [{ type: 'start', messageId: 'a3', provider: 'groq', model: 'm' }, text('Partial')]));
    assert.equal(await panel.page.locator('button#send').isVisible(), false);
    assert.equal(await panel.page.locator('button#stop').isVisible(), true);
    await prompt().fill('next question');
    await prompt().press('Enter');
    assert.deepEqual(await panel.posted('send'), [], 'no send while streaming');
    await panel.page.keyboard.press('Escape');
    assert.deepEqual(await panel.waitForPosted('stop'), { type: 'stop', chatId: 'chat-1' });
    await panel.clearPosted();
    await panel.page.locator('button#stop').click();
    await panel.waitForPosted('stop');
    await panel.deliver(stateMessage({ messages: [...HISTORY, user('u3', 'Third'), assistant('a3', 'Partial', { status: 'stopped' })] }));
    assert.equal(await panel.page.locator('button#send').isVisible(), true);
    assert.equal(await message('a3').getAttribute('data-status'), 'stopped');
  });

  it('Up on an empty input edits the last user message; Esc cancels the edit', async () => {
    await prompt().focus();
    await panel.page.keyboard.press('ArrowUp');
    const editor = message('u2').locator('textarea.edit-input');
    assert.equal(await editor.inputValue(), 'Second question');
    assert.equal(await panel.page.evaluate(() => document.activeElement?.className), 'edit-input');
    await panel.page.keyboard.press('Escape');
    assert.equal(await editor.count(), 0);
    assert.equal((await message('u2').locator('.message-body').textContent()), 'Second question');
    assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'prompt');
    // With text in the input, Up moves the caret as usual.
    await panel.page.keyboard.type('draft');
    await panel.page.keyboard.press('ArrowUp');
    assert.equal(await message('u2').locator('textarea.edit-input').count(), 0);
    // Edit via keyboard: Enter resends.
    await prompt().fill('');
    await panel.page.keyboard.press('ArrowUp');
    await panel.page.keyboard.press('End');
    await panel.page.keyboard.type('!');
    await panel.page.keyboard.press('Enter');
    assert.deepEqual(await panel.waitForPosted('editResend'), { type: 'editResend', chatId: 'chat-1', messageId: 'u2', text: 'Second question!' });
  });
});
