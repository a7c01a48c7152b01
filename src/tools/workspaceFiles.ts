// The workspace as the tools see it: paths a model names, confined to the open folders by the same boundary as
// attachments (symlinks that lead out, `..`), never inside `.git/` or `files.exclude`; and a walk over the files
// that honours `.gitignore` files (each directory's own) and `files.exclude`.
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { ParleyError } from '../providers/errors';
import { resolveInWorkspace } from '../host/attachments';

export interface WorkspaceView {
  /** The open workspace folders (absolute). */
  roots: string[];
  /** `files.exclude` globs that are on. */
  exclude: string[];
}

export interface WorkspaceFile {
  /** As shown to the model: relative to its folder, prefixed with the folder's name when there are several. */
  path: string;
  absolute: string;
}

const GIT_DIR = /(^|\/)\.git(\/|$)/;
const toPosix = (p: string) => p.split(sep).join('/');

function excluded(view: WorkspaceView): (relativePath: string) => boolean {
  if (!view.exclude.length) return () => false;
  const match = picomatch(view.exclude, { dot: true });
  return (relativePath) => match(relativePath) || relativePath.split('/').some((_, i, parts) => match(parts.slice(0, i + 1).join('/')));
}

function rootName(root: string): string {
  return toPosix(root).split('/').filter(Boolean).at(-1) ?? root;
}

/** Shown paths carry the folder name only in a multi-root workspace. */
function shownPath(view: WorkspaceView, root: string, relativePath: string): string {
  return view.roots.length > 1 ? `${rootName(root)}/${relativePath}` : relativePath;
}

/**
 * Resolves a path the model gave (workspace-relative, folder-prefixed in a multi-root workspace, or absolute)
 * to a file inside the workspace, or throws a message the model can act on.
 */
export async function resolveToolPath(path: string, view: WorkspaceView): Promise<WorkspaceFile & { relativePath: string }> {
  const given = path.trim().replace(/^\.\//, '');
  if (!given) throw new ParleyError('bad-request', 'The path is empty: give a path relative to the workspace, such as src/index.ts.');
  if (!view.roots.length) throw new ParleyError('bad-request', 'No folder is open in VS Code, so there are no workspace files to read.');
  if (/^[a-z][\w+.-]+:\/\//i.test(given)) throw new ParleyError('bad-request', `${path} is a URI; give a path relative to the workspace, such as src/index.ts.`);
  if (given.includes('\0')) throw new ParleyError('bad-request', 'The path contains a NUL character.');
  const candidates: Array<{ root: string; absolute: string }> = [];
  if (isAbsolute(given)) candidates.push(...view.roots.map((root) => ({ root, absolute: resolve(given) })));
  else {
    for (const root of view.roots) {
      const prefix = `${rootName(root)}/`;
      if (view.roots.length > 1 && toPosix(given).startsWith(prefix)) candidates.push({ root, absolute: resolve(root, given.slice(prefix.length)) });
    }
    candidates.push(...view.roots.map((root) => ({ root, absolute: resolve(root, given) })));
  }
  let lastError: unknown;
  for (const { root, absolute } of candidates) {
    const rel = relative(root, absolute);
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      lastError = new ParleyError('bad-request', `${path} is outside the workspace; tools only read the open workspace folders.`);
      continue;
    }
    try {
      const { real, relativePath } = await resolveInWorkspace(absolute, [root]);
      if (GIT_DIR.test(relativePath)) throw new ParleyError('bad-request', `${path} is inside .git/, which tools do not read.`);
      if (excluded(view)(relativePath)) throw new ParleyError('bad-request', `${path} is hidden by the files.exclude setting.`);
      return { path: shownPath(view, root, relativePath), absolute: real, relativePath };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError instanceof ParleyError ? lastError : new ParleyError('bad-request', `${path} cannot be read: ${(lastError as Error)?.message ?? 'unknown error'}`);
}

interface Dir {
  absolute: string;
  relative: string;
  /** The .gitignore rules of this directory's ancestors, each with the directory it applies from. */
  rules: Array<{ base: string; ig: Ignore }>;
}

/**
 * The walk and search_text use the synchronous file calls, in slices: an asynchronous call costs several
 * times the CPU of the system call itself (a hand-off to libuv's thread pool and back per call; 4 calls per
 * file read), which made search_text over 10,000 files take seconds (bench: `npm run bench -- tools`). The
 * thread is handed back to the event loop whenever it has been busy for SLICE_MS, so the extension host's
 * other work waits at most about that long (plus one system call: a file on a slow network mount would hold
 * the thread for as long as that call takes).
 */
export const SLICE_MS = 8;
let sliceStart = performance.now();

/** Lets the event loop run if this thread has been busy for SLICE_MS since the last pause. */
export async function pause(): Promise<void> {
  if (performance.now() - sliceStart < SLICE_MS) return;
  await new Promise((resolve) => setImmediate(resolve));
  sliceStart = performance.now();
}

/**
 * The same order as `localeCompare`, without building a collator per comparison. Made by the first walk: setting
 * a collator up takes ICU some 10–20 ms, which loading the tools (the first reply that offers them) need not pay.
 */
let byName: Intl.Collator['compare'] | undefined;

function gitignoreAt(dir: string): Ignore | undefined {
  try {
    return ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8'));
  } catch {
    return undefined;
  }
}

function ignoredBy(rules: Dir['rules'], relativePath: string, isDir: boolean): boolean {
  for (const { base, ig } of rules) {
    const rel = base ? relativePath.slice(base.length + 1) : relativePath;
    if (rel && ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/**
 * Every file of the workspace in a breadth-first walk (each directory's entries by name), without `.git/`,
 * `.gitignore`d and `files.exclude`d paths; symbolic links are not followed (a link may lead out of the
 * workspace). A directory's `.gitignore` is read only when its listing has one. Pauses (see SLICE_MS) before
 * each directory and each file it hands out, so the consumer's work between files is sliced too.
 */
export async function* walkWorkspace(view: WorkspaceView, signal?: AbortSignal): AsyncIterable<WorkspaceFile> {
  // Only the entry itself is matched against files.exclude: its directories were matched on the way down.
  const isExcluded = view.exclude.length ? picomatch(view.exclude, { dot: true }) : () => false;
  const compare = (byName ??= new Intl.Collator().compare);
  for (const root of view.roots) {
    const queue: Dir[] = [{ absolute: root, relative: '', rules: [] }];
    for (let next = 0; next < queue.length; next++) {
      await pause();
      if (signal?.aborted) return;
      const dir = queue[next];
      queue[next] = undefined as unknown as Dir; // let the walked part of the queue go
      let entries: Dirent[];
      try {
        entries = readdirSync(dir.absolute, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => compare(a.name, b.name));
      let rules = dir.rules;
      if (entries.some((e) => e.name === '.gitignore')) {
        const own = gitignoreAt(dir.absolute);
        if (own) rules = [...rules, { base: dir.relative, ig: own }];
      }
      for (const entry of entries) {
        const rel = dir.relative ? `${dir.relative}/${entry.name}` : entry.name;
        if (entry.name === '.git' || isExcluded(rel)) continue;
        if (entry.isDirectory()) {
          if (!ignoredBy(rules, rel, true)) queue.push({ absolute: join(dir.absolute, entry.name), relative: rel, rules });
        } else if (entry.isFile() && !ignoredBy(rules, rel, false)) {
          await pause();
          if (signal?.aborted) return;
          yield { path: shownPath(view, root, rel), absolute: join(dir.absolute, entry.name) };
        }
      }
    }
  }
}
