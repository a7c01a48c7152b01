// The read-only workspace tools a model may call: each with a valibot schema (its JSON schema for the providers
// is derived from it), and a run that returns text for the model. Bad arguments, paths outside the workspace,
// binary or huge files become results the model can read, never exceptions that end the reply.
// Part of the tools' chunk (src/sdk-entries/tools.ts), loaded by the first reply that offers tools.
import { closeSync, fstatSync, openSync, promises as fs, readSync } from 'node:fs';
import { toJsonSchema } from '@valibot/to-json-schema';
import picomatch from 'picomatch';
import * as v from 'valibot';
import { ParleyError } from '../providers/errors';
import type { ToolSpec } from '../providers/types';
import { nestsRepetition } from './regexSafety';
import { MAX_OUTPUT_CHARS, WORKSPACE_TOOLS, workspaceToolInfo, type WorkspaceToolName } from './toolList';
import type { OfferedTool } from './toolbox';
import { resolveToolPath, walkWorkspace, type WorkspaceFile, type WorkspaceView } from './workspaceFiles';

/** What VS Code tells the tools beyond the files (the extension's port; absent in plain Node). */
export interface EditorPort {
  /** The Problems list: `path:line:col severity message` lines. */
  problems?(): Promise<string[]>;
  /** The active editor's file, language and selection. */
  activeEditor?(): Promise<{ path: string; language: string; selection?: { startLine: number; endLine: number; text: string } } | undefined>;
  /** The working tree's diff against HEAD (VS Code's git extension). */
  gitDiff?(): Promise<string | undefined>;
}

export interface ToolContext {
  view: WorkspaceView;
  editor?: EditorPort;
  signal?: AbortSignal;
}

export interface ToolOutput {
  text: string;
  isError?: boolean;
  /** What the call read, for the card ("hello.ts, lines 1-40"). */
  summary?: string;
}

/** Files larger than this are not read whole (read_file asks for a line range instead); search skips them. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

interface WorkspaceTool<S extends v.GenericSchema> {
  /** Its description is in toolList.ts, with the name. */
  name: WorkspaceToolName;
  args: S;
  run(args: v.InferOutput<S>, ctx: ToolContext): Promise<ToolOutput>;
}

const path = v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.description('Path relative to the workspace folder, e.g. src/index.ts'));
const line = v.pipe(v.number(), v.integer(), v.minValue(1));

function cut(text: string, what: string): string {
  if (text.length <= MAX_OUTPUT_CHARS) return text;
  return `${text.slice(0, MAX_OUTPUT_CHARS)}\n[… ${what} cut at ${MAX_OUTPUT_CHARS.toLocaleString('en-US')} characters of ${text.length.toLocaleString('en-US')}]`;
}

/** A glob relative to the workspace; one without a slash matches file names anywhere. No glob: every file. */
function globMatcher(glob: string | undefined): (path: string) => boolean {
  return glob ? picomatch(glob, { dot: true, basename: !glob.includes('/') }) : () => true;
}

function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/**
 * A file's text for search_text, or undefined when it is not searched (over MAX_FILE_BYTES, binary, gone or
 * unreadable). Synchronous (see SLICE_MS in workspaceFiles.ts): one open, fstat, read and close, the size
 * checked on the open file rather than by a stat first.
 */
function readSearchable(absolute: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(absolute, 'r');
    const { size } = fstatSync(fd);
    if (size > MAX_FILE_BYTES) return undefined;
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const read = readSync(fd, bytes, filled, size - filled, filled);
      if (!read) break;
      filled += read;
    }
    const text = bytes.subarray(0, filled);
    return isBinary(text) ? undefined : text.toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) try { closeSync(fd); } catch { /* already gone */ }
  }
}

const readArgs = v.object({ path, startLine: v.optional(line), endLine: v.optional(line) });

const readFile: WorkspaceTool<typeof readArgs> = {
  name: 'read_file',
  args: readArgs,
  async run(args, ctx) {
    const file = await resolveToolPath(args.path, ctx.view);
    const stat = await fs.stat(file.absolute);
    if (stat.isDirectory()) return { text: `${file.path} is a directory; use list_files to see what it holds.`, isError: true };
    if (!stat.isFile()) return { text: `${file.path} is not a regular file (a pipe, socket or device), so it is not read.`, isError: true };
    if (stat.size > MAX_FILE_BYTES && args.startLine === undefined) {
      return { text: `${file.path} is ${Math.round(stat.size / 1024)} KB, too large to read whole: ask for a range of lines (startLine, endLine).`, isError: true };
    }
    const bytes = await fs.readFile(file.absolute);
    if (isBinary(bytes)) return { text: `${file.path} is a binary file; read_file reads text files only.`, isError: true };
    const lines = bytes.toString('utf8').split(/\r?\n/);
    const start = Math.min(args.startLine ?? 1, lines.length);
    const end = Math.min(args.endLine ?? lines.length, lines.length);
    if (end < start) return { text: `endLine (${args.endLine}) is before startLine (${args.startLine}).`, isError: true };
    const width = String(end).length;
    const body = lines.slice(start - 1, end).map((text, i) => `${String(start + i).padStart(width)}  ${text}`).join('\n');
    const range = start === 1 && end === lines.length ? `${lines.length} lines` : `lines ${start}-${end} of ${lines.length}`;
    return { text: cut(`${file.path} (${range}):\n${body}`, 'the file'), summary: `${file.path}, ${range}` };
  },
};

const listArgs = v.object({
  glob: v.optional(v.pipe(v.string(), v.maxLength(500), v.description('Glob relative to the workspace, e.g. **/*.ts'))),
  maxResults: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5000))),
});

const listFiles: WorkspaceTool<typeof listArgs> = {
  name: 'list_files',
  args: listArgs,
  async run(args, ctx) {
    const matches = globMatcher(args.glob);
    const max = args.maxResults ?? 500;
    const found: string[] = [];
    let more = 0;
    for await (const file of walkWorkspace(ctx.view, ctx.signal)) {
      if (!matches(file.path)) continue;
      if (found.length < max) found.push(file.path);
      else more++;
    }
    if (!found.length) return { text: args.glob ? `No workspace file matches ${args.glob}.` : 'The workspace has no files.', summary: 'no files' };
    return { text: cut(found.join('\n') + (more ? `\n[${more} more not listed; narrow the glob]` : ''), 'the list'), summary: `${found.length + more} files` };
  },
};

const searchArgs = v.object({
  query: v.pipe(v.string(), v.minLength(1), v.maxLength(1000), v.description('Text to find, or a regular expression when isRegex is true')),
  isRegex: v.optional(v.boolean()),
  caseSensitive: v.optional(v.boolean()),
  glob: v.optional(v.pipe(v.string(), v.maxLength(500), v.description('Only files matching this glob, e.g. **/*.ts'))),
  maxResults: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2000))),
});

const searchText: WorkspaceTool<typeof searchArgs> = {
  name: 'search_text',
  args: searchArgs,
  async run(args, ctx) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(args.isRegex ? args.query : args.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), args.caseSensitive ? '' : 'i');
    } catch (err) {
      return { text: `The regular expression is not valid: ${(err as Error).message}`, isError: true };
    }
    if (args.isRegex && (await nestsRepetition(args.query))) {
      return { text: `The regular expression /${args.query}/ nests repetition (such as (a+)+), which can take exponential time; write it without nested quantifiers.`, isError: true };
    }
    const wanted = globMatcher(args.glob);
    const max = args.maxResults ?? 200;
    // Most files hold no match: one test over the whole text rules them out before it is split into lines.
    // A regular expression with lookarounds is left out of that (at a line's start or end it can see the
    // neighbouring line in the whole text, and so miss a match the line alone has).
    const whole = !args.isRegex || !/\(\?<?[=!]/.test(pattern.source) ? new RegExp(pattern.source, `${pattern.flags}m`) : undefined;
    const found = (file: WorkspaceFile, text: string): string[] => {
      if (whole && !whole.test(text)) return [];
      const hits: string[] = [];
      const lines = text.split(/\r?\n/);
      for (let i = 0; i < lines.length; i++) if (pattern.test(lines[i])) hits.push(`${file.path}:${i + 1}: ${lines[i].trim().slice(0, 300)}`);
      return hits;
    };
    // The walk pauses between files (see SLICE_MS), which slices this loop's reading and matching too.
    const hits: string[] = [];
    let files = 0;
    for await (const file of walkWorkspace(ctx.view, ctx.signal)) {
      if (!wanted(file.path)) continue;
      const text = readSearchable(file.absolute);
      if (text === undefined) continue;
      files++;
      hits.push(...found(file, text));
      if (hits.length >= max) break;
    }
    if (!hits.length) return { text: `No match for ${args.isRegex ? `/${args.query}/` : `"${args.query}"`} in ${files} files.`, summary: `no matches in ${files} files` };
    const shown = hits.slice(0, max);
    const stopped = hits.length >= max ? `\n[stopped at ${max} matches, there may be more; narrow the search]` : '';
    return { text: cut(shown.join('\n') + stopped, 'the results'), summary: `${shown.length} matches in ${files} files searched` };
  },
};

const noArgs = v.object({});

const problems: WorkspaceTool<typeof noArgs> = {
  name: 'get_problems',
  args: noArgs,
  async run(_args, ctx) {
    if (!ctx.editor?.problems) return { text: 'The Problems list is not available here.', isError: true };
    const list = await ctx.editor.problems();
    return { text: list.length ? cut(list.join('\n'), 'the list') : 'The Problems list is empty.', summary: `${list.length} problems` };
  },
};

const activeEditor: WorkspaceTool<typeof noArgs> = {
  name: 'get_active_editor',
  args: noArgs,
  async run(_args, ctx) {
    const editor = await ctx.editor?.activeEditor?.();
    if (!editor) return { text: 'No file is open in an editor.' };
    const selection = editor.selection ? `\nSelected lines ${editor.selection.startLine}-${editor.selection.endLine}:\n${editor.selection.text}` : '\nNothing is selected.';
    return { text: cut(`${editor.path} (${editor.language})${selection}`, 'the selection'), summary: editor.path };
  },
};

const gitDiff: WorkspaceTool<typeof noArgs> = {
  name: 'get_git_diff',
  args: noArgs,
  async run(_args, ctx) {
    if (!ctx.editor?.gitDiff) return { text: 'Git is not available here.', isError: true };
    const diff = await ctx.editor.gitDiff();
    if (diff === undefined) return { text: 'The workspace is not a git repository (or VS Code\'s git extension is off).', isError: true };
    return { text: diff ? cut(diff, 'the diff') : 'No uncommitted changes.', summary: diff ? `${diff.split('\n').length} diff lines` : 'no changes' };
  },
};

// Each tool's schema type differs; the registry only needs them as a list.
const TOOLS = [readFile, listFiles, searchText, problems, activeEditor, gitDiff] as unknown as WorkspaceTool<v.GenericSchema>[];

/** A tool as the providers are told about it. */
function specOf(tool: WorkspaceTool<v.GenericSchema>): ToolSpec {
  const { $schema: _ignored, ...parameters } = toJsonSchema(tool.args, { errorMode: 'ignore' }) as Record<string, unknown>;
  return { name: tool.name, description: WORKSPACE_TOOLS[tool.name], parameters };
}

/** The tools as the providers are told about them. */
export function workspaceToolSpecs(): ToolSpec[] {
  return TOOLS.map(specOf);
}

/** The workspace tools as offered to a reply, each run against the workspace `context()` describes when it runs. */
export function workspaceTools(context: () => Omit<ToolContext, 'signal'> | undefined): OfferedTool[] {
  return TOOLS.map((tool) => ({
    info: workspaceToolInfo(tool.name),
    spec: specOf(tool),
    run: (argumentsJson, signal) => runWorkspaceTool(tool.name, argumentsJson, { ...(context() ?? { view: { roots: [], exclude: [] } }), signal }),
  }));
}

/**
 * Runs the tool the model called with the arguments' JSON text it wrote. Anything wrong with the call (unknown
 * tool, arguments that are not JSON or fail the schema, a path outside the workspace, a failing read) comes
 * back as an error result the model can read and correct.
 */
export async function runWorkspaceTool(name: string, argumentsJson: string, ctx: ToolContext): Promise<ToolOutput> {
  const tool = TOOLS.find((t) => t.name === name);
  if (!tool) return { text: `There is no tool named "${name}". The tools are: ${TOOLS.map((t) => t.name).join(', ')}.`, isError: true };
  let raw: unknown;
  try {
    raw = argumentsJson.trim() ? JSON.parse(argumentsJson) : {};
  } catch (err) {
    return { text: `The arguments of ${name} are not valid JSON (${(err as Error).message}).`, isError: true };
  }
  const parsed = v.safeParse(tool.args, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const at = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    return { text: `The arguments of ${name} do not fit its schema: ${at ? `${at}: ` : ''}${issue.message}.`, isError: true };
  }
  try {
    return await tool.run(parsed.output, ctx);
  } catch (err) {
    return { text: err instanceof ParleyError ? err.message : `${name} failed: ${(err as Error)?.message ?? err}`, isError: true };
  }
}
