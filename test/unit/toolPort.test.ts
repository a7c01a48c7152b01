// The plain half of the tools' VS Code port (src/host/toolPortFormat.ts) on plain data: Problems lines in
// order and capped, paths as read_file takes them back, only inside the folders, files.exclude entries,
// selections, and the git changes as one text. The `vscode` calls around them are covered by no unit test.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { excludeGlobs, formatDiagnostics, formatGitDiff, selectionLines, workspaceRelative, type DiagnosticEntry } from '../../src/host/toolPortFormat';

describe('tool port (plain half)', () => {
  const ws = join('/', 'home', 'me', 'proj');
  const other = join('/', 'home', 'me', 'lib');

  it('workspace paths: relative in one folder, folder-prefixed in several, innermost folder for nested ones, undefined outside', () => {
    assert.equal(workspaceRelative([ws], join(ws, 'src', 'a.ts')), 'src/a.ts');
    assert.equal(workspaceRelative([ws, other], join(other, 'b.ts')), 'lib/b.ts');
    assert.equal(workspaceRelative([ws, join(ws, 'packages', 'core')], join(ws, 'packages', 'core', 'x.ts')), 'core/x.ts');
    assert.equal(workspaceRelative([ws], join('/', 'home', 'me', 'projector', 'a.ts')), undefined, 'a sibling with the same prefix is outside');
    assert.equal(workspaceRelative([ws], join('/', 'etc', 'passwd')), undefined);
    assert.equal(workspaceRelative([], join(ws, 'a.ts')), undefined);
  });

  it('files.exclude: only the globs set to true (conditional { when } entries count as not excluded)', () => {
    assert.deepEqual(excludeGlobs({ '**/.git': true, '**/node_modules': false, '**/*.js': { when: '$(basename).ts' }, 'out/**': true }), ['**/.git', 'out/**']);
    assert.deepEqual(excludeGlobs(undefined), []);
  });

  it('Problems: errors, then warnings, info and hints, by path and position, 1-based, source and code, one line each', () => {
    const d = (line: number, character: number, severity: number, message: string, extra: Partial<DiagnosticEntry> = {}): DiagnosticEntry => ({ line, character, severity, message, ...extra });
    const lines = formatDiagnostics(
      [
        { file: join(ws, 'src', 'b.ts'), diagnostics: [d(9, 0, 1, 'Unused variable x', { source: 'eslint', code: 'no-unused-vars' }), d(0, 4, 0, "Cannot find name 'foo'.", { source: 'ts', code: 2304 })] },
        { file: join(ws, 'src', 'a.ts'), diagnostics: [d(2, 1, 3, 'Could be const'), d(1, 0, 0, 'Type mismatch:\n  string is not number', { source: 'ts' }), d(5, 2, 2, 'Spelling')] },
        { file: join('/', 'tmp', 'elsewhere.ts'), diagnostics: [d(0, 0, 0, 'outside the workspace')] },
      ],
      (file) => workspaceRelative([ws], file),
    );
    assert.deepEqual(lines, [
      'src/a.ts:2:1 error Type mismatch: string is not number (ts)',
      "src/b.ts:1:5 error Cannot find name 'foo'. (ts 2304)",
      'src/b.ts:10:1 warning Unused variable x (eslint no-unused-vars)',
      'src/a.ts:6:3 info Spelling',
      'src/a.ts:3:2 hint Could be const',
    ]);
  });

  it('Problems: capped, with a line saying how many more there are', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ line: i, character: 0, severity: 0, message: `e${i}` }));
    const lines = formatDiagnostics([{ file: join(ws, 'x.ts'), diagnostics: many }], (file) => workspaceRelative([ws], file), 5);
    assert.equal(lines.length, 6);
    assert.equal(lines[4], 'x.ts:5:1 error e4');
    assert.equal(lines[5], '[7 more problems not listed]');
    assert.deepEqual(formatDiagnostics([], () => 'x'), []);
  });

  it('selection lines are 1-based; a selection that ends at column 0 of a later line ends on the line before', () => {
    assert.deepEqual(selectionLines({ line: 3, character: 2 }, { line: 3, character: 9 }), { startLine: 4, endLine: 4 });
    assert.deepEqual(selectionLines({ line: 3, character: 0 }, { line: 6, character: 0 }), { startLine: 4, endLine: 6 });
    assert.deepEqual(selectionLines({ line: 3, character: 0 }, { line: 6, character: 1 }), { startLine: 4, endLine: 7 });
  });

  it('git: staged and unstaged diffs labelled, untracked files listed after them (capped), "" when nothing changed', () => {
    const unstaged = 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-x\n+y\n';
    const staged = 'diff --git a/b.ts b/b.ts\nnew file mode 100644\n';
    assert.equal(formatGitDiff([{ name: '.', staged: '', unstaged: '', untracked: [] }]), '');
    assert.equal(formatGitDiff([]), '');
    assert.equal(
      formatGitDiff([{ name: '.', staged, unstaged, untracked: ['z.ts', 'new/c.ts'] }]),
      `Staged changes (git diff --cached):\n${staged.trimEnd()}\nUnstaged changes (git diff):\n${unstaged.trimEnd()}\nUntracked: new/c.ts, z.ts`,
    );
    assert.equal(formatGitDiff([{ name: '.', staged: '', unstaged: '', untracked: ['a', 'b', 'c', 'd'] }], 2), 'Untracked: a, b and 2 more');
  });

  it('git: several repositories are named, and one without changes is left out', () => {
    const text = formatGitDiff([
      { name: 'app', staged: '', unstaged: 'diff --git a/x b/x\n', untracked: [] },
      { name: 'lib', staged: '', unstaged: '', untracked: [] },
      { name: 'tools', staged: '', unstaged: '', untracked: ['tools/new.ts'] },
    ]);
    assert.equal(text, 'Repository app:\nUnstaged changes (git diff):\ndiff --git a/x b/x\n\nRepository tools:\nUntracked: tools/new.ts');
  });
});
