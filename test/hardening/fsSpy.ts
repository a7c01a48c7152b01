// Records every path the code under test hands to node:fs's promise API (what the host uses to read files and
// store history), so a test can prove nothing outside the workspace folders and the history dir was touched.
import { promises as fsp } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const OPS = [
  'readFile', 'open', 'stat', 'lstat', 'realpath', 'readdir', 'opendir', 'access', 'readlink', 'writeFile', 'appendFile',
  'rename', 'rm', 'rmdir', 'unlink', 'mkdir', 'copyFile', 'cp', 'truncate', 'symlink', 'link', 'chmod', 'utimes', 'watch',
] as const;
/** Operations whose second argument is a path too. */
const TWO_PATHS = new Set(['rename', 'copyFile', 'cp', 'symlink', 'link']);

export interface Touch { op: string; path: string }

function asPath(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof URL) return value.protocol === 'file:' ? fileURLToPath(value) : value.href;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

export function inside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

export interface FsSpy {
  touches: Touch[];
  /** Touches of paths under none of `roots`. */
  outside(roots: readonly string[]): Touch[];
  restore(): void;
}

export function spyOnFs(): FsSpy {
  const touches: Touch[] = [];
  const target = fsp as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const op of OPS) {
    const original = target[op];
    if (typeof original !== 'function') continue;
    originals.set(op, original);
    target[op] = function (this: unknown, ...args: unknown[]) {
      for (const arg of TWO_PATHS.has(op) ? args.slice(0, 2) : args.slice(0, 1)) {
        const path = asPath(arg);
        touches.push({ op, path: path ?? `<${typeof arg}>` });
      }
      return original.apply(this, args);
    };
  }
  return {
    touches,
    outside: (roots) => touches.filter((t) => !roots.some((root) => inside(root, t.path))),
    restore() {
      for (const [op, original] of originals) target[op] = original;
    },
  };
}
