// Claude's extended thinking across a tool loop. While a loop goes on, the Messages API wants the assistant's
// thinking blocks sent back, unchanged and with their signatures, ahead of its tool_use blocks; without them it
// refuses thinking for the step. This module keeps the blocks whole as they stream, puts them back into the
// current assistant turn, and tells when a step must go without thinking because they are missing.
import type { ThinkingBlock } from '../protocol';
import type { Turn } from './types';

export type ThinkingParam = { type: 'thinking'; thinking: string; signature: string } | { type: 'redacted_thinking'; data: string };

type StartBlock = { type: string; thinking?: string; signature?: string; data?: string };
type Delta = { type: string; thinking?: string; signature?: string };

/** The thinking blocks of one response, by content block index, as they stream. */
export class ThinkingBlocks {
  private readonly open = new Map<number, { thinking: string; signature: string }>();

  /** A block starts; a redacted block comes whole and is returned at once. */
  start(index: number, block: StartBlock): ThinkingBlock | undefined {
    if (block.type === 'thinking') this.open.set(index, { thinking: block.thinking ?? '', signature: block.signature ?? '' });
    if (block.type === 'redacted_thinking' && block.data) return { redacted: block.data };
    return undefined;
  }

  delta(index: number, delta: Delta): void {
    const block = this.open.get(index);
    if (!block) return;
    if (delta.type === 'thinking_delta') block.thinking += delta.thinking ?? '';
    if (delta.type === 'signature_delta') block.signature += delta.signature ?? '';
  }

  /** A block ends: returned whole if it was thinking with a signature (one without cannot be sent back). */
  stop(index: number): ThinkingBlock | undefined {
    const block = this.open.get(index);
    this.open.delete(index);
    return block?.signature ? block : undefined;
  }
}

/**
 * The thinking blocks to put ahead of an assistant turn: only in the current assistant turn (the API drops earlier
 * turns' thinking anyway) and only for the model that wrote them (a signature is checked against it).
 */
export function thinkingParams(turn: Turn, inCurrentTurn: boolean, model: string): ThinkingParam[] {
  if (!inCurrentTurn || turn.role !== 'assistant' || turn.thinking?.model !== model) return [];
  return turn.thinking.blocks.map((b) => ('redacted' in b ? { type: 'redacted_thinking', data: b.redacted } : { type: 'thinking', thinking: b.thinking, signature: b.signature }));
}

/** Index of the first turn of the current assistant turn: everything after the last turn the user wrote. */
export function currentTurnStart(turns: Turn[]): number {
  return turns.findLastIndex((t) => t.role === 'user') + 1;
}

type Block = { type: string };

/**
 * Whether a step must go without thinking: the current assistant turn has called tools (a loop goes on) but its
 * first message does not start with thinking, as happens when earlier steps ran without it or on another model.
 */
export function thinkingMissing(messages: Array<{ role: 'user' | 'assistant'; content: Block[] }>): boolean {
  const userWrote = messages.findLastIndex((m) => m.role === 'user' && m.content.some((b) => b.type !== 'tool_result'));
  const current = messages.slice(userWrote + 1).filter((m) => m.role === 'assistant');
  if (!current.some((m) => m.content.some((b) => b.type === 'tool_use'))) return false;
  const first = current[0].content[0]?.type;
  return first !== 'thinking' && first !== 'redacted_thinking';
}
