// The configuration controls area: ranges from capabilities, disabled controls with their reasons, inline
// validation (refused values are never sent), debounced setConfig, the show/hide toggle, provider and model.
import assert from 'node:assert/strict';
import { DEMO_CAPS, GROQ_CAPS, stateMessage } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

describe('webview: configuration controls', function () {
  let panel: Panel;
  eachTestPanel((opened) => {
    panel = opened;
  });

  /** The inner <input> of a vscode-textfield control. */
  const field = (name: string) => panel.page.locator(`#ctl-${name} input`);

  it('starts shown or hidden from state.ui.showControls, and the toggle posts setUiState', async () => {
    await panel.deliver(stateMessage({ showControls: false }));
    const area = panel.page.locator('#controls');
    const toggle = panel.page.locator('#toggle-controls');
    assert.equal(await area.isVisible(), false);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    assert.equal(await area.isVisible(), true);
    assert.deepEqual(await panel.waitForPosted('setUiState'), { type: 'setUiState', showControls: true });
    // A state that still says `false` (the host has not stored it yet) does not flip it back.
    await panel.deliver(stateMessage({ showControls: false }));
    assert.equal(await area.isVisible(), true);
    await toggle.click();
    assert.equal(await area.isVisible(), false);
    assert.equal((await panel.posted('setUiState')).at(-1)?.type === 'setUiState' && (await panel.posted('setUiState')).length, 2);
    await panel.deliver(stateMessage({ showControls: true }));
    assert.equal(await area.isVisible(), true);
  });

  it('shows the values and ranges of the chat and disables unsupported controls with their reason', async () => {
    await panel.deliver(stateMessage({ showControls: true, config: { temperature: 0.7, maxTokens: 2048, stop: ['END', '\n\n'], jsonMode: true } }));
    assert.equal(await field('temperature').inputValue(), '0.7');
    assert.equal(await field('maxTokens').inputValue(), '2048');
    assert.equal(await panel.page.locator('#ctl-stop').inputValue(), 'END, \\n\\n');
    assert.equal(await panel.page.locator('#ctl-jsonMode').isChecked(), true);
    assert.equal(await panel.page.locator('#ctl-system').inputValue(), 'You are a helpful assistant inside VS Code. Answer concisely; use Markdown and fenced code blocks.');
    assert.equal(await panel.page.locator('#ctl-temperature-range').textContent(), '0 – 2');
    assert.equal(await panel.page.locator('#ctl-stop-range').textContent(), 'up to 4');
    // Supported, though VS Code's JSON transport dropped their `undefined` entries in capabilities.controls:
    assert.equal(await panel.page.locator('#ctl-system').isDisabled(), false);
    assert.equal(await panel.page.locator('#ctl-jsonMode').isDisabled(), false);

    for (const name of ['topK', 'reasoningEffort', 'thinkingBudget'] as const) {
      const control = panel.page.locator(`#ctl-${name}`);
      const reason = GROQ_CAPS.unsupported[name]!;
      assert.equal(await control.getAttribute('disabled'), '', `${name} is disabled`);
      assert.equal(await control.getAttribute('aria-description'), reason);
      assert.equal(await panel.page.locator(`.control[data-control="${name}"]`).getAttribute('title'), reason);
      assert.equal(await panel.page.locator(`#ctl-${name}-note`).textContent(), reason);
    }
    assert.equal(await field('topK').isDisabled(), true);
    // The real <input> inside the component carries the reason too (aria-describedby cannot reach it).
    assert.equal(await field('topK').getAttribute('aria-description'), GROQ_CAPS.unsupported.topK);
    assert.equal(await field('temperature').getAttribute('aria-description'), '0 – 2');

    // The demo model takes only a system message.
    await panel.deliver(stateMessage({ showControls: true, config: { provider: 'demo', model: 'parley-demo (offline)' }, capabilities: DEMO_CAPS }));
    assert.equal(await field('temperature').isDisabled(), true);
    assert.equal(await panel.page.locator('#ctl-temperature').getAttribute('aria-description'), DEMO_CAPS.unsupported.temperature);
    assert.equal(await panel.page.locator('#ctl-jsonMode').isDisabled(), true);
    assert.equal(await panel.page.locator('#ctl-system').isDisabled(), false);
  });

  it('says a reason shared by several disabled controls once, above them, instead of under each', async () => {
    await panel.deliver(stateMessage({ showControls: true, config: { provider: 'demo', model: 'parley-demo (offline)' }, capabilities: DEMO_CAPS }));
    const notes = panel.page.locator('#controls .controls-disabled .disabled-reason');
    assert.deepEqual(await notes.allTextContents(), [
      `${DEMO_CAPS.unsupported.maxTokens} (Max tokens, Temperature, Top P, Top K, Frequency penalty, Presence penalty, Seed, Stop sequences)`,
      `${DEMO_CAPS.unsupported.thinkingBudget} (Thinking budget, Reasoning effort)`,
      'parley-demo (offline) does not take these settings. (Reasoning format, Service tier, JSON schema (structured output))',
    ]);
    // Under the fields: nothing repeated (a reason only one control has stays under it).
    assert.equal(await panel.page.locator('#ctl-temperature-note').isVisible(), false);
    assert.equal(await panel.page.locator('#ctl-jsonMode-note').textContent(), DEMO_CAPS.unsupported.jsonMode);
    const repeated = await panel.page.locator('#controls .control-note .reason').evaluateAll((els) => els.map((e) => e.textContent).filter(Boolean));
    assert.deepEqual(repeated, [DEMO_CAPS.unsupported.jsonMode]);
    // Each control still carries its reason for screen readers and on hover.
    assert.equal(await panel.page.locator('#ctl-temperature').getAttribute('aria-description'), DEMO_CAPS.unsupported.temperature);
    assert.equal(await panel.page.locator('.control[data-control="temperature"]').getAttribute('title'), DEMO_CAPS.unsupported.temperature);
    // Groq's llama: its own reasons stay under their fields; only the shared one is grouped.
    await panel.deliver(stateMessage({ showControls: true }));
    assert.deepEqual(await notes.allTextContents(), ['llama-3.3-70b-versatile does not take these settings. (Reasoning format, Service tier, JSON schema (structured output))']);
    assert.equal(await panel.page.locator('#ctl-topK-note').textContent(), GROQ_CAPS.unsupported.topK);
    // A model that takes every control: no group line.
    const all = Object.fromEntries(['system', 'maxTokens', 'temperature', 'topP', 'topK', 'frequencyPenalty', 'presencePenalty', 'stop', 'seed', 'jsonMode', 'reasoningEffort', 'thinkingBudget', 'reasoningFormat', 'serviceTier', 'jsonSchema'].map((n) => [n, null]));
    await panel.deliver(stateMessage({ showControls: true, capabilities: { ...GROQ_CAPS, controls: all, unsupported: {} } }));
    assert.equal(await panel.page.locator('#controls .controls-disabled').isVisible(), false);
  });

  it('refuses out-of-range and malformed values inline and does not send them', async () => {
    await panel.deliver(stateMessage({ showControls: true }));
    await panel.clearPosted();
    await field('temperature').fill('7');
    const error = panel.page.locator('#ctl-temperature-error');
    assert.equal(await error.textContent(), 'Temperature must be between 0 and 2');
    assert.equal(await error.isVisible(), true);
    assert.equal(await panel.page.locator('#ctl-temperature').getAttribute('aria-invalid'), 'true');
    assert.equal(await field('temperature').getAttribute('aria-description'), 'Temperature must be between 0 and 2');
    await field('temperature').press('Tab');
    await panel.page.waitForTimeout(600);
    assert.deepEqual(await panel.posted('setConfig'), [], 'the invalid value was not sent');
    // A state update does not overwrite what the user is fixing.
    await panel.deliver(stateMessage({ showControls: true }));
    assert.equal(await field('temperature').inputValue(), '7');

    await field('maxTokens').fill('12.5');
    assert.equal(await panel.page.locator('#ctl-maxTokens-error').textContent(), 'Max tokens must be a whole number between 1 and 32768');
    await field('topP').fill('abc');
    assert.equal(await panel.page.locator('#ctl-topP-error').textContent(), 'Top P must be a number between 0 and 1');
    await panel.page.locator('#ctl-stop').fill('a, b, c, d, e');
    assert.equal(await panel.page.locator('#ctl-stop-error').textContent(), 'At most 4 stop sequences (you entered 5)');
    await panel.page.waitForTimeout(600);
    assert.deepEqual(await panel.posted('setConfig'), []);

    // Fixing it clears the message and sends the value.
    await field('temperature').fill('1.2');
    assert.equal(await error.isVisible(), false);
    const sent = await panel.waitForPosted('setConfig');
    assert.deepEqual(sent, { type: 'setConfig', chatId: 'chat-1', patch: { temperature: 1.2 } });
  });

  it('debounces typing into one setConfig, commits on leaving a field, and sends empty as "not set"', async () => {
    await panel.deliver(stateMessage({ showControls: true }));
    await panel.clearPosted();
    await field('temperature').fill('');
    await field('temperature').pressSequentially('0.95', { delay: 40 });
    // Wait for the post itself, then a little longer to see no second one follows.
    await panel.waitForPosted('setConfig', () => true, 10_000);
    await panel.page.waitForTimeout(700);
    assert.deepEqual(await panel.posted('setConfig'), [{ type: 'setConfig', chatId: 'chat-1', patch: { temperature: 0.95 } }]);

    await panel.clearPosted();
    await panel.page.locator('#ctl-stop').fill('END,\n###, \\n\\n');
    await panel.page.locator('#ctl-stop').blur();
    assert.deepEqual((await panel.waitForPosted('setConfig')).patch, { stop: ['END', '###', '\n\n'] });

    await panel.clearPosted();
    await field('maxTokens').fill('');
    await field('maxTokens').blur();
    assert.deepEqual((await panel.waitForPosted('setConfig')).patch, { maxTokens: null });
  });

  it('sends pending edits before a message goes out', async () => {
    await panel.deliver(stateMessage({ showControls: true }));
    await panel.clearPosted();
    await field('seed').pressSequentially('42');
    await panel.page.locator('textarea#prompt').fill('Hello');
    await panel.page.locator('textarea#prompt').press('Enter');
    await panel.waitForPosted('send');
    const types = (await panel.posted()).map((m) => (m.type === 'setConfig' ? `setConfig ${JSON.stringify(m.patch)}` : m.type));
    assert.deepEqual(types, ['setConfig {"seed":42}', 'send']);
  });

  it('steps numbers with the arrow keys within the range', async () => {
    await panel.deliver(stateMessage({ showControls: true, config: { temperature: 1.95 } }));
    await field('temperature').focus();
    await panel.page.keyboard.press('ArrowUp');
    assert.equal(await field('temperature').inputValue(), '2');
    await panel.page.keyboard.press('ArrowUp');
    assert.equal(await field('temperature').inputValue(), '2', 'clamped at the maximum');
    await panel.page.keyboard.press('ArrowDown');
    assert.equal(await field('temperature').inputValue(), '1.95');
  });

  it('posts JSON mode, reasoning effort and the system message', async () => {
    await panel.deliver(stateMessage({ showControls: true, capabilities: { ...GROQ_CAPS, controls: { ...GROQ_CAPS.controls, reasoningEffort: null }, unsupported: { topK: 'no' } } }));
    await panel.clearPosted();
    await panel.page.locator('#ctl-jsonMode').check();
    assert.deepEqual((await panel.waitForPosted('setConfig')).patch, { jsonMode: true });
    await panel.clearPosted();
    await panel.page.locator('#ctl-reasoningEffort').selectOption('high');
    assert.deepEqual((await panel.waitForPosted('setConfig')).patch, { reasoningEffort: 'high' });
    await panel.clearPosted();
    await panel.page.locator('#ctl-system').fill('Answer like a pirate.');
    assert.deepEqual((await panel.waitForPosted('setConfig')).patch, { system: 'Answer like a pirate.' });
  });

  it('switches provider and model, offers the provider’s models, and refreshes them', async () => {
    await panel.deliver(stateMessage());
    const provider = panel.page.locator('select#provider');
    assert.deepEqual(await provider.locator('option').allTextContents(), ['Demo (offline)', 'Groq', 'OpenAI', 'Anthropic (no key)', 'Ollama']);
    assert.equal(await provider.inputValue(), 'groq');
    assert.deepEqual(await panel.page.locator('datalist#models option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant', 'openai/gpt-oss-120b', 'qwen/qwen3-32b']);
    await provider.selectOption('openai');
    assert.deepEqual(await panel.waitForPosted('setConfig'), { type: 'setConfig', chatId: 'chat-1', patch: { provider: 'openai' } });
    await panel.clearPosted();
    await panel.page.locator('#model').fill('my-custom-model');
    await panel.page.locator('#model').press('Enter');
    assert.deepEqual((await panel.waitForPosted('setConfig')).patch, { model: 'my-custom-model' });
    await panel.page.getByRole('button', { name: 'Refresh the model list' }).click();
    assert.deepEqual(await panel.waitForPosted('refreshModels'), { type: 'refreshModels', provider: 'groq' });
    assert.equal(await panel.page.locator('#refresh-models').getAttribute('class'), 'icon-button busy');
    await panel.deliver(stateMessage());
    assert.equal(await panel.page.locator('#refresh-models').getAttribute('class'), 'icon-button');
  });

  it('labels the demo model clearly, with a way to a real model', async () => {
    const noGroqKey = stateMessage().providers.map((p) => (p.id === 'groq' ? { ...p, keySet: false, keySource: undefined } : p));
    await panel.deliver(stateMessage({ config: { provider: 'demo', model: 'parley-demo (offline)' }, capabilities: DEMO_CAPS, providers: noGroqKey }));
    assert.equal(await panel.page.locator('#demo-badge').isVisible(), true);
    const banner = panel.page.locator('#banner');
    assert.match((await banner.textContent()) ?? '', /offline demo model/);
    await banner.getByRole('button', { name: 'Set Groq API key' }).click();
    assert.deepEqual(await panel.waitForPosted('runCommand'), { type: 'runCommand', command: 'setApiKey', provider: 'groq' });
    await panel.deliver(stateMessage({ config: { provider: 'demo', model: 'parley-demo (offline)' }, capabilities: DEMO_CAPS }));
    await banner.getByRole('button', { name: 'Use Groq' }).click();
    assert.deepEqual((await panel.waitForPosted('setConfig')).patch, { provider: 'groq' });
    await panel.deliver(stateMessage());
    assert.equal(await panel.page.locator('#demo-badge').isVisible(), false);
    assert.equal(await banner.isVisible(), false);
  });
});
