// Model knowledge in the panel: a chat whose model has gone says so with a one-click switch, replies show their
// cost (or that the price is unknown) and the chat its total, and the Groq controls offer only what the model takes.
import assert from 'node:assert/strict';
import type { Capabilities } from '../../src/protocol';
import { assistant, GROQ_CAPS, PROVIDERS, stateMessage, user } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

function withoutPenalties(controls: Capabilities['controls']): Capabilities['controls'] {
  const { frequencyPenalty: _f, presencePenalty: _p, ...rest } = controls;
  return rest;
}

/** openai/gpt-oss-120b on Groq as the host describes it (catalog + Groq's rules). */
const GPT_OSS_CAPS: Capabilities = {
  ...GROQ_CAPS,
  controls: { ...withoutPenalties(GROQ_CAPS.controls), reasoningEffort: null, reasoningFormat: null, serviceTier: null, jsonSchema: null },
  unsupported: { topK: GROQ_CAPS.unsupported.topK, frequencyPenalty: 'Groq accepts no frequency_penalty or presence_penalty on any model it serves.', presencePenalty: 'Groq accepts no frequency_penalty or presence_penalty on any model it serves.' },
  reasoning: true,
  reasoningEfforts: ['low', 'medium', 'high'],
  reasoningFormats: ['parsed', 'hidden'],
  rawReasoningWithJson: 'Groq refuses raw reasoning together with JSON mode or a JSON schema.',
  price: { input: 0.15, output: 0.75 },
};
const QWEN_CAPS: Capabilities = { ...GPT_OSS_CAPS, reasoningEfforts: ['none', 'default'], reasoningFormats: ['parsed', 'raw', 'hidden'] };

describe('webview: models, prices and Groq controls', function () {
  let panel: Panel;
  eachTestPanel((opened) => {
    panel = opened;
  });

  it('a chat whose model is no longer listed says so before the user types, and Switch changes the model', async () => {
    const listedAt = Date.now() - 5 * 60_000;
    await panel.deliver(stateMessage({ config: { model: 'llama-3.3-70b-versatile' }, messages: [user('u1', 'Hi'), assistant('a1', 'Hello')], modelGone: { model: 'llama-3.3-70b-versatile', provider: 'Groq', suggestion: 'openai/gpt-oss-120b', listedAt } }));
    const banner = panel.page.locator('#banner');
    await banner.waitFor({ state: 'visible' });
    assert.match(await banner.innerText(), /Groq no longer lists llama-3\.3-70b-versatile \(list fetched 5 min ago\)/);
    assert.match(await banner.innerText(), /your messages are kept/);
    assert.equal(await panel.page.locator('.message').count(), 2, 'the history is shown');
    await panel.screenshot('model-gone');
    await banner.getByRole('button', { name: 'Switch to openai/gpt-oss-120b' }).click();
    assert.deepEqual(await panel.waitForPosted('setConfig'), { type: 'setConfig', chatId: 'chat-1', patch: { model: 'openai/gpt-oss-120b' } });
    await panel.deliver(stateMessage({ config: { model: 'openai/gpt-oss-120b' }, messages: [user('u1', 'Hi'), assistant('a1', 'Hello')] }));
    await banner.waitFor({ state: 'hidden' });
  });

  it('the refresh button says how old the model list is', async () => {
    const providers = PROVIDERS.map((p) => (p.id === 'groq' ? { ...p, listedAt: Date.now() - 2 * 3600_000 } : p));
    await panel.deliver(stateMessage({ providers }));
    assert.equal(await panel.page.locator('#refresh-models').getAttribute('title'), 'Refresh the model list (listed by Groq 2 h ago)');
    await panel.deliver(stateMessage());
    assert.equal(await panel.page.locator('#refresh-models').getAttribute('title'), 'Refresh the model list (showing the built-in list)');
  });

  it('each reply shows its cost, an unknown price says so (never $0), and the chat shows its running total', async () => {
    await panel.deliver(stateMessage({
      messages: [
        user('u1', 'One'), assistant('a1', 'First', { usage: { inputTokens: 1200, outputTokens: 300 }, cost: 0.000405 }),
        user('u2', 'Two'), assistant('a2', 'Second', { usage: { inputTokens: 1600, outputTokens: 100 }, cost: 0.0123 }),
      ],
    }));
    const costs = panel.page.locator('.message .cost');
    await costs.first().waitFor();
    assert.deepEqual(await costs.allTextContents(), ['$0.0004', '$0.012']);
    const total = panel.page.locator('#chat-cost');
    assert.equal(await total.textContent(), '$0.013');
    assert.match((await total.getAttribute('title'))!, /2 priced replies/);
    await panel.deliver(stateMessage({
      messages: [user('u1', 'One'), assistant('a1', 'First', { usage: { inputTokens: 10, outputTokens: 3 }, cost: 0.5 }), user('u2', 'Two'), assistant('a2', 'New model', { usage: { inputTokens: 10, outputTokens: 3 }, cost: null })],
    }));
    assert.deepEqual(await panel.page.locator('.message .cost').allTextContents(), ['$0.500', 'price unknown']);
    assert.equal(await total.textContent(), '≥ $0.500');
    assert.match((await total.getAttribute('title'))!, /1 reply has no known price/);
    await panel.deliver(stateMessage({ config: { provider: 'demo', model: 'parley-demo (offline)' }, messages: [user('u1', 'Hi'), assistant('a1', 'echo', { provider: 'demo' })] }));
    assert.equal(await total.isHidden(), true, 'nothing is billed on the demo model');
    assert.equal(await panel.page.locator('.message .cost').count(), 0);
  });

  it('reasoning effort offers only what the model takes; raw reasoning is off with JSON output, with the reason', async () => {
    await panel.deliver(stateMessage({ showControls: true, config: { model: 'openai/gpt-oss-120b' }, capabilities: GPT_OSS_CAPS }));
    const visibleOptions = (id: string) => panel.page.locator(`#ctl-${id} option`).evaluateAll((os) => os.filter((o) => !(o as HTMLOptionElement).hidden).map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(await visibleOptions('reasoningEffort'), ['', 'low', 'medium', 'high']);
    assert.deepEqual(await visibleOptions('reasoningFormat'), ['', 'parsed', 'hidden']);
    assert.equal(await panel.page.locator('#ctl-frequencyPenalty').getAttribute('aria-description'), 'Groq accepts no frequency_penalty or presence_penalty on any model it serves.');
    await panel.page.locator('#ctl-serviceTier').selectOption('flex');
    assert.deepEqual(await panel.waitForPosted('setConfig', (m) => 'serviceTier' in m.patch), { type: 'setConfig', chatId: 'chat-1', patch: { serviceTier: 'flex' } });

    await panel.deliver(stateMessage({ showControls: true, config: { model: 'qwen/qwen3.6-27b', jsonMode: true }, capabilities: QWEN_CAPS }));
    assert.deepEqual(await visibleOptions('reasoningEffort'), ['', 'none', 'default']);
    const raw = panel.page.locator('#ctl-reasoningFormat option[value="raw"]');
    assert.equal(await raw.isDisabled(), true);
    assert.equal(await raw.getAttribute('title'), QWEN_CAPS.rawReasoningWithJson);
    await panel.deliver(stateMessage({ showControls: true, config: { model: 'qwen/qwen3.6-27b', jsonMode: false }, capabilities: QWEN_CAPS }));
    assert.equal(await raw.isDisabled(), false);
    await panel.screenshot('groq-controls');
  });

  it('a pasted JSON schema is checked as it is typed; a broken one is never sent', async () => {
    await panel.deliver(stateMessage({ showControls: true, config: { model: 'openai/gpt-oss-120b' }, capabilities: GPT_OSS_CAPS }));
    const schema = panel.page.locator('#ctl-jsonSchema');
    await schema.fill('{"type": "object", "properties": {');
    await panel.page.locator('#ctl-jsonSchema-error').waitFor({ state: 'visible' });
    assert.match((await panel.page.locator('#ctl-jsonSchema-error').textContent())!, /not valid JSON/);
    await schema.fill('[1, 2]');
    assert.match((await panel.page.locator('#ctl-jsonSchema-error').textContent())!, /must be a JSON object/);
    assert.equal((await panel.posted('setConfig')).length, 0, 'nothing invalid was sent');
    const good = '{"type": "object", "properties": {"answer": {"type": "string"}}}';
    await schema.fill(good);
    await schema.blur();
    assert.deepEqual(await panel.waitForPosted('setConfig'), { type: 'setConfig', chatId: 'chat-1', patch: { jsonSchema: good } });
    assert.equal(await panel.page.locator('#ctl-jsonSchema-error').isHidden(), true);
  });
});
