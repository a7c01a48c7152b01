import type { Chat, ChatMessage, ChatSummary } from '../protocol';
import { ParleyError } from '../providers/errors';
import type { Attachment } from './attachments';
import type { HistoryStore } from './history';

/** Called after a change; `chatId` undefined means the chat list changed too. Awaited by whoever made the change. */
export type ChangeListener = (chatId: string | undefined) => void | Promise<void>;
export type MessageListener = (chat: Chat, message: ChatMessage) => void;

/**
 * Owns the chats, which one is active, the attachments waiting for each chat's next message, and their
 * persistence. It emits change and message events; it never calls the reply runner or the panels.
 */
export class ChatStore {
  private readonly chats = new Map<string, Chat>();
  private readonly pending = new Map<string, Attachment[]>();
  private readonly changeListeners = new Set<ChangeListener>();
  private readonly messageListeners = new Set<MessageListener>();
  private active: string | undefined;
  private loaded: Promise<void> | undefined;
  /** Said once, to the first panel that opens (e.g. the history file was corrupt and moved aside). */
  private startupWarning: string | undefined;

  constructor(private readonly history: HistoryStore, private readonly log: (line: string) => void) {}

  load(): Promise<void> {
    this.loaded ??= this.history.load().then(({ chats, activeChatId, warning }) => {
      for (const chat of chats) this.chats.set(chat.id, chat);
      this.active = activeChatId && this.chats.has(activeChatId) ? activeChatId : chats.at(-1)?.id;
      if (warning) {
        this.log(warning);
        this.startupWarning = warning;
      }
    });
    return this.loaded;
  }

  takeStartupWarning(): string | undefined {
    const warning = this.startupWarning;
    this.startupWarning = undefined;
    return warning;
  }

  get(chatId: string): Chat | undefined {
    return this.chats.get(chatId);
  }

  getOrThrow(chatId: string): Chat {
    const chat = this.chats.get(chatId);
    if (!chat) throw new ParleyError('bad-request', 'That chat no longer exists.');
    return chat;
  }

  all(): Chat[] {
    return [...this.chats.values()];
  }

  /** Newest first, as the chat list shows them. */
  summaries(): ChatSummary[] {
    return this.all()
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, messageCount: c.messages.length }));
  }

  get activeChatId(): string | undefined {
    return this.active;
  }

  activeChat(): Chat | undefined {
    return this.active ? this.chats.get(this.active) : undefined;
  }

  async setActive(chatId: string): Promise<void> {
    this.active = chatId;
    await this.persist();
  }

  /** Adds a chat and makes it the active one (saved by the caller once it is set up). */
  add(chat: Chat): void {
    this.chats.set(chat.id, chat);
    this.active = chat.id;
  }

  /** Removes a chat with its attachments; the newest remaining chat becomes active if it was. */
  async remove(chat: Chat): Promise<void> {
    this.chats.delete(chat.id);
    this.pending.delete(chat.id);
    await this.history.deleteAttachments(chat.messages.flatMap((m) => (m.attachments ?? []).map((a) => a.id)));
    if (this.active === chat.id) this.active = this.all().sort((a, b) => b.updatedAt - a.updatedAt)[0]?.id;
  }

  // ---- attachments waiting to be sent ----

  pendingFor(chatId: string): Attachment[] {
    return this.pending.get(chatId) ?? [];
  }

  async addPending(chatId: string, attachments: Attachment[]): Promise<void> {
    this.pending.set(chatId, [...this.pendingFor(chatId), ...attachments]);
    await this.emitChange(chatId);
  }

  async removePending(chatId: string, attachmentId: string): Promise<void> {
    this.pending.set(chatId, this.pendingFor(chatId).filter((a) => a.id !== attachmentId));
    await this.emitChange(chatId);
  }

  /** Saves the chat's pending attachments and hands them over (they leave the pending list). */
  async takePending(chatId: string): Promise<Attachment[]> {
    const attachments = this.pendingFor(chatId);
    await Promise.all(attachments.map((a) => this.history.saveAttachment(a)));
    this.pending.delete(chatId);
    return attachments;
  }

  loadAttachment(id: string): Promise<Attachment | undefined> {
    return this.history.loadAttachment(id);
  }

  // ---- persistence and events ----

  persist(): Promise<void> {
    return this.history.save(this.all(), this.active).catch((err) => {
      this.log(`Could not save chat history: ${(err as Error).message}`);
    });
  }

  /** The chat was edited: stamps it, saves, and tells the listeners (the chat list too when `listChanged`). */
  async changed(chat: Chat, listChanged = false): Promise<void> {
    chat.updatedAt = Date.now();
    await this.persist();
    await this.emitChange(listChanged ? undefined : chat.id);
  }

  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  async emitChange(chatId: string | undefined): Promise<void> {
    await Promise.all([...this.changeListeners].map((listener) => listener(chatId)));
  }

  /** Called with every finished message (user and assistant), like marimo's `on_message`. */
  onMessage(listener: MessageListener): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  notifyMessage(chat: Chat, message: ChatMessage): void {
    for (const listener of this.messageListeners) {
      try {
        listener(structuredClone(chat), structuredClone(message));
      } catch (err) {
        this.log(`A Parley API listener failed: ${(err as Error).message}`);
      }
    }
  }
}
