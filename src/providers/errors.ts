import type { ErrorAction, ErrorKind } from '../protocol';

export interface ClassifiedError {
  kind: ErrorKind;
  message: string;
  action?: ErrorAction;
}

/** Raised by the session itself (no key, bad attachment) with a message meant for the user as it is. */
export class ParleyError extends Error {
  constructor(readonly kind: ErrorKind, message: string, readonly action?: ErrorAction) {
    super(message);
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

const KEY_SHAPED = /\b(gsk_|sk-(?:proj-|ant-(?:api\d+-)?)?|AIza|xai-)[A-Za-z0-9_-]{6,}/g;

/** Replaces anything key-shaped in text a provider sent back (some echo part of a wrong key). */
export function redactKeys(text: string, knownKeys: readonly string[] = []): string {
  let out = text.replace(KEY_SHAPED, (m, prefix: string) => `${prefix}…(redacted)`);
  for (const key of knownKeys) {
    if (key.length >= 8) out = out.split(key).join('…(redacted)');
  }
  return out;
}

function providerDetail(err: ErrorLike): string {
  const body = err.error as { error?: { message?: unknown }; message?: unknown } | undefined;
  const detail = body?.error?.message ?? body?.message;
  if (typeof detail === 'string' && detail) return detail;
  return (err.message ?? '').replace(/^\d{3}\s+/, '');
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

/** Seconds until the provider will take another request, from `retry-after` (seconds or HTTP date). */
export function retryAfterSeconds(err: unknown): number | undefined {
  const value = header(err as ErrorLike, 'retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, Math.round((date - Date.now()) / 1000)) : undefined;
}

/**
 * Maps any SDK's error (the Stainless SDKs' APIError family, @google/genai's ApiError, fetch/network errors)
 * to one small set of kinds with a message a user can act on.
 */
export function classifyError(err: unknown, context: { provider: string; model: string; host: string; keys?: readonly string[] }): ClassifiedError {
  if (err instanceof ParleyError) return { kind: err.kind, message: err.message, action: err.action };
  const e = (err ?? {}) as ErrorLike;
  const { provider, model, host } = context;
  const detail = redactKeys(providerDetail(e), context.keys).slice(0, 500);
  const status = typeof e.status === 'number' ? e.status : undefined;
  const name = e.name ?? '';

  if (name.includes('Timeout') || name === 'TimeoutError') {
    return { kind: 'timeout', message: `${provider} did not answer in time (${host}). Try again, or raise parley.requestTimeoutSeconds.`, action: 'retry' };
  }
  if (status === undefined) {
    const code = networkCode(err);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'network', message: `Could not reach ${host}: the host name does not resolve. Check your connection or the base URL setting.`, action: 'retry' };
    if (code === 'ECONNREFUSED') return { kind: 'network', message: `Could not reach ${host}: the connection was refused. Is the server running, and is the base URL right?`, action: 'retry' };
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || /terminated|socket|premature|aborted/i.test(e.message ?? '')) {
      return { kind: 'cut-off', message: `The connection to ${provider} was cut off before the reply finished. The partial reply is kept.`, action: 'continue' };
    }
    if (name.includes('Connection') || code) return { kind: 'network', message: `Could not reach ${host}${code ? ` (${code})` : ''}. Check your connection or the base URL setting.`, action: 'retry' };
    if (err instanceof SyntaxError || /JSON|parse|unexpected/i.test(e.message ?? '')) {
      return { kind: 'bad-response', message: `${provider} sent a reply Parley could not read${detail ? `: ${detail}` : ''}. The partial reply is kept.`, action: 'retry' };
    }
    return { kind: 'unknown', message: `${provider} failed: ${detail || 'unknown error'}`, action: 'retry' };
  }
  const mentionsContext = /context|too long|too many tokens|maximum.*tokens|token limit|reduce the length/i.test(detail);
  if (status === 401) return { kind: 'auth', message: `${provider} rejected the API key (401). Set a valid ${provider} key.${detail ? ` Provider said: ${detail}` : ''}`, action: 'set-key' };
  if (status === 403) return { kind: 'permission', message: `${provider} refused access (403): this key may not use ${model}.${detail ? ` Provider said: ${detail}` : ''}`, action: 'pick-model' };
  if (status === 404) return { kind: 'model', message: `${provider} does not know the model "${model}" (404). Pick another model.${detail ? ` Provider said: ${detail}` : ''}`, action: 'pick-model' };
  if (status === 413 || ((status === 400 || status === 422) && mentionsContext)) {
    return { kind: 'context', message: `The conversation is too long for ${model}. Start a new chat, remove attachments or delete earlier messages.${detail ? ` Provider said: ${detail}` : ''}` };
  }
  if (status === 429) {
    const wait = retryAfterSeconds(err);
    const when = wait !== undefined ? ` Try again in ${formatWait(wait)}.` : ' Try again in a little while.';
    return { kind: 'rate-limit', message: `${provider} is rate limiting this key (429).${when}${detail ? ` Provider said: ${detail}` : ''}`, action: 'retry' };
  }
  if (status === 529 || status === 503) return { kind: 'overloaded', message: `${provider} is overloaded right now (${status}). Try again shortly.`, action: 'retry' };
  if (status >= 500) return { kind: 'server', message: `${provider} had a server error (${status}). Try again shortly.${detail ? ` Provider said: ${detail}` : ''}`, action: 'retry' };
  return { kind: 'bad-request', message: `${provider} refused the request (${status}): ${detail || 'bad request'}` };
}

export function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
