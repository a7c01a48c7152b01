import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { foldIntoText, pastedImage, readWorkspaceFile, selectionAttachment, DEFAULT_ALLOWED_TYPES, type AttachmentPolicy } from '../../src/host/attachments';
import { MAX_IMAGE_BYTES } from '../../src/protocol';
import { ParleyError } from '../../src/providers/errors';
import { tempDir } from './helpers';

describe('attachments (real files, workspace boundary, limits)', () => {
  let ws: ReturnType<typeof tempDir>;
  let outside: ReturnType<typeof tempDir>;
  let policy: AttachmentPolicy;

  before(() => {
    ws = tempDir('ws');
    outside = tempDir('outside');
    mkdirSync(join(ws.path, 'src'));
    writeFileSync(join(ws.path, 'src', 'hello.ts'), 'export const hello = () => "hi";\n');
    writeFileSync(join(ws.path, 'notes.md'), '# Notes\n');
    writeFileSync(join(ws.path, 'big.txt'), 'x'.repeat(2048));
    writeFileSync(join(ws.path, 'blob.bin'), Buffer.from([0, 1, 2, 3, 0, 255]));
    writeFileSync(join(ws.path, 'data.txt'), Buffer.from([0x89, 0x50, 0x00, 0x47]));
    writeFileSync(join(ws.path, 'pixel.png'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    writeFileSync(join(outside.path, 'secret.txt'), 'TOP SECRET');
    symlinkSync(join(outside.path, 'secret.txt'), join(ws.path, 'link-to-secret.txt'));
    policy = { roots: [ws.path], allowedTypes: DEFAULT_ALLOWED_TYPES, maxBytes: 1024 };
  });
  after(() => {
    ws.remove();
    outside.remove();
  });

  async function refusal(path: string, p = policy): Promise<string> {
    try {
      await readWorkspaceFile(path, p);
    } catch (err) {
      assert.ok(err instanceof ParleyError, `expected a ParleyError, got ${err}`);
      assert.equal(err.kind, 'attachment');
      return err.message;
    }
    assert.fail(`${path} was read but should have been refused`);
  }

  it('reads a text file by path or file: URI, with its workspace-relative path', async () => {
    const byPath = await readWorkspaceFile(join(ws.path, 'src', 'hello.ts'), policy);
    assert.equal(byPath.kind, 'text');
    assert.equal(byPath.source, 'src/hello.ts');
    assert.equal(byPath.text, 'export const hello = () => "hi";\n');
    const byUri = await readWorkspaceFile(pathToFileURL(join(ws.path, 'notes.md')).href, policy);
    assert.equal(byUri.source, 'notes.md');
    assert.equal(byUri.mimeType, 'text/markdown');
  });

  it('reads an image as base64', async () => {
    const image = await readWorkspaceFile(join(ws.path, 'pixel.png'), policy);
    assert.equal(image.kind, 'image');
    assert.equal(image.mimeType, 'image/png');
    assert.equal(Buffer.from(image.base64!, 'base64').toString('hex'), '89504e470d0a1a0a0000000d49484452');
  });

  it('refuses files outside the workspace, traversal, symlinks out, and non-file URIs', async () => {
    assert.match(await refusal(join(outside.path, 'secret.txt')), /outside the workspace/);
    assert.match(await refusal(join(ws.path, '..', '..', 'etc', 'passwd')), /outside the workspace|no longer exists/);
    assert.match(await refusal('/etc/passwd'), /outside the workspace/);
    assert.match(await refusal(join(ws.path, 'link-to-secret.txt')), /outside the workspace/);
    assert.match(await refusal('../../etc/passwd'), /Only files from the workspace/);
    assert.match(await refusal('https://example.com/x.txt'), /Only files from the workspace/);
    assert.match(await refusal('vscode-remote://host/etc/passwd'), /Only files from the workspace/);
  });

  it('refuses oversized, binary, missing and disallowed files with specific messages', async () => {
    assert.match(await refusal(join(ws.path, 'big.txt')), /2\.0 KB; the limit is 1\.0 KB/);
    assert.match(await refusal(join(ws.path, 'blob.bin')), /binary file/);
    assert.match(await refusal(join(ws.path, 'data.txt')), /binary file/);
    assert.match(await refusal(join(ws.path, 'gone.txt')), /no longer exists/);
    assert.match(await refusal(join(ws.path, 'pixel.png'), { ...policy, allowedTypes: ['text/*'] }), /image\/png, which is not an allowed attachment type/);
    assert.match(await refusal(join(ws.path, 'src')), /not a file/);
  });

  it('pasted images are checked for type, encoding and size', () => {
    assert.equal(pastedImage('shot.png', 'image/png', 'iVBORw0KGgo=', policy).kind, 'image');
    assert.throws(() => pastedImage('x.svg', 'image/svg+xml', 'PHN2Zz4=', policy), /not an image Parley can send/);
    assert.throws(() => pastedImage('x.png', 'image/png', '<script>', policy), /not valid base64/);
    assert.throws(() => pastedImage('x.png', 'image/png', 'A'.repeat(4000), policy), /limit is 1\.0 KB/);
    // A larger parley.attachments.maxBytes does not raise the limit the panel and the protocol share.
    const tooBig = 'A'.repeat(Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 4);
    assert.throws(() => pastedImage('x.png', 'image/png', tooBig, { ...policy, maxBytes: 100 * MAX_IMAGE_BYTES }), /limit is 20\.0 MB\.$/);
  });

  it('text attachments are folded into the message as fenced blocks headed by their path', () => {
    const text = foldIntoText('What does it do?', [
      { id: 'a', name: 'hello.ts', source: 'src/hello.ts', kind: 'text', mimeType: 'text/plain', size: 10, text: 'const a = 1;' },
      { id: 'b', name: 'x.md', source: 'x.md', kind: 'text', mimeType: 'text/markdown', size: 10, text: '```js\ncode\n```' },
    ]);
    assert.equal(text, 'src/hello.ts:\n```ts\nconst a = 1;\n```\n\nx.md:\n````md\n```js\ncode\n```\n````\n\nWhat does it do?');
  });

  it('a selection is named by its file and lines, and reaches the model headed by its path and lines', () => {
    const pick = (start: number, end: number, endChar: number) => selectionAttachment('src/hello.ts', { line: start }, { line: end, character: endChar }, 'const a = 1;', 1000);
    const a = pick(11, 29, 4);
    assert.deepEqual([a.name, a.source, a.text], ['hello.ts:12-30', 'src/hello.ts:12-30', 'const a = 1;']);
    // Selected whole lines end at the start of the next one, which is not part of the selection.
    assert.equal(pick(11, 30, 0).name, 'hello.ts:12-30');
    assert.equal(pick(4, 4, 9).name, 'hello.ts:5');
    assert.equal(pick(4, 5, 0).name, 'hello.ts:5');
    assert.match(foldIntoText('Why?', [a]), /^src\/hello\.ts:12-30:\n```ts\n/);
    assert.throws(() => selectionAttachment('big.ts', { line: 0 }, { line: 1, character: 3 }, 'x'.repeat(2000), 1000), (e: Error) => e instanceof ParleyError && e.message === 'big.ts:1-2 is 2.0 KB; the limit is 1000 B.');
  });
});
