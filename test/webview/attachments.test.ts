// Attachments: paperclip, drag & drop of Explorer files (URIs to the host), pasted images (size-checked here),
// chips with remove, and the send button disabled when an image goes to a model that cannot see.
import assert from 'node:assert/strict';
import type { AttachmentInfo } from '../../src/protocol';
import { assistant, stateMessage, user, VISION_CAPS } from './fixtures';
import { eachTestPanel, type Panel } from './harness';

const FILE: AttachmentInfo = { id: 'att-1', name: 'hello.ts', source: 'src/hello.ts', kind: 'text', mimeType: 'text/x-typescript', size: 1536 };
const IMAGE: AttachmentInfo = { id: 'att-2', name: 'screenshot.png', source: 'pasted image', kind: 'image', mimeType: 'image/png', size: 2_500_000 };

describe('webview: attachments', function () {
  let panel: Panel;
  eachTestPanel(async (opened) => {
    panel = opened;
    await panel.deliver(stateMessage());
    await panel.clearPosted();
  });

  it('asks the host for a file with the paperclip', async () => {
    await panel.page.getByRole('button', { name: /^Attach files/ }).click();
    assert.deepEqual(await panel.waitForPosted('pickAttachment'), { type: 'pickAttachment', chatId: 'chat-1' });
  });

  it('shows pending attachments as chips with a human size, and removes one with ×', async () => {
    await panel.deliver(stateMessage({ pendingAttachments: [FILE, IMAGE], capabilities: VISION_CAPS }));
    const chips = panel.page.locator('#attachments .attachment-chip');
    assert.equal(await chips.count(), 2);
    assert.deepEqual(await chips.locator('.chip-name').allTextContents(), ['hello.ts', 'screenshot.png']);
    assert.deepEqual(await chips.locator('.chip-size').allTextContents(), ['1.5 KB', '2.4 MB']);
    assert.equal(await chips.first().getAttribute('title'), 'src/hello.ts');
    await panel.page.getByRole('button', { name: 'Remove screenshot.png' }).click();
    assert.deepEqual(await panel.waitForPosted('removeAttachment'), { type: 'removeAttachment', chatId: 'chat-1', attachmentId: 'att-2' });
    await panel.deliver(stateMessage({ pendingAttachments: [] }));
    assert.equal(await panel.page.locator('#attachments').isVisible(), false);
  });

  it('counts the text of pending attachments (and of a message not yet answered) in the context meter; images are not counted', async () => {
    const history = [user('u1', 'Hi'), assistant('a1', 'Hello!', { usage: { inputTokens: 30_000, outputTokens: 2_000 } })];
    const meter = panel.page.locator('#context-meter');
    await panel.deliver(stateMessage({ messages: history }));
    assert.equal(await meter.getAttribute('aria-valuenow'), '32000');
    // 1536 bytes of text: 384 tokens at 4 characters per token; the image adds nothing.
    await panel.deliver(stateMessage({ messages: history, pendingAttachments: [FILE, IMAGE], capabilities: VISION_CAPS }));
    assert.equal(await meter.getAttribute('aria-valuenow'), String(32_000 + 384));
    assert.match((await meter.getAttribute('title')) ?? '', /1 attachment included/);
    await panel.page.locator('textarea#prompt').fill('x'.repeat(400));
    assert.equal(await meter.getAttribute('aria-valuenow'), String(32_000 + 384 + 100));
    // Sent but not answered (the reply failed): still in the next request.
    await panel.page.locator('textarea#prompt').fill('');
    await panel.deliver(stateMessage({ messages: [...history, user('u2', 'x'.repeat(400), { attachments: [FILE] })] }));
    assert.equal(await meter.getAttribute('aria-valuenow'), String(32_000 + 100 + 384));
  });

  it('disables Send with an explanation when the provider has no key, until one is set', async () => {
    const noKey = stateMessage({ config: { provider: 'anthropic', model: 'claude-sonnet-4-5' } });
    await panel.deliver(noKey);
    const send = panel.page.locator('button#send');
    assert.equal(await send.isDisabled(), true);
    assert.match((await panel.page.locator('#send-reason').textContent()) ?? '', /^Anthropic has no API key: set one/);
    await panel.page.locator('textarea#prompt').fill('Hello?');
    await panel.page.locator('textarea#prompt').press('Enter');
    await panel.frames(2);
    assert.deepEqual(await panel.posted('send'), [], 'nothing is sent, so no failed reply is added');
    await panel.deliver({ ...noKey, providers: noKey.providers.map((p) => (p.id === 'anthropic' ? { ...p, keySet: true, keySource: 'secret-storage' as const } : p)) });
    assert.equal(await send.isDisabled(), false);
    await send.click();
    await panel.waitForPosted('send');
  });

  it('disables Send with an explanation when an image goes to a model that cannot see', async () => {
    await panel.deliver(stateMessage({ pendingAttachments: [FILE, IMAGE] }));
    const send = panel.page.locator('button#send');
    assert.equal(await send.isDisabled(), true);
    assert.equal(await panel.page.locator('#send-reason').textContent(), 'llama-3.3-70b-versatile cannot see images');
    assert.equal(await send.getAttribute('title'), 'llama-3.3-70b-versatile cannot see images');
    assert.equal(await send.getAttribute('aria-describedby'), 'send-reason');
    await panel.page.locator('textarea#prompt').fill('What is in this picture?');
    await panel.page.locator('textarea#prompt').press('Enter');
    await panel.frames(2);
    assert.deepEqual(await panel.posted('send'), [], 'Enter does not send either');
    assert.equal(await panel.page.locator('#composer-message').textContent(), 'llama-3.3-70b-versatile cannot see images');

    await panel.deliver(stateMessage({ pendingAttachments: [FILE, IMAGE], capabilities: VISION_CAPS }));
    assert.equal(await send.isDisabled(), false);
    assert.equal(await panel.page.locator('#send-reason').isVisible(), false);
    await send.click();
    await panel.waitForPosted('send');
  });

  for (const type of ['text/uri-list', 'application/vnd.code.uri-list']) {
    it(`attaches files dropped from the Explorer (${type})`, async () => {
      const overlayShown = await panel.page.evaluate((mime) => {
        const app = document.getElementById('app')!;
        const dt = new DataTransfer();
        dt.setData(mime, '# dragged from VS Code\r\nfile:///work/project/src/a.ts\r\nfile:///work/project/README.md\r\n');
        app.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
        const shown = !document.getElementById('drop-overlay')!.hidden;
        app.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        app.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
        return shown;
      }, type);
      assert.equal(overlayShown, true, 'a drop target shows while dragging');
      assert.equal(await panel.page.locator('#drop-overlay').isVisible(), false);
      assert.deepEqual(await panel.waitForPosted('attachUris'), { type: 'attachUris', chatId: 'chat-1', uris: ['file:///work/project/src/a.ts', 'file:///work/project/README.md'] });
    });
  }

  it('attaches a pasted image as base64, and refuses one over 20 MB with a clear message', async () => {
    await panel.page.locator('textarea#prompt').focus();
    await panel.page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], 'shot.png', { type: 'image/png' }));
      document.getElementById('prompt')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    assert.deepEqual(await panel.waitForPosted('attachImage'), { type: 'attachImage', chatId: 'chat-1', name: 'shot.png', mimeType: 'image/png', base64: 'iVBORw0KGgo=' });

    await panel.clearPosted();
    await panel.page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(21 * 1024 * 1024)], 'huge.png', { type: 'image/png' }));
      document.getElementById('prompt')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    const message = panel.page.locator('#composer-message');
    await message.filter({ hasText: 'huge.png' }).waitFor();
    assert.equal(await message.textContent(), '“huge.png” is 21 MB; images can be at most 20 MB.');
    assert.deepEqual(await panel.posted('attachImage'), []);
    // Pasting text still pastes text.
    await panel.page.evaluate(() => {
      const dt = new DataTransfer();
      dt.setData('text/plain', 'just text');
      document.getElementById('prompt')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    assert.deepEqual(await panel.posted('attachImage'), []);
  });

  it('explains that only images can be dropped from outside VS Code', async () => {
    await panel.page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
      document.getElementById('app')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await panel.page.locator('#composer-message').filter({ hasText: 'Only images' }).waitFor();
    assert.deepEqual(await panel.posted('attachUris'), []);
  });
});
