// The pure half of VS Code's language-model tools as Parley tools (src/host/vscodeTools.ts has the half that
// talks to `vscode.lm`): names a provider accepts for tools whose VS Code names it may not, and a tool result's
// parts as the one text a tool result is in Parley. No `vscode` import, so unit tests run it as is.
import { MAX_OUTPUT_CHARS } from './toolList';

/** OpenAI's rule for function names (the strictest of the providers); it also passes the protocol's toolName. */
export const PROVIDER_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_NAME = 64;
/** The panel's limit for a tool description (ToolInfoSchema). */
export const MAX_TOOL_DESCRIPTION = 2000;

/** `name` with every character a provider refuses replaced by `_`, at most 64 long, never empty. */
export function sanitizeToolName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX_NAME);
  return clean || 'tool';
}

/**
 * Provider names for VS Code tool names, and the way back. A name that is already valid and free keeps itself;
 * the others are sanitized in sorted order, and one that collides (with `taken`, e.g. Parley's own workspace
 * tools, or with another tool) gets `_2`, `_3`, … (cut to fit 64). The same set of names always maps the same
 * way, whatever order VS Code lists them in.
 */
export function assignToolNames(realNames: readonly string[], taken: Iterable<string> = []): Map<string, string> {
  const used = new Set(taken);
  const byReal = new Map<string, string>();
  const unique = [...new Set(realNames)].sort();
  for (const real of unique) {
    if (PROVIDER_TOOL_NAME.test(real) && !used.has(real)) {
      byReal.set(real, real);
      used.add(real);
    }
  }
  for (const real of unique) {
    if (byReal.has(real)) continue;
    const base = sanitizeToolName(real);
    let name = base;
    for (let n = 2; used.has(name); n++) name = base.slice(0, MAX_NAME - `_${n}`.length) + `_${n}`;
    byReal.set(real, name);
    used.add(name);
  }
  return byReal;
}

/** A tool description the panel accepts (cut to 2000 characters with an ellipsis). */
export function capDescription(text: string | undefined): string {
  const t = (text ?? '').trim();
  return t.length <= MAX_TOOL_DESCRIPTION ? t : t.slice(0, MAX_TOOL_DESCRIPTION - 1) + '…';
}

/**
 * The JSON schema sent to providers: the tool's own object schema without `$schema` (MCP servers' schemas carry
 * one; Gemini refuses unknown keys, and Parley's own tools drop it too), or an empty object schema.
 */
export function toolParameters(inputSchema: unknown): Record<string, unknown> {
  if (!inputSchema || typeof inputSchema !== 'object' || Array.isArray(inputSchema)) return { type: 'object', properties: {} };
  const { $schema: _dropped, ...schema } = inputSchema as Record<string, unknown>;
  return schema.type === undefined ? { type: 'object', ...schema } : schema;
}

/** One part of a `LanguageModelToolResult`, told apart by the caller (which has the `vscode` classes). */
export type ResultPart =
  | { kind: 'text'; text: string }
  | { kind: 'data'; mimeType: string; bytes: Uint8Array }
  | { kind: 'prompt-tsx'; value: unknown }
  | { kind: 'unknown'; value: unknown };

/** Told apart by shape, for parts of kinds the running VS Code has that the caller's checks did not know. */
export function partByShape(part: unknown): ResultPart {
  if (part && typeof part === 'object') {
    const p = part as { value?: unknown; mimeType?: unknown; data?: unknown };
    if (typeof p.mimeType === 'string' && p.data instanceof Uint8Array) return { kind: 'data', mimeType: p.mimeType, bytes: p.data };
    if (typeof p.value === 'string') return { kind: 'text', text: p.value };
  }
  return { kind: 'unknown', value: part };
}

const TEXT_MIME = /^(text\/|application\/(json|xml|javascript|x-ndjson)\b|[^;]*\+(json|xml)\b)/i;

/** A size in words: "512 bytes", "12.3 KB", "4.0 MB". */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A tool result as text for the model: text parts joined as they are; data parts that are text (text/*, JSON,
 * XML) decoded, others described by mime type and size; prompt-tsx parts as their JSON; anything else as JSON.
 * Cut at MAX_OUTPUT_CHARS with a note saying so, like Parley's own tools.
 */
export function resultText(parts: readonly ResultPart[]): string {
  const pieces = parts.map((part) => {
    switch (part.kind) {
      case 'text':
        return part.text;
      case 'data':
        return TEXT_MIME.test(part.mimeType) && part.bytes.length <= MAX_OUTPUT_CHARS * 4
          ? new TextDecoder().decode(part.bytes)
          : `[${part.mimeType} data, ${sizeText(part.bytes.length)}, not shown]`;
      case 'prompt-tsx':
        return json(part.value);
      case 'unknown':
        return json(part.value);
    }
  });
  const text = pieces.join('');
  if (text.length <= MAX_OUTPUT_CHARS) return text;
  return `${text.slice(0, MAX_OUTPUT_CHARS)}\n[… output cut at ${MAX_OUTPUT_CHARS.toLocaleString('en-US')} characters of ${text.length.toLocaleString('en-US')}]`;
}

/** The arguments the model wrote as the tool's input: a JSON object (empty text counts as `{}`), else an error. */
export function parseToolInput(argumentsJson: string): { input: Record<string, unknown> } | { error: string } {
  if (!argumentsJson.trim()) return { input: {} };
  let value: unknown;
  try {
    value = JSON.parse(argumentsJson);
  } catch (e) {
    return { error: `The arguments are not valid JSON (${(e as Error).message}). Call the tool again with a JSON object.` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'The arguments must be a JSON object. Call the tool again with one.' };
  return { input: value as Record<string, unknown> };
}
