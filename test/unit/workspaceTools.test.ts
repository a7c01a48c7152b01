// The read-only workspace tools on a real temporary workspace: the boundary (.., symlinks out, .git/,
// files.exclude), .gitignore, binary and huge files, bad arguments — each an answer the model can read.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pause, SLICE_MS } from '../../src/tools/workspaceFiles';
import { runWorkspaceTool, workspaceToolSpecs, type ToolContext } from '../../src/tools/workspaceTools';
import { tempDir } from './helpers';

describe('workspace tools', () => {
  let ws: ReturnType<typeof tempDir>;
  let outside: ReturnType<typeof tempDir>;
  let ctx: ToolContext;
  const run = (name: string, args: unknown) => runWorkspaceTool(name, typeof args === 'string' ? args : JSON.stringify(args), ctx);

  before(() => {
    ws = tempDir('ws');
    outside = tempDir('outside');
    const file = (rel: string, text: string | Buffer) => {
      mkdirSync(join(ws.path, rel, '..'), { recursive: true });
      writeFileSync(join(ws.path, rel), text);
    };
    file('src/hello.ts', 'export function greet(name: string) {\n  return `Hello, ${name}!`;\n}\nexport const answer = 42;\n');
    file('src/util/math.ts', 'export const add = (a: number, b: number) => a + b;\n');
    file('.gitignore', 'build/\n*.log\n');
    file('build/out.js', 'compiled answer = 42');
    file('debug.log', 'answer = 42');
    file('src/util/.gitignore', 'secret.ts\n');
    file('src/util/secret.ts', 'export const answer = 42;');
    file('.git/config', '[core]');
    file('hidden/skip.ts', 'export const answer = 42;');
    file('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    writeFileSync(join(outside.path, 'passwd'), 'root:x:0:0');
    symlinkSync(join(outside.path, 'passwd'), join(ws.path, 'link-out'));
    ctx = { view: { roots: [ws.path], exclude: ['hidden/**'] } };
  });
  after(() => {
    ws.remove();
    outside.remove();
  });

  it('describes every tool with a JSON schema derived from its argument schema', () => {
    const specs = workspaceToolSpecs();
    assert.deepEqual(specs.map((s) => s.name), ['read_file', 'list_files', 'search_text', 'get_problems', 'get_active_editor', 'get_git_diff']);
    const read = specs[0].parameters as { type: string; required: string[]; properties: Record<string, unknown> };
    assert.equal(read.type, 'object');
    assert.deepEqual(read.required, ['path']);
    assert.deepEqual(Object.keys(read.properties), ['path', 'startLine', 'endLine']);
    assert.equal('$schema' in read, false);
  });

  it('read_file reads a file whole or a range of lines, numbered', async () => {
    const whole = await run('read_file', { path: 'src/hello.ts' });
    assert.equal(whole.isError, undefined);
    assert.match(whole.text, /^src\/hello\.ts \(5 lines\):\n1  export function greet/);
    const range = await run('read_file', { path: './src/hello.ts', startLine: 4, endLine: 4 });
    assert.equal(range.text, 'src/hello.ts (lines 4-4 of 5):\n4  export const answer = 42;');
    assert.equal(range.summary, 'src/hello.ts, lines 4-4 of 5');
  });

  it('paths outside the workspace, through symlinks, in .git/ or files.exclude are refused with the reason', async () => {
    for (const [path, reason] of [
      ['../outside/passwd', /outside the workspace/],
      [join(outside.path, 'passwd'), /outside the workspace/],
      ['link-out', /outside the workspace/],
      ['.git/config', /inside \.git\//],
      ['hidden/skip.ts', /files\.exclude/],
      ['src/nope.ts', /no longer exists/],
      ['logo.png', /binary file/],
      ['src', /is a directory/],
    ] as const) {
      const result = await run('read_file', { path });
      assert.equal(result.isError, true, path);
      assert.match(result.text, reason, path);
      assert.ok(!result.text.includes('root:x'), 'nothing from outside is read');
    }
  });

  it('bad calls come back as errors the model can read: unknown tool, broken JSON, arguments off the schema', async () => {
    assert.match((await run('delete_everything', {})).text, /no tool named "delete_everything"\. The tools are: read_file, list_files/);
    assert.match((await run('read_file', '{"path": "src/hel')).text, /not valid JSON/);
    assert.match((await run('read_file', { path: 42 })).text, /do not fit its schema: path: /);
    assert.match((await run('read_file', { path: 'src/hello.ts', startLine: 0 })).text, /startLine/);
    assert.match((await run('search_text', { query: '(', isRegex: true })).text, /regular expression is not valid/);
  });

  it('list_files honours .gitignore (each directory\'s own), files.exclude and .git/, skips symbolic links, and filters by glob', async () => {
    const all = await run('list_files', {});
    assert.deepEqual(all.text.split('\n').sort(), ['.gitignore', 'logo.png', 'src/hello.ts', 'src/util/.gitignore', 'src/util/math.ts'].sort());
    assert.equal((await run('list_files', { glob: '**/*.ts' })).text, 'src/hello.ts\nsrc/util/math.ts');
    assert.equal((await run('list_files', { glob: '*.ts' })).text, 'src/hello.ts\nsrc/util/math.ts', 'a glob without a slash matches file names');
    assert.match((await run('list_files', { glob: '**/*.py' })).text, /No workspace file matches/);
  });

  it('search_text finds literal text and regular expressions with path:line, never in ignored, excluded, binary or outside files', async () => {
    const literal = await run('search_text', { query: 'answer = 42' });
    assert.equal(literal.text, 'src/hello.ts:4: export const answer = 42;');
    const regex = await run('search_text', { query: 'export (function|const) \\w+', isRegex: true, glob: 'src/**' });
    assert.deepEqual(regex.text.split('\n'), ['src/hello.ts:1: export function greet(name: string) {', 'src/hello.ts:4: export const answer = 42;', 'src/util/math.ts:1: export const add = (a: number, b: number) => a + b;']);
    assert.match((await run('search_text', { query: 'ROOT:X', caseSensitive: false })).text, /No match/);
  });

  it('search_text refuses a regular expression with nested repetition (it could freeze the host), and runs ordinary ones', async () => {
    for (const query of ['(a+)+$', '(\\w*)*x', '(?:a|b+)*c+$']) {
      const result = await run('search_text', { query, isRegex: true });
      assert.equal(result.isError, true, query);
      assert.match(result.text, /nests repetition .* exponential time/);
    }
    assert.equal((await run('search_text', { query: 'a+b*c', isRegex: true })).isError, undefined);
  });

  it('editor tools say plainly when VS Code is not there to answer', async () => {
    assert.match((await run('get_problems', {})).text, /not available here/);
    assert.equal((await run('get_active_editor', {})).text, 'No file is open in an editor.');
    ctx.editor = { problems: async () => ['src/hello.ts:2:3 error Cannot find name'], gitDiff: async () => '' };
    assert.equal((await run('get_problems', {})).text, 'src/hello.ts:2:3 error Cannot find name');
    assert.equal((await run('get_git_diff', {})).text, 'No uncommitted changes.');
    delete ctx.editor;
  });
});

describe('workspace tools: search over many files', () => {
  let ws: ReturnType<typeof tempDir>;
  let ctx: ToolContext;
  const run = (name: string, args: unknown) => runWorkspaceTool(name, JSON.stringify(args), ctx);

  before(() => {
    ws = tempDir('ws-many');
    for (let d = 0; d < 10; d++) {
      mkdirSync(join(ws.path, `d${d}`), { recursive: true });
      for (let f = 0; f < 30; f++) writeFileSync(join(ws.path, `d${d}`, `f${f}.txt`), `line one\nneedle ${d}-${f}\nline three\n`);
    }
    writeFileSync(join(ws.path, 'big.txt'), `needle in a big file\n${'x'.repeat(3 * 1024 * 1024)}`);
    writeFileSync(join(ws.path, 'starts.txt'), 'answer at the start\nnot the answer here\n');
    ctx = { view: { roots: [ws.path], exclude: [] } };
  });
  after(() => ws.remove());

  it('stops at maxResults, says so, and tells how many files it searched', async () => {
    const result = await run('search_text', { query: 'needle', maxResults: 5 });
    const lines = result.text.split('\n');
    assert.deepEqual(lines.slice(0, 5), ['d0/f0.txt:2: needle 0-0', 'd0/f1.txt:2: needle 0-1', 'd0/f10.txt:2: needle 0-10', 'd0/f11.txt:2: needle 0-11', 'd0/f12.txt:2: needle 0-12']);
    assert.equal(lines[5], '[stopped at 5 matches, there may be more; narrow the search]');
    // The root's files come first (breadth-first): starts.txt (no needle; big.txt is not searched), then d0/.
    assert.equal(result.summary, '5 matches in 6 files searched', 'no file is read after the 5th match');
  });

  it('searches every file when there are fewer matches than maxResults, and skips files over 2 MB', async () => {
    const all = await run('search_text', { query: 'needle', maxResults: 1000 });
    assert.equal(all.text.split('\n').length, 300);
    assert.equal(all.summary, '300 matches in 301 files searched');
    assert.ok(!all.text.includes('big.txt'));
    assert.match((await run('search_text', { query: 'no such text' })).text, /^No match for "no such text" in 301 files\.$/);
  });

  it('a regular expression with a lookaround is still matched line by line', async () => {
    const result = await run('search_text', { query: '(?<!\\S)answer', isRegex: true, glob: 'starts.txt' });
    assert.equal(result.text, 'starts.txt:1: answer at the start\nstarts.txt:2: not the answer here');
    const anchored = await run('search_text', { query: '^answer', isRegex: true });
    assert.equal(anchored.text, 'starts.txt:1: answer at the start');
  });

  it('pause() hands the thread to the event loop once it has been busy for SLICE_MS', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await pause();
    let ran = false;
    setImmediate(() => (ran = true));
    await pause();
    assert.equal(ran, false, 'not busy long enough: no pause');
    const until = performance.now() + SLICE_MS + 2;
    while (performance.now() < until) { /* busy */ }
    await pause();
    assert.equal(ran, true);
  });
});
