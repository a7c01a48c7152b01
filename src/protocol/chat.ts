// The protocol: a chat's state as the host owns it and the webview mirrors it (messages, tool calls, capabilities,
// providers, the chat list).
import * as v from 'valibot';
import { MAX_TEXT, count, finiteNumber, id, toolCallId, toolName } from './primitives';
import { ChatConfigSchema, PROVIDER_IDS, REASONING_FORMATS, ReasoningEffortSchema, SERVER_TOOLS, type ChatConfig } from './config';
import { CitationSchema, ERROR_ACTIONS, ERROR_KINDS, FinishNoteSchema, ToolCallUpdateSchema, UsageSchema } from './stream';

// ---- chat state (host-owned, mirrored to the webview) ----
/** What the webview sees of an attachment; contents stay in the host. */
export const AttachmentInfoSchema = v.object({
  id,
  name: v.string(),
  /** Workspace-relative path (with its lines for a selection, "src/hello.ts:3-9"), or a label such as "pasted image". */
  source: v.string(),
  kind: v.picklist(['text', 'image']),
  mimeType: v.string(),
  size: finiteNumber,
});
export type AttachmentInfo = v.InferOutput<typeof AttachmentInfoSchema>;

/** One of Claude's extended-thinking blocks, kept whole (the API checks its signature when it is sent back). */
export const ThinkingBlockSchema = v.union([
  v.object({ thinking: v.pipe(v.string(), v.maxLength(MAX_TEXT)), signature: v.pipe(v.string(), v.maxLength(100_000)) }),
  v.object({ redacted: v.pipe(v.string(), v.maxLength(MAX_TEXT)) }),
]);
export type ThinkingBlock = v.InferOutput<typeof ThinkingBlockSchema>;

/** A tool call as part of a reply: shown as a card at `textOffset`, saved, and replayed to any provider. */
export const ToolCallSchema = v.object({
  id: toolCallId,
  name: toolName,
  /** The arguments' JSON text as the model wrote it. */
  arguments: v.pipe(v.string(), v.maxLength(MAX_TEXT)),
  /** Which model call of the reply made it (1 = the first); the calls of one step ran together. */
  step: v.pipe(count, v.minValue(1)),
  /** Where in the reply's text the step that made it ended: its card sits there, and replay splits the text there. */
  textOffset: count,
  ...ToolCallUpdateSchema.entries,
  /** Run by the provider on its servers (Groq's built-in tools): shown as a card, never run or replayed by Parley. */
  byProvider: v.optional(v.boolean()),
  /** Gemini's thought signature, sent back with the call. */
  signature: v.optional(v.pipe(v.string(), v.maxLength(100_000))),
  /** Claude's thinking before its step's calls (kept on the step's first call), sent back while the tool loop goes on. */
  thinking: v.optional(v.array(ThinkingBlockSchema)),
});
export type ToolCall = v.InferOutput<typeof ToolCallSchema>;

/** A tool the panel offers in its picker. */
export const ToolInfoSchema = v.object({
  name: toolName,
  description: v.pipe(v.string(), v.maxLength(2000)),
  /** Reads only: runs without asking unless `parley.tools.approval` is `always`. */
  readOnly: v.boolean(),
  source: v.picklist(['workspace', 'vscode', 'mcp']),
  /** On in a chat unless turned off (else off until turned on: tools of other extensions that may change things). */
  defaultOn: v.optional(v.boolean()),
});
/** Whether a chat offers a tool: its picker's choice, else the tool's default. */
export function toolIsOn(tool: ToolInfo, config: Pick<ChatConfig, 'disabledTools' | 'enabledTools'>): boolean {
  if (config.disabledTools?.includes(tool.name)) return false;
  return tool.defaultOn !== false || (config.enabledTools?.includes(tool.name) ?? false);
}
export type ToolInfo = v.InferOutput<typeof ToolInfoSchema>;

export const MessageSchema = v.object({
  id,
  role: v.picklist(['user', 'assistant']),
  text: v.string(),
  reasoning: v.optional(v.string()),
  provider: v.optional(v.picklist(PROVIDER_IDS)),
  model: v.optional(v.string()),
  usage: v.optional(UsageSchema),
  status: v.optional(v.picklist(['streaming', 'done', 'stopped', 'error', 'interrupted'])),
  error: v.optional(v.object({ kind: v.picklist(ERROR_KINDS), message: v.string(), action: v.optional(v.picklist(ERROR_ACTIONS)) })),
  note: v.optional(FinishNoteSchema),
  /** Deduplicated by url, in order of first appearance. */
  citations: v.optional(v.array(CitationSchema)),
  attachments: v.optional(v.array(AttachmentInfoSchema)),
  /** US dollars, from the usage and the catalog's prices; `null`: the price of this model is not known. */
  cost: v.optional(v.nullable(finiteNumber)),
  /** The tools the reply called, in order. */
  toolCalls: v.optional(v.pipe(v.array(ToolCallSchema), v.maxLength(1000))),
  createdAt: finiteNumber,
});
export type ChatMessage = v.InferOutput<typeof MessageSchema>;

export const ChatSchema = v.object({
  id,
  title: v.string(),
  messages: v.array(MessageSchema),
  config: ChatConfigSchema,
  /** The chat is on the demo model only because this provider had no key: it moves there once one is set. */
  fallbackFrom: v.optional(v.picklist(PROVIDER_IDS)),
  /** Tools the user allowed "for this chat": they run without asking again in it. */
  allowedTools: v.optional(v.pipe(v.array(toolName), v.maxLength(500))),
  createdAt: finiteNumber,
  updatedAt: finiteNumber,
});
export type Chat = v.InferOutput<typeof ChatSchema>;
/** A chat without its messages: what a metadata or config change sends. */
export const ChatMetaSchema = v.omit(ChatSchema, ['messages']);
export type ChatMeta = v.InferOutput<typeof ChatMetaSchema>;

const PriceSchema = v.object({ input: finiteNumber, output: finiteNumber, cachedInput: v.optional(finiteNumber), cacheWrite: v.optional(finiteNumber) });
export type Price = v.InferOutput<typeof PriceSchema>;

const RangeSchema = v.object({ min: finiteNumber, max: finiteNumber, step: v.optional(finiteNumber) });
export type Range = v.InferOutput<typeof RangeSchema>;

export const CONTROL_NAMES = [
  'maxTokens', 'temperature', 'topP', 'topK', 'frequencyPenalty', 'presencePenalty', 'stop', 'seed',
  'jsonMode', 'reasoningEffort', 'thinkingBudget', 'system', 'reasoningFormat', 'serviceTier', 'jsonSchema',
] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];

// What the chosen model takes: a control missing from `controls` is disabled in the panel with `unsupported[name]`.
export const CapabilitiesSchema = v.object({
  /** `null`: supported without a range (`undefined` would not survive postMessage's JSON). */
  controls: v.record(v.picklist(CONTROL_NAMES), v.optional(v.nullable(RangeSchema))),
  unsupported: v.record(v.picklist(CONTROL_NAMES), v.optional(v.string())),
  vision: v.boolean(),
  reasoning: v.boolean(),
  contextWindow: v.optional(finiteNumber),
  maxOutput: v.optional(finiteNumber),
  toolCalls: v.optional(v.boolean()),
  /** Why the model is offered no tools, when `toolCalls` is false for a reason the provider gives. */
  toolCallsReason: v.optional(v.string()),
  /** The provider's own tools this model can use, and those on when the chat has not chosen. */
  serverTools: v.optional(v.array(v.picklist(SERVER_TOOLS))),
  serverToolsDefault: v.optional(v.array(v.picklist(SERVER_TOOLS))),
  /** The efforts this model accepts, when it takes a reasoning effort at all. */
  reasoningEfforts: v.optional(v.array(ReasoningEffortSchema)),
  reasoningFormats: v.optional(v.array(v.picklist(REASONING_FORMATS))),
  /** Why raw reasoning cannot go with JSON output, when the provider refuses the pair. */
  rawReasoningWithJson: v.optional(v.string()),
  /** US dollars per million tokens, from the catalog. */
  price: v.optional(PriceSchema),
  /** Where the facts above came from, for the panel to say. */
  factsSource: v.optional(v.string()),
});
export type Capabilities = v.InferOutput<typeof CapabilitiesSchema>;

export const ProviderInfoSchema = v.object({
  id: v.picklist(PROVIDER_IDS),
  label: v.string(),
  /** What the provider's models endpoint listed (chat models only), or the built-in list until it has answered. */
  models: v.array(v.string()),
  /** When the list came from the models endpoint (ms since epoch); absent: the built-in offline list. */
  listedAt: v.optional(finiteNumber),
  keySet: v.boolean(),
  needsKey: v.boolean(),
  /** Where the key came from, never the key itself. */
  keySource: v.optional(v.picklist(['secret-storage', 'environment'])),
  baseUrl: v.optional(v.string()),
});
export type ProviderInfo = v.InferOutput<typeof ProviderInfoSchema>;

export const ChatSummarySchema = v.object({ id, title: v.string(), updatedAt: finiteNumber, messageCount: v.number() });
export type ChatSummary = v.InferOutput<typeof ChatSummarySchema>;
export const ModelGoneSchema = v.object({ model: v.string(), provider: v.string(), suggestion: v.optional(v.string()), listedAt: finiteNumber });
export type ModelGone = v.InferOutput<typeof ModelGoneSchema>;
