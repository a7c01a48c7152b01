import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import * as v from 'valibot';
import { ChatSchema, MessageSchema, type Chat, type ChatMessage } from '../protocol';
import type { Attachment } from './attachments';
import { applyLog, changeLine, IndexFileSchema, indexEntry, snapshotText, type IndexChange, type IndexEntry, type IndexState } from './historyIndex';

export { indexEntry, type IndexChange, type IndexEntry };

const LegacyFileSchema = v.object({ version: v.literal(1), activeChatId: v.optional(v.string()), chats: v.array(ChatSchema) });
const InFlightSchema = v.object({ chatId: v.string(), message: MessageSchema });

export interface LoadedIndex {
  entries: IndexEntry[];
  activeChatId?: string;
  /** Set when something could not be read and was moved aside. */
  warning?: string;
}

export interface LoadedChat {
  chat?: Chat;
  /** Set when the chat's file could not be read and was moved aside. */
  warning?: string;
}

export interface LoadedHistory {
  chats: Chat[];
  activeChatId?: string;
  warning?: string;
}

const CHAT_ID = /^[\w-]+$/;

/**
 * Chat history in the extension's global storage, one file per chat, so that a change costs that chat only:
 *   index.json, index.log   the chat list and the active chat: all that startup reads (a snapshot, and one line
 *                           per change since: see historyIndex.ts)
 *   chats/<id>.json         one whole chat, written when it changes
 *   chats/<id>.reply.json   the reply streaming in that chat, rewritten alone while it streams (so a long chat's
 *                           earlier messages are not serialized again every second); folded in on the next save
 *   attachments/<id>.json   one attachment's contents
 * Writes are atomic (temp file + rename) and serialized per file. A file that cannot be read is moved aside, never
 * dropped. The one-file history of earlier versions (chats.json) is migrated once and kept as chats.json.v1-backup.
 */
export class HistoryStore {
  private readonly indexFile: string;
  private readonly logFile: string;
  private readonly chatsDir: string;
  /** Lines in index.log since the last snapshot. */
  private logLines = 0;
  /** The last write queued per file (chat id or 'index'), so that writes to one file land in order. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly dir: string) {
    this.indexFile = join(dir, 'index.json');
    this.logFile = join(dir, 'index.log');
    this.chatsDir = join(dir, 'chats');
  }

  private chatFile(id: string): string {
    return join(this.chatsDir, `${fileStem(id)}.json`);
  }

  private replyFile(id: string): string {
    return join(this.chatsDir, `${fileStem(id)}.reply.json`);
  }

  private enqueue(key: string, write: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(write);
    this.queues.set(key, next);
    void next.finally(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    }).catch(() => undefined);
    return next;
  }

  /** Reads the chat list only (migrating chats.json first, once), folding the change log into a new snapshot. */
  async loadIndex(): Promise<LoadedIndex> {
    const [raw, log] = await Promise.all([readIfThere(this.indexFile), readIfThere(this.logFile)]);
    if (raw === undefined && log === undefined) return this.migrate();
    const parsed = raw === undefined ? { version: 2 as const, chats: [] } : parseWith(IndexFileSchema, raw);
    if (!parsed) {
      // The index is only a summary: rebuild it from the chat files (this once reads them all).
      const aside = await moveAside(this.indexFile);
      return this.rebuild(`Parley could not read its chat index; it was moved to ${aside} and rebuilt from the chat files.`);
    }
    const state = applyLog({ entries: parsed.chats, activeChatId: parsed.activeChatId }, log ?? '');
    // A change cut short (VS Code stopped mid-write) may have been a new chat's entry: the chat files tell.
    if (state.skipped) return this.rebuild('Parley found its chat list cut short (VS Code stopped while saving it) and rebuilt it from the chat files.', state.activeChatId);
    if (log !== undefined) await this.saveIndex(state.entries, state.activeChatId);
    return { entries: state.entries, activeChatId: state.activeChatId };
  }

  private async rebuild(note: string, activeChatId?: string): Promise<LoadedIndex> {
    const { chats, warning } = await this.loadEveryChat();
    const entries = chats.map(indexEntry);
    const active = entries.some((e) => e.id === activeChatId) ? activeChatId : undefined;
    await this.saveIndex(entries, active);
    return { entries, ...(active && { activeChatId: active }), warning: warning ? `${note} ${warning}` : note };
  }

  /** Reads one chat, with the reply that was streaming in it if the host stopped meanwhile (marked interrupted). */
  async loadChat(id: string): Promise<LoadedChat> {
    await this.queues.get(id)?.catch(() => undefined);
    const raw = await readIfThere(this.chatFile(id));
    if (raw === undefined) return {};
    const chat = parseWith(ChatSchema, raw);
    if (!chat || chat.id !== id) {
      const aside = await moveAside(this.chatFile(id));
      return { warning: `Parley could not read one saved chat; its file was moved to ${aside}. The other chats are kept.` };
    }
    const inFlight = parseWith(InFlightSchema, (await readIfThere(this.replyFile(id))) ?? '');
    if (inFlight) {
      const at = chat.messages.findIndex((m) => m.id === inFlight.message.id);
      if (at >= 0) chat.messages[at] = inFlight.message;
      else chat.messages.push(inFlight.message);
    }
    return { chat: markInterrupted(chat) };
  }

  /** Every chat (the extension API's getChats, tests): this reads the whole history. */
  async load(): Promise<LoadedHistory> {
    const index = await this.loadIndex();
    const chats: Chat[] = [];
    const warnings = index.warning ? [index.warning] : [];
    for (const entry of index.entries) {
      const { chat, warning } = await this.loadChat(entry.id);
      if (chat) chats.push(chat);
      if (warning) warnings.push(warning);
    }
    return { chats, activeChatId: index.activeChatId, ...(warnings.length && { warning: warnings.join(' ') }) };
  }

  private async loadEveryChat(): Promise<{ chats: Chat[]; warning?: string }> {
    const names = await fs.readdir(this.chatsDir).catch(() => [] as string[]);
    const chats: Chat[] = [];
    const warnings: string[] = [];
    for (const name of names) {
      const stem = /^([\w-]+)\.json$/.exec(name)?.[1];
      if (!stem || stem.endsWith('.reply')) continue;
      const id = stem.startsWith('h-') ? Buffer.from(stem.slice(2), 'hex').toString() : stem;
      const { chat, warning } = await this.loadChat(id);
      if (chat) chats.push(chat);
      if (warning) warnings.push(warning);
    }
    return { chats, ...(warnings.length && { warning: warnings.join(' ') }) };
  }

  /** chats.json (version 1) → one file per chat + index; the old file stays as chats.json.v1-backup. */
  private async migrate(): Promise<LoadedIndex> {
    const legacyFile = join(this.dir, 'chats.json');
    const raw = await readIfThere(legacyFile);
    if (raw === undefined) return { entries: [] };
    const legacy = parseWith(LegacyFileSchema, raw);
    if (!legacy) {
      const aside = await moveAside(legacyFile);
      return { entries: [], warning: `Parley could not read its chat history; the file was moved to ${aside} and a new history started.` };
    }
    await Promise.all(legacy.chats.map((chat) => this.saveChat(chat)));
    const entries = legacy.chats.map(indexEntry);
    await this.saveIndex(entries, legacy.activeChatId);
    await fs.rename(legacyFile, join(this.dir, 'chats.json.v1-backup'));
    return { entries, activeChatId: legacy.activeChatId };
  }

  /** Writes the whole chat; a reply saved on its own before is now part of it. */
  saveChat(chat: Chat): Promise<void> {
    const text = JSON.stringify(chat);
    return this.enqueue(chat.id, async () => {
      await writeAtomic(this.chatFile(chat.id), text);
      await fs.rm(this.replyFile(chat.id), { force: true });
    });
  }

  /** Writes the reply streaming in a chat, and nothing else of it. */
  saveReply(chatId: string, message: ChatMessage): Promise<void> {
    const text = JSON.stringify({ chatId, message });
    return this.enqueue(chatId, async () => {
      await writeAtomic(this.replyFile(chatId), text);
    });
  }

  /** Writes the whole chat list (a new snapshot; the change log starts over). */
  saveIndex(entries: IndexEntry[], activeChatId: string | undefined): Promise<void> {
    const text = snapshotText({ entries, activeChatId });
    this.logLines = 0;
    return this.enqueue('index', async () => {
      await writeAtomic(this.indexFile, text);
      await fs.rm(this.logFile, { force: true });
    });
  }

  /**
   * Records changes of the chat list by appending them to the log; once the log has as many lines as the list has
   * chats (at least 100), writes a snapshot of `current()` instead.
   */
  recordIndex(changes: IndexChange[], chatCount: number, current: () => IndexState): Promise<void> {
    this.logLines += changes.length;
    if (this.logLines > Math.max(100, chatCount)) {
      const state = current();
      return this.saveIndex(state.entries, state.activeChatId);
    }
    const text = changes.map(changeLine).join('');
    return this.enqueue('index', async () => {
      await fs.appendFile(this.logFile, text, 'utf8').catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
        await fs.mkdir(this.dir, { recursive: true });
        await fs.appendFile(this.logFile, text, 'utf8');
      });
    });
  }

  deleteChat(id: string): Promise<void> {
    return this.enqueue(id, async () => {
      await fs.rm(this.chatFile(id), { force: true });
      await fs.rm(this.replyFile(id), { force: true });
    });
  }

  /** Resolves once every write queued so far has landed. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
  }

  /** Attachment contents live beside the history, one file each, so chat files stay small. */
  async saveAttachment(attachment: Attachment): Promise<void> {
    const dir = join(this.dir, 'attachments');
    await writeAtomic(join(dir, `${attachment.id}.json`), JSON.stringify(attachment));
  }

  async loadAttachment(id: string): Promise<Attachment | undefined> {
    if (!CHAT_ID.test(id)) return undefined;
    try {
      return JSON.parse(await fs.readFile(join(this.dir, 'attachments', `${id}.json`), 'utf8')) as Attachment;
    } catch {
      return undefined;
    }
  }

  async deleteAttachments(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.filter((id) => CHAT_ID.test(id)).map((id) => fs.rm(join(this.dir, 'attachments', `${id}.json`), { force: true })));
  }
}

/** Chat ids are validated (`[\w.:-]+`), but '.', '..' and ':' are no file names: those ids are hex-encoded. */
function fileStem(id: string): string {
  return /^[\w-]+$/.test(id) && !id.startsWith('h-') ? id : `h-${Buffer.from(id).toString('hex')}`;
}

async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parseWith<S extends v.GenericSchema>(schema: S, raw: string): v.InferOutput<S> | undefined {
  try {
    const parsed = v.safeParse(schema, JSON.parse(raw));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

async function moveAside(file: string): Promise<string> {
  const aside = `${file}.corrupt-${Date.now()}`;
  await fs.rename(file, aside);
  return aside;
}

/**
 * Writes a temporary file beside `file`, then renames it over `file`. The folder is made only when the write
 * finds it missing: a reply in flight is saved every second, and each file system call is a round trip to the
 * thread pool and a wake-up of the extension host's thread.
 */
async function writeAtomic(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await fs.writeFile(temp, text, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await fs.mkdir(dirname(file), { recursive: true });
    await fs.writeFile(temp, text, 'utf8');
  }
  await fs.rename(temp, file);
}

/** A reply that was streaming when the host went away is kept, and marked as interrupted. */
function markInterrupted(chat: Chat): Chat {
  if (!chat.messages.some((m) => m.status === 'streaming')) return chat;
  const error = {
    kind: 'cut-off' as const,
    message: 'VS Code or the extension host stopped while this reply was streaming. The partial reply is kept.',
    action: 'continue' as const,
  };
  const unfinished = new Set(['streaming', 'approval', 'running']);
  const cancelCalls = (calls: ChatMessage['toolCalls']) =>
    calls?.map((c) => (unfinished.has(c.status) ? { ...c, status: 'cancelled' as const, isError: true, result: c.result ?? 'VS Code stopped before this call ran.' } : c));
  return {
    ...chat,
    messages: chat.messages.map((m) =>
      m.status === 'streaming' ? { ...m, status: 'interrupted' as const, ...((m.text || m.toolCalls?.length) && { error }), ...(m.toolCalls && { toolCalls: cancelCalls(m.toolCalls) }) } : m,
    ),
  };
}

