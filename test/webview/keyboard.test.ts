// The panel from the keyboard alone: Tab order (input → Send/Stop → the rest of the panel, never out of it), F6 /
// Shift+F6 between the regions, the conversation as one Tab stop with arrows between messages (rendering the
// target first in a long, virtualized chat) and through a message's controls, Enter to edit your own message, and
// a waiting tool approval reached at once.
import assert from 'node:assert/strict';
import type { StreamEvent } from '../../src/protocol';
import { assistant, CODE_REPLY, stateMessage, streamOf, text, user } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

const CHAT = [user('u1', 'Write a debounce'), assistant('a1', CODE_REPLY), user('u2', 'Thanks. Shorter?'), assistant('a2', 'Use `lodash.debounce`.')];

describe('webview: keyboard', function () {
  let panel: Panel;
  eachTestPanel(async (opened) => {
    panel = opened;
  });

  const press = (key: string) => panel.page.keyboard.press(key);
  /** What has the focus: an id, a message (`msg:id`), or the first words of a control's label. */
  const focused = () =>
    panel.page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return 'body';
      if (el.matches('article.message')) return `msg:${el.dataset.id}`;
      return el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30)}`;
    });

  it('Tab goes from the input to Send, then on through the panel and around, never out of it', async () => {
    await panel.deliver(stateMessage({ messages: CHAT }));
    await panel.page.locator('#prompt').focus();
    await panel.page.keyboard.type('hello');
    await press('Tab');
    assert.equal(await focused(), '#send');
    const seen: string[] = [];
    for (let i = 0; i < 40 && !seen.includes('#prompt'); i++) {
      await press('Tab');
      const now = await focused();
      assert.notEqual(now, 'body', `Tab left the panel after ${seen.join(' → ')}`);
      seen.push(now);
    }
    assert.ok(seen.includes('#chats-toggle'), `wrapped to the top: ${seen.join(' → ')}`);
    assert.ok(seen.includes('#provider') && seen.includes('#model'), seen.join(' → '));
    // The conversation is one stop: the latest message, none of the messages' buttons.
    assert.deepEqual(seen.filter((s) => s.startsWith('msg:')), ['msg:a2'], seen.join(' → '));
    assert.ok(!seen.some((s) => /Copy|Delete|Edit/.test(s)), seen.join(' → '));
    // And backwards: Shift+Tab from the top wraps to the end of the panel.
    await panel.page.locator('#chats-toggle').focus();
    await press('Shift+Tab');
    assert.notEqual(await focused(), 'body');
  });

  it('Shift+Tab from the input reaches the conversation in one step, and provider and model soon after', async () => {
    await panel.deliver(stateMessage({ messages: CHAT }));
    await panel.page.locator('#prompt').focus();
    await press('Shift+Tab');
    assert.equal(await focused(), 'msg:a2');
    const path: string[] = [];
    for (let i = 0; i < 8 && !path.includes('#model'); i++) {
      await press('Shift+Tab');
      path.push(await focused());
    }
    assert.ok(path.includes('#model'), `model within 8 steps: ${path.join(' → ')}`);
  });

  it('while streaming, Tab goes from the input to Stop; Enter there stops, and the focus moves on to Send', async () => {
    const messages = [user('u1', 'Hi'), assistant('a1', '', { status: 'streaming' })];
    await panel.deliver(stateMessage({ messages, activeRequest: 'r1' }));
    await panel.page.locator('#prompt').focus();
    await press('Tab');
    assert.equal(await focused(), '#stop');
    await press('Enter');
    await panel.waitForPosted('stop');
    await panel.deliver(stateMessage({ messages: [messages[0], assistant('a1', 'Hel', { status: 'stopped' })] }));
    assert.equal(await focused(), '#send', 'not lost with the hidden Stop button');
  });

  it('F6 and Shift+F6 move between the regions, open ones included', async () => {
    await panel.deliver(stateMessage({ messages: CHAT, showControls: true }));
    await panel.page.locator('#prompt').focus();
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      await press('F6');
      order.push(await focused());
    }
    assert.deepEqual(order.slice(0, 2), ['#chats-toggle', '#provider']);
    assert.equal(await panel.page.evaluate(() => document.getElementById('controls')!.contains(document.activeElement)), false);
    assert.ok(order[2] !== '#provider' && order[2] !== 'msg:a2', `the controls: ${order[2]}`);
    assert.deepEqual(order.slice(3, 5), ['msg:a2', '#prompt']);
    await press('Shift+F6');
    assert.equal(await focused(), 'msg:a2');
    await press('Shift+F6');
    await press('Shift+F6');
    assert.equal(await focused(), '#provider');
  });

  it('arrows move between messages and through one message\'s controls; Enter edits your message', async () => {
    await panel.deliver(stateMessage({ messages: CHAT }));
    const hint = await panel.page.locator('article.message[data-id="a2"]').getAttribute('aria-describedby');
    assert.match((await panel.page.locator(`#${hint}`).textContent()) ?? '', /Up and Down arrows/);
    await panel.page.locator('#prompt').focus();
    await press('Shift+Tab');
    await press('ArrowUp');
    assert.equal(await focused(), 'msg:u2');
    await press('Home');
    assert.equal(await focused(), 'msg:u1');
    await press('ArrowDown');
    assert.equal(await focused(), 'msg:a1');
    // Left/Right: the reply's buttons, then its code block's buttons and the code itself, and back.
    const controls: string[] = [];
    for (let i = 0; i < 12 && !controls.at(-1)?.startsWith('pre:'); i++) {
      await press('ArrowRight');
      controls.push(await focused());
    }
    assert.deepEqual(controls.slice(0, 2), ['button:Copy reply', 'button:Delete message']);
    assert.ok(controls.slice(2, -1).every((c) => c.startsWith('button:')), controls.join(', '));
    assert.match(controls.at(-1) ?? '', /^pre:export function debounce/, controls.join(', '));
    for (let i = 0; i < controls.length; i++) await press('ArrowLeft');
    assert.equal(await focused(), 'msg:a1');
    // Tab order follows the focus: Tab from the input's side comes back to this message.
    assert.deepEqual(await panel.page.evaluate(() => [...document.querySelectorAll('#log [tabindex="0"]')].map((el) => (el as HTMLElement).dataset.id)), ['a1']);
    await press('End');
    await press('ArrowUp');
    assert.equal(await focused(), 'msg:u2');
    await press('Enter');
    assert.equal(await focused(), 'textarea:Edit message');
    await panel.page.keyboard.type(' Much shorter.');
    await press('Enter');
    const sent = await panel.waitForPosted('editResend');
    assert.deepEqual([sent.messageId, sent.text], ['u2', 'Thanks. Shorter? Much shorter.']);
  });

  it('Home and End reach messages the long, virtualized log has not rendered', async () => {
    const messages = Array.from({ length: 300 }, (_, i) => (i % 2 ? assistant(`a${i}`, `Reply ${i}\n\n${'text '.repeat(40)}`) : user(`u${i}`, `Question ${i}`)));
    await panel.deliver(stateMessage({ messages }));
    assert.equal(await panel.page.locator('article.message[data-id="u0"]').count(), 0, 'the first message is not rendered');
    await panel.page.locator('#prompt').focus();
    await press('Shift+Tab');
    assert.equal(await focused(), 'msg:a299');
    await press('Home');
    assert.equal(await focused(), 'msg:u0');
    await press('ArrowDown');
    assert.equal(await focused(), 'msg:a1');
    await press('End');
    assert.equal(await focused(), 'msg:a299');
  });

  it('a waiting approval takes the focus unless the user is typing, and Shift+F6 from the input reaches it', async () => {
    const start: StreamEvent = { type: 'start', messageId: 'a3', provider: 'groq', model: 'llama-3.3-70b-versatile' };
    const ask = (seq: number, id: string) => streamOf('r1', [
      { type: 'tool-call', id, name: 'write_file', step: 1, textOffset: 0 },
      { type: 'tool-args', id, text: '{"path":"a.txt","text":"hi"}' },
      { type: 'tool-update', id, update: { status: 'approval' } },
    ], seq);
    await panel.deliver(stateMessage({ messages: [...CHAT, user('u3', 'Write a.txt'), assistant('a3', '', { status: 'streaming' })], activeRequest: 'r1' }));
    await panel.page.locator('#prompt').focus();
    await panel.deliver(...streamOf('r1', [start, text('Writing it.')]), ...ask(2, 'call_1'));
    assert.equal(await focused(), '#prompt', 'the input keeps the focus');
    await press('Shift+F6');
    assert.equal(await focused(), 'button:Allow once');
    await press('ArrowRight');
    assert.equal(await focused(), 'button:Allow for this chat');
    // Focus in the conversation: the next question takes it.
    await press('ArrowUp');
    assert.equal(await focused(), 'msg:u3');
    await panel.deliver(...streamOf('r1', [{ type: 'tool-update', id: 'call_1', update: { status: 'done', result: 'ok' } }], 5), ...ask(6, 'call_2'));
    assert.equal(await focused(), 'button:Allow once');
    await press('Enter');
    const answer = await panel.waitForPosted('approveTool');
    assert.deepEqual([answer.callId, answer.decision], ['call_2', 'once']);
  });
});
