import type { Chat, ChatMessage, StreamEvent, ToolCall, ToolCallUpdate } from '../protocol';
import { ParleyError } from '../providers/errors';
import type { OfferedTool } from '../tools/toolbox';
import { DEFAULT_TOOL_SETTINGS, type ServiceSettings } from './serviceSettings';

export type ApprovalDecision = 'once' | 'chat' | 'deny';

/** Tool calls may not be longer than this in a saved reply; the model's own output is cut earlier (tools cut at 60k). */
const MAX_RESULT_CHARS = 100_000;

interface Waiting {
  chatId: string;
  resolve(decision: ApprovalDecision | 'cancelled'): void;
}

/** What running one step's calls needs from the reply in flight. */
export interface StepCalls {
  chat: Chat;
  reply: ChatMessage;
  calls: ToolCall[];
  /** The tools offered in this reply (those the chat has on). */
  tools: OfferedTool[];
  signal: AbortSignal;
  send(event: StreamEvent): void;
  /** Saves the chat (an approval changes it). */
  save(): Promise<void>;
}

/**
 * Runs the calls of one step, in order: asks for approval when the rules say so (and owns the calls waiting for
 * an answer), runs each with a timeout and the reply's Stop, and writes status and result into each call. Every
 * failure becomes a result the model can read; nothing here throws.
 */
export class ToolRunner {
  private readonly waiting = new Map<string, Waiting>();
  /** Calls whose tool prepared something to review (an edit's diff), while they wait or run. */
  private readonly prepared = new Map<string, { chatId: string; tool: OfferedTool }>();

  constructor(private readonly settings: () => ServiceSettings) {}

  /** The user's answer from a card. A decision for a call that is not waiting (forged, stale, other chat) is refused. */
  decide(chatId: string, callId: string, decision: ApprovalDecision): void {
    const waiting = this.waiting.get(callId);
    if (!waiting || waiting.chatId !== chatId) throw new ParleyError('bad-request', 'That tool call is not waiting for approval any more.');
    this.waiting.delete(callId);
    waiting.resolve(decision);
  }

  /** The card's Review button: shows again what the prepared call would do. */
  async review(chatId: string, callId: string): Promise<void> {
    const prepared = this.prepared.get(callId);
    if (!prepared || prepared.chatId !== chatId) throw new ParleyError('bad-request', 'That tool call has nothing to review any more.');
    await prepared.tool.review?.(callId);
  }

  async runStep(step: StepCalls): Promise<void> {
    for (const call of step.calls) {
      if (step.signal.aborted) {
        update(step, call, { status: 'cancelled', result: 'Stopped by the user before this call ran.', isError: true });
        continue;
      }
      await this.runCall(step, call);
    }
  }

  private async runCall(step: StepCalls, call: ToolCall): Promise<void> {
    const tool = step.tools.find((t) => t.spec.name === call.name);
    if (!tool) {
      const offered = step.tools.map((t) => t.spec.name).join(', ') || 'none';
      update(step, call, { status: 'failed', isError: true, result: `There is no tool named "${call.name}" in this chat. The tools offered are: ${offered}.` });
      return;
    }
    try {
      await this.prepareAndRun(step, call, tool);
    } finally {
      this.prepared.delete(call.id);
      tool.release?.(call.id);
    }
  }

  private async prepareAndRun(step: StepCalls, call: ToolCall, tool: OfferedTool): Promise<void> {
    const tools = this.settings().tools ?? DEFAULT_TOOL_SETTINGS;
    // What a prepared call will do ("hello.ts (+3 −1 lines)"), shown in its card while it asks and runs.
    let summary: string | undefined;
    if (tool.prepare) {
      const prepared = await tool.prepare(call.arguments, call.id, step.signal).catch((err: unknown) => ({ error: { text: `${call.name} failed: ${(err as Error)?.message ?? err}`, isError: true }, summary: undefined }));
      if (prepared.error) {
        update(step, call, { status: 'failed', result: cut(prepared.error.text), isError: true });
        return;
      }
      if (prepared.summary) summary = prepared.summary.slice(0, 1000);
      this.prepared.set(call.id, { chatId: step.chat.id, tool });
    }
    const mustAsk = !(step.chat.allowedTools ?? []).includes(call.name) && (tools.approval === 'always' || !tool.info.readOnly);
    if (mustAsk) {
      update(step, call, { status: 'approval', ...(summary && { summary }) });
      const decision = await this.approval(step, call);
      if (decision === 'cancelled') {
        update(step, call, { status: 'cancelled', result: 'Stopped by the user before this call was approved.', isError: true });
        return;
      }
      if (decision === 'deny') {
        update(step, call, { status: 'denied', result: `The user denied this call of ${call.name}. Do not call it again with the same arguments unless they ask.`, isError: true });
        return;
      }
      if (decision === 'chat') {
        step.chat.allowedTools = [...new Set([...(step.chat.allowedTools ?? []), call.name])];
        await step.save();
      }
    }
    update(step, call, { status: 'running', ...(summary && { summary }) });
    const started = Date.now();
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), tools.timeoutSeconds * 1000);
    const signal = AbortSignal.any([step.signal, timeout.signal]);
    try {
      // A tool that ignores its signal still gives way: the race ends the wait, not the tool.
      const output = await Promise.race([tool.run(call.arguments, signal, call.id), aborted(signal)]);
      const durationMs = Date.now() - started;
      if (output === 'aborted') {
        if (step.signal.aborted) update(step, call, { status: 'cancelled', result: `Stopped by the user while ${call.name} ran.`, isError: true, durationMs });
        else update(step, call, { status: 'failed', result: `${call.name} did not finish within ${tools.timeoutSeconds} s (parley.tools.timeoutSeconds), so Parley stopped it.`, isError: true, durationMs });
        return;
      }
      update(step, call, {
        status: output.isError ? 'failed' : 'done',
        result: cut(output.text),
        ...(output.isError && { isError: true }),
        ...(output.summary && { summary: output.summary.slice(0, 1000) }),
        durationMs,
      });
    } catch (err) {
      update(step, call, { status: 'failed', result: `${call.name} failed: ${(err as Error)?.message ?? err}`, isError: true, durationMs: Date.now() - started });
    } finally {
      clearTimeout(timer);
    }
  }

  private approval(step: StepCalls, call: ToolCall): Promise<ApprovalDecision | 'cancelled'> {
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiting.delete(call.id);
        resolve('cancelled');
      };
      if (step.signal.aborted) return onAbort();
      step.signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(call.id, {
        chatId: step.chat.id,
        resolve: (decision) => {
          step.signal.removeEventListener('abort', onAbort);
          resolve(decision);
        },
      });
    });
  }
}

function update(step: StepCalls, call: ToolCall, change: ToolCallUpdate): void {
  Object.assign(call, change);
  step.send({ type: 'tool-update', id: call.id, update: change });
}

function aborted(signal: AbortSignal): Promise<'aborted'> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve('aborted');
    signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
}

function cut(text: string): string {
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}\n[… cut at ${MAX_RESULT_CHARS} characters]` : text;
}
