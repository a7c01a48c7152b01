// Tool calls as data: the stream's tool events applied to a reply's list of calls (the same reducer for the live
// card and for the panel's copy of the chat, so a render from either gives the same cards), and the texts a card
// shows (status, duration, result size, arguments).
import type { Chat, StreamEvent, ToolCall, ToolStatus } from '../src/protocol';
import { humanSize } from './dom';

export type ToolEvent = Extract<StreamEvent, { type: 'tool-call' | 'tool-args' | 'tool-update' }>;

export function isToolEvent(event: StreamEvent): event is ToolEvent {
  return event.type === 'tool-call' || event.type === 'tool-args' || event.type === 'tool-update';
}

/** The calls after one event (a new array; the calls it changes are new objects too). */
export function applyToolEvent(calls: readonly ToolCall[] | undefined, event: ToolEvent): ToolCall[] {
  const list = [...(calls ?? [])];
  if (event.type === 'tool-call') {
    // A repeated start (a replayed event) changes nothing.
    if (list.some((c) => c.id === event.id)) return list;
    list.push({ id: event.id, name: event.name, arguments: '', step: event.step, textOffset: event.textOffset, status: 'streaming', ...(event.byProvider && { byProvider: true }) });
    return list;
  }
  const index = list.findIndex((c) => c.id === event.id);
  if (index < 0) return list;
  const call = list[index];
  list[index] = event.type === 'tool-args' ? { ...call, arguments: call.arguments + event.text } : { ...call, ...event.update };
  return list;
}

/** The chat with the event applied to its streaming reply (the panel's copy of the chat stays what a state would say). */
export function chatWithToolEvent(chat: Chat, event: ToolEvent): Chat {
  const index = chat.messages.findLastIndex((m) => m.role === 'assistant' && m.status === 'streaming');
  if (index < 0) return chat;
  const messages = [...chat.messages];
  messages[index] = { ...messages[index], toolCalls: applyToolEvent(messages[index].toolCalls, event) };
  return { ...chat, messages };
}

export const STATUS_TEXT: Record<ToolStatus, string> = {
  streaming: 'Writing arguments…',
  approval: 'Waiting for your approval',
  running: 'Running…',
  done: 'Done',
  failed: 'Failed',
  denied: 'Denied',
  cancelled: 'Cancelled',
};

/** Codicon per status; `~spin` adds the spinning modifier. */
export const STATUS_ICON: Record<ToolStatus, string> = {
  streaming: 'loading~spin',
  approval: 'shield',
  running: 'loading~spin',
  done: 'check',
  failed: 'error',
  denied: 'circle-slash',
  cancelled: 'debug-stop',
};

/** 420 → "0.4 s", 12_300 → "12 s", 75_000 → "1 min 15 s". */
export function durationText(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

const encoder = new TextEncoder();

/** "Result · 1.2 KB · hello.ts, 12 lines" (or "Error · …" for an error result). */
export function resultSummary(call: Pick<ToolCall, 'result' | 'isError' | 'summary'>): string {
  const parts = [call.isError ? 'Error' : 'Result', humanSize(encoder.encode(call.result ?? '').length)];
  if (call.summary) parts.push(call.summary);
  return parts.join(' · ');
}

/** The arguments pretty-printed when they are JSON, as written otherwise (still streaming, or malformed). */
export function argumentsText(json: string): string {
  if (!json.trim()) return '';
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
