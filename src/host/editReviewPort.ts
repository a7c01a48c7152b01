// What proposed edits need in VS Code from activation on: the `parley-proposed` content provider and the Accept and
// Reject commands (a diff restored after a window reload shows them). The reviews themselves (editReview.ts, a
// chunk of their own) load with the first proposal, the first Apply, or a press of Accept or Reject.
import * as vscode from 'vscode';
import { editReviewChunk } from '../chunks';
import type { EditPort } from '../tools/edits';
import { PROPOSED_SCHEME } from '../tools/toolList';
import type { WorkspaceView } from '../tools/workspaceFiles';
import type { EditReviews } from './editReview';

export interface EditReviewPort extends EditPort {
  /** A code block's Apply: the block as `path`'s new content, or in place of the active editor's selection (or file). */
  applyCode(code: string, path?: string): Promise<void>;
}

export function editReviewPort(context: vscode.ExtensionContext, view: () => WorkspaceView): EditReviewPort {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let decisionListener: ((callId: string, accept: boolean) => void) | undefined;
  let reviews: Promise<EditReviews> | undefined;
  const load = () => (reviews ??= editReviewChunk().then((chunk) => new chunk.EditReviews(view, changed, (callId, accept) => decisionListener?.(callId, accept))));
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, {
      onDidChange: changed.event,
      // Nothing proposed yet (a diff restored after a reload): empty.
      provideTextDocumentContent: async (uri) => (reviews ? (await reviews).content(uri) : ''),
    }),
    vscode.commands.registerCommand('parley.acceptProposedEdit', async (uri?: vscode.Uri) => (await load()).decideFromEditor(uri, true)),
    vscode.commands.registerCommand('parley.rejectProposedEdit', async (uri?: vscode.Uri) => (await load()).decideFromEditor(uri, false)),
  );
  return {
    onDecision: (listener) => {
      decisionListener = listener;
    },
    review: async (proposal, callId) => (await load()).review(proposal, callId),
    apply: async (proposal, callId) => (await load()).apply(proposal, callId),
    discard: (callId) => void reviews?.then((r) => r.discard(callId)),
    applyCode: async (code, path) => (await load()).applyCode(code, path),
  };
}
