import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mimeChunk } from '../chunks';
import { MAX_IMAGE_BYTES, type AttachmentInfo } from '../protocol';
import { ParleyError } from '../providers/errors';

/** An attachment with its contents; the contents never leave the host except towards the provider. */
export interface Attachment extends AttachmentInfo {
  text?: string;
  base64?: string;
}

export interface AttachmentPolicy {
  /** Workspace folders (absolute paths); only files inside them can be read. */
  roots: string[];
  /** Mime globs such as `text/*`, `image/png`. */
  allowedTypes: string[];
  maxBytes: number;
}

export const DEFAULT_ALLOWED_TYPES = ['text/*', 'application/json', 'application/xml', 'application/javascript', 'application/x-sh', 'application/toml', 'application/yaml', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'];
export const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Source files mime does not know, or knows as something unhelpful (video/mp2t for .ts). */
const TEXT_EXTENSIONS = new Set([
  'ts', 'tsx', 'mts', 'cts', 'jsx', 'vue', 'svelte', 'py', 'rs', 'go', 'java', 'kt', 'kts', 'c', 'h', 'cc', 'cpp', 'hpp', 'cs', 'rb',
  'php', 'swift', 'scala', 'sh', 'bash', 'zsh', 'fish', 'ps1', 'sql', 'graphql', 'gql', 'toml', 'ini', 'cfg', 'conf', 'env', 'lock',
  'gradle', 'dockerfile', 'makefile', 'cmake', 'r', 'lua', 'pl', 'ex', 'exs', 'erl', 'hs', 'ml', 'clj', 'dart', 'zig', 'nim', 'tf',
  'proto', 'diff', 'patch', 'log', 'gitignore', 'editorconfig',
]);

/** The file's type by its name; mime's table is a chunk of its own (dist/sdk/mime.js), loaded on the first file attached. */
export async function mimeTypeOf(path: string): Promise<string> {
  const name = basename(path).toLowerCase();
  const ext = name.includes('.') ? name.split('.').pop()! : name;
  if (TEXT_EXTENSIONS.has(ext)) return 'text/plain';
  const { mime } = await mimeChunk();
  return mime.getType(name) ?? 'application/octet-stream';
}

export function mimeAllowed(type: string, globs: readonly string[]): boolean {
  return globs.some((glob) => glob === '*/*' || glob === type || (glob.endsWith('/*') && type.startsWith(glob.slice(0, -1))));
}

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A path or `file:` URI as an absolute path; anything else (other schemes, relative paths) is refused. */
export function toFsPath(pathOrUri: string): string {
  if (/^file:/i.test(pathOrUri)) return fileURLToPath(pathOrUri);
  if (/^[a-z][\w+.-]*:/i.test(pathOrUri) && !/^[a-z]:[\\/]/i.test(pathOrUri)) {
    throw new ParleyError('attachment', `Only files from the workspace can be attached (got a ${pathOrUri.split(':')[0]}: address).`);
  }
  if (!isAbsolute(pathOrUri)) throw new ParleyError('attachment', 'Only files from the workspace can be attached.');
  return resolve(pathOrUri);
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The workspace-relative path of `path` after following symlinks, or an error if it lies outside. */
export async function resolveInWorkspace(pathOrUri: string, roots: readonly string[]): Promise<{ real: string; relativePath: string }> {
  const path = toFsPath(pathOrUri);
  // A path outside every folder is refused before the disk is touched: the webview learns nothing about files
  // elsewhere, not even whether they exist. (A symlink inside a folder is followed, and checked again below.)
  const realRoots = await Promise.all(roots.map((root) => fs.realpath(root).catch(() => root)));
  if (!roots.some((root, i) => inside(resolve(root), path) || inside(realRoots[i], path))) throw outsideWorkspace(path);
  let real: string;
  try {
    real = await fs.realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ParleyError('attachment', `${basename(path)} no longer exists.`);
    throw new ParleyError('attachment', `${basename(path)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  for (const realRoot of realRoots) {
    if (inside(realRoot, real)) return { real, relativePath: relative(realRoot, real).split(sep).join('/') || basename(real) };
  }
  throw outsideWorkspace(path);
}

function outsideWorkspace(path: string): ParleyError {
  return new ParleyError('attachment', `${basename(path)} is outside the workspace; Parley only reads files in the open workspace folders.`);
}

function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.length < bytes.length ? trimPartialUtf8(sample) : sample);
    return false;
  } catch {
    return true;
  }
}

/** Drops a multi-byte character cut in half at the end of a sample. */
function trimPartialUtf8(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = bytes[end - i];
    if ((b & 0xc0) === 0xc0) return bytes.subarray(0, end - i);
    if ((b & 0x80) === 0) break;
  }
  return bytes;
}

/** Reads a workspace file into an attachment, enforcing the workspace boundary, type and size limits. */
export async function readWorkspaceFile(pathOrUri: string, policy: AttachmentPolicy): Promise<Attachment> {
  const { real, relativePath } = await resolveInWorkspace(pathOrUri, policy.roots);
  const name = basename(real);
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new ParleyError('attachment', `${name} is not a file.`);
  if (stat.size > policy.maxBytes) {
    throw new ParleyError('attachment', `${name} is ${humanSize(stat.size)}; the limit is ${humanSize(policy.maxBytes)} (setting parley.attachments.maxBytes).`);
  }
  const mimeType = await mimeTypeOf(real);
  const bytes = await fs.readFile(real);
  if (bytes.length > policy.maxBytes) throw new ParleyError('attachment', `${name} grew past the size limit while it was read.`);
  const base = { id: randomUUID(), name, source: relativePath, size: bytes.length };
  if (IMAGE_TYPES.has(mimeType)) {
    if (!mimeAllowed(mimeType, policy.allowedTypes)) throw notAllowed(name, mimeType);
    return { ...base, kind: 'image', mimeType, base64: bytes.toString('base64') };
  }
  if (looksBinary(bytes)) throw new ParleyError('attachment', `${name} is a binary file; only text files and images can be attached.`);
  const textType = mimeType === 'application/octet-stream' ? 'text/plain' : mimeType;
  if (!mimeAllowed(textType, policy.allowedTypes)) throw notAllowed(name, textType);
  return { ...base, kind: 'text', mimeType: textType, text: bytes.toString('utf8') };
}

function notAllowed(name: string, type: string): ParleyError {
  return new ParleyError('attachment', `${name} is ${type}, which is not an allowed attachment type (setting parley.attachments.allowedTypes).`);
}

/** An image pasted into the panel. */
export function pastedImage(name: string, mimeType: string, base64: string, policy: AttachmentPolicy): Attachment {
  if (!IMAGE_TYPES.has(mimeType)) throw new ParleyError('attachment', `Pasted data of type ${mimeType || 'unknown'} is not an image Parley can send (PNG, JPEG, GIF or WebP).`);
  if (!mimeAllowed(mimeType, policy.allowedTypes)) throw new ParleyError('attachment', `${mimeType} is not an allowed attachment type (setting parley.attachments.allowedTypes).`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new ParleyError('attachment', 'The pasted image data is not valid base64.');
  const size = Math.floor((base64.length * 3) / 4);
  const limit = Math.min(policy.maxBytes, MAX_IMAGE_BYTES);
  if (size > limit) throw new ParleyError('attachment', `The pasted image is ${humanSize(size)}; the limit is ${humanSize(limit)}.`);
  return { id: randomUUID(), name: name.replace(/[\\/]/g, '_').slice(0, 120) || 'pasted image', source: 'pasted image', kind: 'image', mimeType, size, base64 };
}

/** Editor text (current selection or file) as an attachment. */
export function textAttachment(name: string, source: string, text: string, maxBytes: number): Attachment {
  const size = Buffer.byteLength(text);
  if (size > maxBytes) throw new ParleyError('attachment', `${source} is ${humanSize(size)}; the limit is ${humanSize(maxBytes)}.`);
  return { id: randomUUID(), name, source, kind: 'text', mimeType: 'text/plain', size, text };
}

/**
 * A selection of `file` (workspace-relative) as an attachment named by its lines, `hello.ts:12-30` (lines from 1;
 * a selection that ends at the start of a line does not take that line).
 */
export function selectionAttachment(file: string, start: { line: number }, end: { line: number; character: number }, text: string, maxBytes: number): Attachment {
  const first = start.line + 1;
  const last = end.character === 0 && end.line > start.line ? end.line : end.line + 1;
  const lines = first === last ? `${first}` : `${first}-${last}`;
  return textAttachment(`${file.split('/').pop()}:${lines}`, `${file}:${lines}`, text, maxBytes);
}

export function info(attachment: Attachment): AttachmentInfo {
  const { id, name, source, kind, mimeType, size } = attachment;
  return { id, name, source, kind, mimeType, size };
}

/** Text attachments go to the model as fenced blocks headed by their workspace path. */
export function foldIntoText(text: string, attachments: readonly Attachment[]): string {
  const blocks = attachments
    .filter((a) => a.kind === 'text' && a.text !== undefined)
    .map((a) => {
      const fence = a.text!.includes('```') ? '````' : '```';
      const lang = a.source.includes('.') ? a.source.split('.').pop()!.replace(/[^\w-].*$/, '') : '';
      return `${a.source}:\n${fence}${lang}\n${a.text}\n${fence}`;
    });
  return blocks.length ? `${blocks.join('\n\n')}\n\n${text}` : text;
}
