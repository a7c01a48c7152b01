import type { ChatMessage, StreamEvent } from '../src/protocol';
import { prerenderMarkdown } from './markdown';
import { MessageView } from './messageView';

// The log is virtualized: only the messages in and near the visible part are in the DOM, between two spacers
// that stand in for the rest. A spacer's height is the sum of the measured heights of the messages it replaces
// (or, for a message never shown at this width, an estimate from its text). When a message first shows and its
// real height differs from the estimate, the browser's scroll anchoring keeps what is on screen where it was.

/** Screens rendered ahead of each edge of the visible part, and beyond which rendered messages are dropped. */
const RENDER_AHEAD = 0.5;
const KEEP = 1.5;
/** Main-thread time one update may spend rendering messages that are not visible yet (the rest waits a frame). */
const AHEAD_BUDGET_MS = 4;
/** Screens beyond the rendered ones whose markdown is rendered to HTML in idle time, so showing them is cheap. */
const PRERENDER_AHEAD = 4;

/** The message log: keyed by message id, deltas batched into one DOM update per animation frame. */
export class MessageList {
  private messages: ChatMessage[] = [];
  private readonly indexOf = new Map<string, number>();
  /** Views in the DOM, plus detached ones kept while off screen because they hold state (a live reply, an editor). */
  private readonly views = new Map<string, MessageView>();
  private readonly measured = new Map<string, { height: number; shape: string }>();
  private readonly estimates = new Map<string, { height: number; shape: string }>();
  private sizes: number[] = [];
  private offsets: number[] = [0];
  private offsetsStale = false;
  /** The messages in the DOM: indices [first, end). */
  private first = 0;
  private end = 0;
  private readonly above = spacer();
  private readonly below = spacer();
  private readonly resizes = new ResizeObserver((entries) => this.resized(entries));
  private width = 0;
  private paddingTop?: number;
  private liveView?: MessageView;
  private frame = 0;
  private updateFrame = 0;
  private prerendering = 0;

  constructor(readonly el: HTMLElement, private readonly onFrame: () => void) {
    el.append(this.above, this.below);
    this.resizes.observe(el);
    el.addEventListener('scroll', () => this.update(), { passive: true });
  }

  setMessages(messages: ChatMessage[]): void {
    const previousLength = this.messages.length;
    const hadTail = this.end === previousLength;
    this.messages = messages;
    this.indexOf.clear();
    messages.forEach((m, i) => this.indexOf.set(m.id, i));
    for (const cache of [this.measured, this.estimates]) for (const id of cache.keys()) if (!this.indexOf.has(id)) cache.delete(id);
    // Views of messages still in the chat are updated in place; where they now sit decides what stays rendered.
    let first = Infinity;
    let end = -Infinity;
    for (const [id, view] of this.views) {
      const index = this.indexOf.get(id);
      if (index === undefined) {
        this.drop(view);
        continue;
      }
      view.update(messages[index]);
      if (view.el.isConnected) {
        first = Math.min(first, index);
        end = Math.max(end, index + 1);
      }
    }
    if (this.liveView && !this.indexOf.has(this.liveView.message.id)) this.liveView = undefined;
    this.sizes = messages.map((m) => this.sizeOf(m));
    this.offsetsStale = true;
    const n = messages.length;
    if (first === Infinity || previousLength === 0) {
      // A chat opening: render its end, where it opens scrolled to (the scroll that follows updates the rest).
      this.render(n ? this.indexAt(this.offsetsNow()[n] - this.viewport()) : 0, n);
      this.scheduleUpdate();
      return;
    }
    this.render(first, hadTail ? n : end); // new messages at the end show at once
    this.update();
  }

  get(messageId: string): ChatMessage | undefined {
    const index = this.indexOf.get(messageId);
    return this.views.get(messageId)?.message ?? (index === undefined ? undefined : this.messages[index]);
  }

  lastUserMessageId(): string | undefined {
    return this.messages.findLast((m) => m.role === 'user')?.id;
  }

  startLive(messageId: string, text = '', reasoning = '', toolCalls?: ChatMessage['toolCalls']): void {
    const view = this.viewFor(messageId);
    if (!view) return;
    this.liveView = view;
    view.beginLive(text, reasoning, toolCalls);
  }

  applyDelta(event: StreamEvent): void {
    if (this.liveView?.applyDelta(event)) this.schedule();
  }

  /** The text of the reply streaming (or just finished), as rendered. */
  liveText(): string | undefined {
    this.flushNow();
    return this.liveView?.shownText;
  }

  get count(): number {
    return this.messages.length;
  }

  idAt(index: number): string | undefined {
    return this.messages[index]?.id;
  }

  indexOfId(messageId: string): number | undefined {
    return this.indexOf.get(messageId);
  }

  /** Renders the message (scrolling to it when it is not rendered) and returns its element. */
  reveal(messageId: string): HTMLElement | undefined {
    const index = this.indexOf.get(messageId);
    if (index === undefined) return undefined;
    if (index < this.first || index >= this.end) {
      this.el.scrollTop = this.top() + this.offsetsNow()[index] - this.viewport() / 3;
      this.update(index);
    }
    return this.views.get(messageId)?.el;
  }

  edit(messageId: string, onSubmit: (text: string) => void): boolean {
    if (this.get(messageId)?.role !== 'user' || !this.reveal(messageId)) return false;
    this.views.get(messageId)!.startEdit(onSubmit);
    return true;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.liveView?.flushLive();
      this.onFrame();
    });
  }

  /** Renders pending deltas now (before a state update replaces the live view). */
  flushNow(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.liveView?.flushLive();
  }

  // ---- virtualization ----

  /**
   * Brings the rendered range in line with the scroll position: everything visible (and message `include`) is
   * rendered now; messages ahead of the visible part as far as the time budget allows, the rest in later frames.
   */
  private update(include?: number): void {
    cancelAnimationFrame(this.updateFrame);
    this.updateFrame = 0;
    const n = this.messages.length;
    if (!n) return;
    const viewport = this.viewport();
    const top = this.el.scrollTop - this.top();
    const bottom = top + viewport;
    let visibleFirst = this.indexAt(top);
    let visibleEnd = this.indexAt(bottom) + 1;
    if (include !== undefined) {
      visibleFirst = Math.min(visibleFirst, include);
      visibleEnd = Math.max(visibleEnd, include + 1);
    }
    const wantFirst = Math.min(visibleFirst, this.indexAt(top - RENDER_AHEAD * viewport));
    const wantEnd = Math.max(visibleEnd, this.indexAt(bottom + RENDER_AHEAD * viewport) + 1);
    let first: number;
    let end: number;
    if (this.end <= visibleFirst || this.first >= visibleEnd) {
      // Nothing rendered is visible any more (a jump): start again from what is.
      first = visibleFirst;
      end = visibleEnd;
    } else {
      first = Math.min(Math.max(this.first, this.indexAt(top - KEEP * viewport)), visibleFirst);
      end = Math.max(Math.min(this.end, this.indexAt(bottom + KEEP * viewport) + 1), visibleEnd);
    }
    if (first !== this.first || end !== this.end) this.render(first, end);
    const deadline = performance.now() + AHEAD_BUDGET_MS;
    while ((this.first > wantFirst || this.end < wantEnd) && performance.now() < deadline) {
      if (this.end < wantEnd) this.mount(this.end, this.below);
      if (this.first > wantFirst && performance.now() < deadline) this.mount(this.first - 1, this.above);
    }
    this.placeSpacers();
    if (this.first > wantFirst || this.end < wantEnd) this.scheduleUpdate();
    this.prerendering ||= requestIdleCallback((deadline) => this.prerender(deadline));
  }

  /** In idle time, renders the markdown of replies near the rendered range, nearest first, both ways. */
  private prerender(deadline: IdleDeadline): void {
    this.prerendering = 0;
    const offsets = this.offsetsNow();
    const reach = PRERENDER_AHEAD * this.viewport();
    const lowest = this.indexAt(offsets[this.first] - reach);
    const highest = this.indexAt(offsets[this.end] + reach);
    for (let step = 1; this.first - step >= lowest || this.end - 1 + step <= highest; step++) {
      for (const index of [this.end - 1 + step, this.first - step]) {
        const message = this.messages[index];
        if (index < lowest || index > highest || !message || message.role === 'user') continue;
        if (deadline.timeRemaining() < 4) {
          this.prerendering = requestIdleCallback((next) => this.prerender(next));
          return;
        }
        // A reply with tool calls renders its text in pieces, which this cache does not know.
        if (!message.toolCalls?.length) prerenderMarkdown(message.text);
        if (message.reasoning) prerenderMarkdown(message.reasoning);
      }
    }
  }

  private scheduleUpdate(): void {
    this.updateFrame ||= requestAnimationFrame(() => {
      this.updateFrame = 0;
      this.update();
    });
  }

  /** Makes [first, end) exactly the messages in the DOM, in order. */
  private render(first: number, end: number): void {
    for (const [id, view] of this.views) {
      const index = this.indexOf.get(id)!;
      if (index < first || index >= end) this.drop(view);
    }
    let previous: Element = this.above;
    for (let index = first; index < end; index++) {
      const view = this.viewAt(index);
      if (!view.el.isConnected) this.resizes.observe(view.el);
      if (previous.nextElementSibling !== view.el) previous.after(view.el);
      previous = view.el;
    }
    this.first = first;
    this.end = end;
    this.placeSpacers();
  }

  /** Renders the message at `index`, just past one end of the rendered range (`edge` is that end's spacer). */
  private mount(index: number, edge: HTMLElement): void {
    const view = this.viewAt(index);
    if (edge === this.above) {
      edge.after(view.el);
      this.first = index;
    } else {
      edge.before(view.el);
      this.end = index + 1;
    }
    this.resizes.observe(view.el);
  }

  /** Takes a view out of the DOM; forgets it unless it holds state the message does not (live reply, editor). */
  private drop(view: MessageView): void {
    if (view.el.isConnected) {
      this.resizes.unobserve(view.el);
      view.el.remove();
    }
    const id = view.message.id;
    if ((view.streaming || view.editing) && this.indexOf.has(id)) return;
    this.views.delete(id);
  }

  private viewAt(index: number): MessageView {
    const message = this.messages[index];
    let view = this.views.get(message.id);
    if (!view) {
      view = new MessageView(message);
      this.views.set(message.id, view);
    }
    view.el.classList.toggle('is-last', index === this.messages.length - 1);
    return view;
  }

  private viewFor(messageId: string): MessageView | undefined {
    const index = this.indexOf.get(messageId);
    return index === undefined ? undefined : this.viewAt(index);
  }

  private placeSpacers(): void {
    const offsets = this.offsetsNow();
    this.above.style.height = `${offsets[this.first]}px`;
    this.below.style.height = `${offsets[this.messages.length] - offsets[this.end]}px`;
  }

  private resized(entries: ResizeObserverEntry[]): void {
    const box = entries.find((entry) => entry.target === this.el)?.contentBoxSize[0];
    let changed = !!box; // a taller log shows more messages
    const width = box?.inlineSize;
    if (width !== undefined && Math.abs(width - this.width) >= 1) {
      this.width = width;
      // Heights measured at another width are wrong now; rendered messages report their new ones below.
      this.measured.clear();
      this.sizes = this.messages.map((m) => this.sizeOf(m));
      this.offsetsStale = changed = true;
    }
    for (const entry of entries) {
      const el = entry.target as HTMLElement;
      const index = this.indexOf.get(el.dataset.id ?? '');
      if (!el.isConnected || index === undefined) continue;
      const height = entry.borderBoxSize[0].blockSize;
      this.measured.set(this.messages[index].id, { height, shape: shapeOf(this.messages[index]) });
      if (this.sizes[index] !== height) {
        this.sizes[index] = height;
        this.offsetsStale = changed = true;
      }
    }
    // Changing the DOM here would lay it out again before this frame's paint: let the next frame do it.
    if (changed) this.scheduleUpdate();
  }

  private sizeOf(message: ChatMessage): number {
    const shape = shapeOf(message);
    const measured = this.measured.get(message.id);
    if (measured?.shape === shape) return measured.height;
    const estimate = this.estimates.get(message.id);
    const width = this.width || 400;
    const key = `${shape}|${width}`;
    if (estimate?.shape === key) return estimate.height;
    const height = estimateHeight(message, width);
    this.estimates.set(message.id, { height, shape: key });
    return height;
  }

  private offsetsNow(): number[] {
    if (this.offsetsStale) {
      const offsets = new Array<number>(this.sizes.length + 1);
      offsets[0] = 0;
      for (let i = 0; i < this.sizes.length; i++) offsets[i + 1] = offsets[i] + this.sizes[i];
      this.offsets = offsets;
      this.offsetsStale = false;
    }
    return this.offsets;
  }

  /** The message at height `y` of the list (clamped to the first and last). */
  private indexAt(y: number): number {
    const offsets = this.offsetsNow();
    let low = 0;
    let high = this.messages.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (offsets[mid] <= y) low = mid;
      else high = mid - 1;
    }
    return Math.max(0, low);
  }

  private viewport(): number {
    return this.el.clientHeight || 600;
  }

  /** Where the list starts in the log's scroll coordinates (the log's top padding). */
  private top(): number {
    this.paddingTop ??= parseFloat(getComputedStyle(this.el).paddingTop) || 0;
    return this.paddingTop;
  }
}

function spacer(): HTMLElement {
  const el = document.createElement('div');
  el.className = 'log-spacer';
  el.setAttribute('aria-hidden', 'true');
  return el;
}

/** What, besides the width, a message's height depends on; a measured height is kept while this stays the same. */
function shapeOf(m: ChatMessage): string {
  const calls = m.toolCalls?.map((c) => `${c.status}${c.result === undefined ? '' : 'r'}`).join(',') ?? '';
  return `${calls}|${m.text.length}|${m.reasoning ? 1 : 0}|${m.status ?? ''}|${m.error?.message.length ?? -1}|${m.note?.text.length ?? -1}|${m.attachments?.length ?? 0}|${m.usage ? 1 : 0}|${m.citations?.length ?? 0}`;
}

/** A height for a message never shown at this width: its text's lines wrapped at the width, plus its frame. */
function estimateHeight(m: ChatMessage, width: number): number {
  const charsPerLine = Math.max(16, Math.floor(width / 7));
  let lines = 0;
  let start = 0;
  while (start <= m.text.length) {
    let stop = m.text.indexOf('\n', start);
    if (stop < 0) stop = m.text.length;
    lines += Math.max(1, Math.ceil((stop - start) / charsPerLine));
    start = stop + 1;
  }
  // A tool card: its head, and its collapsed arguments and result.
  const cards = (m.toolCalls ?? []).reduce((sum, c) => sum + 34 + (c.arguments ? 24 : 0) + (c.result !== undefined ? 24 : 0) + (c.status === 'approval' ? 36 : 0), 0);
  return 48 + cards + lines * 20 + (m.reasoning ? 26 : 0) + (m.attachments?.length ? 30 : 0) + (m.error ? 40 : 0) + (m.note ? 30 : 0) + (m.citations?.length ? 24 + m.citations.length * 20 : 0) + (m.usage || m.status ? 20 : 0);
}
