// Proposed edits in VS Code: each is shown in the diff editor (the file ↔ the proposal, served by a content provider
// for the `parley-proposed` scheme) with Accept and Reject in the editor's title bar. An edit the model proposed
// (propose_edit) is decided there or in its card in the chat; a code block's Apply is decided there. An accepted
// edit is written as one edit of the file's editor (one Undo takes it back; a new file is one WorkspaceEdit) and
// saved, only if the file is still what the proposal was made from. A chunk of its own (src/chunks.ts: it needs
// `vscode`, the tools' chunk does not); editReviewPort.ts registers the provider and commands at activation.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ParleyError } from '../providers/errors';
import { toolsChunk } from '../chunks';
import type { EditPort, EditProposal } from '../tools/edits';
import { PROPOSED_SCHEME } from '../tools/toolList';
import type { WorkspaceView } from '../tools/workspaceFiles';

interface Pending {
  proposal: EditProposal;
  /** A model's proposal: decided through its tool call. Absent: a code block's Apply, decided here. */
  fromTool: boolean;
}

export class EditReviews implements EditPort {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly view: () => WorkspaceView,
    /** Fired when a proposal's content changes (the content provider's onDidChange). */
    private readonly changed: vscode.EventEmitter<vscode.Uri>,
    /** Accept/Reject pressed in the diff editor for a model's proposal: the chat's tool call decides it. */
    private readonly decide: (callId: string, accept: boolean) => void,
  ) {}

  /** The proposed side of a diff (the `parley-proposed` content provider). */
  content(uri: vscode.Uri): string {
    return this.pending.get(idOf(uri))?.proposal.after ?? '';
  }

  async review(proposal: EditProposal, callId: string): Promise<void> {
    this.pending.set(callId, { proposal, fromTool: !callId.startsWith('code-') });
    void vscode.commands.executeCommand('setContext', 'parley.editProposed', true);
    await this.show(callId);
  }

  async apply(p: EditProposal, callId: string): Promise<string | undefined> {
    const uri = vscode.Uri.file(p.absolute);
    // The review closes first: the file then opens in an editor beside the chat, where the edit lands in sight
    // and in that editor's undo stack (one Undo takes it back).
    await this.close(callId);
    if (p.before === undefined) {
      const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
      if (exists) return `${p.path} was created by someone else after the edit was proposed; nothing was written. Read it and propose the edit again.`;
      const edit = new vscode.WorkspaceEdit();
      edit.createFile(uri, { contents: new TextEncoder().encode(p.after) });
      if (!(await vscode.workspace.applyEdit(edit))) return `VS Code did not create ${p.path}; nothing was written.`;
      await vscode.window.showTextDocument(uri, { preview: false, preserveFocus: true, viewColumn: besideChat() });
      return undefined;
    }
    const editor = await vscode.window.showTextDocument(uri, { preview: false, preserveFocus: true, viewColumn: besideChat() });
    const doc = editor.document;
    if (doc.getText() !== p.before) {
      return `${p.path} changed after the edit was proposed (${doc.isDirty ? 'unsaved changes in its editor' : 'on disk'}); nothing was written. Read it again and propose the edit anew.`;
    }
    // One edit of the open editor, with an undo stop on each side: exactly one Undo takes it back.
    const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(p.before.length));
    const applied = await editor.edit((builder) => builder.replace(whole, p.after), { undoStopBefore: true, undoStopAfter: true });
    if (!applied) return `VS Code did not apply the edit to ${p.path}; nothing was written.`;
    await doc.save();
    return undefined;
  }

  discard(callId: string): void {
    void this.close(callId);
  }

  /** A code block's Apply: the block as `path`'s new content, or in place of the active editor's selection (or file). */
  async applyCode(code: string, path?: string): Promise<void> {
    const view = this.view();
    const { proposeEdit, readTarget } = await toolsChunk();
    let proposal: EditProposal;
    // A code block loses its last newline in markdown: a whole file keeps the one it ends with.
    const whole = (current: string | undefined) => (current?.endsWith('\n') && !code.endsWith('\n') ? `${code}\n` : code);
    if (path) {
      const { before } = await readTarget(path, view, true);
      proposal = await proposeEdit({ path, content: whole(before) }, view);
    } else {
      const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'file');
      if (!editor || editor.document.uri.scheme !== 'file') throw new ParleyError('bad-request', 'Open the file the code is for (or select the lines it replaces), then Apply again.');
      const doc = editor.document;
      const selected = !editor.selection.isEmpty;
      const before = doc.getText();
      const after = selected ? before.slice(0, doc.offsetAt(editor.selection.start)) + code + before.slice(doc.offsetAt(editor.selection.end)) : whole(before);
      const relative = vscode.workspace.asRelativePath(doc.uri, view.roots.length > 1);
      proposal = await proposeEdit({ path: relative, content: after }, view);
      if (proposal.before !== before) throw new ParleyError('bad-request', `${relative} has unsaved changes; save it, then Apply again.`);
    }
    const id = `code-${randomUUID()}`;
    await this.review(proposal, id);
  }

  private async show(id: string): Promise<void> {
    const { proposal: p } = this.pending.get(id)!;
    const right = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${p.path}`, query: `id=${encodeURIComponent(id)}` });
    this.changed.fire(right);
    // A new file is compared with an empty document of the same scheme.
    const left = p.before === undefined ? vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${p.path}`, query: 'id=' }) : vscode.Uri.file(p.absolute);
    // Beside the chat, which stays in view for the decision.
    await vscode.commands.executeCommand('vscode.diff', left, right, `${p.path} ↔ proposed by Parley`, { preview: true, preserveFocus: true, viewColumn: besideChat() });
  }

  /** Accept or Reject pressed in the diff editor (or the palette) for `uri`, else for the proposal in view. */
  async decideFromEditor(uri: vscode.Uri | undefined, accept: boolean): Promise<void> {
    const id = idOf(uri ?? activeProposal());
    const pending = this.pending.get(id);
    if (!pending) {
      void vscode.window.showInformationMessage('Parley: this proposed edit was already handled.');
      return;
    }
    if (pending.fromTool) {
      this.decide(id, accept);
      return;
    }
    if (!accept) return this.close(id);
    const refused = await this.apply(pending.proposal, id);
    if (refused) void vscode.window.showWarningMessage(`Parley: ${refused}`);
  }

  private async close(id: string): Promise<void> {
    this.pending.delete(id);
    // The palette offers Accept/Reject while a proposal waits.
    void vscode.commands.executeCommand('setContext', 'parley.editProposed', this.pending.size > 0);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PROPOSED_SCHEME && idOf(t.input.modified) === id);
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
  }
}

/** An editor group other than the chat's: the one of a visible text editor, else a new one beside. */
function besideChat(): vscode.ViewColumn {
  const active = vscode.window.tabGroups.activeTabGroup.viewColumn;
  const other = vscode.window.tabGroups.all.find((g) => g.viewColumn !== active && g.tabs.some((t) => !(t.input instanceof vscode.TabInputWebview)));
  return other?.viewColumn ?? vscode.ViewColumn.Beside;
}

function idOf(uri: vscode.Uri | undefined): string {
  return uri?.scheme === PROPOSED_SCHEME ? (new URLSearchParams(uri.query).get('id') ?? '') : '';
}

/** The proposal in view: the active group's, else the one shown in another group (the chat keeps the focus). */
function activeProposal(): vscode.Uri | undefined {
  const groups = [vscode.window.tabGroups.activeTabGroup, ...vscode.window.tabGroups.all];
  for (const group of groups) {
    const input = group.activeTab?.input;
    if (input instanceof vscode.TabInputTextDiff && input.modified.scheme === PROPOSED_SCHEME) return input.modified;
  }
  return undefined;
}
