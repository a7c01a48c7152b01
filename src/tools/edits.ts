// Edits a model proposes: `propose_edit` replaces exact snippets of a workspace file, or gives a file's whole new
// content (a new file, too). The proposal is computed and checked here (the workspace boundary, text files only,
// each snippet found exactly once) and shown to the user as a diff; nothing is written until they accept it, and
// then only if the file is still what the proposal was made from.
import { promises as fs } from 'node:fs';
import { join, posix } from 'node:path';
import { createTwoFilesPatch, diffLines } from 'diff';
import * as v from 'valibot';
import { ParleyError } from '../providers/errors';
import { resolveToolPath, type WorkspaceView } from './workspaceFiles';

export interface EditProposal {
  /** As the model and the card name it (workspace-relative). */
  path: string;
  absolute: string;
  /** The file's text the proposal was made from; undefined: the file does not exist yet. */
  before?: string;
  after: string;
  added: number;
  removed: number;
  /** Unified diff of before → after. */
  patch: string;
}

/** What applies an accepted proposal and shows one for review (VS Code's diff editor and WorkspaceEdit). */
export interface EditPort {
  /** Opens the proposal as a diff (current ↔ proposed). */
  review(proposal: EditProposal, callId: string): Promise<void>;
  /** Writes the proposal if the file is still `before`; returns why not otherwise. */
  apply(proposal: EditProposal, callId: string): Promise<string | undefined>;
  /** The call ended without an accept: close its review. */
  discard(callId: string): void;
  /** Accept or Reject pressed where the review is shown (VS Code's diff editor), for the call to act on. */
  onDecision?(listener: (callId: string, accept: boolean) => void): void;
}

const MAX_FILE_BYTES = 2 * 1024 * 1024;
const MAX_EDITS = 50;

export const editArgs = v.pipe(
  v.object({
    path: v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.description('Path relative to the workspace folder, e.g. src/index.ts')),
    edits: v.optional(
      v.pipe(
        v.array(
          v.object({
            oldText: v.pipe(v.string(), v.minLength(1), v.maxLength(200_000), v.description('Exact text to replace: it must occur exactly once in the file (include surrounding lines to make it unique)')),
            newText: v.pipe(v.string(), v.maxLength(200_000), v.description('The text that replaces it')),
          }),
        ),
        v.minLength(1),
        v.maxLength(MAX_EDITS),
        v.description('Replacements applied in order; use this for changes to an existing file'),
      ),
    ),
    content: v.optional(v.pipe(v.string(), v.maxLength(MAX_FILE_BYTES), v.description("The file's whole new content; use this for a new file or a complete rewrite"))),
  }),
  v.check((args) => (args.edits === undefined) !== (args.content === undefined), 'give either edits or content, not both'),
);
export type EditArgs = v.InferOutput<typeof editArgs>;

function countOf(text: string, snippet: string): number {
  let n = 0;
  for (let i = text.indexOf(snippet); i >= 0; i = text.indexOf(snippet, i + snippet.length)) n++;
  return n;
}

/** The edits applied in order to `text`, or a message the model can act on. */
export function applyReplacements(path: string, text: string, edits: NonNullable<EditArgs['edits']>): string {
  let out = text;
  edits.forEach((edit, i) => {
    const n = countOf(out, edit.oldText);
    const which = edits.length > 1 ? `oldText of edit ${i + 1}` : 'oldText';
    if (n === 0) throw new ParleyError('bad-request', `The ${which} does not occur in ${path} (it must match the file exactly, whitespace included). Read the file again.`);
    if (n > 1) throw new ParleyError('bad-request', `The ${which} occurs ${n} times in ${path}; include more surrounding lines so it occurs once.`);
    const at = out.indexOf(edit.oldText);
    out = out.slice(0, at) + edit.newText + out.slice(at + edit.oldText.length);
  });
  return out;
}

/** A path for a file that does not exist yet: its nearest existing folder must be inside the workspace. */
async function resolveNewFile(path: string, view: WorkspaceView): Promise<{ path: string; absolute: string }> {
  const parts = path.trim().replace(/^\.\//, '').split(/[\\/]+/).filter(Boolean);
  if (parts.some((p) => p === '..' || p === '.git')) throw new ParleyError('bad-request', `${path} leaves the workspace or enters .git/; new files go inside the workspace folders.`);
  if (!view.roots.length) throw new ParleyError('bad-request', 'No folder is open in VS Code, so there is nowhere to create the file.');
  for (let keep = parts.length - 1; keep >= 0; keep--) {
    const existing = parts.slice(0, keep).join('/');
    try {
      const folder = existing ? await resolveToolPath(existing, view) : { path: '', absolute: view.roots[0] };
      const rest = parts.slice(keep);
      return { path: posix.join(folder.path, ...rest), absolute: join(folder.absolute, ...rest) };
    } catch (err) {
      if (!(err instanceof ParleyError) || !/no longer exists|does not exist/.test(err.message)) throw err;
    }
  }
  throw new ParleyError('bad-request', `${path} cannot be created in the workspace.`);
}

/** The file a proposal is for, and its text now (undefined: it does not exist yet, and `creating` allows that). */
export async function readTarget(path: string, view: WorkspaceView, creating: boolean): Promise<{ path: string; absolute: string; before?: string }> {
  let target: { path: string; absolute: string };
  try {
    target = await resolveToolPath(path, view);
  } catch (err) {
    if (!(err instanceof ParleyError) || !/no longer exists/.test(err.message)) throw err;
    if (!creating) throw new ParleyError('bad-request', `${path} does not exist; give its whole content to create it.`);
    return resolveNewFile(path, view);
  }
  const stat = await fs.stat(target.absolute).catch(() => undefined);
  if (!stat) return target;
  if (!stat.isFile()) throw new ParleyError('bad-request', `${target.path} is not a regular file.`);
  if (stat.size > MAX_FILE_BYTES) throw new ParleyError('bad-request', `${target.path} is ${Math.round(stat.size / 1024)} KB; Parley edits files up to ${MAX_FILE_BYTES / 1024 / 1024} MB.`);
  const bytes = await fs.readFile(target.absolute);
  if (bytes.subarray(0, 8192).includes(0)) throw new ParleyError('bad-request', `${target.path} is a binary file; only text files can be edited.`);
  return { ...target, before: bytes.toString('utf8') };
}

/** Checks the arguments and builds the proposal; throws a message for the model when it cannot be made. */
export async function proposeEdit(args: EditArgs, view: WorkspaceView): Promise<EditProposal> {
  const { before, ...target } = await readTarget(args.path, view, args.content !== undefined);
  const after = args.edits ? applyReplacements(target.path, before ?? '', args.edits) : args.content!;
  if (after === before) throw new ParleyError('bad-request', `The proposed content of ${target.path} is the same as the file's; nothing to change.`);
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before ?? '', after)) {
    if (part.added) added += part.count ?? 0;
    if (part.removed) removed += part.count ?? 0;
  }
  const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${target.path}`, `b/${target.path}`, before ?? '', after, undefined, undefined, { context: 3 });
  return { path: target.path, absolute: target.absolute, ...(before !== undefined && { before }), after, added, removed, patch };
}

export function describeProposal(p: EditProposal): string {
  return `${p.before === undefined ? 'new file ' : ''}${p.path} (+${p.added} −${p.removed} lines)`;
}
