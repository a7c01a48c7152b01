// Prompts: chips on an empty chat, the `/` menu of named commands, and the {{variable}} form (built-ins left for the host).
import assert from 'node:assert/strict';
import { promptList } from '../../src/host/promptList';
import { assistant, PROMPTS, stateMessage, user } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

describe('webview: prompts', function () {
  let panel: Panel;
  eachTestPanel(async (opened) => {
    panel = opened;
    await panel.deliver(stateMessage());
    await panel.clearPosted();
  });

  const prompt = () => panel.page.locator('textarea#prompt');
  /** How a chip or the / menu shows a prompt's text: its variables as ‹name›. */
  const readable = (i: number) => PROMPTS[i].text.replace(/\{\{\s*([^{}\n]+?)\s*\}\}/g, '‹$1›');
  /** A / menu row: `/name — description` for a named prompt, the readable text for one without a name. */
  const row = (i: number) => (PROMPTS[i].name ? `/${PROMPTS[i].name} — ${PROMPTS[i].description}` : readable(i));
  const menu = () => panel.page.locator('#slash-menu');
  const rows = () => menu().locator('[role="option"]').allTextContents();

  it('offers the prompts as chips on an empty chat only: a named one shows its /name, variables show as ‹name›', async () => {
    const chips = panel.page.locator('#empty-state .prompt-chip');
    assert.equal(await chips.count(), PROMPTS.length);
    assert.equal(await chips.first().textContent(), readable(0));
    assert.equal(await chips.nth(1).locator('.prompt-name').textContent(), '/tests');
    assert.equal(await chips.nth(1).locator('.label').textContent(), 'Write unit tests for ‹selection› using ‹framework›');
    // Named by what it shows (axe: label-content-name-mismatch), described by its title.
    assert.equal(await panel.page.getByRole('button', { name: '/tests Write unit tests for ‹selection› using ‹framework›' }).getAttribute('title'), '/tests: Write unit tests for the selection');
    await panel.deliver(stateMessage({ messages: [user('u1', 'Hi'), assistant('a1', 'Hello')] }));
    assert.equal(await panel.page.locator('#empty-state').isVisible(), false);
  });

  it('puts a prompt without variables of its own into the input; built-ins make the send fill them', async () => {
    await panel.page.locator('.prompt-chip', { hasText: 'Summarize the conversation so far' }).click();
    assert.equal(await prompt().inputValue(), 'Summarize the conversation so far');
    assert.equal(await panel.page.locator('#prompt-form').isVisible(), false);
    await prompt().press('Enter');
    assert.deepEqual(await panel.waitForPosted('send'), { type: 'send', chatId: 'chat-1', text: 'Summarize the conversation so far' });

    await panel.clearPosted();
    // A chip shows variables readably; the prompt keeps them.
    await panel.page.locator('.prompt-chip', { hasText: 'Explain ‹selection› in ‹file›' }).click();
    assert.equal(await prompt().inputValue(), 'Explain {{selection}} in {{file}}');
    await panel.page.locator('button#send').click();
    assert.deepEqual(await panel.waitForPosted('send'), { type: 'send', chatId: 'chat-1', text: 'Explain {{selection}} in {{file}}', fillBuiltins: true });
  });

  it('opens a form for {{variables}}, one field each (not the built-ins), and sends the filled text', async () => {
    await panel.page.locator('.prompt-chip', { hasText: 'Translate this to' }).click();
    const form = panel.page.locator('#prompt-form');
    assert.equal(await form.isVisible(), true);
    const labels = await form.locator('.form-field label').allTextContents();
    assert.deepEqual(labels, ['language_name', 'tone']);
    assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'var-language_name');
    // An empty field is refused with a message.
    await form.getByRole('button', { name: 'Send' }).click();
    assert.equal(await form.locator('.control-error').textContent(), 'Fill in “language_name”.');
    assert.deepEqual(await panel.posted('send'), []);
    await panel.page.keyboard.type('French');
    await panel.page.keyboard.press('Enter'); // next field
    await panel.page.keyboard.type('formal');
    await panel.page.keyboard.press('Enter'); // last field: send
    assert.deepEqual(await panel.waitForPosted('send'), {
      type: 'send',
      chatId: 'chat-1',
      text: 'Translate this to French in a formal tone: {{selection}}',
      fillBuiltins: true,
    });
    assert.equal(await form.isVisible(), false);
  });

  it('a variable name may have spaces ({{target language}}): the form asks for it, and the host fills the same grammar', async () => {
    await panel.deliver(stateMessage({ prompts: [{ text: 'Translate the following into {{target language}}:\n\n{{text}}' }] }));
    await panel.page.locator('.prompt-chip', { hasText: 'Translate the following into ‹target language›:' }).click();
    const form = panel.page.locator('#prompt-form');
    assert.deepEqual(await form.locator('.form-field label').allTextContents(), ['target language', 'text']);
    await panel.page.keyboard.type('German');
    await panel.page.keyboard.press('Enter');
    await panel.page.keyboard.type('Good morning');
    await panel.page.keyboard.press('Enter');
    assert.deepEqual(await panel.waitForPosted('send'), { type: 'send', chatId: 'chat-1', text: 'Translate the following into German:\n\nGood morning', fillBuiltins: true });
  });

  it('the / menu lists /name — description rows and unnamed prompts, filtered as typed: name prefix first, then words in name or description', async () => {
    await prompt().focus();
    await panel.page.keyboard.type('/');
    assert.equal(await menu().isVisible(), true);
    assert.equal(await prompt().getAttribute('aria-controls'), 'slash-menu');
    assert.deepEqual(await rows(), PROMPTS.map((_, i) => row(i)));
    await panel.page.keyboard.type('te');
    // /tests by its name's prefix first; then an unnamed prompt whose text holds "te" (Translate).
    assert.deepEqual(await rows(), [row(1), row(2)]);
    await prompt().fill('');
    await panel.page.keyboard.type('/sel');
    // No name starts with "sel": the description of /tests and the texts of the unnamed prompts hold it.
    assert.deepEqual(await rows(), [row(0), row(1), row(2), row(4)]);
    await panel.page.keyboard.type('ection writ');
    assert.deepEqual(await rows(), [row(1)], 'every word must match');
    await prompt().fill('');
    await panel.page.keyboard.type('/sum');
    assert.deepEqual(await rows(), [row(3)]);
    // Nothing matches: the menu says so, Escape closes it and leaves the text.
    await prompt().fill('');
    await panel.page.keyboard.type('/zzz');
    assert.equal(await menu().textContent(), 'No prompt matches “/zzz”');
    await panel.page.keyboard.press('Escape');
    assert.equal(await menu().isVisible(), false);
    assert.equal(await prompt().inputValue(), '/zzz');
  });

  it('arrow keys move through the menu, Enter or Tab picks; a prompt without variables goes into the input', async () => {
    await prompt().focus();
    await panel.page.keyboard.type('/sel');
    await panel.page.keyboard.press('ArrowDown');
    await panel.page.keyboard.press('ArrowDown');
    await panel.page.keyboard.press('ArrowUp');
    assert.equal(await menu().locator('[aria-selected="true"]').textContent(), row(1));
    assert.equal(await prompt().getAttribute('aria-activedescendant'), 'slash-1');
    await panel.page.keyboard.press('ArrowUp');
    await panel.page.keyboard.press('ArrowUp'); // wraps to the last row
    assert.equal(await menu().locator('[aria-selected="true"]').textContent(), row(4));
    await panel.page.keyboard.press('Tab');
    assert.equal(await menu().isVisible(), false);
    assert.deepEqual(await panel.posted('send'), [], 'Tab picked the prompt, it did not send "/sel"');
    assert.deepEqual(await panel.page.locator('#prompt-form .form-field label').allTextContents(), []);
    assert.equal(await prompt().inputValue(), 'Find bugs in {{selection}}');

    await prompt().fill('');
    await panel.page.keyboard.type('/summ');
    await panel.page.keyboard.press('Enter');
    assert.equal(await prompt().inputValue(), 'Summarize the conversation so far');
  });

  it('typing /name then Enter or a space picks that prompt', async () => {
    await prompt().focus();
    await panel.page.keyboard.type('/tests');
    await panel.page.keyboard.press('Enter');
    assert.deepEqual(await panel.posted('send'), [], 'Enter picked /tests, it did not send the text');
    assert.deepEqual(await panel.page.locator('#prompt-form .form-field label').allTextContents(), ['framework']);
    assert.equal(await panel.page.locator('#prompt-form .prompt-preview .prompt-name').textContent(), '/tests');
    await panel.page.keyboard.type('mocha');
    await panel.page.keyboard.press('Enter');
    assert.equal((await panel.waitForPosted('send')).text, 'Write unit tests for {{selection}} using mocha');

    await panel.page.keyboard.type('/summary ');
    assert.equal(await menu().isVisible(), false);
    assert.equal(await prompt().inputValue(), 'Summarize the conversation so far');
    // A space after a word that is no prompt's name is part of the query.
    await prompt().fill('');
    await panel.page.keyboard.type('/write unit');
    assert.deepEqual(await rows(), [row(1)]);
  });

  it('/translate (built-in) asks for “target language” and “text” and sends the text with both filled', async () => {
    await panel.deliver(stateMessage({ prompts: promptList() }));
    const chip = panel.page.locator('.prompt-chip', { hasText: '/translate' });
    assert.equal(await chip.textContent(), '/translateTranslate the following into ‹target language›:');
    await prompt().focus();
    await panel.page.keyboard.type('/tr');
    assert.deepEqual(await rows(), ['/translate — Translate a text into another language']);
    await panel.page.keyboard.press('Enter');
    const form = panel.page.locator('#prompt-form');
    assert.deepEqual(await form.locator('.form-field label').allTextContents(), ['target language', 'text']);
    await panel.page.keyboard.type('Italian');
    await panel.page.keyboard.press('Enter');
    await panel.page.keyboard.type('The cat sleeps.');
    await panel.page.keyboard.press('Enter');
    assert.deepEqual(await panel.waitForPosted('send'), { type: 'send', chatId: 'chat-1', text: 'Translate the following into Italian:\n\nThe cat sleeps.', fillBuiltins: true });
  });

  it('a user prompt named like a built-in is the one the menu offers', async () => {
    await panel.deliver(stateMessage({ prompts: promptList([{ name: 'explain', description: 'Explain it to a beginner', text: 'Explain {{selection}} to a beginner' }]) }));
    await prompt().focus();
    await panel.page.keyboard.type('/explain');
    assert.deepEqual(await rows(), ['/explain — Explain it to a beginner']);
    await panel.page.keyboard.press('Enter');
    assert.equal(await prompt().inputValue(), 'Explain {{selection}} to a beginner');
  });

  it('closes the form with Esc or Cancel without sending', async () => {
    await panel.page.locator('.prompt-chip', { hasText: 'Write unit tests' }).click();
    await panel.page.keyboard.press('Escape');
    assert.equal(await panel.page.locator('#prompt-form').isVisible(), false);
    await panel.page.locator('.prompt-chip', { hasText: 'Write unit tests' }).click();
    await panel.page.locator('#prompt-form').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await panel.page.locator('#prompt-form').isVisible(), false);
    assert.deepEqual(await panel.posted('send'), []);
  });
});
