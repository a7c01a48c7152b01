// The context meter next to the input: how much of the model's context window the chat (plus the draft and the
// attachments waiting to go with it) fills.
import type { AttachmentInfo, Chat } from '../src/protocol';
import { compactNumber, h } from './dom';
import { state } from './store';

const CHARS_PER_TOKEN = 4;

/** What text attachments add, in characters (their size in bytes: the same for ASCII, a little more otherwise). */
function attachedChars(attachments: readonly AttachmentInfo[] | undefined): number {
  return (attachments ?? []).reduce((sum, a) => sum + (a.kind === 'text' ? a.size : 0), 0);
}

/**
 * Tokens the next request will carry. The last reply's reported usage (its input plus its output) is exact for
 * everything up to it; text after it (attachments' text included: the draft's pending ones and those of messages
 * not yet answered), and chats without usage, are estimated at 4 characters per token. Images are not counted.
 */
export function contextTokens(chat: Chat, draft: string, pending: readonly AttachmentInfo[] = []): { tokens: number; estimated: boolean } {
  const messages = chat.messages;
  let from = 0;
  let tokens = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const usage = messages[i].usage;
    if (messages[i].role === 'assistant' && usage?.inputTokens !== undefined) {
      tokens = usage.contextTokens ?? usage.inputTokens + (usage.outputTokens ?? 0);
      from = i + 1;
      break;
    }
  }
  let chars = draft.length + attachedChars(pending);
  if (from === 0) chars += chat.config.system.length;
  for (const m of messages.slice(from)) chars += m.text.length + attachedChars(m.attachments);
  const rest = Math.ceil(chars / CHARS_PER_TOKEN);
  return { tokens: tokens + rest, estimated: from === 0 || rest > 0 };
}

export class ContextMeter {
  readonly el: HTMLElement;
  private readonly fill: HTMLElement;
  private readonly text: HTMLElement;

  constructor() {
    this.fill = h('span', { class: 'meter-fill' });
    this.text = h('span', { class: 'meter-text' });
    this.el = h('span', { id: 'context-meter', class: 'context-meter', role: 'meter', 'aria-label': 'Context used', 'aria-valuemin': 0, tabindex: 0 }, h('span', { class: 'meter-bar', 'aria-hidden': 'true' }, this.fill), this.text);
  }

  render(draft: string): void {
    const chat = state.chat;
    if (!chat) return;
    const { tokens, estimated } = contextTokens(chat, draft, state.pendingAttachments);
    const limit = state.capabilities?.contextWindow;
    const approx = estimated ? '≈' : '';
    const attached = state.pendingAttachments.filter((a) => a.kind === 'text').length;
    const how = `${estimated ? 'estimated at 4 characters per token' : 'from the last reply’s token usage'}${attached ? `, ${attached} attachment${attached === 1 ? '' : 's'} included` : ''}`;
    this.el.setAttribute('aria-valuenow', String(tokens));
    if (limit) {
      const ratio = tokens / limit;
      this.el.setAttribute('aria-valuemax', String(limit));
      this.el.setAttribute('aria-valuetext', `${approx}${tokens} of ${limit} tokens`);
      this.fill.style.width = `${Math.min(100, ratio * 100).toFixed(1)}%`;
      this.el.dataset.level = ratio >= 1 ? 'over' : ratio >= 0.8 ? 'high' : 'ok';
      this.text.textContent = `${approx}${compactNumber(tokens)} / ${compactNumber(limit)}`;
      this.el.title = `Context: ${approx}${tokens.toLocaleString('en-US')} of ${limit.toLocaleString('en-US')} tokens (${how})${ratio >= 1 ? ' — over the model’s window; older messages may be cut or the request refused' : ''}`;
      this.el.classList.remove('no-window');
    } else {
      this.el.removeAttribute('aria-valuemax');
      this.el.setAttribute('aria-valuetext', `${approx}${tokens} tokens`);
      this.el.dataset.level = 'ok';
      this.fill.style.width = '0';
      this.text.textContent = `${approx}${compactNumber(tokens)} tokens`;
      this.el.title = `Context: ${approx}${tokens.toLocaleString('en-US')} tokens (${how}); this model’s context window is not known`;
      this.el.classList.add('no-window');
    }
  }
}
