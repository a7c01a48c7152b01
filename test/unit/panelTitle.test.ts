// The chat panel's tab title: "Parley — <chat title>", whitespace folded, cut with an ellipsis; taken from the
// messages that carry the shown chat's title.
import assert from 'node:assert/strict';
import { chatTitleIn, panelTitle } from '../../src/host/panelTitle';
import type { HostMessage } from '../../src/protocol';
import { baseConfig } from './helpers';

describe('panel title', () => {
  it('follows the chat title, trimmed to a tab', () => {
    assert.equal(panelTitle('Debounce in TypeScript'), 'Parley — Debounce in TypeScript');
    assert.equal(panelTitle('  two\n lines  '), 'Parley — two lines');
    assert.equal(panelTitle(''), 'Parley');
    const long = panelTitle('Why is my build slow when the cache is warm and nothing changed at all?');
    assert.equal(long, 'Parley — Why is my build slow when the cache is…');
    assert.equal(long.length, 'Parley — '.length + 40 - 1);
  });

  it('reads the title from a state, a reply start or an update of the chat shown, nothing else', () => {
    assert.equal(chatTitleIn({ type: 'replyStarted', chatId: 'c', requestId: 'r', keep: 0, append: [], title: 'Renamed', summary: { id: 'c', title: 'Renamed', updatedAt: 0, messageCount: 0 }, pendingAttachments: [] }), 'Renamed');
    assert.equal(chatTitleIn({ type: 'update', chatId: 'c', meta: { id: 'c', title: 'Renamed again', config: { provider: 'demo', model: 'parley-demo', ...baseConfig }, createdAt: 0, updatedAt: 0 }, capabilities: { controls: {}, unsupported: {}, vision: false, reasoning: false } } as HostMessage), 'Renamed again');
    assert.equal(chatTitleIn({ type: 'notice', level: 'info', text: 'x' }), undefined);
    assert.equal(chatTitleIn({ type: 'chatListChange', upsert: { id: 'c', title: 'Other chat', updatedAt: 0, messageCount: 1 } }), undefined);
  });
});
