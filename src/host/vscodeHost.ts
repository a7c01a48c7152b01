import * as vscode from 'vscode';
import type { ServiceHost } from './serviceHost';
import type { EditorContext } from './prompts';
import { readSettings } from './settings';
import { editReviewPort } from './editReviewPort';
import { vscodeToolContext } from './toolPort';
import { vscodeToolbox } from './vscodeTools';

const UI_STATE_KEY = 'parley.ui';
const MODEL_LISTS_KEY = 'parley.modelLists';
const MODEL_CATALOG_KEY = 'parley.modelCatalog';
const MAX_PICK_FILES = 5000;

/** The ServiceHost backed by the real VS Code API. */
export function vscodeHost(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): ServiceHost {
  let lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor && editor.document.uri.scheme !== 'output') lastEditor = editor;
    }),
  );
  const editor = () => vscode.window.activeTextEditor ?? lastEditor;
  const edits = editReviewPort(context, () => vscodeToolContext(() => lastEditor).view);

  return {
    settings: readSettings,
    log: (line) => log.info(line),
    runCommand: (command, provider) =>
      void (command === 'openBaseUrlSetting'
        ? vscode.commands.executeCommand('workbench.action.openSettings', `parley.${provider}.baseUrl`)
        : vscode.commands.executeCommand(`parley.${command}`, provider)),
    openExternal: (url) => void vscode.env.openExternal(vscode.Uri.parse(url, true)),
    workspaceRoots: () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
    editorContext: (): EditorContext | undefined => {
      const e = editor();
      if (!e) return undefined;
      const selection = e.selection.isEmpty ? undefined : e.document.getText(e.selection);
      return { selection, file: e.document.getText(), language: e.document.languageId, fileName: vscode.workspace.asRelativePath(e.document.uri) };
    },
    pickWorkspaceFiles: async () => {
      const files = await vscode.workspace.findFiles('**/*', '**/{node_modules,.git,dist,out}/**', MAX_PICK_FILES);
      const picks = await vscode.window.showQuickPick(
        files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })).sort((a, b) => a.label.localeCompare(b.label)),
        { canPickMany: true, placeHolder: 'Attach files from the workspace', matchOnDescription: true },
      );
      return (picks ?? []).map((p) => p.uri.fsPath);
    },
    openDocument: async (content, language) => {
      const doc = await vscode.workspace.openTextDocument({ content, language });
      await vscode.window.showTextDocument(doc, { preview: false });
    },
    insertAtCursor: async (text) => {
      // The last editor may be hidden behind the chat (a TextEditor of a hidden tab cannot edit): show its
      // document again where it was, with its selections, and insert there.
      let e = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((v) => v.document === lastEditor?.document);
      if (!e && lastEditor && !lastEditor.document.isClosed) {
        const selections = lastEditor.selections;
        e = await vscode.window.showTextDocument(lastEditor.document, { viewColumn: lastEditor.viewColumn, preserveFocus: false });
        e.selections = selections;
      }
      if (!e) return false;
      const target = e;
      await target.edit((edit) => target.selections.forEach((s) => edit.replace(s, text)));
      await vscode.window.showTextDocument(target.document, target.viewColumn);
      return true;
    },
    copyToClipboard: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
    uiState: {
      get: () => context.globalState.get<{ showControls?: boolean }>(UI_STATE_KEY) ?? {},
      set: (state) => context.globalState.update(UI_STATE_KEY, state),
    },
    modelLists: {
      get: () => context.globalState.get(MODEL_LISTS_KEY),
      set: (lists) => context.globalState.update(MODEL_LISTS_KEY, lists),
    },
    edits,
    applyCode: (code, path) => edits.applyCode(code, path),
    modelCatalog: {
      get: () => context.globalState.get(MODEL_CATALOG_KEY),
      set: (catalog) => context.globalState.update(MODEL_CATALOG_KEY, catalog),
    },
    toolContext: () => vscodeToolContext(() => lastEditor),
    vscodeTools: vscodeToolbox(),
  };
}
