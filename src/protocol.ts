// The one protocol shared by the extension host and the webview: every message in both directions, each with
// a runtime schema. The host validates everything the webview sends; the webview validates what it receives.
// The shapes the messages carry are in src/protocol/ (config, stream events, chat state), re-exported here.
import * as v from 'valibot';
import { MAX_TEXT, id, toolCallId } from './protocol/primitives';
import { ChatConfigPatchSchema, PROVIDER_IDS } from './protocol/config';
import { StreamEventSchema } from './protocol/stream';
import { AttachmentInfoSchema, CapabilitiesSchema, ChatMetaSchema, ChatSchema, ChatSummarySchema, MessageSchema, ModelGoneSchema, ProviderInfoSchema, ToolInfoSchema } from './protocol/chat';

export * from './protocol/config';
export * from './protocol/stream';
export * from './protocol/chat';

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
