// VS Code's language-model request messages → Parley's turns (the shape every adapter takes). Pure and free of
// the `vscode` module (parts are recognised by shape), so it is unit-tested on its own.
import type { ImagePart, Turn } from '../providers/types';

/** The roles of vscode.LanguageModelChatMessageRole (System is 3 in the proposed API). */
const USER = 1;
const ASSISTANT = 2;
const SYSTEM = 3;

interface RequestMessage {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
}

const IMAGE_TYPES = /^image\/(?:png|jpeg|gif|webp)$/;

function partText(part: unknown): string | undefined {
  if (typeof part === 'string') return part;
  if (part && typeof part === 'object') {
    const p = part as { value?: unknown; callId?: unknown; name?: unknown; input?: unknown; content?: unknown };
    if (typeof p.value === 'string' && p.callId === undefined) return p.value;
    // Parley declares no tool calling to VS Code yet: a caller that still sends tool parts keeps them as text.
    if (typeof p.callId === 'string' && typeof p.name === 'string') return `[tool call ${p.name}(${JSON.stringify(p.input ?? {})})]`;
    if (typeof p.callId === 'string' && Array.isArray(p.content)) return `[tool result: ${p.content.map((c) => partText(c) ?? '').join('')}]`;
  }
  return undefined;
}

function partImage(part: unknown, index: number): ImagePart | undefined {
  const p = part as { mimeType?: unknown; data?: unknown } | null;
  if (!p || typeof p.mimeType !== 'string' || !(p.data instanceof Uint8Array) || !IMAGE_TYPES.test(p.mimeType)) return undefined;
  return { mimeType: p.mimeType, base64: Buffer.from(p.data).toString('base64'), name: `image-${index + 1}.${p.mimeType.split('/')[1]}` };
}

/** Turns plus the system message (VS Code's System-role messages, joined). */
export function toTurns(messages: readonly RequestMessage[]): { turns: Turn[]; system: string } {
  const turns: Turn[] = [];
  const system: string[] = [];
  let images = 0;
  for (const message of messages) {
    const text = message.content.map(partText).filter((t): t is string => t !== undefined).join('');
    if (message.role === SYSTEM) {
      if (text) system.push(text);
      continue;
    }
    const role = message.role === ASSISTANT ? 'assistant' : 'user';
    const found = role === 'user' ? message.content.map((part) => partImage(part, images)).filter((i): i is ImagePart => !!i) : [];
    images += found.length;
    if (!text && !found.length) continue;
    turns.push({ role, text, ...(found.length && { images: found }) });
  }
  return { turns, system: system.join('\n\n') };
}

/** A documented estimate (no tokenizer ships for most of these models): about 4 characters per token. */
export function estimateTokens(input: string | RequestMessage): number {
  const text = typeof input === 'string' ? input : input.content.map((p) => partText(p) ?? (partImage(p, 0) ? ' '.repeat(1000) : '')).join('');
  return Math.ceil(text.length / 4);
}

export { ASSISTANT, SYSTEM, USER };
