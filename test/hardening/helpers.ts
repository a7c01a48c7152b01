// Shared parts of the hardening suite: a ChatService over real storage (temp history dir, temp workspace),
// a KeyStore over an in-memory SecretStore, FakeServers in each provider's wire format, and small utilities.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatService, type ServiceHost, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore } from '../../src/host/keys';
import type { ChatMessage, ProviderId } from '../../src/protocol';
import { anthropicError, event as anthropicEvent, messageStream } from '../fakes/anthropicFormat';
import { geminiError, geminiStream } from '../fakes/geminiFormat';
import { apiError, chatStream } from '../fakes/openaiFormat';
import type { FakeReply } from '../fakes/server';
import { baseConfig, MemorySecrets, RecordingClient } from '../unit/helpers';

export { MemorySecrets, RecordingClient };

export function tempDir(prefix: string): { path: string; remove(): void } {
  // realpath: on some systems the temp dir itself is a symlink, which would blur "inside the workspace".
  const path = realpathSync(mkdtempSync(join(tmpdir(), `parley-hard-${prefix}-`)));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rejects when `promise` has not settled after `ms`: nothing in this suite may hang. */
export async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A 127.0.0.1 port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Rig {
  service: ChatService;
  keys: KeyStore;
  secrets: MemorySecrets;
  settings: ServiceSettings;
  urls: Partial<Record<ProviderId, string>>;
  logs: string[];
  documents: Array<{ content: string; language: string }>;
  opened: string[];
  commands: string[];
  clipboard: string[];
  uiState: { showControls?: boolean };
  history: { path: string; remove(): void };
  workspace: { path: string; remove(): void };
  /** Files whose proposed edit was shown for review (the rig's edit port writes nothing). */
  reviews: string[];
  host: ServiceHost;
  /** A new client, connected and `ready`. */
  client(): Promise<RecordingClient>;
  /** A fresh ChatService over the same history dir, keys and settings (a restarted host). */
  restart(): ChatService;
  dispose(): void;
}

export interface RigOptions {
  history?: { path: string; remove(): void };
  workspace?: { path: string; remove(): void };
  pickWorkspaceFiles?: () => Promise<string[]>;
  maxBytes?: number;
}

export function makeRig(options: RigOptions = {}): Rig {
  const history = options.history ?? tempDir('history');
  const workspace = options.workspace ?? tempDir('ws');
  mkdirSync(workspace.path, { recursive: true });
  const secrets = new MemorySecrets();
  const keys = new KeyStore(secrets, {});
  const urls: Partial<Record<ProviderId, string>> = {};
  const settings: ServiceSettings = {
    defaultProvider: 'demo',
    defaultModel: '',
    defaultConfig: baseConfig,
    baseUrl: (id) => urls[id],
    requestTimeoutSeconds: 30,
    maxRetries: 1,
    attachments: { allowedTypes: ['text/*', 'application/json', 'image/png', 'image/jpeg'], maxBytes: options.maxBytes ?? 1024 * 1024 },
  };
  const logs: string[] = [];
  const documents: Array<{ content: string; language: string }> = [];
  const opened: string[] = [];
  const commands: string[] = [];
  const clipboard: string[] = [];
  const uiState: { showControls?: boolean } = {};
  const reviews: string[] = [];
  const host: ServiceHost = {
    settings: () => settings,
    log: (line) => logs.push(line),
    runCommand: (command, provider) => commands.push(`${command}:${provider ?? ''}`),
    openExternal: (url) => opened.push(url),
    workspaceRoots: () => [workspace.path],
    toolContext: () => ({ view: { roots: [workspace.path], exclude: ['**/secret-excluded'] } }),
    edits: {
      review: async (proposal) => void reviews.push(proposal.absolute),
      apply: async () => 'The hardening rig writes nothing.',
      discard: () => undefined,
    },
    editorContext: () => ({ selection: 'const a = 1;', file: 'const a = 1;\n', language: 'typescript', fileName: 'a.ts' }),
    pickWorkspaceFiles: options.pickWorkspaceFiles ?? (async () => []),
    openDocument: async (content, language) => void documents.push({ content, language }),
    insertAtCursor: async () => false,
    copyToClipboard: async (text) => void clipboard.push(text),
    uiState: {
      get: () => uiState,
      set: async (state) => void Object.assign(uiState, state),
    },
  };
  const make = () => new ChatService(host, keys, new HistoryStore(history.path));
  const rig: Rig = {
    service: make(),
    keys,
    secrets,
    settings,
    urls,
    logs,
    documents,
    opened,
    commands,
    clipboard,
    uiState,
    reviews,
    history,
    workspace,
    host,
    async client() {
      const client = new RecordingClient();
      rig.service.connect(client);
      await rig.service.handle(client, { type: 'ready' });
      return client;
    },
    restart() {
      rig.service = make();
      return rig.service;
    },
    dispose() {
      rig.service.stopAll();
      history.remove();
      workspace.remove();
    },
  };
  return rig;
}

/** The last message of the chat a client shows. */
export function lastMessage(client: RecordingClient): ChatMessage {
  return client.state.chat.messages.at(-1)!;
}

// ---- provider wire formats ----

export type ErrorCase = 'auth' | 'permission' | 'model' | 'too-large' | 'context' | 'rate' | 'server' | 'unavailable';

export interface Wire {
  provider: ProviderId;
  model: string;
  /** Base URL of the fake server as this provider's setting wants it. */
  base(origin: string): string;
  stream(deltas: string[], options?: { delayMs?: number; dropAfter?: number; stallAfter?: number; reasoning?: string[] }): FakeReply;
  /** Frames before the first text delta. */
  preamble: number;
  error(kind: ErrorCase, headers?: Record<string, string>, message?: string): FakeReply;
  /** An SSE frame no parser can read, in this provider's framing. */
  badFrame: string;
}

const openaiErrors = (provider: string): Wire['error'] => (kind, headers, message) => {
  switch (kind) {
    case 'auth': return apiError(401, message ?? 'Incorrect API key provided.', { type: 'invalid_request_error', code: 'invalid_api_key', headers });
    case 'permission': return apiError(403, message ?? `Your organization is not allowed to use this model on ${provider}.`, { type: 'permission_error', headers });
    case 'model': return apiError(404, message ?? 'The model `no-such-model` does not exist or you do not have access to it.', { type: 'invalid_request_error', code: 'model_not_found', headers });
    case 'too-large': return apiError(413, message ?? 'Request too large.', { type: 'invalid_request_error', code: 'request_too_large', headers });
    case 'context': return apiError(400, message ?? "This model's maximum context length is 131072 tokens. However, your messages resulted in 140000 tokens. Please reduce the length of the messages.", { type: 'invalid_request_error', code: 'context_length_exceeded', headers });
    case 'rate': return apiError(429, message ?? 'Rate limit reached for requests.', { type: 'requests', code: 'rate_limit_exceeded', headers });
    case 'server': return apiError(500, message ?? 'The server had an error while processing your request.', { type: 'server_error', headers });
    case 'unavailable': return apiError(503, message ?? 'Service Unavailable.', { type: 'service_unavailable', headers });
  }
};

function openaiWire(provider: ProviderId, model: string, usageStyle: 'groq' | 'openai', path: string): Wire {
  return {
    provider,
    model,
    base: (origin) => `${origin}${path}`,
    stream: (deltas, o = {}) => chatStream(deltas, { model, usageStyle, usage: { prompt_tokens: 5, completion_tokens: deltas.length }, ...o }),
    preamble: 1,
    error: openaiErrors(provider),
    badFrame: 'data: {"id":"chatcmpl-x","choices":[{"delta":{"content":"oops"\n\n',
  };
}

export const WIRES: Wire[] = [
  openaiWire('groq', 'llama-3.3-70b-versatile', 'groq', ''),
  openaiWire('openai', 'gpt-4.1-mini', 'openai', '/v1'),
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    base: (origin) => origin,
    stream: (deltas, o = {}) => messageStream(deltas, { ...o, ...(o.reasoning && { thinking: o.reasoning }) }),
    // message_start, content_block_start, ping
    preamble: 3,
    error: (kind, headers, message) => {
      switch (kind) {
        case 'auth': return anthropicError(401, 'authentication_error', message ?? 'invalid x-api-key', headers);
        case 'permission': return anthropicError(403, 'permission_error', message ?? 'Your API key does not have permission to use the specified resource.', headers);
        case 'model': return anthropicError(404, 'not_found_error', message ?? 'model: no-such-model', headers);
        case 'too-large': return anthropicError(413, 'request_too_large', message ?? 'Request exceeds the maximum allowed number of bytes.', headers);
        case 'context': return anthropicError(400, 'invalid_request_error', message ?? 'prompt is too long: 210000 tokens > 200000 maximum', headers);
        case 'rate': return anthropicError(429, 'rate_limit_error', message ?? 'Number of request tokens has exceeded your per-minute rate limit.', headers);
        case 'server': return anthropicError(500, 'api_error', message ?? 'Internal server error', headers);
        case 'unavailable': return anthropicError(503, 'overloaded_error', message ?? 'Service unavailable', headers);
      }
    },
    badFrame: anthropicEvent('content_block_delta', {}).replace(/data: .*/, 'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"oops"'),
  },
  {
    provider: 'google',
    model: 'gemini-2.5-flash',
    base: (origin) => origin,
    stream: (deltas, o = {}) => geminiStream(deltas, { ...o, ...(o.reasoning && { thoughts: o.reasoning }) }),
    preamble: 0,
    error: (kind, headers, message) => {
      switch (kind) {
        case 'auth': return geminiError(401, 'UNAUTHENTICATED', message ?? 'Request had invalid authentication credentials.', { headers });
        case 'permission': return geminiError(403, 'PERMISSION_DENIED', message ?? 'Permission denied: Consumer does not have access to this model.', { headers });
        case 'model': return geminiError(404, 'NOT_FOUND', message ?? 'models/no-such-model is not found for API version v1beta, or is not supported for generateContent.', { headers });
        case 'too-large': return geminiError(413, 'INVALID_ARGUMENT', message ?? 'Request payload size exceeds the limit: 20971520 bytes.', { headers });
        case 'context': return geminiError(400, 'INVALID_ARGUMENT', message ?? 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', { headers });
        case 'rate': return geminiError(429, 'RESOURCE_EXHAUSTED', message ?? 'You exceeded your current quota, please check your plan and billing details.', { headers });
        case 'server': return geminiError(500, 'INTERNAL', message ?? 'An internal error has occurred.', { headers });
        case 'unavailable': return geminiError(503, 'UNAVAILABLE', message ?? 'The model is overloaded. Please try again later.', { headers });
      }
    },
    badFrame: 'data: {"candidates":[{"content":{"parts":[{"text":"oops"\r\n\r\n',
  },
  openaiWire('openrouter', 'openai/gpt-4o-mini', 'openai', '/api/v1'),
];

export const wireFor = (provider: ProviderId) => WIRES.find((w) => w.provider === provider)!;

/** Sends `text` from `client` and waits until the reply has finished (bounded). */
export async function sendAndWait(rig: Rig, client: RecordingClient, text: string, ms = 30_000): Promise<ChatMessage> {
  const chatId = client.chatId!;
  await within(ms, rig.service.handle(client, { type: 'send', chatId, text }), 'send');
  await within(ms, rig.service.idle(chatId), 'the reply');
  return lastMessage(client);
}

/**
 * Fills `ws` with what a hostile or unlucky workspace holds, for the attachment and tool boundary suites: a normal
 * file, a 50 MB sparse log, an ELF binary, a named pipe, and symlinks out of it (to a secret file and folder in
 * `outside`, to /dev/zero, and a loop). Each suite adds its own extras.
 */
export function hostileWorkspace(ws: string, outside: string): void {
  writeFileSync(join(ws, 'notes.md'), '# Notes\nhello\n');
  writeFileSync(join(ws, 'huge.log'), '');
  truncateSync(join(ws, 'huge.log'), 50 * 1024 * 1024);
  writeFileSync(join(ws, 'program.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]));
  execFileSync('mkfifo', [join(ws, 'pipe.txt')]);
  writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET\n');
  symlinkSync(join(outside, 'secret.txt'), join(ws, 'innocent.txt'));
  symlinkSync(outside, join(ws, 'linked-dir'));
  symlinkSync('/dev/zero', join(ws, 'zeros.txt'));
  symlinkSync(join(ws, 'loop-a'), join(ws, 'loop-b'));
  symlinkSync(join(ws, 'loop-b'), join(ws, 'loop-a'));
}
