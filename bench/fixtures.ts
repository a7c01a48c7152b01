// Deterministic inputs for the bench: a long markdown reply (prose, lists, tables, fenced code in several
// languages), its split into deltas, a saved chat of many messages, and a marker stream for the pipeline.
// Everything comes from a seeded PRNG, so every run (and every machine) sees the same bytes.
import type { ChatMessage } from '../src/protocol';

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a stream reply token buffer render block parse frame delta model request response cache index value ' +
  'function return type module import export async await promise error retry timeout budget latency ' +
  'throughput memory heap listener signal abort controller handler event message channel panel webview host ' +
  'provider adapter config schema validate sequence batch commit history chat user assistant markdown table ' +
  'list item heading paragraph quote link code fence language highlight sanitize escape string number ' +
  'boolean object array map set queue stack tree graph node edge weight cost time space linear constant'
).split(' ');

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

function sentence(r: () => number): string {
  const n = int(r, 6, 18);
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = pick(r, WORDS);
    const roll = r();
    if (roll < 0.05) w = `\`${w}()\``;
    else if (roll < 0.08) w = `**${w}**`;
    else if (roll < 0.1) w = `_${w}_`;
    else if (roll < 0.115) w = `[${w}](https://example.com/${w})`;
    words.push(w);
  }
  const s = words.join(' ');
  return s[0].toUpperCase() + s.slice(1) + pick(r, ['.', '.', '.', '?', '!', ':']);
}

function paragraph(r: () => number): string {
  return Array.from({ length: int(r, 2, 6) }, () => sentence(r)).join(' ');
}

const CODE: Record<string, (r: () => number, i: number) => string> = {
  ts: (r, i) => `export async function handle${i}(input: string, retries = ${int(r, 1, 5)}): Promise<number> {\n  const parts = input.split(',').map((p) => p.trim());\n  let total = 0;\n  for (const part of parts) {\n    if (!part) continue; // skip empties\n    total += Number.parseInt(part, ${pick(r, [10, 16])}) || 0;\n  }\n  return retries > 0 ? total : -1;\n}\n`,
  python: (r, i) => `def handle_${i}(items, limit=${int(r, 2, 99)}):\n    """Return the first items above the limit."""\n    out = []\n    for item in items:\n        if item > limit:\n            out.append(item * ${int(r, 2, 9)})\n    return sorted(out)[:10]\n`,
  rust: (r, i) => `pub fn handle_${i}(input: &[u32]) -> Option<u32> {\n    let mut best = None;\n    for &x in input.iter().filter(|&&x| x % ${int(r, 2, 7)} == 0) {\n        best = Some(best.map_or(x, |b: u32| b.max(x)));\n    }\n    best\n}\n`,
  go: (r, i) => `func Handle${i}(ctx context.Context, ids []string) (map[string]int, error) {\n\tout := make(map[string]int, len(ids))\n\tfor i, id := range ids {\n\t\tif err := ctx.Err(); err != nil {\n\t\t\treturn nil, err\n\t\t}\n\t\tout[id] = i * ${int(r, 2, 9)}\n\t}\n\treturn out, nil\n}\n`,
  bash: (r, i) => `#!/usr/bin/env bash\nset -euo pipefail\nfor f in ./data/*.json; do\n  echo "step ${i}: $f"\n  jq '.items | length' "$f" >> counts.txt\ndone\ntail -n ${int(r, 2, 20)} counts.txt\n`,
  json: (r, i) => `{\n  "name": "item-${i}",\n  "enabled": ${r() < 0.5},\n  "limits": { "rps": ${int(r, 10, 999)}, "burst": ${int(r, 1, 50)} },\n  "tags": ["alpha", "beta", "gamma"]\n}\n`,
  sql: (r, i) => `SELECT u.id, u.name, COUNT(o.id) AS orders_${i}\nFROM users u\nLEFT JOIN orders o ON o.user_id = u.id\nWHERE u.created_at > NOW() - INTERVAL '${int(r, 1, 90)} days'\nGROUP BY u.id, u.name\nORDER BY orders_${i} DESC\nLIMIT 20;\n`,
  css: (r, i) => `.panel-${i} {\n  display: grid;\n  grid-template-columns: repeat(${int(r, 2, 6)}, 1fr);\n  gap: ${int(r, 2, 16)}px;\n  color: var(--vscode-foreground);\n}\n.panel-${i} > .item:hover { outline: 1px solid #${int(r, 100, 999)}; }\n`,
  java: (r, i) => `public final class Handler${i} {\n    private final int limit = ${int(r, 1, 100)};\n    public List<String> run(List<String> in) {\n        return in.stream().filter(s -> s.length() < limit).map(String::trim).toList();\n    }\n}\n`,
  yaml: (r, i) => `service-${i}:\n  image: example/app:${int(r, 1, 9)}.${int(r, 0, 9)}\n  replicas: ${int(r, 1, 5)}\n  env:\n    - LOG_LEVEL=info\n    - TIMEOUT=${int(r, 5, 60)}s\n`,
  text: (r, i) => `step ${i}: ${paragraph(r).slice(0, 120)}\n`,
};
const LANGS = Object.keys(CODE);

function codeBlock(r: () => number, i: number, lines: number): string {
  const lang = LANGS[i % LANGS.length];
  let body = '';
  let k = 0;
  while (body.split('\n').length < lines) body += CODE[lang](r, i * 100 + k++);
  return `\`\`\`${lang === 'text' ? '' : lang}\n${body.trimEnd()}\n\`\`\``;
}

function list(r: () => number, ordered: boolean): string {
  return Array.from({ length: int(r, 3, 9) }, (_, i) => `${ordered ? `${i + 1}.` : '-'} ${sentence(r)}${r() < 0.2 ? `\n  - ${sentence(r)}` : ''}`).join('\n');
}

function table(r: () => number): string {
  const cols = int(r, 3, 5);
  const head = Array.from({ length: cols }, () => pick(r, WORDS));
  const rows = Array.from({ length: int(r, 4, 14) }, () => `| ${Array.from({ length: cols }, () => (r() < 0.3 ? `\`${int(r, 1, 9999)}\`` : pick(r, WORDS))).join(' | ')} |`);
  return [`| ${head.join(' | ')} |`, `|${' --- |'.repeat(cols)}`, ...rows].join('\n');
}

/**
 * A markdown reply of about `bytes` characters with exactly `codeBlocks` fenced code blocks spread evenly
 * through it (one of them long), between headings, paragraphs, lists, tables and quotes.
 */
export function replyMarkdown(seed = 1, bytes = 200_000, codeBlocks = 40): string {
  const r = rng(seed);
  const parts: string[] = [];
  let size = 0;
  const push = (s: string) => {
    parts.push(s);
    size += s.length + 2;
  };
  const codeSize = bytes * 0.35;
  let emittedCode = 0;
  for (let i = 0; i < codeBlocks; i++) {
    // Prose up to this block's share of the text, then the block.
    const target = ((i + 1) / (codeBlocks + 1)) * bytes;
    while (size + codeSize / codeBlocks < target) {
      const roll = r();
      if (roll < 0.1) push(`${'#'.repeat(int(r, 2, 4))} ${sentence(r).slice(0, -1)}`);
      else if (roll < 0.55) push(paragraph(r));
      else if (roll < 0.7) push(list(r, false));
      else if (roll < 0.8) push(list(r, true));
      else if (roll < 0.9) push(table(r));
      else push(`> ${paragraph(r)}`);
    }
    const lines = i === Math.floor(codeBlocks / 2) ? 160 : int(r, 10, 50);
    const block = codeBlock(r, i, lines);
    push(block);
    emittedCode += block.length;
  }
  while (size < bytes) push(r() < 0.7 ? paragraph(r) : list(r, false));
  void emittedCode;
  return parts.join('\n\n').slice(0, bytes).trimEnd() + '\n';
}

/** Splits `text` into exactly `n` non-empty deltas of irregular size (like a model's tokens), in order. */
export function splitDeltas(text: string, n: number, seed = 2): string[] {
  if (n > text.length) throw new Error('more deltas than characters');
  const r = rng(seed);
  const step = text.length / n;
  const cuts: number[] = [0];
  for (let i = 1; i < n; i++) {
    const jitter = (r() - 0.5) * step * 0.9;
    const at = Math.round(i * step + jitter);
    cuts.push(Math.min(text.length - (n - i), Math.max(cuts[i - 1] + 1, at)));
  }
  cuts.push(text.length);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(text.slice(cuts[i], cuts[i + 1]));
  return out;
}

/**
 * A saved chat of `count` messages (alternating user / assistant) whose texts add up to about `bytes`
 * characters; assistant replies carry markdown with code.
 */
export function historyMessages(seed = 3, count = 2000, bytes = 1_000_000): ChatMessage[] {
  const r = rng(seed);
  const messages: ChatMessage[] = [];
  const assistantBytes = (bytes * 0.68) / (count / 2);
  const t0 = Date.UTC(2025, 0, 1);
  for (let i = 0; i < count; i++) {
    const id = `m${i}`;
    if (i % 2 === 0) {
      messages.push({ id, role: 'user', text: sentence(r) + (r() < 0.3 ? ` ${sentence(r)}` : ''), createdAt: t0 + i * 1000 });
      continue;
    }
    const parts: string[] = [];
    let size = 0;
    let blocks = 0;
    while (size < assistantBytes) {
      const roll = r();
      const s = roll < 0.25 && blocks < 2 ? codeBlock(r, i + blocks++, int(r, 4, 14)) : roll < 0.7 ? paragraph(r) : roll < 0.9 ? list(r, false) : table(r);
      parts.push(s);
      size += s.length + 2;
    }
    messages.push({ id, role: 'assistant', text: parts.join('\n\n'), provider: 'groq', model: 'llama-3.3-70b-versatile', status: 'done', usage: { inputTokens: 100 + i, outputTokens: 50 + i }, createdAt: t0 + i * 1000 });
  }
  return messages;
}

/**
 * The pipeline's reply: `n` deltas, each carrying a marker `§<i>` so the painted text tells which deltas are
 * on screen; a paragraph break every 20 deltas and now and then a list or a code fence, so the webview's
 * block splitting is exercised as in a real reply.
 */
export function markerDeltas(n: number, seed = 4): string[] {
  const r = rng(seed);
  const out: string[] = [];
  let inCode = false;
  for (let i = 0; i < n; i++) {
    let d = `${pick(r, WORDS)} §${i} `;
    if (i % 20 === 19) {
      const roll = r();
      if (inCode) {
        d += '\n```\n\n';
        inCode = false;
      } else if (roll < 0.1) {
        d += '\n\n```ts\n';
        inCode = true;
      } else if (roll < 0.25) d += '\n\n- ';
      else d += '\n\n';
    }
    out.push(d);
  }
  if (inCode) out[n - 1] += '\n```\n';
  return out;
}

export const MARKER = /§(\d+)/g;
