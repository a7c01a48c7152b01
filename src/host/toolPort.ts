// The VS Code side of the workspace tools (src/tools/workspaceTools.ts): the workspace view (open file folders,
// `files.exclude`) and the EditorPort (Problems list, active editor, git diff) built on the real `vscode` API
// and VS Code's git extension. The formatting is done by plain functions over plain data (toolPortFormat.ts,
// unit-tested in test/unit/toolPort.test.ts); this file holds only the thin wrappers over `vscode`.
//
// Boundary: like the file tools, these report only what lies inside the open workspace folders — problems of
// files elsewhere, an editor showing a file elsewhere, and changes outside the folders are left out.
import * as vscode from 'vscode';
import type { WorkspaceView } from '../tools/workspaceFiles';
import type { EditorPort } from '../tools/workspaceTools';
import { excludeGlobs, formatDiagnostics, formatGitDiff, inside, selectionLines, toPosix, workspaceRelative, type RepositoryDiff } from './toolPortFormat';

// ---------------------------------------------------------------------------------------------------------
// The git extension's API, as much of it as is used here (extensions/git/src/api/git.d.ts of VS Code 1.139).

interface GitChange {
  readonly uri: vscode.Uri;
  readonly status: number;
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly workingTreeChanges: GitChange[]; readonly untrackedChanges?: GitChange[] };
  /** `git diff` (working tree against the index), or `git diff --cached` (index against HEAD). */
  diff(cached?: boolean): Promise<string>;
  /** `git diff -- <path>`: working tree against the index, for a path (absolute paths are made relative). */
  diffWithHEAD(path: string): Promise<string>;
  /** `git diff --cached -- <path>`. */
  diffIndexWithHEAD(path: string): Promise<string>;
  status(): Promise<void>;
}
interface GitApi {
  readonly state?: 'uninitialized' | 'initialized';
  readonly onDidChangeState?: vscode.Event<'uninitialized' | 'initialized'>;
  readonly repositories: GitRepository[];
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}
/** Status.UNTRACKED of the git API (untracked files sit in workingTreeChanges unless git.untrackedChanges is "separate"). */
const UNTRACKED = 7;
/** How long get_git_diff waits for the git extension to find the repositories of a window that just opened. */
const GIT_READY_MS = 5_000;

// ---------------------------------------------------------------------------------------------------------
// The wrappers over `vscode`

function workspaceView(): WorkspaceView {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  // files.exclude is a resource setting: a folder may have its own. The union of all is applied to every
  // folder (the view has one list), which hides more rather than less.
  const exclude = new Set<string>();
  for (const folder of folders.length ? folders : [undefined]) {
    for (const glob of excludeGlobs(vscode.workspace.getConfiguration('files', folder?.uri).get<Record<string, unknown>>('exclude'))) exclude.add(glob);
  }
  return { roots: folders.map((f) => f.uri.fsPath), exclude: [...exclude] };
}

function problems(roots: readonly string[]): string[] {
  const files = vscode.languages
    .getDiagnostics()
    .filter(([uri, list]) => uri.scheme === 'file' && list.length)
    .map(([uri, list]) => ({
      file: uri.fsPath,
      diagnostics: list.map((d) => ({
        line: d.range.start.line,
        character: d.range.start.character,
        severity: d.severity,
        message: d.message,
        source: d.source,
        code: typeof d.code === 'object' ? d.code.value : d.code,
      })),
    }));
  return formatDiagnostics(files, (file) => workspaceRelative(roots, file));
}

function activeEditor(roots: readonly string[], fallback: () => vscode.TextEditor | undefined): ReturnType<NonNullable<EditorPort['activeEditor']>> {
  const candidates = [vscode.window.activeTextEditor, fallback()];
  for (const editor of candidates) {
    if (!editor || editor.document.isClosed || editor.document.uri.scheme !== 'file') continue;
    const path = workspaceRelative(roots, editor.document.uri.fsPath);
    if (path === undefined) continue;
    const s = editor.selection;
    const selection = s.isEmpty ? undefined : { ...selectionLines(s.start, s.end), text: editor.document.getText(s) };
    return Promise.resolve({ path, language: editor.document.languageId, selection });
  }
  return Promise.resolve(undefined);
}

async function gitApi(): Promise<GitApi | undefined> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return undefined;
  try {
    const git = extension.isActive ? extension.exports : await extension.activate();
    if (!git?.enabled) return undefined;
    const api = git.getAPI(1);
    if (api.state === 'uninitialized' && api.onDidChangeState) {
      await new Promise<void>((done) => {
        const timer = setTimeout(() => (sub.dispose(), done()), GIT_READY_MS);
        const sub = api.onDidChangeState!((state) => state === 'initialized' && (clearTimeout(timer), sub.dispose(), done()));
      });
    }
    return api;
  } catch {
    return undefined; // disabled (getAPI throws) or failed to activate
  }
}

async function gitDiff(roots: readonly string[]): Promise<string | undefined> {
  const api = await gitApi();
  if (!api) return undefined;
  const repos: RepositoryDiff[] = [];
  for (const repo of api.repositories) {
    const root = repo.rootUri.fsPath;
    // A repository inside (or at) a folder: its whole diff. A folder inside a repository: the diff of that
    // folder only (`git diff -- <folder>`), so nothing outside the workspace is shown.
    const whole = roots.some((folder) => inside(folder, root));
    const scopes = whole ? [] : roots.filter((folder) => inside(root, folder));
    if (!whole && !scopes.length) continue;
    await repo.status().catch(() => {});
    const both = async (cached: boolean) =>
      whole ? repo.diff(cached) : (await Promise.all(scopes.map((folder) => (cached ? repo.diffIndexWithHEAD(folder) : repo.diffWithHEAD(folder))))).join('');
    const [staged, unstaged] = await Promise.all([both(true), both(false)]);
    const untracked = new Set<string>();
    for (const change of [...(repo.state.untrackedChanges ?? []), ...repo.state.workingTreeChanges.filter((c) => c.status === UNTRACKED)]) {
      const path = change.uri.scheme === 'file' ? workspaceRelative(roots, change.uri.fsPath) : undefined;
      if (path !== undefined) untracked.add(path);
    }
    repos.push({ name: workspaceRelative(roots, root) ?? toPosix(root), staged, unstaged, untracked: [...untracked] });
  }
  return repos.length ? formatGitDiff(repos) : undefined;
}

/**
 * The tools' context from the running VS Code, built when called (folders and settings may have changed).
 * `lastEditor` gives the text editor that was active last (the chat panel takes focus from it).
 */
export function vscodeToolContext(lastEditor: () => vscode.TextEditor | undefined = () => undefined): { view: WorkspaceView; editor: EditorPort } {
  const view = workspaceView();
  return {
    view,
    editor: {
      problems: () => Promise.resolve(problems(view.roots)),
      activeEditor: () => activeEditor(view.roots, lastEditor),
      gitDiff: () => gitDiff(view.roots),
    },
  };
}
