// The editor tab of the chat panel says which chat it shows: "Parley — <chat title>", cut to a tab's width.
import type { HostMessage } from '../protocol';

const MAX_TITLE = 40;

/** The tab title for a chat titled `chatTitle`. */
export function panelTitle(chatTitle: string): string {
  const title = chatTitle.replace(/\s+/g, ' ').trim();
  if (!title) return 'Parley';
  return `Parley — ${title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1).trimEnd()}…` : title}`;
}

/** The title of the chat a message to a panel shows, when the message says it. */
export function chatTitleIn(message: HostMessage): string | undefined {
  if (message.type === 'state') return message.chat.title;
  if (message.type === 'replyStarted') return message.title;
  if (message.type === 'update') return message.meta.title;
  return undefined;
}
