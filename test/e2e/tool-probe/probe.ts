// Test-only extension (bundled by test/e2e/toolPort.e2e.ts with esbuild into extension.js beside package.json):
// sets diagnostics of its own, opens a file with a selection, then runs Parley's tool port
// (src/host/toolPort.ts) and the tools over it against the real VS Code API and git extension, and writes what
// it saw to $PARLEY_TOOL_PROBE_DIR/result.json.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { vscodeToolContext } from '../../../src/host/toolPort';
import { runWorkspaceTool } from '../../../src/tools/workspaceTools';

async function run(diagnostics: vscode.DiagnosticCollection) {
  const dir = process.env.PARLEY_TOOL_PROBE_DIR!;
  const root = vscode.workspace.workspaceFolders![0].uri;
  const at = (line: number, character: number) => new vscode.Range(line, character, line, character + 3);
  const error = new vscode.Diagnostic(at(1, 2), 'Probe error\nsecond line', vscode.DiagnosticSeverity.Error);
  error.source = 'probe';
  error.code = { value: 'P1', target: vscode.Uri.parse('https://example.com') };
  diagnostics.set([
    [vscode.Uri.joinPath(root, 'src', 'a.ts'), [new vscode.Diagnostic(at(0, 0), 'Probe warning', vscode.DiagnosticSeverity.Warning), error]],
    [vscode.Uri.file('/tmp/parley-outside-probe.ts'), [new vscode.Diagnostic(at(0, 0), 'outside', vscode.DiagnosticSeverity.Error)]],
  ]);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'src', 'a.ts'));
  const editor = await vscode.window.showTextDocument(doc);
  editor.selection = new vscode.Selection(1, 0, 3, 0);

  const ctx = vscodeToolContext();
  const problems = (await ctx.editor.problems?.())?.filter((line) => line.includes('Probe') || line.includes('outside'));
  const activeEditor = await ctx.editor.activeEditor?.();
  const started = Date.now();
  const gitDiff = await ctx.editor.gitDiff?.();
  const gitMs = Date.now() - started;
  const listed = await runWorkspaceTool('list_files', '{}', ctx);
  const diffTool = await runWorkspaceTool('get_git_diff', '{}', ctx);
  const result = { view: ctx.view, problems, activeEditor, gitDiff, gitMs, listed: listed.text, diffTool };
  writeFileSync(join(dir, 'result.tmp'), JSON.stringify(result));
  renameSync(join(dir, 'result.tmp'), join(dir, 'result.json'));
}

export function activate(context: vscode.ExtensionContext) {
  const diagnostics = vscode.languages.createDiagnosticCollection('parley-probe');
  context.subscriptions.push(diagnostics, vscode.commands.registerCommand('parleyToolProbe.run', () => run(diagnostics)));
}
export function deactivate() {}
