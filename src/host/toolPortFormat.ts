// The plain half of the tools' VS Code port (src/host/toolPort.ts): how the Problems list, a selection, the
// git changes, files.exclude and paths are turned into what the tools hand the model. No `vscode` here, so
// test/unit/toolPort.test.ts runs it in plain Node on plain data.
import { isAbsolute, relative, sep } from 'node:path';

/** At most this many Problems lines go to the model; a last line says how many more there are. */
export const MAX_PROBLEMS = 500;
/** At most this many untracked file names are listed after the diff. */
export const MAX_UNTRACKED = 200;

export const toPosix = (p: string) => p.split(sep).join('/');

export function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!!rel && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * A path as the file tools show it (relative to its folder; prefixed with the folder's directory name when
 * several folders are open, which is what read_file accepts back), or undefined outside every folder. The
 * innermost folder wins when folders nest.
 */
export function workspaceRelative(roots: readonly string[], absolute: string): string | undefined {
  let best: string | undefined;
  for (const root of roots) if (inside(root, absolute) && (!best || root.length > best.length)) best = root;
  if (best === undefined) return undefined;
  const rel = toPosix(relative(best, absolute));
  if (roots.length <= 1) return rel || '.';
  const name = toPosix(best).split('/').filter(Boolean).at(-1) ?? best;
  return rel ? `${name}/${rel}` : name;
}

/** `files.exclude` as VS Code gives it (glob → true, false or `{ when: "$(basename).ts" }`) → the globs that are on. */
export function excludeGlobs(setting: Record<string, unknown> | undefined): string[] {
  // Conditional entries ({ when }) hide a file only when a sibling exists; they are treated as not excluded
  // (the walk does not look at siblings), so such files stay visible to the tools.
  return Object.entries(setting ?? {}).filter(([, on]) => on === true).map(([glob]) => glob);
}

/** One diagnostic as plain data; line and character are 0-based as in VS Code, severity its enum's number. */
export interface DiagnosticEntry {
  line: number;
  character: number;
  /** 0 error, 1 warning, 2 information, 3 hint (vscode.DiagnosticSeverity). */
  severity: number;
  message: string;
  source?: string;
  code?: string | number;
}

const SEVERITY = ['error', 'warning', 'info', 'hint'];

/**
 * The Problems list as `path:line:col severity message (source code)` lines (1-based), errors first, then
 * warnings, information and hints, each by path and position; files outside the workspace (`relativePath`
 * returns undefined) are left out; at most `max` lines, then one saying how many more there are.
 */
export function formatDiagnostics(files: ReadonlyArray<{ file: string; diagnostics: readonly DiagnosticEntry[] }>, relativePath: (file: string) => string | undefined, max = MAX_PROBLEMS): string[] {
  const rows: Array<{ path: string; d: DiagnosticEntry }> = [];
  for (const { file, diagnostics } of files) {
    const path = relativePath(file);
    if (path !== undefined) for (const d of diagnostics) rows.push({ path, d });
  }
  const rank = (s: number) => (s >= 0 && s <= 3 ? s : 3);
  rows.sort((a, b) => rank(a.d.severity) - rank(b.d.severity) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.d.line - b.d.line || a.d.character - b.d.character);
  const lines = rows.slice(0, max).map(({ path, d }) => {
    const message = d.message.replace(/\s*\r?\n\s*/g, ' ').trim();
    const origin = [d.source, d.code].filter((x) => x !== undefined && x !== '').join(' ');
    return `${path}:${d.line + 1}:${d.character + 1} ${SEVERITY[rank(d.severity)]} ${message}${origin ? ` (${origin})` : ''}`;
  });
  if (rows.length > max) lines.push(`[${rows.length - max} more problems not listed]`);
  return lines;
}

/** A selection (0-based positions) → 1-based lines; one that ends at column 0 of a later line ends on the line before. */
export function selectionLines(start: { line: number; character: number }, end: { line: number; character: number }): { startLine: number; endLine: number } {
  const lastLine = end.line > start.line && end.character === 0 ? end.line - 1 : end.line;
  return { startLine: start.line + 1, endLine: lastLine + 1 };
}

/** What one repository contributes to get_git_diff. */
export interface RepositoryDiff {
  /** The repository as the model sees it (its workspace-relative root, or '.'). */
  name: string;
  staged: string;
  unstaged: string;
  /** Workspace-relative paths of untracked files. */
  untracked: string[];
}

/** Staged and unstaged diffs and untracked files of each repository as one text; '' when nothing changed. */
export function formatGitDiff(repos: readonly RepositoryDiff[], maxUntracked = MAX_UNTRACKED): string {
  const changed = repos.filter((r) => r.staged.trim() || r.unstaged.trim() || r.untracked.length);
  const parts = changed.map((r) => {
    const sections: string[] = [];
    if (changed.length > 1 || repos.length > 1) sections.push(`Repository ${r.name}:`);
    if (r.staged.trim()) sections.push(`Staged changes (git diff --cached):\n${r.staged.trimEnd()}`);
    if (r.unstaged.trim()) sections.push(`Unstaged changes (git diff):\n${r.unstaged.trimEnd()}`);
    if (r.untracked.length) {
      const names = [...r.untracked].sort();
      const more = names.length > maxUntracked ? ` and ${names.length - maxUntracked} more` : '';
      sections.push(`Untracked: ${names.slice(0, maxUntracked).join(', ')}${more}`);
    }
    return sections.join('\n');
  });
  return parts.join('\n\n');
}
