// The tools' VS Code port (src/host/toolPort.ts) against a real VS Code 1.139 (code-server) and its git
// extension: a small test extension (test/e2e/tool-probe, with toolPort.ts bundled in by esbuild here) sets
// diagnostics, opens a file with a selection, and reports the workspace view, the Problems lines, the active
// editor and the git changes of a temporary repository (one file changed, one staged, one untracked).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { startVsCode, until, type Session } from './harness';

const PROBE_DIR = resolve(__dirname, 'tool-probe');

describe('e2e: the tools\' VS Code port (Problems, editor, git)', function () {
  let vs: Session;
  let scratch: string;
  let workspace: string;
  let exchange: string;

  before(async function () {
    scratch = mkdtempSync(join(tmpdir(), 'parley-toolport-'));
    workspace = join(scratch, 'repo');
    exchange = join(scratch, 'exchange');
    mkdirSync(join(workspace, 'src'), { recursive: true });
    mkdirSync(join(workspace, 'hidden'), { recursive: true });
    mkdirSync(exchange);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: workspace, stdio: 'pipe' });
    writeFileSync(join(workspace, 'src', 'a.ts'), 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\nexport const d = 4;\n');
    writeFileSync(join(workspace, 'src', 'b.ts'), 'export const b = 2;\n');
    writeFileSync(join(workspace, 'hidden', 'secret.ts'), 'export const hidden = true;\n');
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'initial');
    writeFileSync(join(workspace, 'src', 'a.ts'), 'export const a = 100;\nexport const b = 2;\nexport const c = 3;\nexport const d = 4;\n');
    writeFileSync(join(workspace, 'src', 'staged.ts'), 'export const staged = true;\n');
    git('add', 'src/staged.ts');
    writeFileSync(join(workspace, 'src', 'untracked.ts'), 'export const untracked = true;\n');

    const ext = join(scratch, 'probe-ext');
    mkdirSync(ext);
    copyFileSync(join(PROBE_DIR, 'package.json'), join(ext, 'package.json'));
    buildSync({ entryPoints: [join(PROBE_DIR, 'probe.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], outfile: join(ext, 'extension.js'), logLevel: 'error' });
    const vsix = join(scratch, 'tool-probe.vsix');
    execFileSync(resolve('node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: ext, stdio: 'pipe' });
    vs = await startVsCode({
      workspace,
      name: 'tool-port',
      extraVsix: [vsix],
      env: { PARLEY_TOOL_PROBE_DIR: exchange },
      settings: { 'files.exclude': { 'hidden/**': true, '**/*.js': { when: '$(basename).ts' }, '**/.DS_Store': false } },
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vs?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
  });
  after(async function () {
    await vs?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('reports the folders and files.exclude, the Problems list, the active editor and the git changes', async function () {
    await vs.runCommand('Parley Tool Probe: Run');
    const resultFile = join(exchange, 'result.json');
    const r = await until<any>(() => (existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : undefined), Boolean, 'the probe', 60_000);

    assert.deepEqual(r.view.roots.map((p: string) => realpathSync(p)), [realpathSync(workspace)]);
    assert.ok(r.view.exclude.includes('hidden/**'), JSON.stringify(r.view.exclude));
    assert.ok(r.view.exclude.includes('**/.git'), 'VS Code\'s own default entries are there');
    assert.ok(!r.view.exclude.includes('**/*.js') && !r.view.exclude.includes('**/.DS_Store'), 'no conditional or switched-off entries');
    assert.deepEqual(r.listed.split('\n').sort(), ['src/a.ts', 'src/b.ts', 'src/staged.ts', 'src/untracked.ts']);

    assert.deepEqual(r.problems, ['src/a.ts:2:3 error Probe error second line (probe P1)', 'src/a.ts:1:1 warning Probe warning']);
    assert.deepEqual(r.activeEditor, { path: 'src/a.ts', language: 'typescript', selection: { startLine: 2, endLine: 3, text: 'export const b = 2;\nexport const c = 3;\n' } });

    assert.equal(typeof r.gitDiff, 'string', `git diff: ${JSON.stringify(r.gitDiff)} after ${r.gitMs} ms`);
    assert.match(r.gitDiff, /^Staged changes \(git diff --cached\):\ndiff --git a\/src\/staged\.ts b\/src\/staged\.ts\nnew file mode/);
    assert.match(r.gitDiff, /\nUnstaged changes \(git diff\):\ndiff --git a\/src\/a\.ts b\/src\/a\.ts\n[\s\S]*-export const a = 1;\n\+export const a = 100;/);
    assert.match(r.gitDiff, /\nUntracked: src\/untracked\.ts$/);
    assert.equal(r.diffTool.text, r.gitDiff);
  });
});
