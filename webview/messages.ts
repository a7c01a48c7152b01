import type { ChatMessage, StreamEvent, Usage } from '../src/protocol';
import { renderMarkdown, StreamingMarkdown } from './markdown';

const STATUS_LABEL: Record<string, string> = {
  stopped: 'Stopped',
  error: 'Failed',
  interrupted: 'Interrupted',
};

export function usageText(usage: Usage | undefined): string {
  if (!usage) return '';
  const parts = [];
  if (usage.inputTokens !== undefined) parts.push(`${usage.inputTokens} in`);
  if (usage.outputTokens !== undefined) parts.push(`${usage.outputTokens} out`);
  if (usage.reasoningTokens) parts.push(`${usage.reasoningTokens} reasoning`);
  return parts.length ? `${parts.join(' · ')} tokens` : '';
}

function versionOf(m: ChatMessage): string {
  return `${m.text.length}|${m.reasoning?.length ?? 0}|${m.status ?? ''}|${m.error?.kind ?? ''}|${usageText(m.usage)}`;
}

/** One rendered message; its DOM is only rebuilt when its content changed. */
class MessageView {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly reasoning: HTMLDetailsElement;
  private readonly reasoningBody: HTMLElement;
  private readonly footer: HTMLElement;
  private live?: { text: StreamingMarkdown; reasoning: StreamingMarkdown; dirty: boolean };
  version = '';

  constructor(readonly message: ChatMessage) {
    this.el = document.createElement('article');
    this.el.className = `message ${message.role}`;
    this.el.dataset.id = message.id;
    const header = document.createElement('div');
    header.className = 'message-header';
    const who = document.createElement('span');
    who.className = 'message-role';
    who.textContent = message.role === 'user' ? 'You' : message.model || 'Assistant';
    header.append(who);
    this.reasoning = document.createElement('details');
    this.reasoning.className = 'reasoning';
    this.reasoning.hidden = true;
    const summary = document.createElement('summary');
    summary.textContent = 'Reasoning';
    this.reasoningBody = document.createElement('div');
    this.reasoningBody.className = 'reasoning-body markdown';
    this.reasoning.append(summary, this.reasoningBody);
    this.body = document.createElement('div');
    this.body.className = message.role === 'user' ? 'message-body user-text' : 'message-body markdown';
    this.footer = document.createElement('div');
    this.footer.className = 'message-footer';
    this.el.append(header, this.reasoning, this.body, this.footer);
    this.update(message);
  }

  update(message: ChatMessage): void {
    const version = versionOf(message);
    if (version === this.version && !this.live) return;
    this.version = version;
    if (this.live && message.status !== 'streaming') this.endLive(message);
    if (!this.live) {
      if (message.role === 'user') this.body.textContent = message.text;
      else this.body.innerHTML = renderMarkdown(message.text);
      this.reasoning.hidden = !message.reasoning;
      if (message.reasoning) this.reasoningBody.innerHTML = renderMarkdown(message.reasoning);
    }
    this.renderFooter(message);
  }

  private renderFooter(message: ChatMessage): void {
    this.el.dataset.status = message.status ?? 'done';
    this.footer.replaceChildren();
    const status = message.status && STATUS_LABEL[message.status];
    if (status) {
      const badge = document.createElement('span');
      badge.className = `status-badge ${message.status}`;
      badge.textContent = status;
      this.footer.append(badge);
    }
    if (message.error) {
      const error = document.createElement('div');
      error.className = 'message-error';
      error.setAttribute('role', 'alert');
      error.dataset.kind = message.error.kind;
      error.textContent = message.error.message;
      if (message.error.action === 'set-key') {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'link-button';
        button.dataset.action = 'set-key';
        button.textContent = 'Set API key';
        error.append(' ', button);
      }
      this.footer.append(error);
    }
    const usage = usageText(message.usage);
    if (usage) {
      const span = document.createElement('span');
      span.className = 'usage';
      span.textContent = usage;
      this.footer.append(span);
    }
  }

  /** Starts rendering a reply as it streams. */
  beginLive(text = '', reasoning = ''): void {
    this.body.replaceChildren();
    this.reasoningBody.replaceChildren();
    this.live = { text: new StreamingMarkdown(this.body), reasoning: new StreamingMarkdown(this.reasoningBody), dirty: true };
    this.live.text.append(text);
    this.live.reasoning.append(reasoning);
    this.reasoning.hidden = !reasoning;
    this.el.dataset.status = 'streaming';
    this.flushLive();
  }

  applyDelta(event: StreamEvent): boolean {
    if (!this.live) return false;
    if (event.type === 'text-delta') this.live.text.append(event.text);
    else if (event.type === 'reasoning-delta') {
      this.live.reasoning.append(event.text);
      this.reasoning.hidden = false;
    } else if (event.type === 'status') {
      this.footer.textContent = event.text;
    } else return false;
    this.live.dirty = true;
    return true;
  }

  flushLive(): void {
    if (!this.live?.dirty) return;
    this.live.dirty = false;
    this.live.text.flush();
    this.live.reasoning.flush();
  }

  private endLive(message: ChatMessage): void {
    if (!this.live) return;
    const { text, reasoning } = this.live;
    this.live = undefined;
    // The host's final text is authoritative; if it matches what streamed, keep the streamed DOM as it is.
    if (text.value === message.text) text.flush(true);
    else this.body.innerHTML = renderMarkdown(message.text);
    if ((message.reasoning ?? '') === reasoning.value) reasoning.flush(true);
    else this.reasoningBody.innerHTML = renderMarkdown(message.reasoning ?? '');
    this.reasoning.hidden = !message.reasoning;
  }
}

/** The message log: keyed by message id, deltas batched into one DOM update per animation frame. */
export class MessageList {
  private readonly views = new Map<string, MessageView>();
  private liveView?: MessageView;
  private frame = 0;

  constructor(readonly el: HTMLElement, private readonly onFrame: () => void) {}

  setMessages(messages: ChatMessage[]): void {
    const keep = new Set(messages.map((m) => m.id));
    for (const [id, view] of this.views) {
      if (!keep.has(id)) {
        view.el.remove();
        this.views.delete(id);
      }
    }
    let previous: Element | null = null;
    for (const message of messages) {
      let view = this.views.get(message.id);
      if (!view) {
        view = new MessageView(message);
        this.views.set(message.id, view);
      } else view.update(message);
      const expectedNext: Element | null = previous ? previous.nextElementSibling : this.el.firstElementChild;
      if (expectedNext !== view.el) {
        if (previous) previous.after(view.el);
        else this.el.prepend(view.el);
      }
      previous = view.el;
    }
    if (this.liveView && !keep.has(this.liveView.message.id)) this.liveView = undefined;
  }

  startLive(messageId: string, text = '', reasoning = ''): void {
    const view = this.views.get(messageId);
    if (!view) return;
    this.liveView = view;
    view.beginLive(text, reasoning);
  }

  applyDelta(event: StreamEvent): void {
    if (this.liveView?.applyDelta(event)) this.schedule();
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
}
