import assert from 'node:assert/strict';
import { MAX_IMAGE_BYTES, parseHostMessage, parseWebviewMessage } from '../../src/protocol';
import { retryAfterFromHeaders } from '../../src/providers/errors';

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

  it('takes a pasted image up to MAX_IMAGE_BYTES, not more', () => {
    const image = (chars: number) => ({ type: 'attachImage', chatId: 'c1', name: 'x.png', mimeType: 'image/png', base64: 'A'.repeat(chars) });
    assert.equal(parseWebviewMessage(image(Math.ceil(MAX_IMAGE_BYTES / 3) * 4)).ok, true);
    assert.equal(parseWebviewMessage(image(Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 4)).ok, false);
  });

  it('one parser for retry-after-ms, retry-after seconds, durations and HTTP dates, never negative', () => {
    const from = (headers: Record<string, string>) => retryAfterFromHeaders((name) => headers[name]);
    assert.equal(from({ 'retry-after-ms': '1500', 'retry-after': '9' }), 1.5);
    assert.equal(from({ 'retry-after': '30' }), 30);
    assert.equal(from({ 'retry-after': '2.5s' }), 2.5);
    assert.equal(from({ 'retry-after': '-4' }), 0);
    const inAMinute = from({ 'retry-after': new Date(Date.now() + 60_000).toUTCString() })!;
    assert.ok(inAMinute > 55 && inAMinute <= 60, String(inAMinute));
    assert.equal(from({ 'retry-after': 'soon' }), undefined);
    assert.equal(from({}), undefined);
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
