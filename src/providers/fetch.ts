import { retryAfterFromHeaders } from './errors';
/** Longest `retry-after` the SDKs may wait out silently; past it the user is told when to try again. */
export const MAX_SILENT_RETRY_WAIT_SECONDS = 20;

/**
 * A fetch for the Stainless SDKs (groq-sdk, openai, @anthropic-ai/sdk). They already retry 408/409/429/5xx
 * with backoff and honour `retry-after`; this only (a) reports each wait so the panel can show it and
 * (b) stops a retry when the provider asks for a long wait or says the account is out of quota, by answering
 * with `x-should-retry: false`, which the SDKs obey.
 */
export function retryAwareFetch(onRetryWait: ((seconds: number, status: number) => void) | undefined, maxRetries: number, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.status !== 429 && response.status < 500) return response;
    const wait = retryAfterFromHeaders((name) => response.headers.get(name));
    if ((wait !== undefined && wait > MAX_SILENT_RETRY_WAIT_SECONDS) || (response.status === 429 && (await outOfQuota(response)))) {
      const headers = new Headers(response.headers);
      headers.set('x-should-retry', 'false');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }
    // The SDKs number their attempts in x-stainless-retry-count; the last one is not retried, so no wait.
    const attempt = Number(new Headers(init?.headers).get('x-stainless-retry-count') ?? 0);
    if (response.headers.get('x-should-retry') !== 'false' && attempt < maxRetries) onRetryWait?.(wait ?? 1, response.status);
    return response;
  };
}

/** OpenAI answers an account out of credits with a 429 `insufficient_quota`: retrying cannot help. */
async function outOfQuota(response: Response): Promise<boolean> {
  if (!response.headers.get('content-type')?.includes('json')) return false;
  try {
    const body = (await response.clone().json()) as { error?: { type?: unknown; code?: unknown } };
    return body.error?.type === 'insufficient_quota' || body.error?.code === 'insufficient_quota';
  } catch {
    return false;
  }
}

