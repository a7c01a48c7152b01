// Item 7: attachments the host must refuse, each with a specific message, and nothing may hang: a 50 MB file,
// binary files, a file that is gone by the time it is read, files outside the workspace reached by crafted
// messages (absolute paths, file: URIs, traversal, symlinks), special files. Also: a file that disappears after
// it was attached still goes out as attached, because its contents were read at attach time.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chatStream } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { spyOnFs } from './fsSpy';
import { hostileWorkspace, makeRig, tempDir, within, type RecordingClient, type Rig } from './helpers';

describe('hardening: attachments that must be refused', function () {
  this.timeout(60_000);
  const server = new FakeServer('groq');
  const outside = tempDir('outside');
  let rig: Rig;
  let client: RecordingClient;
  let picks: string[] = [];
  const refused: string[] = [];

  before(async () => {
    await server.start();
    server.route(/models$/, () => ({ kind: 'json', body: { object: 'list', data: [] } }));
    rig = makeRig({ pickWorkspaceFiles: async () => picks });
    rig.urls.groq = server.url;
    await rig.keys.set('groq', 'gsk_attach_key_0123456789');
    const ws = rig.workspace.path;
    hostileWorkspace(ws, outside.path);
    writeFileSync(join(ws, 'disguised.txt'), Buffer.concat([Buffer.from('looks like text'), Buffer.from([0, 0, 0, 0xff, 0xfe])]));
    writeFileSync(join(ws, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe, 0xfd]));
    mkdirSync(join(ws, 'folder'));
    client = await rig.client();
    await rig.service.handle(client, { type: 'setConfig', chatId: client.chatId!, patch: { provider: 'groq', model: 'llama-3.3-70b-versatile' } });
  });
  after(async () => {
    console.log(`\n    Attachments: ${refused.length} refused, each with a specific message, none took longer than 10 s:\n${refused.map((r) => `      - ${r}`).join('\n')}\n`);
    rig.dispose();
    outside.remove();
    await server.stop();
  });

  /** Attaches through a crafted webview message; returns the notice it produced (bounded in time). */
  async function attach(uris: string[]): Promise<{ notice: string; touches: ReturnType<typeof spyOnFs>['touches']; outsideTouches: string[] }> {
    const from = client.messages.length;
    const spy = spyOnFs();
    try {
      await within(10_000, rig.service.handle(client, { type: 'attachUris', chatId: client.chatId!, uris }), `attaching ${uris.join(', ')}`);
    } finally {
      spy.restore();
    }
    const notices = client.messages.slice(from).flatMap((m) => (m.type === 'notice' ? [m.text] : []));
    assert.ok(notices.length <= 1);
    return { notice: notices[0] ?? '', touches: spy.touches, outsideTouches: spy.outside([rig.workspace.path, rig.history.path]).map((t) => `${t.op} ${t.path}`) };
  }

  const CASES: Array<{ name: string; uris: (ws: string) => string[]; message: RegExp }> = [
    { name: 'a 50 MB file', uris: (ws) => [join(ws, 'huge.log')], message: /^huge\.log is 50\.0 MB; the limit is 1\.0 MB \(setting parley\.attachments\.maxBytes\)\.$/ },
    { name: 'an executable', uris: (ws) => [join(ws, 'program.bin')], message: /^program\.bin is a binary file; only text files and images can be attached\.$/ },
    { name: 'binary content in a .txt', uris: (ws) => [join(ws, 'disguised.txt')], message: /^disguised\.txt is a binary file/ },
    { name: 'text that is not UTF-8', uris: (ws) => [join(ws, 'latin1.txt')], message: /^latin1\.txt is a binary file/ },
    { name: 'a folder', uris: (ws) => [join(ws, 'folder')], message: /^folder is not a file\.$/ },
    { name: 'a named pipe (would block a read)', uris: (ws) => [join(ws, 'pipe.txt')], message: /^pipe\.txt is not a file\.$/ },
    { name: 'a file that does not exist', uris: (ws) => [join(ws, 'gone.txt')], message: /^gone\.txt no longer exists\.$/ },
    { name: 'an absolute path outside', uris: () => ['/etc/passwd'], message: /^passwd is outside the workspace; Parley only reads files in the open workspace folders\.$/ },
    { name: 'a path outside that does not exist (no existence oracle)', uris: () => ['/etc/no-such-file-parley'], message: /^no-such-file-parley is outside the workspace/ },
    { name: 'a file: URI outside', uris: () => ['file:///etc/hostname'], message: /^hostname is outside the workspace/ },
    { name: 'traversal out of the workspace', uris: (ws) => [`${ws}/../../../../etc/passwd`], message: /^passwd is outside the workspace/ },
    { name: 'traversal in a file: URI', uris: (ws) => [`${pathToFileURL(ws).href}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd`], message: /^passwd is outside the workspace/ },
    { name: 'a sibling folder sharing the prefix', uris: (ws) => [`${ws}-evil/secret.txt`], message: /^secret\.txt is outside the workspace/ },
    { name: 'a symlink to a file outside', uris: (ws) => [join(ws, 'innocent.txt')], message: /^innocent\.txt is outside the workspace/ },
    { name: 'a path through a symlinked folder outside', uris: (ws) => [join(ws, 'linked-dir', 'secret.txt')], message: /^secret\.txt is outside the workspace/ },
    { name: 'a symlink to /dev/zero', uris: (ws) => [join(ws, 'zeros.txt')], message: /^zeros\.txt is outside the workspace/ },
    { name: 'a symlink loop', uris: (ws) => [join(ws, 'loop-a')], message: /^loop-a cannot be read \(ELOOP\)\.$/ },
    { name: 'a relative path', uris: () => ['../../etc/passwd'], message: /^Only files from the workspace can be attached\.$/ },
    { name: 'another scheme', uris: () => ['vscode-remote://ssh-remote+evil/etc/passwd'], message: /^Only files from the workspace can be attached \(got a vscode-remote: address\)\.$/ },
    { name: 'a UNC file: URI', uris: () => ['file://evil.example/share/secret.txt'], message: /^Could not read file:\/\/evil\.example\/share\/secret\.txt: .*host/i },
    { name: 'a NUL byte in the path', uris: (ws) => [`${ws}/notes.md\u0000.png`], message: /cannot be read|Could not read/ },
  ];

  for (const c of CASES) {
    it(`${c.name} → refused with a specific message`, async () => {
      const pending = client.state.pendingAttachments.length;
      const { notice, touches, outsideTouches } = await attach(c.uris(rig.workspace.path));
      assert.match(notice, c.message);
      assert.equal(client.state.pendingAttachments.length, pending, 'nothing was attached');
      assert.deepEqual(outsideTouches, [], 'the host touched paths outside the workspace');
      assert.ok(!touches.some((t) => t.op === 'readFile' && /huge\.log|pipe\.txt|zeros\.txt|secret\.txt|passwd/.test(t.path)), 'read a file it refused');
      assert.ok(!notice.includes('TOP SECRET'));
      refused.push(`${c.name}: ${JSON.stringify(notice)}`);
    });
  }

  it('a mix of good and bad files: the good ones are attached, each bad one named in one notice', async () => {
    const ws = rig.workspace.path;
    const { notice } = await attach([join(ws, 'notes.md'), '/etc/passwd', join(ws, 'program.bin')]);
    assert.equal(notice, 'passwd is outside the workspace; Parley only reads files in the open workspace folders. program.bin is a binary file; only text files and images can be attached.');
    assert.deepEqual(client.state.pendingAttachments.map((a) => a.source), ['notes.md']);
    await rig.service.handle(client, { type: 'removeAttachment', chatId: client.chatId!, attachmentId: client.state.pendingAttachments[0].id });
    assert.equal(client.state.pendingAttachments.length, 0);
  });

  it('files picked in the dialog get the same checks (a pick that vanished before it was read is refused)', async () => {
    const ws = rig.workspace.path;
    writeFileSync(join(ws, 'vanishing.txt'), 'here a moment');
    picks = [join(ws, 'vanishing.txt'), join(ws, 'innocent.txt')];
    unlinkSync(join(ws, 'vanishing.txt'));
    const from = client.messages.length;
    await within(10_000, rig.service.handle(client, { type: 'pickAttachment', chatId: client.chatId! }), 'pick');
    const notice = client.messages.slice(from).find((m) => m.type === 'notice');
    assert.equal(notice?.type === 'notice' && notice.text, 'vanishing.txt no longer exists. innocent.txt is outside the workspace; Parley only reads files in the open workspace folders.');
    assert.equal(client.state.pendingAttachments.length, 0);
    refused.push(`picked, then deleted before it was read: "vanishing.txt no longer exists."`);
  });

  it('a file deleted after it was attached still goes with the message: it was read when attached, and is kept with the chat', async () => {
    const ws = rig.workspace.path;
    writeFileSync(join(ws, 'snapshot.ts'), 'export const snapshot = "as attached";\n');
    await attach([join(ws, 'snapshot.ts')]);
    assert.deepEqual(client.state.pendingAttachments.map((a) => a.source), ['snapshot.ts']);
    rmSync(join(ws, 'snapshot.ts'));
    server.enqueue(chatStream(['Seen.']), chatStream(['Still seen.']));
    await rig.service.handle(client, { type: 'send', chatId: client.chatId!, text: 'what does it export?' });
    await within(10_000, rig.service.idle(client.chatId!), 'reply');
    const sent = server.last.body.messages.at(-1).content as string;
    assert.match(sent, /^snapshot\.ts:\n```ts\nexport const snapshot = "as attached";\n/);
    assert.equal(client.state.chat.messages.at(-1)!.status, 'done');
    // The next request still carries it, from the history store, not from the (deleted) file.
    await rig.service.handle(client, { type: 'send', chatId: client.chatId!, text: 'and again?' });
    await within(10_000, rig.service.idle(client.chatId!), 'reply');
    assert.match(JSON.stringify(server.last.body.messages), /as attached/);
  });

  it('pasted images: wrong type, bad base64 and over the size limit are refused; a crafted name cannot escape', async () => {
    const cases: Array<[string, { name: string; mimeType: string; base64: string }, RegExp]> = [
      ['an SVG', { name: 'x.svg', mimeType: 'image/svg+xml', base64: Buffer.from('<svg onload=alert(1)>').toString('base64') }, /^Pasted data of type image\/svg\+xml is not an image Parley can send/],
      ['HTML posing as an image', { name: 'x.png', mimeType: 'text/html', base64: 'PGgxPg==' }, /^Pasted data of type text\/html/],
      ['invalid base64', { name: 'x.png', mimeType: 'image/png', base64: 'not base64!' }, /^The pasted image data is not valid base64\.$/],
      ['2 MB', { name: 'big.png', mimeType: 'image/png', base64: 'A'.repeat(2.8 * 1024 * 1024) }, /^The pasted image is 2\.1 MB; the limit is 1\.0 MB\.$/],
    ];
    for (const [name, image, message] of cases) {
      const from = client.messages.length;
      await within(10_000, rig.service.handle(client, { type: 'attachImage', chatId: client.chatId!, ...image }), name);
      const notice = client.messages.slice(from).find((m) => m.type === 'notice');
      assert.match(notice?.type === 'notice' ? notice.text : '(no notice)', message, name);
      refused.push(`pasted ${name}: ${JSON.stringify(notice?.type === 'notice' ? notice.text : '')}`);
    }
    await rig.service.handle(client, { type: 'attachImage', chatId: client.chatId!, name: '../../../etc/cron.d/x', mimeType: 'image/png', base64: 'iVBORw0KGgo=' });
    const pasted = client.state.pendingAttachments.at(-1)!;
    assert.equal(pasted.name, '.._.._.._etc_cron.d_x');
    assert.equal(pasted.source, 'pasted image');
    await rig.service.handle(client, { type: 'removeAttachment', chatId: client.chatId!, attachmentId: pasted.id });
  });
});
