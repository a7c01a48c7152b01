// What a failed reply offers once things changed, and where it points: an old "no key" error loses its Set API key
// once the key is set (its text stays; the last reply offers Retry), and an error about reaching the provider opens
// that provider's base URL setting.
import assert from 'node:assert/strict';
import type { ChatMessage } from '../../src/protocol';
import { assistant, PROVIDERS, stateMessage, user } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

const NO_KEY = 'Set an Anthropic API key to chat with Anthropic, or switch to the demo model.';
const noKey = (id: string): ChatMessage => assistant(id, '', { provider: 'anthropic', model: 'claude-sonnet-4-5', status: 'error', error: { kind: 'no-key', message: NO_KEY, action: 'set-key' } });
const anthropicKeySet = PROVIDERS.map((p) => (p.id === 'anthropic' ? { ...p, keySet: true, keySource: 'secret-storage' as const } : p));

describe('webview: error actions follow the state', function () {
  let panel: Panel;
  eachTestPanel((opened) => {
    panel = opened;
  });

  const error = (id: string) => panel.page.locator(`article[data-id="${id}"] .message-error`);
  const buttons = (id: string) => error(id).locator('button').evaluateAll((els) => els.filter((b) => (b as HTMLElement).offsetParent !== null).map((b) => b.textContent?.trim()));

  it('drops Set API key from errors once the provider has a key; the last reply offers Retry, the text stays', async () => {
    const messages = [user('u1', 'One'), noKey('a1'), user('u2', 'Two'), noKey('a2')];
    await panel.deliver(stateMessage({ messages, config: { provider: 'anthropic', model: 'claude-sonnet-4-5' } }));
    assert.deepEqual(await buttons('a1'), ['Set API key', 'Open key settings']);
    assert.deepEqual(await buttons('a2'), ['Set API key', 'Open key settings']);

    await panel.deliver(stateMessage({ messages, config: { provider: 'anthropic', model: 'claude-sonnet-4-5' }, providers: anthropicKeySet }));
    assert.equal(await error('a1').locator('.error-text').textContent(), NO_KEY);
    assert.equal(await error('a2').locator('.error-text').textContent(), NO_KEY);
    assert.deepEqual(await buttons('a1'), [], 'an older reply offers nothing');
    assert.deepEqual(await buttons('a2'), ['Retry']);
    await panel.clearPosted();
    await error('a2').getByRole('button', { name: 'Retry' }).click();
    assert.deepEqual(await panel.waitForPosted('regenerate'), { type: 'regenerate', chatId: 'chat-1' });

    // Cleared again: the errors ask for the key again.
    await panel.deliver(stateMessage({ messages, config: { provider: 'anthropic', model: 'claude-sonnet-4-5' } }));
    assert.deepEqual(await buttons('a2'), ['Set API key', 'Open key settings']);
  });

  it('keeps Set API key on a rejected key (the key set is the one refused)', async () => {
    const rejected = assistant('a1', '', { status: 'error', error: { kind: 'auth', message: 'Groq rejected the API key (gsk_…abcd). Set a valid Groq key.', action: 'set-key' } });
    await panel.deliver(stateMessage({ messages: [user('u1', 'One'), rejected] }));
    assert.deepEqual(await buttons('a1'), ['Set API key', 'Open key settings']);
  });

  it('offers the provider\'s base URL setting on errors that point at it, and only there', async () => {
    const unreachable = assistant('a1', '', {
      provider: 'ollama', model: 'llama3.2', status: 'error',
      error: { kind: 'network', message: 'Could not reach localhost:11434: the connection was refused. Is the server running, and is the base URL right?', action: 'retry' },
    });
    await panel.deliver(stateMessage({ messages: [user('u1', 'One'), unreachable], config: { provider: 'ollama', model: 'llama3.2' } }));
    assert.deepEqual(await buttons('a1'), ['Retry', 'Base URL setting']);
    await panel.clearPosted();
    await error('a1').getByRole('button', { name: 'Base URL setting' }).click();
    assert.deepEqual(await panel.waitForPosted('runCommand'), { type: 'runCommand', command: 'openBaseUrlSetting', provider: 'ollama' });

    // A custom endpoint without a base URL (a bad-request error that names the setting) gets it too.
    const noBase = assistant('a1', '', { provider: 'custom', status: 'error', error: { kind: 'bad-request', message: 'Custom has no base URL. Set parley.custom.baseUrl to your server\'s OpenAI-compatible endpoint.' } });
    await panel.deliver(stateMessage({ messages: [user('u1', 'One'), noBase] }));
    assert.deepEqual(await buttons('a1'), ['Base URL setting']);

    // Other errors do not.
    const limited = assistant('a1', '', { status: 'error', error: { kind: 'rate-limit', message: 'Too many requests.', action: 'retry' } });
    await panel.deliver(stateMessage({ messages: [user('u1', 'One'), limited] }));
    assert.deepEqual(await buttons('a1'), ['Retry']);
  });
});
