// What replies cost, at the catalog's prices (the host prices each reply): a reply's cost, and the chat's total
// next to the context meter. An unknown price is said as unknown, never shown as $0.
import type { Chat, ChatMessage } from '../src/protocol';
import { h } from './dom';
import { state } from './store';

export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 1) return `$${usd.toFixed(3)}`;
  return `$${usd.toFixed(2)}`;
}

/** The reply's cost as shown under it: undefined for replies nobody bills (demo, local servers). */
export function costText(message: Pick<ChatMessage, 'cost'>): string | undefined {
  if (message.cost === undefined) return undefined;
  return message.cost === null ? 'price unknown' : formatCost(message.cost);
}

/** The chat's running total; `unknown` counts replies whose price the catalog does not have. */
export function chatCost(chat: Chat): { total: number; priced: number; unknown: number } {
  let total = 0;
  let priced = 0;
  let unknown = 0;
  for (const m of chat.messages) {
    if (m.cost === null) unknown++;
    else if (m.cost !== undefined) {
      total += m.cost;
      priced++;
    }
  }
  return { total, priced, unknown };
}

export class ChatCost {
  readonly el = h('span', { id: 'chat-cost', class: 'chat-cost', tabindex: 0, hidden: true });

  render(): void {
    const chat = state.chat;
    const { total, priced, unknown } = chat ? chatCost(chat) : { total: 0, priced: 0, unknown: 0 };
    this.el.hidden = priced === 0 && unknown === 0;
    if (this.el.hidden) return;
    this.el.textContent = priced ? `${unknown ? '≥ ' : ''}${formatCost(total)}` : 'cost unknown';
    const label = priced
      ? `This chat has cost ${formatCost(total)} so far (${priced} priced repl${priced === 1 ? 'y' : 'ies'}, models.dev catalog prices)${unknown ? `; ${unknown} repl${unknown === 1 ? 'y has' : 'ies have'} no known price` : ''}`
      : `The price of ${unknown === 1 ? 'this chat’s reply' : 'these replies'} is not in the catalog`;
    this.el.title = label;
    this.el.setAttribute('aria-label', label);
  }
}
