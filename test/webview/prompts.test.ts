// Prompts: chips on an empty chat, the `/` menu, and the {{variable}} form (built-ins left for the host).
import assert from 'node:assert/strict';
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
  /** How a chip or the / menu shows a prompt: its variables as ‹name›. */
  const shown = (i: number) => PROMPTS[i].replace(/\{\{\s*([^{}\n]+?)\s*\}\}/g, '‹$1›');

  it('offers the prompts as chips on an empty chat only', async () => {
    const chips = panel.page.locator('#empty-state .prompt-chip');
    assert.equal(await chips.count(), PROMPTS.length);
    assert.equal(await chips.first().textContent(), shown(0));
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
    await panel.deliver(stateMessage({ prompts: ['Translate the following into {{target language}}:\n\n{{text}}'] }));
    await panel.page.locator('.prompt-chip', { hasText: 'Translate the following into ‹target language›:' }).click();
    const form = panel.page.locator('#prompt-form');
    assert.deepEqual(await form.locator('.form-field label').allTextContents(), ['target language', 'text']);
    await panel.page.keyboard.type('German');
    await panel.page.keyboard.press('Enter');
    await panel.page.keyboard.type('Good morning');
    await panel.page.keyboard.press('Enter');
    assert.deepEqual(await panel.waitForPosted('send'), { type: 'send', chatId: 'chat-1', text: 'Translate the following into German:\n\nGood morning', fillBuiltins: true });
  });

  it('filters prompts as you type after / and picks with the arrow keys and Enter', async () => {
    await prompt().focus();
    await panel.page.keyboard.type('/');
    const menu = panel.page.locator('#slash-menu');
    assert.equal(await menu.isVisible(), true);
    assert.equal(await menu.locator('[role="option"]').count(), PROMPTS.length);
    assert.equal(await prompt().getAttribute('aria-controls'), 'slash-menu');
    await panel.page.keyboard.type('sel');
    assert.deepEqual(await menu.locator('[role="option"]').allTextContents(), [shown(0), shown(1), shown(2), shown(4)]);
    await panel.page.keyboard.press('ArrowDown');
    await panel.page.keyboard.press('ArrowDown');
    await panel.page.keyboard.press('ArrowUp');
    assert.equal(await menu.locator('[aria-selected="true"]').textContent(), shown(1));
    assert.equal(await prompt().getAttribute('aria-activedescendant'), 'slash-1');
    await panel.page.keyboard.press('Enter');
    assert.equal(await menu.isVisible(), false);
    assert.deepEqual(await panel.posted('send'), [], 'Enter picked the prompt, it did not send "/sel"');
    assert.deepEqual(await panel.page.locator('#prompt-form .form-field label').allTextContents(), ['framework']);
    await panel.page.keyboard.type('mocha');
    await panel.page.keyboard.press('Enter');
    assert.deepEqual((await panel.waitForPosted('send')).text, 'Write unit tests for {{selection}} using mocha');

    // Esc closes the menu and leaves the text; no match shows so.
    await prompt().fill('');
    await panel.page.keyboard.type('/zzz');
    assert.equal(await menu.textContent(), 'No prompt matches');
    await panel.page.keyboard.press('Escape');
    assert.equal(await menu.isVisible(), false);
    assert.equal(await prompt().inputValue(), '/zzz');
    // A prompt without variables goes into the input.
    await prompt().fill('');
    await panel.page.keyboard.type('/summ');
    await panel.page.keyboard.press('Enter');
    assert.equal(await prompt().inputValue(), 'Summarize the conversation so far');
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
