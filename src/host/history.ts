import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { ChatSchema, type Chat } from '../protocol';
import type { Attachment } from './attachments';

const HistoryFileSchema = v.object({ version: v.literal(1), activeChatId: v.optional(v.string()), chats: v.array(ChatSchema) });
type HistoryFile = v.InferOutput<typeof HistoryFileSchema>;

export interface LoadedHistory {
  chats: Chat[];
  activeChatId?: string;
  /** Set when the file could not be read and was moved aside. */
  warning?: string;
}

/**
 * Chat history in one JSON file in the extension's global storage. Writes are atomic (temp file + rename)
 * and serialized; a file that cannot be parsed is moved aside, never dropped.
 */
export class HistoryStore {
  private readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {
    this.file = join(dir, 'chats.json');
  }

  async load(): Promise<LoadedHistory> {
    let raw: string;
    try {
      raw = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { chats: [] };
      throw err;
    }
    let parsed: v.SafeParseResult<typeof HistoryFileSchema> | undefined;
    try {
      parsed = v.safeParse(HistoryFileSchema, JSON.parse(raw));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) {
      return { chats: parsed.output.chats.map(markInterrupted), activeChatId: parsed.output.activeChatId };
    }
    const aside = `${this.file}.corrupt-${Date.now()}`;
    await fs.rename(this.file, aside);
    return { chats: [], warning: `Parley could not read its chat history; the file was moved to ${aside} and a new history started.` };
  }

  /** Attachment contents live beside the history, one file each, so chats.json stays small. */
  async saveAttachment(attachment: Attachment): Promise<void> {
    const dir = join(this.dir, 'attachments');
    await fs.mkdir(dir, { recursive: true });
    await writeAtomic(join(dir, `${attachment.id}.json`), JSON.stringify(attachment));
  }

  async loadAttachment(id: string): Promise<Attachment | undefined> {
    if (!/^[\w-]+$/.test(id)) return undefined;
    try {
      return JSON.parse(await fs.readFile(join(this.dir, 'attachments', `${id}.json`), 'utf8')) as Attachment;
    } catch {
      return undefined;
    }
  }

  async deleteAttachments(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.filter((id) => /^[\w-]+$/.test(id)).map((id) => fs.rm(join(this.dir, 'attachments', `${id}.json`), { force: true })));
  }

  save(chats: Chat[], activeChatId?: string): Promise<void> {
    const data: HistoryFile = { version: 1, activeChatId, chats };
    const text = JSON.stringify(data);
    this.writing = this.writing.catch(() => undefined).then(async () => {
      await fs.mkdir(this.dir, { recursive: true });
      await writeAtomic(this.file, text);
    });
    return this.writing;
  }
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fs.writeFile(temp, text, 'utf8');
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
  return { ...chat, messages: chat.messages.map((m) => (m.status === 'streaming' ? { ...m, status: 'interrupted' as const, ...(m.text && { error }) } : m)) };
}
