// The chat list on disk: `index.json`, a snapshot of every chat's list entry and the active chat, plus
// `index.log`, one JSON line per change since the snapshot. A change appends one line, so what it writes does not
// grow with the number of chats; the log is folded into a new snapshot at load and whenever it has grown as long
// as the list (a rewrite that then costs each change a constant share).
import * as v from 'valibot';
import { ChatSummarySchema, PROVIDER_IDS, type Chat } from '../protocol';

/** What the index keeps per chat: the list entry, and the key a chat on the demo model waits for. */
const IndexEntrySchema = v.object({ ...ChatSummarySchema.entries, fallbackFrom: v.optional(v.picklist(PROVIDER_IDS)) });
export type IndexEntry = v.InferOutput<typeof IndexEntrySchema>;
export const IndexFileSchema = v.object({ version: v.literal(2), activeChatId: v.optional(v.string()), chats: v.array(IndexEntrySchema) });

/** One line of the log: a chat's entry set (added or changed), a chat removed, or another chat made active. */
const IndexChangeSchema = v.union([
  v.object({ set: IndexEntrySchema }),
  v.object({ remove: v.string() }),
  v.object({ active: v.nullable(v.string()) }),
]);
export type IndexChange = v.InferOutput<typeof IndexChangeSchema>;

export function indexEntry(chat: Chat): IndexEntry {
  return {
    id: chat.id,
    title: chat.title,
    updatedAt: chat.updatedAt,
    messageCount: chat.messages.length,
    ...(chat.fallbackFrom && chat.config.provider === 'demo' && { fallbackFrom: chat.fallbackFrom }),
  };
}

export interface IndexState {
  entries: IndexEntry[];
  activeChatId?: string;
}

export function snapshotText(state: IndexState): string {
  return JSON.stringify({ version: 2, activeChatId: state.activeChatId, chats: state.entries });
}

export function changeLine(change: IndexChange): string {
  return `${JSON.stringify(change)}\n`;
}

/**
 * The snapshot with the log's changes applied in order. Applying a change twice gives the same list, so a log
 * left behind by a crash after its snapshot was written reads the same. A line that does not parse (the last one,
 * cut short by a crash) is skipped and counted.
 */
export function applyLog(state: IndexState, log: string): IndexState & { skipped: number } {
  const entries = new Map(state.entries.map((e) => [e.id, e]));
  let active = state.activeChatId;
  let skipped = 0;
  for (const line of log.split('\n')) {
    if (!line.trim()) continue;
    const change = parseLine(line);
    if (!change) skipped++;
    else if ('set' in change) entries.set(change.set.id, change.set);
    else if ('remove' in change) entries.delete(change.remove);
    else active = change.active ?? undefined;
  }
  return { entries: [...entries.values()], ...(active !== undefined && { activeChatId: active }), skipped };
}

function parseLine(line: string): IndexChange | undefined {
  try {
    const parsed = v.safeParse(IndexChangeSchema, JSON.parse(line));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}
