// The conversation as one Tab stop. Each message is one focusable item and exactly one of them is in the Tab order
// (a roving tabindex: the last one focused, else the latest). Up/Down move to the previous/next message,
// Home/End to the first/last (the virtualized log renders a message first when it is not in the DOM); Left/Right
// move through the focused message's own controls (its copy/edit/delete buttons, links, code blocks and their
// buttons, a tool card's parts and approval buttons), and back to the message; Enter on your own message edits it.
// Every control inside a message is taken out of the Tab order as it is added: Tab passes the conversation in one step.
// Messages point at one hint (aria-describedby) that says all this to screen readers.
import { focusables } from './focusables';
import type { MessageList } from './messageLog';

export const MESSAGE_KEYS_HINT = 'Up and Down arrows: other messages. Home and End: first and last. Left and Right arrows: the buttons and links of this message. Enter on your own message: edit it.';

// A code block that scrolls sideways is focusable in Chromium of itself: it is taken out of the Tab order too.
const CONTROLS = 'a[href], button, input, select, textarea, summary, pre, [tabindex], [contenteditable="true"]';
const WAITING_APPROVAL = '.tool-card[data-status="approval"] .tool-approval button:not(:disabled)';

export class MessageNav {
  /** The message Tab lands on; undefined (or gone from the chat): the latest one. */
  private current?: string;

  constructor(private readonly log: HTMLElement, private readonly list: MessageList, private readonly onEdit: (messageId: string) => void) {
    new MutationObserver((records) => this.added(records)).observe(log, { childList: true, subtree: true });
    log.addEventListener('keydown', (e) => this.key(e));
    log.addEventListener('focusin', (e) => this.focused(e));
    this.sync();
  }

  /** Focuses a tool call waiting for approval, else the current message (the log itself when it is empty). */
  enter(): boolean {
    if (this.focusApproval()) return true;
    const id = this.currentId();
    if (id) return this.focusMessage(id);
    this.log.focus();
    return true;
  }

  /** Moves the focus to the latest reply's waiting approval (if there is one); true when it did. */
  focusApproval(): boolean {
    const last = this.list.idAt(this.list.count - 1);
    if (!last || !this.list.get(last)?.toolCalls?.some((c) => c.status === 'approval')) return false;
    const button = this.list.reveal(last)?.querySelector<HTMLElement>(WAITING_APPROVAL);
    if (!button) return false;
    this.current = last;
    this.sync();
    button.focus();
    return true;
  }

  focusMessage(messageId: string): boolean {
    const el = this.list.reveal(messageId);
    if (!el) return false;
    this.current = messageId;
    this.sync();
    el.focus();
    return true;
  }

  private currentId(): string | undefined {
    if (this.current && this.list.indexOfId(this.current) !== undefined) return this.current;
    return this.list.idAt(this.list.count - 1);
  }

  /** One rendered message has tabindex 0; when the current one is not rendered, the log itself takes its place. */
  private sync(): void {
    const current = this.currentId();
    let found = false;
    for (const el of this.log.children) {
      if (!(el instanceof HTMLElement) || !el.matches('article.message')) continue;
      const on = el.dataset.id === current;
      setTabIndex(el, on ? 0 : -1);
      found ||= on;
    }
    setTabIndex(this.log, found || !current ? -1 : 0);
  }

  private added(records: MutationRecord[]): void {
    let messages = false;
    for (const record of records) {
      if (record.target === this.log) messages = true;
      for (const node of record.addedNodes) if (node instanceof HTMLElement) takeOutOfTabOrder(node);
    }
    if (messages) this.sync();
  }

  private focused(e: FocusEvent): void {
    if (e.target === this.log) {
      // The log stands in for a current message that is not rendered: go to that message.
      const id = this.currentId();
      if (id) this.focusMessage(id);
      return;
    }
    const id = (e.target as Element).closest<HTMLElement>('article.message')?.dataset.id;
    if (id && id !== this.current) {
      this.current = id;
      this.sync();
    }
  }

  private key(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const target = e.target as HTMLElement;
    const article = target.closest<HTMLElement>('article.message');
    if (!article || target.closest('.message-editor') || target.matches('input, textarea, select, [contenteditable="true"]')) return;
    const id = article.dataset.id ?? '';
    const index = this.list.indexOfId(id);
    if (index === undefined) return;
    let to: number;
    switch (e.key) {
      case 'ArrowUp':
        to = index - 1;
        break;
      case 'ArrowDown':
        to = index + 1;
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = this.list.count - 1;
        break;
      case 'ArrowLeft':
      case 'ArrowRight': {
        // A code block scrolls sideways with the arrows until it reaches its edge.
        const edge = e.key === 'ArrowLeft' ? target.scrollLeft <= 0 : target.scrollLeft + target.clientWidth >= target.scrollWidth - 1;
        if (target.tagName === 'PRE' && !edge) return;
        e.preventDefault();
        const controls = focusables(article).filter((el) => el !== article);
        const next = (target === article ? -1 : controls.indexOf(target)) + (e.key === 'ArrowRight' ? 1 : -1);
        if (next < 0) article.focus();
        else controls[Math.min(next, controls.length - 1)]?.focus();
        return;
      }
      case 'Enter':
        if (target === article && this.list.get(id)?.role === 'user') {
          e.preventDefault();
          this.onEdit(id);
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    const next = this.list.idAt(to);
    if (next) this.focusMessage(next);
  }
}

/** Takes the controls in `node` (and `node` itself) out of the Tab order; a message's editor keeps its own. */
function takeOutOfTabOrder(node: HTMLElement): void {
  if (node.closest('.message-editor')) return;
  const all = node.matches(CONTROLS) ? [node, ...node.querySelectorAll<HTMLElement>(CONTROLS)] : node.querySelectorAll<HTMLElement>(CONTROLS);
  for (const el of all) if (!el.matches('article.message') && !el.closest('.message-editor')) setTabIndex(el, -1);
}

/** Writes the attribute only when it changes (each write invalidates the styles that match [tabindex]). */
function setTabIndex(el: HTMLElement, value: number): void {
  if (el.getAttribute('tabindex') !== String(value)) el.tabIndex = value;
}
