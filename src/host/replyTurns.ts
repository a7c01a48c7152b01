// A saved reply as the turns a provider sees when the conversation goes on: its text split where each tool step
// ended, each step's calls on an assistant turn and their results on a `tool` turn after it. Providers require
// a result for every call, so a call that never ran (stopped, denied, over the step limit) is given one saying so.
import type { ChatMessage, ToolCall } from '../protocol';
import type { Turn } from '../providers/types';

const NOT_RUN = 'This call did not run: the reply ended before it could.';

/** `from`: only the part of the reply from this step and text offset on (what a continued reply added). */
export function replyTurns(reply: Pick<ChatMessage, 'text' | 'toolCalls' | 'model'>, from = { step: 1, text: 0 }): Turn[] {
  // Calls the provider ran itself are part of what it wrote, not calls to send back.
  const calls = (reply.toolCalls ?? []).filter((c) => c.step >= from.step && !c.byProvider);
  if (!calls.length) return reply.text.length > from.text ? [{ role: 'assistant', text: reply.text.slice(from.text) }] : [];
  const steps = new Map<number, ToolCall[]>();
  for (const call of calls) steps.set(call.step, [...(steps.get(call.step) ?? []), call]);
  const turns: Turn[] = [];
  let start = from.text;
  for (const step of [...steps.keys()].sort((a, b) => a - b)) {
    const stepCalls = steps.get(step)!;
    const to = Math.max(start, ...stepCalls.map((c) => Math.min(c.textOffset, reply.text.length)));
    const thinking = stepCalls.flatMap((c) => c.thinking ?? []);
    turns.push({
      role: 'assistant',
      text: reply.text.slice(start, to),
      toolCalls: stepCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments, ...(c.signature && { signature: c.signature }) })),
      ...(thinking.length && reply.model && { thinking: { model: reply.model, blocks: thinking } }),
    });
    turns.push({
      role: 'tool',
      text: '',
      toolResults: stepCalls.map((c) => ({ callId: c.id, name: c.name, text: c.result ?? NOT_RUN, ...((c.isError || c.result === undefined || c.status !== 'done') && { isError: true }) })),
    });
    start = to;
  }
  const rest = reply.text.slice(start);
  if (rest) turns.push({ role: 'assistant', text: rest });
  return turns;
}
