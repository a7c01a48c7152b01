import type { ErrorAction, ErrorKind } from '../protocol';

export interface ClassifiedError {
  kind: ErrorKind;
  message: string;
  action?: ErrorAction;
}

const PARLEY_ERROR = Symbol.for('parley.error');

/** Raised by the session itself (no key, bad attachment) with a message meant for the user as it is. */
export class ParleyError extends Error {
  readonly [PARLEY_ERROR] = true;

  constructor(readonly kind: ErrorKind, message: string, readonly action?: ErrorAction) {
    super(message);
  }

  /**
   * The lazily loaded chunks (dist/sdk/*.js) each bundle their own copy of this class, so `instanceof` checks a
   * mark every copy sets rather than the class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [PARLEY_ERROR]?: unknown })[PARLEY_ERROR] === true;
  }
}

interface ErrorLike {
  name?: string;
  status?: number;
  code?: string;
  message?: string;
  headers?: Headers | Record<string, string>;
  error?: unknown;
  cause?: unknown;
}

const KEY_SHAPED = /\b(gsk_|csk-|sk-(?:proj-|ant-(?:api\d+-)?)?|AIza|xai-)[A-Za-z0-9_-]{6,}/g;

/** Replaces anything key-shaped in text a provider sent back (some echo part of a wrong key). */
export function redactKeys(text: string, knownKeys: readonly string[] = []): string {
  let out = text.replace(KEY_SHAPED, (m, prefix: string) => `${prefix}…(redacted)`);
  for (const key of knownKeys) {
    if (key.length >= 8) out = out.split(key).join('…(redacted)');
  }
  return out;
}

type ErrorBody = { type?: unknown; status?: unknown; code?: unknown; message?: unknown; error?: { type?: unknown; status?: unknown; code?: unknown; message?: unknown } };

/**
 * The provider's error body: the SDK's parsed `error`, or (for @google/genai, whose ApiError keeps only
 * `status` and `message`) the JSON the message carries, e.g. `got status: UNAVAILABLE. {"error":{...}}`.
 */
function errorBody(err: ErrorLike): ErrorBody | undefined {
  if (err.error && typeof err.error === 'object') return err.error as ErrorBody;
  const message = err.message ?? '';
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(message.slice(start));
    return parsed && typeof parsed === 'object' ? (parsed as ErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

function providerDetail(err: ErrorLike): string {
  const body = errorBody(err);
  const detail = body?.error?.message ?? body?.message;
  if (typeof detail === 'string' && detail) return detail;
  return (err.message ?? '').replace(/^\d{3}\s+/, '');
}

/**
 * The HTTP status an error type name stands for. Errors sent inside an open stream (Anthropic's `event: error`,
 * OpenAI's `data: {"error": ...}`) reach the SDKs after the 200, so they carry a type but no status.
 */
const STATUS_OF_ERROR_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  server_error: 500,
  overloaded_error: 529,
  // google.rpc.Code names, as Gemini puts them in `error.status`
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

function errorType(err: ErrorLike): string | undefined {
  const body = errorBody(err);
  for (const candidate of [(err as { type?: unknown }).type, body?.error?.type, body?.error?.status, body?.type, body?.status]) {
    if (typeof candidate === 'string' && Object.hasOwn(STATUS_OF_ERROR_TYPE, candidate)) return candidate;
  }
  return undefined;
}

/** A numeric `code` in an error sent inside a stream is the HTTP status it stands for (OpenRouter's mid-stream errors). */
function statusOfCode(err: ErrorLike): number | undefined {
  const body = errorBody(err);
  const code = body?.code ?? body?.error?.code;
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code < 600 ? code : undefined;
}

/** OpenAI's 429 `insufficient_quota`: the account is out of credits, which no wait or retry fixes. */
export function isOutOfQuota(err: unknown): boolean {
  const e = (err ?? {}) as ErrorLike & { type?: unknown };
  const body = errorBody(e);
  return [e.code, e.type, body?.code, body?.type, body?.error?.code, body?.error?.type].includes('insufficient_quota');
}

function networkCode(err: unknown): string | undefined {
  for (let e = err as ErrorLike | undefined, depth = 0; e && depth < 5; e = e.cause as ErrorLike, depth++) {
    if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return e.code;
  }
  return undefined;
}

function header(err: ErrorLike, name: string): string | undefined {
  const h = err.headers;
  if (!h) return undefined;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  return (h as Record<string, string>)[name];
}

/** A wait as providers write it: seconds ("30", "1.5s", Gemini's retryDelay) or an HTTP date; never negative. */
export function parseDuration(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value.replace(/s$/, ''));
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : undefined;
}

/** Seconds a failed response asks to wait, from `retry-after-ms` or else `retry-after`: the one parser of these headers. */
export function retryAfterFromHeaders(get: (name: string) => string | null | undefined): number | undefined {
  const ms = get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms) / 1000);
  return parseDuration(get('retry-after'));
}

/** Seconds until the provider will take another request, from an SDK error's headers. */
export function retryAfterSeconds(err: unknown): number | undefined {
  return retryAfterFromHeaders((name) => header(err as ErrorLike, name));
}

/** The stream closed before the provider said the reply was finished: the text so far is kept as cut off. */
export function streamCutOff(): Error {
  return Object.assign(new Error('The stream ended before the provider said it was finished.'), { name: 'StreamCutOff' });
}

export function isStreamCutOff(err: unknown): boolean {
  return (err as Error)?.name === 'StreamCutOff';
}

/**
 * Maps any SDK's error (the Stainless SDKs' APIError family, @google/genai's ApiError, fetch/network errors)
 * to one small set of kinds with a message a user can act on. Errors a provider sends inside an open stream
 * carry no HTTP status; their error type stands in for it (Anthropic's mid-stream `overloaded_error` is 529).
 */
export function classifyError(err: unknown, context: { provider: string; model: string; host: string; keys?: readonly string[] }): ClassifiedError {
  if (err instanceof ParleyError) return { kind: err.kind, message: err.message, action: err.action };
  const e = (err ?? {}) as ErrorLike;
  const { provider, model, host } = context;
  const detail = redactKeys(providerDetail(e), context.keys).slice(0, 500);
  const codeStatus = typeof e.status === 'number' ? undefined : statusOfCode(e);
  const type = typeof e.status === 'number' || codeStatus ? undefined : errorType(e);
  const status = typeof e.status === 'number' ? e.status : codeStatus ?? (type ? STATUS_OF_ERROR_TYPE[type] : undefined);
  /** How the status is shown: the HTTP code, or the error type a mid-stream error event named. */
  const shown = type ?? String(status);
  const name = e.name ?? '';

  // The openai and groq SDKs' APIConnectionTimeoutError keeps the name `Error`; its message says it.
  if (name.includes('Timeout') || (e.status === undefined && /^Request timed out/i.test(e.message ?? ''))) {
    return { kind: 'timeout', message: `${provider} did not answer in time (${host}). Try again, or raise parley.requestTimeoutSeconds.`, action: 'retry' };
  }
  if (status === undefined) {
    const code = networkCode(err);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'network', message: `Could not reach ${host}: the host name does not resolve. Check your connection or the base URL setting.`, action: 'retry' };
    if (code === 'ECONNREFUSED') return { kind: 'network', message: `Could not reach ${host}: the connection was refused. Is the server running, and is the base URL right?`, action: 'retry' };
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || /terminated|socket|premature|aborted/i.test(e.message ?? '')) {
      return { kind: 'cut-off', message: `The connection to ${provider} was cut off before the reply finished. The partial reply is kept.`, action: 'continue' };
    }
    if (name.includes('Connection') || /^connection error/i.test(e.message ?? '') || code) return { kind: 'network', message: `Could not reach ${host}${code ? ` (${code})` : ''}. Check your connection or the base URL setting.`, action: 'retry' };
    if (err instanceof SyntaxError || /JSON|parse|unexpected/i.test(e.message ?? '')) {
      return { kind: 'bad-response', message: `${provider} sent a reply Parley could not read${detail ? `: ${detail}` : ''}. The partial reply is kept.`, action: 'retry' };
    }
    return { kind: 'unknown', message: `${provider} failed: ${detail || 'unknown error'}`, action: 'retry' };
  }
  const mentionsContext = /context|too long|too many tokens|maximum.*tokens|token limit|reduce the length/i.test(detail);
  const keyRejected = status === 400 && /api[ _-]?key (?:not valid|invalid)|invalid api[ _-]?key|API_KEY_INVALID/i.test(detail);
  if (status === 401 || keyRejected) return { kind: 'auth', message: `${provider} rejected the API key (${shown}). Set a valid ${provider} key.${detail ? ` Provider said: ${detail}` : ''}`, action: 'set-key' };
  if (status === 403) return { kind: 'permission', message: `${provider} refused access (403): this key may not use ${model}.${detail ? ` Provider said: ${detail}` : ''}`, action: 'pick-model' };
  const body = errorBody(e);
  const code = body?.code ?? (body?.error as { code?: unknown } | undefined)?.code;
  if (((status === 400 || status === 404) && code === 'model_decommissioned') || /has been decommissioned/i.test(detail)) {
    return { kind: 'model', message: `${provider} no longer serves ${model}: it was decommissioned. Pick a model from the list (refreshed from ${provider} now).${detail ? ` Provider said: ${detail}` : ''}`, action: 'pick-model' };
  }
  if (status === 404) return { kind: 'model', message: `${provider} does not know the model "${model}" (404). Pick another model.${detail ? ` Provider said: ${detail}` : ''}`, action: 'pick-model' };
  if (status === 413 || ((status === 400 || status === 422) && mentionsContext)) {
    return { kind: 'context', message: `The conversation is too long for ${model}. Start a new chat, remove attachments or delete earlier messages.${detail ? ` Provider said: ${detail}` : ''}` };
  }
  // Anthropic says an account without credits with a 400 invalid_request_error.
  if (status === 402 || (status === 429 && isOutOfQuota(err)) || (status === 400 && /credit balance is too low/i.test(detail))) {
    return { kind: 'quota', message: `${provider} says this account is out of quota or credits (${shown}). Add credits or raise the limit in your ${provider} billing settings; retrying will not help.${detail ? ` Provider said: ${detail}` : ''}` };
  }
  if (status === 429) {
    const wait = retryAfterSeconds(err);
    const when = wait !== undefined ? ` Try again in ${formatWait(wait)}.` : ' Try again in a little while.';
    return { kind: 'rate-limit', message: `${provider} is rate limiting this key (${shown}).${when}${detail ? ` Provider said: ${detail}` : ''}`, action: 'retry' };
  }
  if (status === 529 || status === 503) return { kind: 'overloaded', message: `${provider} is overloaded right now (${shown}). Try again shortly.`, action: 'retry' };
  if (status >= 500) return { kind: 'server', message: `${provider} had a server error (${shown}). Try again shortly.${detail ? ` Provider said: ${detail}` : ''}`, action: 'retry' };
  return { kind: 'bad-request', message: `${provider} refused the request (${shown}): ${detail || 'bad request'}` };
}

export function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
