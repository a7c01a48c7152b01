import type { Chat, ChatMessage, ChatSummary } from '../protocol';
import { ParleyError } from '../providers/errors';
import type { Attachment } from './attachments';
import { indexEntry, type HistoryStore, type IndexChange, type IndexEntry } from './history';

/**
 * What changed in a chat: its metadata (title, config, …) unless only its pending `attachments` changed, and its
 * messages from index `messagesFrom` on when that is set; or it left the list (`removed`: its file was unreadable).
 */
export interface ChatChange {
  chatId: string;
  messagesFrom?: number;
  attachments?: true;
  removed?: true;
}
/** Called after a change; awaited by whoever made the change. */
export type ChangeListener = (change: ChatChange) => void | Promise<void>;
export type MessageListener = (chat: Chat, message: ChatMessage) => void;

/**
 * Owns the chats: the list of all of them (from the history's index), the ones opened this session, which one is
 * active, the attachments waiting for each chat's next message, and their persistence. A chat is read from disk
 * the first time it is opened. It emits change and message events; it never calls the reply runner or the panels.
 */
const summaryOf = (e: IndexEntry): ChatSummary => ({ id: e.id, title: e.title, updatedAt: e.updatedAt, messageCount: e.messageCount });

export class ChatStore {
  /** Every chat, as the chat list shows it (insertion order: the last one is the newest created). */
  private readonly entries = new Map<string, IndexEntry>();
  private readonly chats = new Map<string, Chat>();
  private readonly opening = new Map<string, Promise<Chat | undefined>>();
  private readonly pending = new Map<string, Attachment[]>();
  private readonly changeListeners = new Set<ChangeListener>();
  private readonly messageListeners = new Set<MessageListener>();
  private active: string | undefined;
  /** The active chat as the index on disk has it. */
  private recordedActive: string | undefined;
  private loaded: Promise<void> | undefined;
  /** Said once, to the next panel that opens (e.g. a history file was corrupt and moved aside). */
  private warnings: string[] = [];

  constructor(private readonly history: HistoryStore, private readonly log: (line: string) => void) {}

  load(): Promise<void> {
    this.loaded ??= this.history.loadIndex().then(({ entries, activeChatId, warning }) => {
      for (const entry of entries) this.entries.set(entry.id, entry);
      this.active = activeChatId && this.entries.has(activeChatId) ? activeChatId : entries.at(-1)?.id;
      this.recordedActive = activeChatId;
      if (warning) this.warn(warning);
    });
    return this.loaded;
  }

  private warn(warning: string): void {
    this.log(warning);
    this.warnings.push(warning);
  }

  takeStartupWarning(): string | undefined {
    const warning = this.warnings.join(' ') || undefined;
    this.warnings = [];
    return warning;
  }

  /** A chat already opened this session. */
  get(chatId: string): Chat | undefined {
    return this.chats.get(chatId);
  }

  /** The chat, read from disk if this session has not opened it yet; undefined if it is gone or unreadable. */
  async open(chatId: string): Promise<Chat | undefined> {
    await this.load();
    const loaded = this.chats.get(chatId);
    if (loaded || !this.entries.has(chatId)) return loaded;
    let opening = this.opening.get(chatId);
    if (!opening) {
      opening = this.history.loadChat(chatId).then(async ({ chat, warning }) => {
        if (chat && this.entries.has(chatId)) {
          this.chats.set(chatId, chat);
          return chat;
        }
        // Unreadable (moved aside) or missing: it leaves the list, the other chats stay.
        if (warning) this.warn(warning);
        else this.log(`Parley's chat index named a chat whose file is missing (${chatId}); it was left out.`);
        this.entries.delete(chatId);
        if (this.active === chatId) this.active = this.newest();
        await this.recordIndex({ remove: chatId });
        await this.emitChange({ chatId, removed: true });
        return undefined;
      });
      this.opening.set(chatId, opening);
      void opening.finally(() => this.opening.delete(chatId));
    }
    return opening;
  }

  async getOrThrow(chatId: string): Promise<Chat> {
    const chat = await this.open(chatId);
    if (!chat) throw new ParleyError('bad-request', this.takeStartupWarning() ?? 'That chat no longer exists.');
    return chat;
  }

  /** Every chat, each read from disk if need be: this grows with the history (the extension API's getChats). */
  async all(): Promise<Chat[]> {
    await this.load();
    const chats: Chat[] = [];
    for (const id of [...this.entries.keys()]) {
      const chat = await this.open(id);
      if (chat) chats.push(chat);
    }
    return chats;
  }

  /** Chats that run on the demo model only until their provider's key is set. */
  async waitingForKeys(): Promise<Chat[]> {
    const ids = [...this.entries.values()].filter((e) => e.fallbackFrom).map((e) => e.id);
    const chats = await Promise.all(ids.map((id) => this.open(id)));
    return chats.filter((c): c is Chat => !!c && !!c.fallbackFrom && c.config.provider === 'demo');
  }

  /** Newest first, as the chat list shows them. */
  summaries(): ChatSummary[] {
    return [...this.entries.values()].sort((a, b) => b.updatedAt - a.updatedAt).map(summaryOf);
  }

  /** One chat's entry in the chat list. */
  summary(chatId: string): ChatSummary | undefined {
    const entry = this.entries.get(chatId);
    return entry && summaryOf(entry);
  }

  private newest(): string | undefined {
    let newest: IndexEntry | undefined;
    for (const entry of this.entries.values()) if (!newest || entry.updatedAt > newest.updatedAt) newest = entry;
    return newest?.id;
  }

  /** The active chat, opened; a chat that cannot be read gives way to the newest other one. */
  async activeChat(): Promise<Chat | undefined> {
    await this.load();
    while (this.active) {
      const id = this.active;
      const chat = await this.open(id);
      if (chat) return chat;
      if (this.active === id) this.active = this.entries.has(id) ? undefined : this.newest();
    }
    return undefined;
  }

  async setActive(chatId: string): Promise<void> {
    this.active = chatId;
    await this.recordIndex();
  }

  /** Adds a chat and makes it the active one (saved by the caller once it is set up). */
  add(chat: Chat): void {
    this.chats.set(chat.id, chat);
    this.entries.set(chat.id, indexEntry(chat));
    this.active = chat.id;
  }

  /** Removes a chat with its file and attachments; the newest remaining chat becomes active if it was. */
  async remove(chat: Chat): Promise<void> {
    this.chats.delete(chat.id);
    this.entries.delete(chat.id);
    this.pending.delete(chat.id);
    if (this.active === chat.id) this.active = this.newest();
    await Promise.all([
      this.history.deleteChat(chat.id),
      this.history.deleteAttachments(chat.messages.flatMap((m) => (m.attachments ?? []).map((a) => a.id))),
      this.recordIndex({ remove: chat.id }),
    ]);
  }

  // ---- attachments waiting to be sent ----

  pendingFor(chatId: string): Attachment[] {
    return this.pending.get(chatId) ?? [];
  }

  async addPending(chatId: string, attachments: Attachment[]): Promise<void> {
    this.pending.set(chatId, [...this.pendingFor(chatId), ...attachments]);
    await this.emitChange({ chatId, attachments: true });
  }

  async removePending(chatId: string, attachmentId: string): Promise<void> {
    this.pending.set(chatId, this.pendingFor(chatId).filter((a) => a.id !== attachmentId));
    await this.emitChange({ chatId, attachments: true });
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

  /** Writes this chat's file and its index entry (nothing of the other chats). */
  async save(chat: Chat): Promise<void> {
    if (!this.entries.has(chat.id)) return; // deleted meanwhile
    const entry = indexEntry(chat);
    this.entries.set(chat.id, entry);
    await Promise.all([this.history.saveChat(chat), this.recordIndex({ set: entry })]).catch((err) => {
      this.log(`Could not save chat history: ${(err as Error).message}`);
    });
  }

  /** Writes only the reply streaming in `chat` (its earlier messages are on disk already). */
  async saveReply(chat: Chat, reply: ChatMessage): Promise<void> {
    if (!this.entries.has(chat.id)) return;
    await this.history.saveReply(chat.id, reply).catch((err) => {
      this.log(`Could not save the reply in progress: ${(err as Error).message}`);
    });
  }

  /** Records a change of the chat list, and of the active chat if that changed since the index last had it. */
  private async recordIndex(change?: IndexChange): Promise<void> {
    const changes: IndexChange[] = change ? [change] : [];
    if (this.active !== this.recordedActive) changes.push({ active: this.active ?? null });
    this.recordedActive = this.active;
    if (!changes.length) return;
    const current = () => ({ entries: [...this.entries.values()], activeChatId: this.active });
    await this.history.recordIndex(changes, this.entries.size, current).catch((err) => {
      this.log(`Could not save the chat list: ${(err as Error).message}`);
    });
  }

  /** Resolves once every write queued so far has landed. */
  flush(): Promise<void> {
    return this.history.flush();
  }

  /** The chat was edited (its messages from `messagesFrom` on, if set): stamps it, saves it, tells the listeners. */
  async changed(chat: Chat, messagesFrom?: number): Promise<void> {
    chat.updatedAt = Date.now();
    await this.save(chat);
    await this.emitChange({ chatId: chat.id, ...(messagesFrom !== undefined && { messagesFrom }) });
  }

  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  async emitChange(change: ChatChange): Promise<void> {
    await Promise.all([...this.changeListeners].map((listener) => listener(change)));
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
