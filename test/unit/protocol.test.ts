import assert from 'node:assert/strict';
import { parseHostMessage, parseWebviewMessage } from '../../src/protocol';

describe('protocol', () => {
  it('accepts every well-formed webview message', () => {
    const good = [
      { type: 'ready' },
      { type: 'send', chatId: 'c1', text: 'hello' },
      { type: 'stop', chatId: 'c1' },
      { type: 'setConfig', chatId: 'c1', patch: { provider: 'groq', temperature: 0.7, stop: ['END'] } },
      { type: 'deleteMessage', chatId: 'c1', messageId: 'm-1' },
      { type: 'clearChat', chatId: 'c1' },
      { type: 'runCommand', command: 'setApiKey', provider: 'groq' },
      { type: 'openLink', url: 'https://example.com' },
    ];
    for (const message of good) assert.equal(parseWebviewMessage(message).ok, true, JSON.stringify(message));
  });

  it('rejects malformed webview messages with a reason', () => {
    const bad: unknown[] = [
      null,
      'send',
      42,
      { type: 'nope' },
      { type: 'send', chatId: 'c1' },
      { type: 'send', chatId: 'c1', text: 7 },
      { type: 'send', chatId: '../../etc/passwd', text: 'x' },
      { type: 'send', chatId: '', text: 'x' },
      { type: 'setConfig', chatId: 'c1', patch: { provider: 'evil' } },
      { type: 'setConfig', chatId: 'c1', patch: { temperature: Number.NaN } },
      { type: 'setConfig', chatId: 'c1', patch: { temperature: '0.5' } },
      { type: 'runCommand', command: 'workbench.action.terminal.sendSequence' },
      { type: 'send', chatId: 'c1', text: 'x'.repeat(1_000_001) },
    ];
    for (const message of bad) {
      const result = parseWebviewMessage(message);
      assert.equal(result.ok, false, JSON.stringify(message)?.slice(0, 80));
      if (!result.ok) assert.ok(result.error.length > 0);
    }
  });

  it('validates host stream events', () => {
    const ok = parseHostMessage({ type: 'stream', chatId: 'c', requestId: 'r', seq: 0, event: { type: 'text-delta', text: 'hi' } });
    assert.equal(ok.ok, true);
    const bad = parseHostMessage({ type: 'stream', chatId: 'c', requestId: 'r', seq: 0, event: { type: 'text-delta' } });
    assert.equal(bad.ok, false);
    const badKind = parseHostMessage({ type: 'stream', chatId: 'c', requestId: 'r', seq: 1, event: { type: 'error', kind: 'weird', message: 'x' } });
    assert.equal(badKind.ok, false);
  });
});
