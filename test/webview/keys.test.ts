// The keys area: where a key comes from, Save (setKey, field emptied at once, key never rendered), Clear.
import assert from 'node:assert/strict';
import { stateMessage } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

const SECRET = 'gsk_test_SECRET_0123456789abcdef';

describe('webview: API keys area', function () {
  let panel: Panel;
  eachTestPanel(async (opened) => {
    panel = opened;
    await panel.deliver(stateMessage());
    await panel.clearPosted();
    await panel.page.getByRole('button', { name: 'API keys' }).click();
  });

  const row = (id: string) => panel.page.locator(`.key-row[data-provider="${id}"]`);

  /** All markup and input values in the page, shadow roots and the saved view state included. */
  const everythingRendered = () =>
    panel.page.evaluate(() => {
      // (no named inner functions: tsx would wrap them in a helper the page does not have)
      const out: string[] = [];
      const roots: (Document | ShadowRoot)[] = [document];
      for (let root = roots.pop(); root; root = roots.pop()) {
        for (const el of root.querySelectorAll('*')) {
          out.push(el.outerHTML);
          const value = (el as HTMLElement & { value?: unknown }).value;
          if (value !== undefined) out.push(String(value));
          if (el.shadowRoot) roots.push(el.shadowRoot);
        }
      }
      return out.join('\n') + JSON.stringify(window.__viewState ?? null);
    });

  it('lists providers that need a key (and ones with a base URL) with where the key comes from', async () => {
    assert.equal(await panel.page.locator('#keys').isVisible(), true);
    assert.deepEqual(await panel.page.locator('.key-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.provider)), ['groq', 'openai', 'anthropic', 'ollama']);
    assert.equal(await row('groq').locator('.key-status').textContent(), 'set (secret storage)');
    assert.equal(await row('openai').locator('.key-status').textContent(), 'set (environment)');
    assert.equal(await row('anthropic').locator('.key-status').textContent(), 'not set');
    assert.equal(await row('ollama').locator('.key-status').textContent(), 'no key needed');
    // The base URL is text (not a field that looks editable), with a way to where it is edited.
    assert.equal(await row('ollama').locator('code.base-url').textContent(), 'http://localhost:11434/v1');
    assert.equal(await row('ollama').locator('.key-base input').count(), 0);
    assert.equal(await row('ollama').locator('.key-edit').isVisible(), false);
    // A key from the environment cannot be cleared here; one not set has nothing to clear.
    assert.equal(await row('openai').getByRole('button', { name: 'Clear OpenAI API key' }).isDisabled(), true);
    assert.equal(await row('anthropic').getByRole('button', { name: 'Clear Anthropic API key' }).isDisabled(), true);
    assert.equal(await row('groq').getByRole('button', { name: 'Clear Groq API key' }).isDisabled(), false);
  });

  it('posts setKey, empties the field at once, and never renders the key', async () => {
    const input = row('anthropic').locator('#key-anthropic input');
    assert.equal(await input.getAttribute('type'), 'password');
    await input.fill(SECRET);
    await row('anthropic').getByRole('button', { name: 'Save Anthropic API key' }).click();
    assert.deepEqual(await panel.waitForPosted('setKey'), { type: 'setKey', provider: 'anthropic', key: SECRET });
    assert.equal(await input.inputValue(), '');
    assert.equal(await panel.page.locator('#key-anthropic').evaluate((el) => (el as HTMLInputElement).value), '');
    assert.equal((await everythingRendered()).includes(SECRET), false, 'the key is nowhere in the page');
    // The host answers with the new state; only the source shows.
    const providers = stateMessage().providers.map((p) => (p.id === 'anthropic' ? { ...p, keySet: true, keySource: 'secret-storage' as const } : p));
    await panel.deliver(stateMessage({ providers }));
    assert.equal(await row('anthropic').locator('.key-status').textContent(), 'set (secret storage)');
    assert.equal((await everythingRendered()).includes(SECRET), false);

    // Enter saves too.
    await panel.clearPosted();
    await row('groq').locator('#key-groq input').fill('gsk_other');
    await row('groq').locator('#key-groq input').press('Enter');
    assert.deepEqual(await panel.waitForPosted('setKey'), { type: 'setKey', provider: 'groq', key: 'gsk_other' });
    assert.equal(await row('groq').locator('#key-groq input').inputValue(), '');
    // An empty field posts nothing.
    await panel.clearPosted();
    await row('groq').getByRole('button', { name: 'Save Groq API key' }).click();
    assert.deepEqual(await panel.posted('setKey'), []);
  });

  it('opens the base URL setting of the provider from "Edit in settings"', async () => {
    await row('ollama').getByRole('button', { name: 'Edit in settings: the Ollama base URL' }).click();
    assert.deepEqual(await panel.waitForPosted('runCommand'), { type: 'runCommand', command: 'openBaseUrlSetting', provider: 'ollama' });
  });

  it('warns, without refusing and without showing the key, when a key does not look like the provider\'s', async () => {
    const input = row('groq').locator('#key-groq input');
    const warning = row('groq').locator('.key-warning');
    const expected = 'Groq keys are 56 characters of letters and digits; this one is 11 characters long. Check that you copied all of it.';
    assert.equal(await warning.isVisible(), false);
    await input.fill('gsk_fake123');
    assert.equal(await warning.textContent(), expected);
    assert.equal(await warning.isVisible(), true);
    // A well-formed key: no warning.
    await input.fill(`gsk_${'A1b2'.repeat(13)}`);
    assert.equal(await warning.isVisible(), false);
    // Saved all the same, and the warning says so.
    await input.fill('gsk_fake123');
    await input.press('Enter');
    assert.deepEqual(await panel.waitForPosted('setKey'), { type: 'setKey', provider: 'groq', key: 'gsk_fake123' });
    assert.equal(await warning.textContent(), `Saved, but check it: ${expected}`);
    assert.equal((await everythingRendered()).includes('gsk_fake123'), false, 'the key is nowhere in the page');
    // Another provider's key.
    await row('anthropic').locator('#key-anthropic input').fill(`gsk_${'A1b2'.repeat(13)}`);
    assert.equal(await row('anthropic').locator('.key-warning').textContent(), 'This looks like a Groq key (it starts with gsk_), not an Anthropic key.');
  });

  it('clears a stored key', async () => {
    await row('groq').getByRole('button', { name: 'Clear Groq API key' }).click();
    assert.deepEqual(await panel.waitForPosted('clearKey'), { type: 'clearKey', provider: 'groq' });
  });

  it('closes with the toggle', async () => {
    const toggle = panel.page.locator('#toggle-keys');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await toggle.click();
    assert.equal(await panel.page.locator('#keys').isVisible(), false);
  });
});
