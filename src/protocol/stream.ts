// The protocol: a reply's stream events (host → webview), deltas only, never accumulated text.
import * as v from 'valibot';
import { MAX_TEXT, count, finiteNumber, id, toolCallId, toolName } from './primitives';
import { PROVIDER_IDS } from './config';

// ---- reply stream events (host → webview), deltas only, never accumulated text ----
/** `tool-calls`: the model stopped to have tools run (one step of a reply that goes on after their results). */
export const FINISH_REASONS = ['stop', 'length', 'stopped', 'content-filter', 'error', 'interrupted', 'tool-calls'] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];

export const ERROR_KINDS = [
  'no-key', 'auth', 'permission', 'model', 'context', 'rate-limit', 'quota', 'overloaded', 'server',
  'network', 'timeout', 'cut-off', 'bad-request', 'bad-response', 'attachment', 'unknown',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const ERROR_ACTIONS = ['set-key', 'pick-model', 'retry', 'continue'] as const;
export type ErrorAction = (typeof ERROR_ACTIONS)[number];

export const UsageSchema = v.object({
  /** All input tokens, cache reads and cache writes included. */
  inputTokens: v.optional(finiteNumber),
  /** The part of inputTokens read from the provider's prompt cache. */
  cachedInputTokens: v.optional(finiteNumber),
  /** The part of inputTokens written to the prompt cache (Anthropic). */
  cacheWriteTokens: v.optional(finiteNumber),
  /** Everything generated, reasoning included. */
  outputTokens: v.optional(finiteNumber),
  /** The reasoning part of outputTokens. */
  reasoningTokens: v.optional(finiteNumber),
  /**
   * A reply of several model calls (tool steps) sums the counts above; this is the last call's input plus output,
   * what the conversation fills of the context window.
   */
  contextTokens: v.optional(finiteNumber),
  /** US dollars the provider bills for tools it ran (Claude's web search, per search), on top of the tokens. */
  serverToolCost: v.optional(finiteNumber),
});
export type Usage = v.InferOutput<typeof UsageSchema>;

/** A source the provider cited (web search, grounding); only http(s) URLs are kept. */
export const CitationSchema = v.object({
  url: v.pipe(v.string(), v.maxLength(8192), v.regex(/^https?:\/\//i)),
  title: v.optional(v.pipe(v.string(), v.maxLength(1000))),
});
export type Citation = v.InferOutput<typeof CitationSchema>;

/** Why a reply ended, when the provider said more than the finish reason does (e.g. a paused turn, a blocked prompt). */
export const FinishNoteSchema = v.object({ text: v.pipe(v.string(), v.maxLength(2000)), action: v.optional(v.picklist(ERROR_ACTIONS)) });
export type FinishNote = v.InferOutput<typeof FinishNoteSchema>;

/**
 * `streaming`: the model is still writing the arguments; `approval`: waiting for the user's Allow or Deny;
 * `cancelled`: Stop ended it, or the reply ended before it could run.
 */
export const TOOL_STATUSES = ['streaming', 'approval', 'running', 'done', 'failed', 'denied', 'cancelled'] as const;
export type ToolStatus = (typeof TOOL_STATUSES)[number];

/** What changes on a call once it has started. */
export const ToolCallUpdateSchema = v.object({
  status: v.picklist(TOOL_STATUSES),
  /** What the model was given back (the tool's output, or why it did not run). */
  result: v.optional(v.pipe(v.string(), v.maxLength(MAX_TEXT))),
  isError: v.optional(v.boolean()),
  /** What the call read or found, for the card ("hello.ts, 12 lines"). */
  summary: v.optional(v.pipe(v.string(), v.maxLength(1000))),
  durationMs: v.optional(finiteNumber),
});
export type ToolCallUpdate = v.InferOutput<typeof ToolCallUpdateSchema>;

export const StreamEventSchema = v.variant('type', [
  v.object({ type: v.literal('start'), messageId: id, provider: v.picklist(PROVIDER_IDS), model: v.string() }),
  v.object({ type: v.literal('text-delta'), text: v.string() }),
  v.object({ type: v.literal('reasoning-delta'), text: v.string() }),
  v.object({ type: v.literal('status'), text: v.string() }),
  v.object({ type: v.literal('usage'), usage: UsageSchema }),
  v.object({ type: v.literal('citation'), citation: CitationSchema }),
  v.object({ type: v.literal('finish'), reason: v.picklist(FINISH_REASONS), note: v.optional(FinishNoteSchema) }),
  v.object({
    type: v.literal('error'),
    kind: v.picklist(ERROR_KINDS),
    message: v.string(),
    action: v.optional(v.picklist(ERROR_ACTIONS)),
  }),
  // A tool call inside the reply: its start (the card appears at `textOffset` of the reply's text), its arguments'
  // JSON text in pieces as the model writes it, then its updates (status, and once finished its result).
  v.object({ type: v.literal('tool-call'), id: toolCallId, name: toolName, step: v.pipe(count, v.minValue(1)), textOffset: count, byProvider: v.optional(v.boolean()) }),
  v.object({ type: v.literal('tool-args'), id: toolCallId, text: v.string() }),
  v.object({ type: v.literal('tool-update'), id: toolCallId, update: ToolCallUpdateSchema }),
]);
export type StreamEvent = v.InferOutput<typeof StreamEventSchema>;
