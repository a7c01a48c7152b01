import type { Capabilities, ChatConfig, Citation, FinishNote, FinishReason, ProviderId, ThinkingBlock, Usage } from '../protocol';
import type { ListedModel, ModelFacts } from './catalog';

export type { ListedModel, ModelFacts };

/** What an adapter yields; the chat session adds ids, sequence numbers, `start` and errors around it. */
export type AdapterEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  // A whole thinking block with its signature (Claude), once it has streamed: kept to send back in a tool loop.
  | { type: 'thinking-block'; block: ThinkingBlock }
  | { type: 'status'; text: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'citation'; citation: Citation }
  | { type: 'finish'; reason: FinishReason; note?: FinishNote }
  // A tool call, streamed: its start (id and name), its arguments' JSON text in pieces, and its end. Calls of one
  // step may interleave (parallel calls); every call that starts ends before `finish` (reason `tool-calls`).
  | { type: 'tool-call-start'; id: string; name: string }
  | { type: 'tool-call-delta'; id: string; text: string }
  | { type: 'tool-call-end'; id: string; signature?: string }
  // A tool the provider ran on its servers (Groq's built-in tools, Anthropic's web search): reported when it starts
  // (no output yet) and again when it finished, by its index within the response; `failed`: the output says why.
  | { type: 'server-tool'; index: number; name: string; arguments: string; output?: string; sources?: Citation[]; summary?: string; failed?: boolean };

export interface ImagePart { mimeType: string; base64: string; name: string }

/** A tool the model may call: one description, mapped to each provider's format by its adapter. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
}

/** A call the model made, as history: replayed to whichever provider continues the conversation. */
export interface ToolCallRecord {
  id: string;
  name: string;
  /** The arguments' JSON text as the model wrote it. */
  arguments: string;
  /** Gemini's thought signature for the call, sent back with it (Gemini 3 requires it for its own calls). */
  signature?: string;
}

export interface ToolResultRecord {
  callId: string;
  name: string;
  text: string;
  isError?: boolean;
}

/**
 * One turn as adapters see it: text (attachments already folded in as fenced blocks) plus images; an assistant
 * turn may end in tool calls, and a `tool` turn carries the results of the previous turn's calls.
 */
export interface Turn {
  role: 'user' | 'assistant' | 'tool';
  text: string;
  images?: ImagePart[];
  toolCalls?: ToolCallRecord[];
  toolResults?: ToolResultRecord[];
  /** The thinking blocks an assistant turn began with, and the model that wrote them (only it accepts them back). */
  thinking?: { model: string; blocks: ThinkingBlock[] };
}

/** What a request may carry besides turns and config. */
export interface StreamOptions {
  tools?: ToolSpec[];
}

export interface AdapterOptions {
  apiKey?: string;
  baseUrl?: string;
  timeoutMs: number;
  maxRetries: number;
  /** Called when the SDK is about to wait before a retry (e.g. after a 429), so the panel can say so. */
  onRetryWait?: (seconds: number, status: number) => void;
}

export interface ProviderAdapter {
  stream(turns: Turn[], config: ChatConfig, signal: AbortSignal, options?: StreamOptions): AsyncIterable<AdapterEvent>;
  /** The provider's models endpoint: every model it serves now, with the limits it states (not yet filtered). */
  listModels?(signal?: AbortSignal): Promise<ListedModel[]>;
}

/** One per provider, all the same shape. Static parts are cheap; `createAdapter` loads the SDK lazily. */
export interface ProviderDefinition {
  id: ProviderId;
  label: string;
  /** Environment variables read when no key is in SecretStorage, in order. */
  keyEnv: string[];
  needsKey: boolean;
  defaultBaseUrl?: string;
  /** Offline fallback until the models endpoint has answered: models the provider serves today. */
  builtinModels: string[];
  /** A new chat's model, best first: the first one the models endpoint lists wins (else its first model). */
  recommendedModels?: string[];
  /** The controls the model takes. `facts` (catalog + endpoint) decide where the provider's rules need them. */
  capabilities(model: string, facts?: ModelFacts): Capabilities;
  createAdapter(options: AdapterOptions): Promise<ProviderAdapter>;
}
