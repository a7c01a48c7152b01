// VS Code's language-model request messages → Parley's turns (the shape every adapter takes), tool calls and
// results included. Pure and free of the `vscode` module (parts are recognised by shape), so it is unit-tested
// on its own.
import type { ImagePart, ToolCallRecord, Turn } from '../providers/types';

/** The roles of vscode.LanguageModelChatMessageRole (System is 3 in the proposed API). */
const USER = 1;
const ASSISTANT = 2;
const SYSTEM = 3;

interface RequestMessage {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
}

const IMAGE_TYPES = /^image\/(?:png|jpeg|gif|webp)$/;

interface ToolCallLike { callId: string; name: string; input: unknown }
interface ToolResultLike { callId: string; content: readonly unknown[] }

const isToolCall = (part: unknown): part is ToolCallLike => !!part && typeof part === 'object' && typeof (part as ToolCallLike).callId === 'string' && typeof (part as ToolCallLike).name === 'string';
const isToolResult = (part: unknown): part is ToolResultLike => !!part && typeof part === 'object' && typeof (part as ToolResultLike).callId === 'string' && Array.isArray((part as ToolResultLike).content);

function partText(part: unknown): string | undefined {
  if (typeof part === 'string') return part;
  if (part && typeof part === 'object' && !isToolCall(part) && !isToolResult(part)) {
    const value = (part as { value?: unknown }).value;
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function partImage(part: unknown, index: number): ImagePart | undefined {
  const p = part as { mimeType?: unknown; data?: unknown } | null;
  if (!p || typeof p.mimeType !== 'string' || !(p.data instanceof Uint8Array) || !IMAGE_TYPES.test(p.mimeType)) return undefined;
  return { mimeType: p.mimeType, base64: Buffer.from(p.data).toString('base64'), name: `image-${index + 1}.${p.mimeType.split('/')[1]}` };
}

/** A tool result's content as text (text parts joined; other data as JSON). */
function resultText(content: readonly unknown[]): string {
  return content.map((c) => partText(c) ?? (c && typeof c === 'object' && 'data' in c ? '' : JSON.stringify(c))).join('');
}

/**
 * Turns plus the system message (VS Code's System-role messages, joined). An assistant message's tool calls
 * stay tool calls, and a user message's tool results become a `tool` turn before its text, as every adapter
 * replays them in its provider's form.
 */
export function toTurns(messages: readonly RequestMessage[]): { turns: Turn[]; system: string } {
  const turns: Turn[] = [];
  const system: string[] = [];
  const names = new Map<string, string>();
  let images = 0;
  for (const message of messages) {
    const text = message.content.map(partText).filter((t): t is string => t !== undefined).join('');
    if (message.role === SYSTEM) {
      if (text) system.push(text);
      continue;
    }
    if (message.role === ASSISTANT) {
      const calls: ToolCallRecord[] = message.content.filter(isToolCall).map((c) => ({ id: c.callId, name: c.name, arguments: JSON.stringify(c.input ?? {}) }));
      for (const c of calls) names.set(c.id, c.name);
      if (text || calls.length) turns.push({ role: 'assistant', text, ...(calls.length && { toolCalls: calls }) });
      continue;
    }
    const results = message.content.filter(isToolResult).map((r) => ({ callId: r.callId, name: names.get(r.callId) ?? 'tool', text: resultText(r.content) }));
    if (results.length) turns.push({ role: 'tool', text: '', toolResults: results });
    const found = message.content.map((part) => partImage(part, images)).filter((i): i is ImagePart => !!i);
    images += found.length;
    if (!text && !found.length) continue;
    turns.push({ role: 'user', text, ...(found.length && { images: found }) });
  }
  return { turns, system: system.join('\n\n') };
}

/** A documented estimate (no tokenizer ships for most of these models): about 4 characters per token. */
export function estimateTokens(input: string | RequestMessage): number {
  const size = (p: unknown) => partText(p) ?? (isToolCall(p) ? JSON.stringify(p.input ?? {}) + p.name : isToolResult(p) ? resultText(p.content) : partImage(p, 0) ? ' '.repeat(1000) : '');
  const text = typeof input === 'string' ? input : input.content.map(size).join('');
  return Math.ceil(text.length / 4);
}

export { ASSISTANT, SYSTEM, USER };
