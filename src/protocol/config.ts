// The protocol: providers and a chat's configuration (what the controls set), with their schemas.
import * as v from 'valibot';
import { optionalNumber, toolName } from './primitives';

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
