// The read-only workspace tools on a real temporary workspace: the boundary (.., symlinks out, .git/,
// files.exclude), .gitignore, binary and huge files, bad arguments — each an answer the model can read.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('editor tools say plainly when VS Code is not there to answer', async () => {
    assert.match((await run('get_problems', {})).text, /not available here/);
    assert.equal((await run('get_active_editor', {})).text, 'No file is open in an editor.');
    ctx.editor = { problems: async () => ['src/hello.ts:2:3 error Cannot find name'], gitDiff: async () => '' };
    assert.equal((await run('get_problems', {})).text, 'src/hello.ts:2:3 error Cannot find name');
    assert.equal((await run('get_git_diff', {})).text, 'No uncommitted changes.');
    delete ctx.editor;
  });
});
