import type { ChatConfig, ChatMessage, FinishNote, FinishReason, StreamEvent, ThinkingBlock, ToolCall, Usage } from '../protocol';
import type { AdapterEvent, ProviderAdapter, ToolSpec, Turn } from '../providers/types';

const PERSIST_INTERVAL_MS = 1000;

/** What one model call of a reply works with; the reply loop builds it once per reply. */
export interface StepContext {
  adapter: ProviderAdapter;
  config: ChatConfig;
  reply: ChatMessage;
  signal: AbortSignal;
  send(event: StreamEvent): void;
  /** (Re)starts the idle timer: the provider has to send something before it runs out. */
  armIdleTimer(): void;
  /** The provider sent something: the idle timer's wait starts over. */
  touchIdleTimer(): void;
  /** Prices the reply's usage (all steps so far). */
  priceUsage(usage: Usage): void;
  /** Saves the whole chat (the reply object is part of it). */
  save(): Promise<void>;
  /** Saves only the reply in flight. */
  saveReply(): Promise<void>;
}

export interface StepResult {
  /** The provider's finish, if the stream got that far (already applied to the reply and sent, unless it asks for tools). */
  finish?: { reason: FinishReason; note?: FinishNote };
  /** The tool calls the model made in this step, in the order they started. */
  calls: ToolCall[];
}

/**
 * Streams one model call into `reply`: text, reasoning, citations and tool calls go into the message and out as
 * stream events; usage adds to what earlier steps used. Provider errors propagate to the reply loop.
 */
export async function streamStep(ctx: StepContext, step: number, turns: Turn[], tools: ToolSpec[] | undefined): Promise<StepResult> {
  const { reply, send } = ctx;
  const before: Usage = { ...reply.usage };
  let stepUsage: Usage = {};
  const calls: ToolCall[] = [];
  const byProviderId = new Map<string, ToolCall>();
  const serverCalls = new Map<number, ToolCall>();
  // Thinking blocks of this step, kept on its first call (they must lead the calls when the loop goes on).
  const thinking: ThinkingBlock[] = [];
  let finish: StepResult['finish'];
  let lastPersist = Date.now();
  ctx.armIdleTimer();
  for await (const event of ctx.adapter.stream(turns, ctx.config, ctx.signal, tools?.length ? { tools } : undefined)) {
    ctx.touchIdleTimer();
    if (ctx.signal.aborted) break;
    switch (event.type) {
      case 'text-delta':
        reply.text += event.text;
        break;
      case 'reasoning-delta':
        reply.reasoning = (reply.reasoning ?? '') + event.text;
        break;
      case 'thinking-block':
        thinking.push(event.block);
        continue;
      case 'usage':
        // A provider may report a step's usage in parts (input first, output at the end): merged within the step,
        // added across steps.
        stepUsage = { ...stepUsage, ...event.usage };
        reply.usage = addUsage(before, stepUsage);
        if (step > 1 && stepUsage.inputTokens !== undefined) reply.usage.contextTokens = stepUsage.inputTokens + (stepUsage.outputTokens ?? 0);
        ctx.priceUsage(reply.usage);
        send({ type: 'usage', usage: reply.usage });
        continue;
      case 'citation': {
        // What CitationSchema takes: an http(s) URL of at most 8192 characters, a title of at most 1000.
        const citation = { url: event.citation.url, ...(event.citation.title && { title: event.citation.title.slice(0, 1000) }) };
        if (!/^https?:\/\//i.test(citation.url) || citation.url.length > 8192 || reply.citations?.some((c) => c.url === citation.url)) continue;
        (reply.citations ??= []).push(citation);
        send({ type: 'citation', citation });
        continue;
      }
      case 'tool-call-start': {
        const call: ToolCall = { id: uniqueId(reply, event.id), name: validName(event.name), arguments: '', step, textOffset: reply.text.length, status: 'streaming' };
        if (!calls.length && thinking.length) call.thinking = thinking;
        calls.push(call);
        byProviderId.set(event.id, call);
        (reply.toolCalls ??= []).push(call);
        send({ type: 'tool-call', id: call.id, name: call.name, step, textOffset: call.textOffset });
        continue;
      }
      case 'tool-call-delta': {
        const call = byProviderId.get(event.id);
        if (!call) continue;
        call.arguments += event.text;
        send({ type: 'tool-args', id: call.id, text: event.text });
        continue;
      }
      case 'tool-call-end': {
        const call = byProviderId.get(event.id);
        if (call && event.signature) call.signature = event.signature;
        continue;
      }
      case 'server-tool':
        serverTool(ctx, step, event, serverCalls);
        continue;
      case 'finish':
        finish = { reason: event.reason, ...(event.note && { note: event.note }) };
        if (calls.length && event.reason === 'tool-calls') continue;
        reply.status = event.reason === 'stop' || event.reason === 'length' || event.reason === 'content-filter' ? 'done' : reply.status;
        if (event.note) reply.note = event.note;
        // The final step: saved before the panel shows it finished, as the SDK may take a while to close the
        // stream, and a reply shown as done must survive a reload or crash in that time.
        lastPersist = Date.now();
        await ctx.save();
        send(event);
        continue;
    }
    send(event);
    if (Date.now() - lastPersist > PERSIST_INTERVAL_MS) {
      lastPersist = Date.now();
      void ctx.saveReply();
    }
  }
  return { finish, calls };
}

/** A tool the provider ran: a card that starts running and ends done (or failed), its sources added to the reply's citations. */
function serverTool(ctx: StepContext, step: number, event: Extract<AdapterEvent, { type: 'server-tool' }>, known: Map<number, ToolCall>): void {
  const { reply, send } = ctx;
  let call = known.get(event.index);
  if (!call) {
    call = { id: uniqueId(reply, `server_${step}_${event.index}`), name: validName(event.name), arguments: event.arguments, step, textOffset: reply.text.length, status: 'running', byProvider: true };
    known.set(event.index, call);
    (reply.toolCalls ??= []).push(call);
    send({ type: 'tool-call', id: call.id, name: call.name, step, textOffset: call.textOffset, byProvider: true });
    if (call.arguments) send({ type: 'tool-args', id: call.id, text: call.arguments });
    send({ type: 'tool-update', id: call.id, update: { status: 'running' } });
  }
  for (const citation of event.sources ?? []) {
    if (citation.url.length > 8192 || reply.citations?.some((c) => c.url === citation.url)) continue;
    const kept = { url: citation.url, ...(citation.title && { title: citation.title.slice(0, 1000) }) };
    (reply.citations ??= []).push(kept);
    send({ type: 'citation', citation: kept });
  }
  if (event.output === undefined || call.status === 'done' || call.status === 'failed') return;
  const summary = event.summary ?? (event.sources?.length ? `${event.sources.length} sources` : undefined);
  const result = event.output.slice(0, 100_000);
  const update = event.failed ? { status: 'failed' as const, result, isError: true } : { status: 'done' as const, result, ...(summary && { summary }) };
  Object.assign(call, update);
  send({ type: 'tool-update', id: call.id, update });
}

function addUsage(a: Usage, b: Usage): Usage {
  const { contextTokens: _previous, ...out }: Usage = { ...a };
  for (const key of Object.keys(b) as Array<keyof Usage>) if (key !== 'contextTokens') out[key] = (a[key] ?? 0) + (b[key] ?? 0);
  return out;
}

/** A provider may reuse a call id in a later step (some compatible servers number calls per response). */
function uniqueId(reply: ChatMessage, id: string): string {
  const given = id.slice(0, 200) || 'call';
  const taken = (candidate: string) => reply.toolCalls?.some((c) => c.id === candidate);
  return taken(given) ? `${given}_${reply.toolCalls!.length + 1}` : given;
}

/** A name the protocol cannot carry (empty, odd characters) is kept as a placeholder: no tool has it, so the call fails. */
function validName(name: string): string {
  return /^[\w.:-]{1,128}$/.test(name) ? name : 'invalid_tool_name';
}
