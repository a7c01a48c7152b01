// Proposed edits in VS Code: each is shown in the diff editor (the file ↔ Parley's proposal, served by a content
// provider for the `parley-proposed` scheme) and, once the user accepts it in the chat, written through one
// WorkspaceEdit (one undo step in the file's editor) and saved — only if the file is still what it was proposed from.
import * as vscode from 'vscode';
import type { EditPort, EditProposal } from '../tools/edits';

const SCHEME = 'parley-proposed';

export function vscodeEditPort(context: vscode.ExtensionContext): EditPort {
  const proposed = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => proposed.get(callOf(uri)) ?? '',
    }),
  );
  const proposalUri = (p: EditProposal, callId: string) => vscode.Uri.from({ scheme: SCHEME, path: `/${p.path}`, query: `call=${encodeURIComponent(callId)}` });

  async function closeReview(callId: string): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === SCHEME && callOf(t.input.modified) === callId);
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
  }

  return {
    async review(p, callId) {
      proposed.set(callId, p.after);
      const right = proposalUri(p, callId);
      changed.fire(right);
      // A new file is compared with an empty document of the same scheme.
      const left = p.before === undefined ? vscode.Uri.from({ scheme: SCHEME, path: `/${p.path}`, query: 'call=' }) : vscode.Uri.file(p.absolute);
      await vscode.commands.executeCommand('vscode.diff', left, right, `${p.path} ↔ proposed by Parley`, { preview: true, preserveFocus: true });
    },
    async apply(p, callId) {
      const uri = vscode.Uri.file(p.absolute);
      const edit = new vscode.WorkspaceEdit();
      if (p.before === undefined) {
        const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
        if (exists) return `${p.path} was created by someone else after the edit was proposed; nothing was written. Read it and propose the edit again.`;
        edit.createFile(uri, { contents: new TextEncoder().encode(p.after) });
      } else {
        const doc = await vscode.workspace.openTextDocument(uri);
        if (doc.getText() !== p.before) {
          return `${p.path} changed after the edit was proposed (${doc.isDirty ? 'unsaved changes in its editor' : 'on disk'}); nothing was written. Read it again and propose the edit anew.`;
        }
        edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(p.before.length)), p.after);
      }
      if (!(await vscode.workspace.applyEdit(edit))) return `VS Code did not apply the edit to ${p.path}; nothing was written.`;
      const doc = await vscode.workspace.openTextDocument(uri);
      if (doc.isDirty) await doc.save();
      proposed.delete(callId);
      await closeReview(callId);
      // Shown, so that the change is in sight and one Undo takes it back.
      await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: true });
      return undefined;
    },
    discard(callId) {
      proposed.delete(callId);
      void closeReview(callId);
    },
  };
}

function callOf(uri: vscode.Uri): string {
  return new URLSearchParams(uri.query).get('call') ?? '';
}
