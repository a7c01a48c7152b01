// The workspace boundary, seen from the tools: a model (a Groq-format server) calls read_file, list_files and
// search_text with every path and glob an attacker would try. Each call must come back as a result the model can
// read, nothing outside the workspace may be touched, nothing excluded or ignored may be read, nothing written.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chatStream, toolCallChunks } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { spyOnFs } from './fsSpy';
import { hostileWorkspace, makeRig, tempDir, within, type RecordingClient, type Rig } from './helpers';

describe('hardening: tool calls at the workspace boundary', function () {
  this.timeout(60_000);
  const server = new FakeServer('groq');
  const outside = tempDir('tool-outside');
  let rig: Rig;
  let client: RecordingClient;

  before(async () => {
    await server.start();
    server.route(/models$/, () => ({ kind: 'json', body: { object: 'list', data: [{ id: 'openai/gpt-oss-120b', object: 'model', active: true, context_window: 131072 }] } }));
    rig = makeRig();
    rig.urls.groq = server.url;
    await rig.keys.set('groq', 'gsk_tool_key_0123456789');
    const ws = rig.workspace.path;
    hostileWorkspace(ws, outside.path);
    mkdirSync(join(ws, '.git'));
    writeFileSync(join(ws, '.git', 'config'), '[remote "origin"]\n  url = https://token:SECRET-IN-GIT@example.com/x.git\n');
    writeFileSync(join(ws, '.gitignore'), 'ignored/\n');
    mkdirSync(join(ws, 'ignored'));
    writeFileSync(join(ws, 'ignored', 'env.txt'), 'IGNORED SECRET\n');
    mkdirSync(join(ws, 'secret-excluded'));
    writeFileSync(join(ws, 'secret-excluded', 'key.txt'), 'EXCLUDED SECRET\n');
    client = await rig.client();
    await rig.service.handle(client, { type: 'setConfig', chatId: client.chatId!, patch: { provider: 'groq', model: 'openai/gpt-oss-120b' } });
  });
  after(async () => {
    rig.dispose();
    outside.remove();
    await server.stop();
  });

  /** One reply in which the model calls `name` once per argument object; returns each result the model got back. */
  async function callAll(name: string, args: Array<Record<string, unknown>>): Promise<{ results: string[]; outsideTouches: string[]; writes: string[] }> {
    server.reset();
    server.route(/models$/, () => ({ kind: 'json', body: { object: 'list', data: [] } }));
    const calls = args.map((a, i) => ({ id: `call_${name}_${i}`, name, pieces: [JSON.stringify(a)] }));
    server.enqueue({ kind: 'sse', frames: toolCallChunks(calls) }, chatStream(['ok']));
    const spy = spyOnFs();
    try {
      await rig.service.handle(client, { type: 'send', chatId: client.chatId!, text: `call ${name}` });
      await within(30_000, rig.service.idle(client.chatId!), `the ${name} calls`);
    } finally {
      spy.restore();
    }
    const messages = server.requests[1]?.body.messages ?? [];
    const results = messages.filter((m: { role: string }) => m.role === 'tool').slice(-args.length).map((m: { content: string }) => m.content);
    assert.equal(results.length, args.length, 'every call got a result');
    const writes = spy.touches.filter((t) => /write|append|rename|rm|unlink|mkdir|copy|truncate|symlink|link|chmod|utimes/i.test(t.op) && !t.path.startsWith(rig.history.path)).map((t) => `${t.op} ${t.path}`);
    return { results, outsideTouches: spy.outside([rig.workspace.path, rig.history.path]).map((t) => `${t.op} ${t.path}`), writes };
  }

  const SECRETS = /TOP SECRET|IGNORED SECRET|EXCLUDED SECRET|SECRET-IN-GIT|root:x:0/;

  it('read_file refuses every path outside, inside .git, excluded, special or too large, each with a reason', async () => {
    const ws = rig.workspace.path;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ path: '/etc/passwd' }, /outside the workspace/],
      [{ path: '../../../../etc/passwd' }, /outside the workspace/],
      [{ path: `${ws}/../../etc/passwd` }, /outside the workspace/],
      [{ path: `${ws}-evil/secret.txt` }, /outside the workspace/],
      [{ path: 'innocent.txt' }, /outside the workspace/],
      [{ path: 'linked-dir/secret.txt' }, /outside the workspace/],
      [{ path: 'zeros.txt' }, /outside the workspace/],
      [{ path: 'loop-a' }, /ELOOP|cannot be read/],
      [{ path: '.git/config' }, /\.git/],
      [{ path: 'secret-excluded/key.txt' }, /files\.exclude|excluded/],
      [{ path: 'pipe.txt' }, /not a file|not a regular file|cannot be read/],
      [{ path: 'program.bin' }, /binary/],
      [{ path: 'huge.log' }, /too large to read whole/],
      [{ path: 'notes.md\u0000.png' }, /NUL character/],
      [{ path: 'file:///etc/passwd' }, /is a URI; give a path relative to the workspace/],
      [{ path: '~/.ssh/id_rsa' }, /no longer exists|does not exist|not found/],
      [{ path: '' }, /schema|empty/],
    ];
    const { results, outsideTouches, writes } = await callAll('read_file', cases.map(([a]) => a));
    cases.forEach(([args, reason], i) => {
      assert.match(results[i], /^Error: /, `${JSON.stringify(args)} → ${results[i]}`);
      assert.match(results[i], reason, `${JSON.stringify(args)} → ${results[i]}`);
      assert.doesNotMatch(results[i], SECRETS);
    });
    assert.deepEqual(outsideTouches, []);
    assert.deepEqual(writes, []);
    assert.deepEqual(client.state.chat.messages.at(-1)!.toolCalls!.map((c) => c.status), cases.map(() => 'failed'));
  });

  it('propose_edit refuses every target outside, in .git, special, binary or through a symlink, before anything is shown or written', async () => {
    const ws = rig.workspace.path;
    const targets: Array<[Record<string, unknown>, RegExp]> = [
      [{ path: '/etc/passwd', content: 'x' }, /outside the workspace/],
      [{ path: '../../../../tmp/evil.sh', content: 'x' }, /leaves the workspace|outside the workspace/],
      [{ path: `${ws}-evil/x.ts`, content: 'x' }, /outside the workspace/],
      [{ path: 'innocent.txt', content: 'x' }, /outside the workspace/],
      [{ path: 'linked-dir/secret.txt', edits: [{ oldText: 'TOP', newText: 'x' }] }, /outside the workspace/],
      [{ path: 'linked-dir/new.txt', content: 'x' }, /outside the workspace/],
      [{ path: '.git/config', content: 'x' }, /\.git/],
      [{ path: '.git/hooks/post-checkout', content: '#!/bin/sh' }, /\.git/],
      [{ path: 'zeros.txt', content: 'x' }, /outside the workspace/],
      [{ path: 'pipe.txt', content: 'x' }, /not a regular file/],
      [{ path: 'program.bin', content: 'x' }, /binary/],
      [{ path: 'huge.log', edits: [{ oldText: 'a', newText: 'b' }] }, /up to 2 MB|KB/],
      [{ path: 'notes.md', edits: [{ oldText: 'not there', newText: 'x' }] }, /does not occur/],
      [{ path: 'notes.md', content: 'x', edits: [{ oldText: 'hello', newText: 'x' }] }, /either edits or content/],
      [{ path: 'file:///etc/passwd', content: 'x' }, /is a URI/],
    ];
    const { results, outsideTouches, writes } = await callAll('propose_edit', targets.map(([a]) => a));
    targets.forEach(([args, reason], i) => {
      assert.match(results[i], /^Error: /, `${JSON.stringify(args)} → ${results[i]}`);
      assert.match(results[i], reason, `${JSON.stringify(args)} → ${results[i]}`);
      assert.doesNotMatch(results[i], SECRETS);
    });
    assert.deepEqual(rig.reviews, [], 'nothing was shown for review');
    assert.deepEqual(outsideTouches, []);
    assert.deepEqual(writes, []);
  });

  it('list_files and search_text never list or read what is outside, ignored, excluded or in .git, whatever the glob', async () => {
    const globs = ['**/*', '../**', '/etc/*', '**/.git/**', 'linked-dir/**', 'ignored/**', 'secret-excluded/**', '**/../../**', '{,../}*'];
    const listed = await callAll('list_files', globs.map((glob) => ({ glob })));
    const searched = await callAll('search_text', [
      ...globs.map((glob) => ({ query: 'SECRET', glob })),
      { query: '.*', isRegex: true },
      { query: 'root:x', glob: '/etc/passwd' },
      { query: '(a+)+$', isRegex: true },
      { query: '[', isRegex: true },
    ]);
    for (const result of [...listed.results, ...searched.results]) assert.doesNotMatch(result, SECRETS);
    assert.match(listed.results[0], /^notes\.md$/m);
    assert.doesNotMatch(listed.results[0], /innocent|linked-dir|\.git\/|ignored\/|secret-excluded|zeros|loop-a|pipe/);
    assert.match(searched.results.at(-1)!, /^Error: The regular expression is not valid/);
    assert.match(searched.results.at(-2)!, /^Error: The regular expression \/\(a\+\)\+\$\/ nests repetition/, 'a catastrophic pattern is refused, not run');
    assert.deepEqual([...listed.outsideTouches, ...searched.outsideTouches], []);
    assert.deepEqual([...listed.writes, ...searched.writes], []);
  });
});
