// A growing markdown text rendered block by block, so a streaming reply costs O(open block) per frame, and its
// final DOM is the same as rendering the whole text at once. A top-level block is frozen (rendered once, never
// touched again, so a selection in it survives) only when no later text can change it: when a later block starts
// on a complete line (a partial line such as "2" may still become "2. Run" and continue a list). The one exception
// is reference links: a frozen block that uses a label with no definition yet is rendered again when one arrives.
import type { Links, Token } from 'marked';
import { enhance, fenceClosed, lex, renderTokens } from './markdown';

interface FrozenBlock {
  el: HTMLElement;
  raw: string;
  /** Labels in brackets that had no definition when the block was rendered. */
  unresolved: Set<string>;
}

const CHUNK_CHARS = 4000;

/** marked's label normalization (reference labels match case- and whitespace-insensitively). */
function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase().toUpperCase().toLowerCase();
}

/** Labels a block might use as reference links that `links` does not define. */
function unresolvedLabels(raw: string, links: Links): Set<string> {
  const found = new Set<string>();
  if (!raw.includes(']')) return found;
  for (const m of raw.matchAll(/\[((?:[^[\]\\]|\\.)*)\]/g)) {
    const label = normalizeLabel(m[1]);
    if (label && !Object.hasOwn(links, label)) found.add(label);
  }
  return found;
}

export class StreamingMarkdown {
  private text = '';
  private frozenChars = 0;
  /** Definitions in frozen blocks (final), and all those seen so far (the open block's may still change). */
  private frozenLinks: Links = {};
  private links: Links = {};
  private linkCount = 0;
  private readonly pending: FrozenBlock[] = [];
  private readonly openBlock: HTMLElement;
  /** Finished blocks go into chunks of about CHUNK_CHARS; a full chunk is sealed and never changes again. */
  private chunk?: HTMLElement;
  private chunkChars = 0;

  constructor(private readonly root: HTMLElement) {
    this.openBlock = document.createElement('div');
    this.openBlock.className = 'md-block open';
    root.append(this.openBlock);
  }

  get value(): string {
    return this.text;
  }

  /** Appends text; call `flush` (once per frame) to update the DOM. */
  append(delta: string): void {
    this.text += delta;
  }

  flush(final = false): void {
    const tail = this.text.slice(this.frozenChars);
    const tokens = lex(tail, this.frozenLinks, !final);
    let count = final ? tokens.length : frozenCount(tokens, tail);
    let consumed = 0;
    for (let i = 0; i < count; i++) consumed += tokens[i].raw.length;
    // marked's raw is the source text, except where it joins pieces of a paragraph: then freeze nothing this time.
    if (!final && tokens.slice(0, count).map((t) => t.raw).join('') !== tail.slice(0, consumed)) count = consumed = 0;
    // Definitions seen so far (a held-back one at the very end is not among them); the first one of a label wins.
    this.links = tokens.links;
    const frozen = tokens.slice(0, count);
    collectDefinitions(frozen, this.frozenLinks);
    if (frozen.some((t) => t.type !== 'space')) this.freeze(frozen, tail.slice(0, consumed));
    this.frozenChars += consumed;
    const linkCount = Object.keys(this.links).length;
    if (linkCount !== this.linkCount) {
      this.linkCount = linkCount;
      this.resolveLinks();
    }
    const open = tokens.slice(count);
    this.openBlock.innerHTML = open.length ? renderTokens(open, tokens.links) : '';
    enhance(this.openBlock);
    if (final) {
      this.openBlock.remove();
      this.sealChunk();
    }
  }

  private freeze(tokens: Token[], raw: string): void {
    const block = document.createElement('div');
    block.className = 'md-block';
    block.innerHTML = renderTokens(tokens, this.links);
    enhance(block);
    const unresolved = unresolvedLabels(raw, this.links);
    if (unresolved.size) this.pending.push({ el: block, raw, unresolved });
    if (!this.chunk) {
      this.chunk = document.createElement('div');
      this.chunk.className = 'md-chunk';
      this.root.insertBefore(this.chunk, this.openBlock);
    }
    this.chunk.append(block);
    this.chunkChars += raw.length;
    if (this.chunkChars >= CHUNK_CHARS) this.sealChunk();
  }

  /** Renders again the frozen blocks that use a label which now has a definition. */
  private resolveLinks(): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const block = this.pending[i];
      if (![...block.unresolved].some((label) => Object.hasOwn(this.links, label))) continue;
      const tokens = lex(block.raw, this.links);
      block.el.innerHTML = renderTokens(tokens, tokens.links);
      enhance(block.el);
      block.unresolved = unresolvedLabels(block.raw, this.links);
      if (!block.unresolved.size) this.pending.splice(i, 1);
    }
  }

  /**
   * Off screen, a sealed chunk skips style, layout and paint (content-visibility), so each frame of a long
   * reply costs what is on screen, not everything streamed so far. Set through the CSSOM (allowed by the CSP).
   */
  private sealChunk(): void {
    if (!this.chunk) return;
    this.chunk.style.contentVisibility = 'auto';
    this.chunk.style.containIntrinsicSize = 'auto 600px';
    this.chunk = undefined;
    this.chunkChars = 0;
  }
}

/** Adds the link reference definitions among `tokens` (at any depth) to `links`, the first of a label winning. */
function collectDefinitions(tokens: Token[], links: Links): void {
  for (const token of tokens) {
    if (token.type === 'def') links[token.tag] ??= { href: token.href, title: token.title };
    const children = (token as { tokens?: Token[]; items?: Token[] }).tokens ?? (token as { items?: Token[] }).items;
    if (children) collectDefinitions(children, links);
  }
}

/** Blocks that a blank line ends for good (lists and indented code may go on after one). */
const ENDED_BY_BLANK_LINE = new Set(['paragraph', 'heading', 'hr', 'table', 'blockquote', 'html', 'def', 'mathBlock']);

function endedByBlankLine(token: Token): boolean {
  if (token.type === 'code') return /^ {0,3}(`{3,}|~{3,})/.test(token.raw) && fenceClosed(token.raw);
  return ENDED_BY_BLANK_LINE.has(token.type);
}

/**
 * How many leading tokens are finished: all those before a block that starts on a complete line of the text (its
 * start is before the last newline; a partial line such as "2" may still become "2. Run" and continue a list), or
 * that follows a blank line after a block nothing can continue past one (a paragraph, a closed fence, ...).
 */
export function frozenCount(tokens: Token[], text: string): number {
  const complete = text.lastIndexOf('\n') + 1;
  let start = 0;
  let count = 0;
  let previous: Token | undefined;
  let blank = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'space') blank = true;
    else {
      if (previous && (start < complete || (blank && endedByBlankLine(previous)))) count = i;
      previous = token;
      blank = false;
    }
    start += token.raw.length;
  }
  return count;
}
