// The panel before its first state: text typed (and sent) while the host is still creating the chat is kept.
import assert from 'node:assert/strict';
import { stateMessage } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

describe('webview: before the first state', function () {
  let panel: Panel;
  eachTestPanel((opened) => {
    panel = opened;
  });

  it('a message typed and sent while the chat loads is kept, then sent once the chat is there', async () => {
    const prompt = panel.page.locator('textarea#prompt');
    await prompt.fill('Typed before the chat loaded');
    await prompt.press('Enter');
    assert.equal((await panel.posted('send')).length, 0, 'nothing can be sent before there is a chat');
    assert.equal(await prompt.inputValue(), 'Typed before the chat loaded', 'the text stays');
    assert.match((await panel.page.locator('#composer-message').textContent())!, /goes as soon as it is ready/);
    await panel.deliver(stateMessage());
    assert.deepEqual(await panel.waitForPosted('send'), { type: 'send', chatId: 'chat-1', text: 'Typed before the chat loaded' });
    assert.equal(await prompt.inputValue(), '');
  });

  it('text typed while the chat loads survives the first state', async () => {
    const prompt = panel.page.locator('textarea#prompt');
    await prompt.fill('still typing');
    await panel.deliver(stateMessage());
    assert.equal(await prompt.inputValue(), 'still typing');
    assert.equal((await panel.posted('send')).length, 0);
  });
});
