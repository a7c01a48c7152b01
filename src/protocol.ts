// The one protocol shared by the extension host and the webview: every message in both directions, each with
// a runtime schema. The host validates everything the webview sends; the webview validates what it receives.
import * as v from 'valibot';

export const PROVIDER_IDS = [
  'demo', 'groq', 'openai', 'anthropic', 'google',
  // OpenAI-compatible presets: the openai SDK with their own base URL and key each
  'cerebras', 'xai', 'openrouter', 'ollama', 'lmstudio', 'custom',
  // models registered by other extensions through Parley's API
  'extension',
] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];
/** Providers with a `parley.<id>.baseUrl` setting (all but the demo model and other extensions' models). */
export const hasBaseUrlSetting = (id: ProviderId): boolean => id !== 'demo' && id !== 'extension';

const MAX_TEXT = 1_000_000;
const MAX_ID = 128;
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID), v.regex(/^[\w.:-]+$/));
const finiteNumber = v.pipe(v.number(), v.finite());
const optionalNumber = v.optional(v.nullable(finiteNumber));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** Tool names as the providers allow them (OpenAI's rule is the strictest: letters, digits, `_` and `-`, 64 at most). */
const toolName = v.pipe(v.string(), v.minLength(1), v.maxLength(128), v.regex(/^[\w.:-]+$/));
/** Call ids come from the provider (`call_…`, `toolu_…`) or from the adapter; kept as opaque text. */
const toolCallId = v.pipe(v.string(), v.minLength(1), v.maxLength(256));

/** `default`: the provider's own default level (Groq's Qwen 3 knows only `none` and `default`). */
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'default'] as const;
export const ReasoningEffortSchema = v.picklist(REASONING_EFFORTS);
export type ReasoningEffort = v.InferOutput<typeof ReasoningEffortSchema>;
/** How a reasoning model's thinking comes back (Groq): separated, inline in `<think>` tags, or not at all. */
export const REASONING_FORMATS = ['parsed', 'raw', 'hidden'] as const;
export type ReasoningFormat = (typeof REASONING_FORMATS)[number];
/**
 * Tools a provider runs on its own servers (Groq's built-in tools): gpt-oss takes `browser_search` and
 * `code_interpreter`; the compound systems choose among the rest. Claude takes `web_search` (Anthropic's).
 */
export const SERVER_TOOLS = ['browser_search', 'code_interpreter', 'web_search', 'visit_website', 'browser_automation', 'wolfram_alpha'] as const;
export type ServerTool = (typeof SERVER_TOOLS)[number];
/** Groq's service tiers. */
export const SERVICE_TIERS = ['auto', 'on_demand', 'flex', 'performance'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

// Per-chat configuration. `null` means "not set: leave it out of the request".
export const ChatConfigSchema = v.object({
  provider: v.picklist(PROVIDER_IDS),
  model: v.pipe(v.string(), v.maxLength(200)),
  system: v.pipe(v.string(), v.maxLength(100_000)),
  maxTokens: optionalNumber,
  temperature: optionalNumber,
  topP: optionalNumber,
  topK: optionalNumber,
  frequencyPenalty: optionalNumber,
  presencePenalty: optionalNumber,
  stop: v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(16)),
  seed: optionalNumber,
  jsonMode: v.boolean(),
  reasoningEffort: v.optional(v.nullable(ReasoningEffortSchema)),
  thinkingBudget: optionalNumber,
  reasoningFormat: v.optional(v.nullable(v.picklist(REASONING_FORMATS))),
  serviceTier: v.optional(v.nullable(v.picklist(SERVICE_TIERS))),
  /** A JSON schema the reply must follow (structured output); empty: none. Checked before it is sent. */
  jsonSchema: v.optional(v.pipe(v.string(), v.maxLength(100_000))),
  /** Tools the user turned off for this chat (the tool picker). */
  disabledTools: v.optional(v.pipe(v.array(toolName), v.maxLength(500))),
  /** The provider's own tools the model may use (`Capabilities.serverTools`); null: the model's default. */
  serverTools: v.optional(v.nullable(v.pipe(v.array(v.picklist(SERVER_TOOLS)), v.maxLength(SERVER_TOOLS.length)))),
  /** Tools that are off until turned on (`ToolInfo.defaultOn` false) which the user turned on for this chat. */
  enabledTools: v.optional(v.pipe(v.array(toolName), v.maxLength(500))),
});
export type ChatConfig = v.InferOutput<typeof ChatConfigSchema>;
export const ChatConfigPatchSchema = v.partial(ChatConfigSchema);
export type ChatConfigPatch = v.InferOutput<typeof ChatConfigPatchSchema>;

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

const UsageSchema = v.object({
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
});
export type Usage = v.InferOutput<typeof UsageSchema>;

/** A source the provider cited (web search, grounding); only http(s) URLs are kept. */
export const CitationSchema = v.object({
  url: v.pipe(v.string(), v.maxLength(8192), v.regex(/^https?:\/\//i)),
  title: v.optional(v.pipe(v.string(), v.maxLength(1000))),
});
export type Citation = v.InferOutput<typeof CitationSchema>;

/** Why a reply ended, when the provider said more than the finish reason does (e.g. a paused turn, a blocked prompt). */
const FinishNoteSchema = v.object({ text: v.pipe(v.string(), v.maxLength(2000)), action: v.optional(v.picklist(ERROR_ACTIONS)) });
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
const ModelGoneSchema = v.object({ model: v.string(), provider: v.string(), suggestion: v.optional(v.string()), listedAt: finiteNumber });
export type ModelGone = v.InferOutput<typeof ModelGoneSchema>;

// ---- webview → host ----
const chatId = id;
const providerId = v.picklist(PROVIDER_IDS);
const shortText = v.pipe(v.string(), v.maxLength(10_000));
/**
 * The largest image a panel can send: the panel refuses bigger files, the schema bigger messages, the host bigger
 * images (parley.attachments.maxBytes can only lower the host's limit).
 */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export const WebviewMessageSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  // conversation
  v.object({
    type: v.literal('send'),
    chatId,
    text: v.pipe(v.string(), v.maxLength(MAX_TEXT)),
    /** Replace {{selection}}, {{file}} and {{language}} from the active editor before sending. */
    fillBuiltins: v.optional(v.boolean()),
  }),
  v.object({ type: v.literal('stop'), chatId }),
  v.object({ type: v.literal('editResend'), chatId, messageId: id, text: v.pipe(v.string(), v.maxLength(MAX_TEXT)) }),
  v.object({ type: v.literal('regenerate'), chatId }),
  v.object({ type: v.literal('continue'), chatId }),
  v.object({ type: v.literal('deleteMessage'), chatId, messageId: id }),
  v.object({ type: v.literal('setConfig'), chatId, patch: ChatConfigPatchSchema }),
  /** The user's answer to a tool call waiting for approval in the card. */
  v.object({ type: v.literal('approveTool'), chatId, callId: toolCallId, decision: v.picklist(['once', 'chat', 'deny']) }),
  /** Show again what a call waiting for approval would do (an edit's diff). */
  v.object({ type: v.literal('reviewTool'), chatId, callId: toolCallId }),
  // chats
  v.object({ type: v.literal('newChat') }),
  v.object({ type: v.literal('switchChat'), chatId }),
  v.object({ type: v.literal('renameChat'), chatId, title: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) }),
  v.object({ type: v.literal('deleteChat'), chatId }),
  v.object({ type: v.literal('clearChat'), chatId }),
  v.object({ type: v.literal('exportChat'), chatId }),
  // attachments (the host reads files; the webview only names them)
  v.object({ type: v.literal('pickAttachment'), chatId }),
  v.object({ type: v.literal('attachUris'), chatId, uris: v.pipe(v.array(v.pipe(v.string(), v.maxLength(4096))), v.maxLength(50)) }),
  v.object({
    type: v.literal('attachImage'),
    chatId,
    name: v.pipe(v.string(), v.maxLength(260)),
    mimeType: v.pipe(v.string(), v.maxLength(100)),
    base64: v.pipe(v.string(), v.maxLength(Math.ceil(MAX_IMAGE_BYTES / 3) * 4)),
  }),
  v.object({ type: v.literal('removeAttachment'), chatId, attachmentId: id }),
  // keys and models (keys go one way only: into the host)
  v.object({ type: v.literal('setKey'), provider: providerId, key: v.pipe(v.string(), v.minLength(1), v.maxLength(1000)) }),
  v.object({ type: v.literal('clearKey'), provider: providerId }),
  v.object({ type: v.literal('refreshModels'), provider: providerId }),
  // editor and UI
  v.object({
    type: v.literal('codeAction'),
    /** `apply`: propose the code for `path` (or the active editor's selection or file), shown as a diff to accept. */
    action: v.picklist(['copy', 'insert', 'newFile', 'apply']),
    code: v.pipe(v.string(), v.maxLength(MAX_TEXT)),
    language: v.pipe(v.string(), v.maxLength(50)),
    path: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  }),
  v.object({ type: v.literal('copyText'), text: v.pipe(v.string(), v.maxLength(MAX_TEXT)) }),
  v.object({ type: v.literal('setUiState'), showControls: v.boolean() }),
  /** Only these commands: `openBaseUrlSetting` opens VS Code's settings at `parley.<provider>.baseUrl`. */
  v.object({ type: v.literal('runCommand'), command: v.picklist(['setApiKey', 'openBaseUrlSetting']), provider: v.optional(providerId) }),
  v.object({ type: v.literal('openLink'), url: v.pipe(v.string(), v.maxLength(8192)) }),
  v.object({ type: v.literal('log'), level: v.picklist(['info', 'warning', 'error']), text: shortText }),
]);
export type WebviewMessage = v.InferOutput<typeof WebviewMessageSchema>;

// ---- host → webview ----
/** A prompt as the panel offers it: `/name` (letters, digits, `-`, `_`) and a description when it has them. */
export const PromptInfoSchema = v.object({
  name: v.optional(v.pipe(v.string(), v.regex(/^[\w-]+$/))),
  description: v.optional(v.string()),
  text: v.string(),
});
export type PromptInfo = v.InferOutput<typeof PromptInfoSchema>;

export const HostMessageSchema = v.variant('type', [
  v.object({
    type: v.literal('state'),
    chat: ChatSchema,
    chats: v.array(ChatSummarySchema),
    providers: v.array(ProviderInfoSchema),
    capabilities: CapabilitiesSchema,
    activeRequest: v.optional(id),
    /** Attachments waiting to go with the next message of this chat. */
    pendingAttachments: v.array(AttachmentInfoSchema),
    /** `parley.prompts` followed by the built-in prompts (a user prompt named like a built-in replaces it). */
    prompts: v.array(PromptInfoSchema),
    /** The tools the model may be offered (the chat's picker turns them on and off). */
    tools: v.optional(v.array(ToolInfoSchema)),
    ui: v.object({ showControls: v.boolean() }),
    /** The chat's model is not in its provider's current list: say so before the user types, offer a switch. */
    modelGone: v.optional(ModelGoneSchema),
  }),
  /**
   * What changed in the chat this panel shows, instead of the whole state. The chat's small parts come every time
   * (its metadata, the model's capabilities, a gone model, the request streaming: absent means none); the large
   * parts only when they changed: messages from `keep` on replaced by `append`, the pending attachments, the
   * providers, the panel's UI state.
   */
  v.object({
    type: v.literal('update'),
    chatId,
    meta: ChatMetaSchema,
    capabilities: CapabilitiesSchema,
    modelGone: v.optional(ModelGoneSchema),
    activeRequest: v.optional(id),
    messages: v.optional(v.object({ keep: v.pipe(v.number(), v.integer(), v.minValue(0)), append: v.array(MessageSchema) })),
    pendingAttachments: v.optional(v.array(AttachmentInfoSchema)),
    providers: v.optional(v.array(ProviderInfoSchema)),
    ui: v.optional(v.object({ showControls: v.boolean() })),
  }),
  /**
   * A reply started in the chat this panel shows: instead of the whole chat, what changed. The panel keeps its first
   * `keep` messages, appends `append` (the new user message if any, then the reply), and from now on shows the
   * stream events of `requestId`.
   */
  v.object({
    type: v.literal('replyStarted'),
    chatId,
    requestId: id,
    keep: v.pipe(v.number(), v.integer(), v.minValue(0)),
    append: v.array(MessageSchema),
    title: v.string(),
    /** The chat's entry in the chat list, as it is now. */
    summary: ChatSummarySchema,
    pendingAttachments: v.array(AttachmentInfoSchema),
  }),
  /** One entry of the chat list changed (`upsert`, matched by id) or went away (`remove`): never the whole list. */
  v.object({ type: v.literal('chatListChange'), upsert: v.optional(ChatSummarySchema), remove: v.optional(chatId) }),
  v.object({ type: v.literal('stream'), chatId, requestId: id, seq: v.number(), event: StreamEventSchema }),
  v.object({ type: v.literal('notice'), level: v.picklist(['info', 'warning', 'error']), text: v.string() }),
  /** Put the keyboard focus in the message input (Ctrl/Cmd+L from the editor). */
  v.object({ type: v.literal('focus') }),
]);
export type HostMessage = v.InferOutput<typeof HostMessageSchema>;

// ---- prompts: one `{{variable}}` grammar for the host and the webview ----
/** Filled from the active editor by the host when the message is sent. */
export const BUILT_IN_PROMPT_VARIABLES = ['selection', 'file', 'language'] as const;
/** `{{name}}`: any name without braces or line breaks, spaces included (`{{target language}}`). A fresh RegExp each time. */
export const promptVariablePattern = (): RegExp => /\{\{\s*([^{}\n]+?)\s*\}\}/g;

/** The variables of a prompt, in order of first use, without duplicates; built-ins left out unless asked for. */
export function promptVariableNames(text: string, withBuiltIns = false): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(promptVariablePattern())) {
    const name = match[1];
    if ((withBuiltIns || !(BUILT_IN_PROMPT_VARIABLES as readonly string[]).includes(name)) && !names.includes(name)) names.push(name);
  }
  return names;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(schema: v.GenericSchema<unknown, T>, input: unknown): ParseResult<T> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return { ok: false, error: `${path ? `${path}: ` : ''}${issue.message}` };
}

export const parseWebviewMessage = (input: unknown) => parseWith(WebviewMessageSchema, input);
export const parseHostMessage = (input: unknown) => parseWith(HostMessageSchema, input);
