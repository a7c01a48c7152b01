// The incremental protocol: a reply start posts what changed (replyStarted), another chat's change the list only
// (chatList); the panel applies them to the chat it shows and keeps the seq/request-id rules.
import assert from 'node:assert/strict';
import { assistant, CHAT_ID, OTHER_CHAT_ID, stateMessage, streamOf, text, user } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

describe('webview: incremental updates', function () {
  let panel: Panel;
  eachTestPanel(async (opened) => {
    panel = opened;
    await panel.deliver(stateMessage({ messages: [user('u1', 'How do I debounce?'), assistant('a1', 'Like this.')] }));
  });

  const ids = () => panel.page.locator('article.message').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.id!));
  const chats = [
    { id: CHAT_ID, title: 'Debounce in TypeScript', updatedAt: Date.now(), messageCount: 4 },
    { id: OTHER_CHAT_ID, title: 'Regex for ISO dates', updatedAt: Date.now() - 3600_000, messageCount: 4 },
  ];

  it('a reply start appends the new messages and streams into the reply', async () => {
    await panel.deliver({
      type: 'replyStarted', chatId: CHAT_ID, requestId: 'r2', keep: 2, title: 'Debounce in TypeScript', chats, pendingAttachments: [],
      append: [user('u2', 'And throttle?'), assistant('a2', '', { status: 'streaming' })],
    });
    await panel.deliver(...streamOf('r2', [{ type: 'start', messageId: 'a2', provider: 'groq', model: 'llama-3.3-70b-versatile' }, text('Throttle '), text('runs at most once.')]));
    await panel.page.locator('article.message[data-id="a2"]').filter({ hasText: 'Throttle runs at most once.' }).waitFor();
    assert.deepEqual(await ids(), ['u1', 'a1', 'u2', 'a2']);
    // Events of another request, and repeated seqs, are still dropped.
    await panel.deliver(...streamOf('r-old', [text(' STALE')], 3), ...streamOf('r2', [text(' DUPLICATE')], 2));
    await panel.deliver(...streamOf('r2', [text(' Done.'), { type: 'finish', reason: 'stop' }], 3));
    await panel.page.locator('article.message[data-id="a2"]').filter({ hasText: 'once. Done.' }).waitFor();
    assert.doesNotMatch((await panel.page.locator('article.message[data-id="a2"]').textContent()) ?? '', /STALE|DUPLICATE/);
  });

  it('an edit or regenerate drops what follows `keep`', async () => {
    await panel.deliver({
      type: 'replyStarted', chatId: CHAT_ID, requestId: 'r3', keep: 0, title: 'Debounce in TypeScript', chats, pendingAttachments: [],
      append: [user('u1b', 'How do I debounce in Python?'), assistant('a1b', '', { status: 'streaming' })],
    });
    await panel.page.locator('article.message[data-id="u1b"]').waitFor();
    assert.deepEqual(await ids(), ['u1b', 'a1b']);
  });

  it('a reply start for another chat is ignored; a chat list update changes only the list', async () => {
    await panel.deliver({
      type: 'replyStarted', chatId: OTHER_CHAT_ID, requestId: 'r4', keep: 0, title: 'x', chats, pendingAttachments: [],
      append: [user('z1', 'not here')],
    });
    await panel.deliver({ type: 'chatList', chats: [...chats, { id: 'chat-9', title: 'A new one elsewhere', updatedAt: Date.now(), messageCount: 2 }] });
    await panel.page.locator('#chats-toggle').click();
    await panel.page.locator('nav#chat-list .chat-name').filter({ hasText: 'A new one elsewhere' }).waitFor();
    assert.deepEqual(await ids(), ['u1', 'a1']);
  });
});
