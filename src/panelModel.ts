// The panel's copy of the host's state and how each host message changes it: one reducer, used by the webview and
// by the tests that play a panel, so that both read the incremental messages (update, replyStarted,
// chatListChange) the same way. Stream events are not applied here: the webview renders them as they come.
import type { ChatSummary, HostMessage } from './protocol';

type StateMessage = Extract<HostMessage, { type: 'state' }>;
export type PanelModel = Omit<StateMessage, 'type'>;

/** Newest first, as the host lists them. */
function withEntry(chats: readonly ChatSummary[], entry: ChatSummary | undefined, removed?: string): ChatSummary[] {
  const rest = chats.filter((c) => c.id !== entry?.id && c.id !== removed);
  if (!entry) return rest;
  const at = rest.findIndex((c) => c.updatedAt < entry.updatedAt);
  return at < 0 ? [...rest, entry] : [...rest.slice(0, at), entry, ...rest.slice(at)];
}

/**
 * The model after `message`: a new object when the message changed it, the same one otherwise. A message about
 * another chat than the one shown changes only the chat list. Before the first `state` there is nothing to update.
 */
export function applyHostMessage(model: PanelModel | undefined, message: HostMessage): PanelModel | undefined {
  switch (message.type) {
    case 'state': {
      const { type: _, ...next } = message;
      return next;
    }
    case 'update': {
      if (!model || model.chat.id !== message.chatId) return model;
      const messages = message.messages ? [...model.chat.messages.slice(0, message.messages.keep), ...message.messages.append] : model.chat.messages;
      return {
        ...model,
        chat: { ...message.meta, messages },
        capabilities: message.capabilities,
        modelGone: message.modelGone,
        activeRequest: message.activeRequest,
        ...(message.pendingAttachments && { pendingAttachments: message.pendingAttachments }),
        ...(message.providers && { providers: message.providers }),
        ...(message.ui && { ui: message.ui }),
      };
    }
    case 'replyStarted': {
      if (!model) return model;
      const chats = withEntry(model.chats, message.summary);
      if (model.chat.id !== message.chatId) return { ...model, chats };
      return {
        ...model,
        chats,
        chat: { ...model.chat, title: message.title, messages: [...model.chat.messages.slice(0, message.keep), ...message.append] },
        pendingAttachments: message.pendingAttachments,
        activeRequest: message.requestId,
      };
    }
    case 'chatListChange':
      return model && { ...model, chats: withEntry(model.chats, message.upsert, message.remove) };
    default:
      return model;
  }
}
