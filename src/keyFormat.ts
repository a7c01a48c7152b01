// API key formats per provider, to warn (never refuse: formats change) when a pasted key does not look like one.
// Shared by the host (Set API Key's input box) and the webview (the keys area). A warning never contains the key
// or any part of it, only what was expected and how long the text is.
import type { ProviderId } from './protocol';

interface KeyFormat {
  label: string;
  /** The key's prefix as the provider issues it today. */
  prefix: string;
  /** The whole key (prefix included), when its length and alphabet are fixed. */
  exact?: { pattern: RegExp; length: number };
}

// Formats as issued in 2025–2026 (and matched by secret scanners such as gitleaks and kingfisher).
const FORMATS: Partial<Record<ProviderId, KeyFormat>> = {
  groq: { label: 'Groq', prefix: 'gsk_', exact: { pattern: /^gsk_[A-Za-z0-9]{52}$/, length: 56 } },
  openai: { label: 'OpenAI', prefix: 'sk-' },
  anthropic: { label: 'Anthropic', prefix: 'sk-ant-' },
  google: { label: 'Google', prefix: 'AIza', exact: { pattern: /^AIza[A-Za-z0-9_-]{35}$/, length: 39 } },
  xai: { label: 'xAI', prefix: 'xai-' },
  openrouter: { label: 'OpenRouter', prefix: 'sk-or-', exact: { pattern: /^sk-or-v1-[0-9a-f]{64}$/, length: 73 } },
  cerebras: { label: 'Cerebras', prefix: 'csk-' },
};

/** Longest prefix first, so an Anthropic or OpenRouter key is not taken for an OpenAI one. */
const BY_PREFIX = Object.entries(FORMATS).sort(([, a], [, b]) => b.prefix.length - a.prefix.length) as [ProviderId, KeyFormat][];

const article = (label: string) => `${/^([AEIOU]|x[A-Z])/.test(label) ? 'an' : 'a'} ${label}`;
const chars = (n: number) => `${n} character${n === 1 ? '' : 's'}`;

/** Why `key` does not look like a key of `provider` (undefined: it does, or the provider has no known format). */
export function keyFormatWarning(provider: ProviderId, raw: string): string | undefined {
  const key = raw.trim();
  if (!key) return undefined;
  if (/^bearer\s/i.test(key)) return 'Paste the key alone, without "Bearer ".';
  if (/^["'`]|["'`]$/.test(key)) return 'The key starts or ends with a quote mark: paste it without quotes.';
  if (/\s/.test(key)) return 'The key contains spaces or line breaks: keys have none. Check that you copied only the key.';
  const format = FORMATS[provider];
  if (!format) return undefined;
  const [other, otherFormat] = BY_PREFIX.find(([, f]) => key.startsWith(f.prefix)) ?? [];
  if (other && other !== provider && otherFormat) {
    return `This looks like ${article(otherFormat.label)} key (it starts with ${otherFormat.prefix}), not ${article(format.label)} key.`;
  }
  if (!key.startsWith(format.prefix)) return `${format.label} keys start with ${format.prefix}; this one does not.`;
  if (format.exact && !format.exact.pattern.test(key)) {
    const length = key.length === format.exact.length ? 'has an unexpected character' : `is ${chars(key.length)} long`;
    return `${format.label} keys are ${chars(format.exact.length)} of letters and digits; this one ${length}. Check that you copied all of it.`;
  }
  return undefined;
}
