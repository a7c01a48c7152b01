// The body of a reply: its markdown text, split where its tool calls sit. A reply without calls is rendered into
// the body as before; one with calls is a row of segments: text (div.reply-text), the cards at an offset
// (div.tool-calls), text, ... While a reply streams, only its last text segment is live (a StreamingMarkdown);
// a call that starts where the text has got to finishes that segment (its blocks are not touched again) and
// starts a new one after the card. Anything else (a call before the end of the text, a reply that started with
// calls) lays the whole body out again. The final text and calls from the host replace the streamed layout only
// when they differ from it.
import type { ToolCall } from '../src/protocol';
import { h } from './dom';
import { enhance, renderMarkdown } from './markdown';
import { StreamingMarkdown } from './streamingMarkdown';
import { ToolCard } from './toolCard';
import { applyToolEvent, type ToolEvent } from './toolCalls';

interface Live {
  md: StreamingMarkdown;
  /** The element the live segment renders into (the body itself until the first call). */
  segment: HTMLElement;
  /** Where the live segment starts in the reply's text. */
  segmentStart: number;
  text: string;
  dirty: boolean;
}

/** Where each call's card was put (its offset, clamped to the text). */
function layoutOf(calls: readonly ToolCall[], textLength: number): string {
  return calls.map((c) => `${c.id}@${Math.min(c.textOffset, textLength)}`).join('|');
}

export class ReplyBody {
  private live?: Live;
  private calls: ToolCall[] = [];
  private readonly cards = new Map<string, ToolCard>();
  /** The layout the live body has (see layoutOf). */
  private placed = '';

  constructor(private readonly body: HTMLElement) {}

  /** The reply's text as shown, without its cards. */
  get shownText(): string {
    if (!this.body.querySelector(':scope > .tool-calls')) return this.body.textContent ?? '';
    return Array.from(this.body.querySelectorAll(':scope > .reply-text'), (el) => el.textContent ?? '').join('');
  }

  /** Renders a finished (or not live) reply at once. */
  render(text: string, calls: readonly ToolCall[] | undefined): void {
    this.live = undefined;
    this.setCalls(calls ?? []);
    if (!this.calls.length) {
      this.body.innerHTML = renderMarkdown(text);
      enhance(this.body);
      return;
    }
    const { parts, tail } = this.segments(text);
    if (tail < text.length) parts.push(textSegment(text.slice(tail)));
    this.body.replaceChildren(...parts);
  }

  beginLive(text: string, calls: readonly ToolCall[] | undefined): void {
    this.setCalls(calls ?? []);
    this.body.replaceChildren();
    this.live = { md: new StreamingMarkdown(this.body), segment: this.body, segmentStart: 0, text, dirty: true };
    if (this.calls.length) this.relayout();
    else this.live.md.append(text);
  }

  appendText(delta: string): void {
    if (!this.live) return;
    this.live.text += delta;
    this.live.md.append(delta);
    this.live.dirty = true;
  }

  /** Applies a tool event to the live reply; returns true when the DOM needs a (batched) flush. */
  applyTool(event: ToolEvent): boolean {
    if (!this.live) return false;
    this.calls = applyToolEvent(this.calls, event);
    if (event.type === 'tool-call') {
      const call = this.calls.find((c) => c.id === event.id)!;
      if (this.cards.has(call.id)) return false;
      const card = new ToolCard(call);
      this.cards.set(call.id, card);
      this.place(card, call.textOffset);
      return true;
    }
    const card = this.cards.get(event.id);
    if (!card) return false;
    if (event.type === 'tool-args') {
      card.appendArgs(event.text);
      this.live.dirty = true;
      return true;
    }
    card.update(this.calls.find((c) => c.id === event.id)!);
    return true;
  }

  flush(): void {
    if (!this.live?.dirty) return;
    this.live.dirty = false;
    this.live.md.flush();
    for (const card of this.cards.values()) card.flush();
  }

  /** The reply ended: keeps the streamed DOM when the host's final text and calls are what streamed. */
  end(text: string, calls: readonly ToolCall[] | undefined): void {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    const final = calls ?? [];
    if (live.text !== text || layoutOf(final, text.length) !== this.placed) {
      this.render(text, final);
      return;
    }
    live.md.flush(true);
    // An empty last segment (the reply ended on a card) is not rendered from the saved chat either.
    if (live.segment !== this.body && live.segmentStart === text.length) live.segment.remove();
    this.calls = [...final];
    for (const call of final) this.cards.get(call.id)?.update(call);
  }

  // ---- layout ----

  private setCalls(calls: readonly ToolCall[]): void {
    this.calls = [...calls];
    this.cards.clear();
    for (const call of this.calls) this.cards.set(call.id, new ToolCard(call));
  }

  /** Finished text segments and card groups up to the last group; `tail`: where the text after it starts. */
  private segments(text: string): { parts: HTMLElement[]; tail: number } {
    const groups = new Map<number, ToolCard[]>();
    for (const call of this.calls) {
      const offset = Math.min(call.textOffset, text.length);
      groups.set(offset, [...(groups.get(offset) ?? []), this.cards.get(call.id)!]);
    }
    const parts: HTMLElement[] = [];
    let at = 0;
    for (const offset of [...groups.keys()].sort((a, b) => a - b)) {
      if (offset > at) parts.push(textSegment(text.slice(at, offset)));
      parts.push(group(offset, groups.get(offset)!));
      at = offset;
    }
    this.placed = layoutOf(this.calls, text.length);
    return { parts, tail: at };
  }

  /** Lays the live body out again from its text and calls; the text after the last card streams on. */
  private relayout(): void {
    const live = this.live!;
    const { parts, tail } = this.segments(live.text);
    const segment = h('div', { class: 'reply-text' });
    this.body.replaceChildren(...parts, segment);
    live.md = new StreamingMarkdown(segment);
    live.md.append(live.text.slice(tail));
    live.segment = segment;
    live.segmentStart = tail;
    live.dirty = true;
  }

  /** Puts a new card where the text has got to (the usual case) without touching the finished text. */
  private place(card: ToolCard, offset: number): void {
    const live = this.live!;
    if (offset !== live.text.length) return this.relayout();
    if (live.segment === this.body) {
      // The first call: the text so far becomes the first segment.
      if (live.text.length) live.md.flush(true);
      const first = h('div', { class: 'reply-text' }, ...Array.from(this.body.childNodes));
      const cards = group(offset, [card]);
      const next = h('div', { class: 'reply-text' });
      this.body.replaceChildren(...(live.text.length ? [first] : []), cards, next);
      this.startSegment(next, offset);
    } else if (live.segmentStart < offset) {
      live.md.flush(true);
      const cards = group(offset, [card]);
      const next = h('div', { class: 'reply-text' });
      live.segment.after(cards, next);
      this.startSegment(next, offset);
    } else {
      // No text since the last card: this one joins its group (calls of one step sit together).
      const previous = live.segment.previousElementSibling as HTMLElement | null;
      if (previous?.classList.contains('tool-calls') && previous.dataset.offset === String(offset)) previous.append(card.el);
      else live.segment.before(group(offset, [card]));
    }
    this.placed = layoutOf(this.calls, live.text.length);
  }

  private startSegment(segment: HTMLElement, start: number): void {
    const live = this.live!;
    live.md = new StreamingMarkdown(segment);
    live.segment = segment;
    live.segmentStart = start;
    live.dirty = true;
  }
}

function textSegment(text: string): HTMLElement {
  const el = h('div', { class: 'reply-text' });
  el.innerHTML = renderMarkdown(text);
  enhance(el);
  return el;
}

function group(offset: number, cards: ToolCard[]): HTMLElement {
  return h('div', { class: 'tool-calls', 'data-offset': offset }, ...cards.map((c) => c.el));
}
