// The incremental protocol: a reply start posts what changed (replyStarted), a change to the chat its small parts and
// only the large parts that changed (update), another chat's change its list entry (chatListChange); the panel
// applies them to the chat it shows and keeps the seq/request-id rules.
import assert from 'node:assert/strict';
import type { HostMessage } from '../../src/protocol';
import { assistant, CHAT_ID, GROQ_CAPS, OTHER_CHAT_ID, PROVIDERS, stateMessage, streamOf, text, user } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

describe('webview: incremental updates', function () {
  let panel: Panel;
  eachTestPanel(async (opened) => {
    panel = opened;
    await panel.deliver(stateMessage({ messages: [user('u1', 'How do I debounce?'), assistant('a1', 'Like this.')] }));
  });

  const ids = () => panel.page.locator('article.message').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.id!));
  const summary = { id: CHAT_ID, title: 'Debounce in TypeScript', updatedAt: Date.now(), messageCount: 4 };
  /** An `update` for the chat shown, its metadata taken from the first state with `meta` patched in. */
  function update(parts: Omit<Partial<Extract<HostMessage, { type: 'update' }>>, 'meta'> & { meta?: object } = {}): HostMessage {
    const { messages: _, ...meta } = stateMessage().chat;
    return { type: 'update', chatId: CHAT_ID, capabilities: GROQ_CAPS, ...parts, meta: { ...meta, title: 'Debounce in TypeScript', ...parts.meta } } as HostMessage;
  }

  it('a reply start appends the new messages and streams into the reply', async () => {
    await panel.deliver({
      type: 'replyStarted', chatId: CHAT_ID, requestId: 'r2', keep: 2, title: 'Debounce in TypeScript', summary, pendingAttachments: [],
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
      type: 'replyStarted', chatId: CHAT_ID, requestId: 'r3', keep: 0, title: 'Debounce in TypeScript', summary, pendingAttachments: [],
      append: [user('u1b', 'How do I debounce in Python?'), assistant('a1b', '', { status: 'streaming' })],
    });
    await panel.page.locator('article.message[data-id="u1b"]').waitFor();
    assert.deepEqual(await ids(), ['u1b', 'a1b']);
  });

  it('a reply start for another chat is ignored; a chat list update changes only the list', async () => {
    await panel.deliver({
      type: 'replyStarted', chatId: OTHER_CHAT_ID, requestId: 'r4', keep: 0, title: 'x', summary: { ...summary, id: OTHER_CHAT_ID }, pendingAttachments: [],
      append: [user('z1', 'not here')],
    });
    await panel.deliver({ type: 'chatListChange', upsert: { id: 'chat-9', title: 'A new one elsewhere', updatedAt: Date.now(), messageCount: 2 } });
    await panel.page.locator('#chats-toggle').click();
    await panel.page.locator('nav#chat-list .chat-name').filter({ hasText: 'A new one elsewhere' }).waitFor();
    assert.deepEqual(await ids(), ['u1', 'a1']);
  });

  it('the list changes one entry at a time: an upsert moves a chat to the top, a remove drops it', async () => {
    await panel.deliver(
      { type: 'chatListChange', upsert: { id: 'chat-3', title: 'Why is my build slow? (renamed)', updatedAt: Date.now() + 1000, messageCount: 12 } },
      { type: 'chatListChange', remove: OTHER_CHAT_ID },
    );
    await panel.page.locator('#chats-toggle').click();
    const names = panel.page.locator('nav#chat-list .chat-name');
    await names.filter({ hasText: '(renamed)' }).waitFor();
    assert.deepEqual(await names.allTextContents(), ['Why is my build slow? (renamed)', 'Debounce in TypeScript']);
  });

  it('a config change updates the controls and the model, and leaves the rendered messages alone', async () => {
    const before = await panel.page.locator('article.message[data-id="a1"]').elementHandle();
    await panel.deliver(update({ meta: { title: 'Renamed here', config: { ...stateMessage().chat.config, model: 'llama-3.1-8b-instant' } } }));
    await panel.page.locator('#chat-title').filter({ hasText: 'Renamed here' }).waitFor();
    assert.equal(await panel.page.locator('#model').inputValue(), 'llama-3.1-8b-instant');
    assert.equal(await before!.evaluate((el) => el.isConnected), true, 'the message element was not rebuilt');
    assert.deepEqual(await ids(), ['u1', 'a1']);
  });

  it('a finished reply replaces the live one and ends the stream; later events of that request are dropped', async () => {
    await panel.deliver({
      type: 'replyStarted', chatId: CHAT_ID, requestId: 'r5', keep: 2, title: 'Debounce in TypeScript', summary, pendingAttachments: [],
      append: [user('u2', 'And throttle?'), assistant('a2', '', { status: 'streaming' })],
    });
    await panel.deliver(...streamOf('r5', [{ type: 'start', messageId: 'a2', provider: 'groq', model: 'llama-3.3-70b-versatile' }, text('Thrott')]));
    await panel.page.locator('#stop').waitFor({ state: 'visible' });
    await panel.deliver(update({ messages: { keep: 3, append: [assistant('a2', 'Throttle, finished.')] } }));
    await panel.page.locator('article.message[data-id="a2"]').filter({ hasText: 'Throttle, finished.' }).waitFor();
    await panel.page.locator('#send').waitFor({ state: 'visible' });
    await panel.deliver(...streamOf('r5', [text(' LATE')], 2));
    assert.deepEqual(await ids(), ['u1', 'a1', 'u2', 'a2']);
    assert.doesNotMatch((await panel.page.locator('article.message[data-id="a2"]').textContent()) ?? '', /LATE/);
  });

  it('a deleted message goes, with nothing else sent again; pending attachments, providers and the UI state come on their own', async () => {
    await panel.deliver(update({ messages: { keep: 0, append: [assistant('a1', 'Like this.')] } }));
    await panel.page.waitForFunction(() => document.querySelectorAll('article.message').length === 1);
    assert.deepEqual(await ids(), ['a1']);
    await panel.deliver(update({ pendingAttachments: [{ id: 'att-1', kind: 'text', name: 'notes.md', source: 'notes.md', mimeType: 'text/markdown', size: 120 }] }));
    await panel.page.locator('#attachments', { hasText: 'notes.md' }).waitFor();
    await panel.deliver(update({ providers: PROVIDERS.map((p) => (p.id === 'groq' ? { ...p, label: 'Groq (relisted)' } : p)) }));
    await panel.page.locator('#provider option', { hasText: 'Groq (relisted)' }).waitFor({ state: 'attached' });
    await panel.deliver(update({ ui: { showControls: true } }));
    await panel.page.locator('#toggle-controls[aria-expanded="true"]').waitFor();
  });
});
