// Item 2: the Content-Security-Policy of the panel's HTML, as src/host/webviewHtml.ts writes it.
import assert from 'node:assert/strict';
import { webviewHtml } from '../../src/host/webviewHtml';

/** VS Code's webview.cspSource today (the webview resource CDN), and the script/style URIs it hands out. */
const ASSETS = {
  cspSource: 'https://*.vscode-cdn.net',
  script: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
  styles: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/codicon.css', 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.css'],
};

interface Parsed {
  csp: Map<string, string[]>;
  cspIndex: number;
  metaCount: number;
  scripts: Array<{ tag: string; index: number; nonce?: string; inline: boolean }>;
  firstResourceIndex: number;
  handlers: string[];
}

function parse(html: string): Parsed {
  const metas = [...html.matchAll(/<meta\s+http-equiv\s*=\s*"Content-Security-Policy"\s+content\s*=\s*"([^"]*)"\s*>/gi)];
  assert.equal(metas.length, 1, 'exactly one CSP <meta>');
  const csp = new Map<string, string[]>();
  for (const part of metas[0][1].split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (!name) continue;
    assert.ok(!csp.has(name.toLowerCase()), `directive ${name} given twice`);
    csp.set(name.toLowerCase(), values);
  }
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)].map((m) => ({
    tag: m[0],
    index: m.index!,
    nonce: /\bnonce\s*=\s*"([^"]*)"/i.exec(m[1])?.[1],
    inline: m[2].trim().length > 0,
  }));
  assert.equal(scripts.length, (html.match(/<script\b/gi) ?? []).length, 'every <script> opening tag has a closing tag');
  const resources = [...html.matchAll(/<(?:script|link|style|img|iframe)\b/gi)].map((m) => m.index!);
  return {
    csp,
    cspIndex: metas[0].index!,
    metaCount: metas.length,
    scripts,
    firstResourceIndex: Math.min(...resources),
    handlers: [...html.matchAll(/\son[a-z]+\s*=/gi)].map((m) => m[0]),
  };
}

const nonceOf = (p: Parsed) => (p.csp.get('script-src') ?? []).map((s) => /^'nonce-([^']+)'$/.exec(s)?.[1]).find(Boolean);

describe('hardening: the webview CSP (webviewHtml)', () => {
  const parsed = parse(webviewHtml(ASSETS));
  const figures: string[] = [];

  after(() => console.log(`\n    CSP: ${figures.join('; ')}\n`));

  it("default-src is 'none', and the policy comes before anything it governs", () => {
    assert.deepEqual(parsed.csp.get('default-src'), ["'none'"]);
    assert.ok(parsed.cspIndex < parsed.firstResourceIndex, 'the CSP <meta> precedes every script, stylesheet and image');
    assert.deepEqual(parsed.csp.get('base-uri'), ["'none'"]);
    assert.deepEqual(parsed.csp.get('form-action'), ["'none'"]);
    for (const fallbackOnly of ['object-src', 'frame-src', 'child-src', 'connect-src', 'media-src', 'worker-src', 'manifest-src']) {
      assert.equal(parsed.csp.has(fallbackOnly), false, `${fallbackOnly} must fall back to default-src 'none'`);
    }
    figures.push(`${parsed.csp.size} directives, default-src 'none'`);
  });

  it('scripts run only by nonce or from the extension itself: no unsafe-*, no other hosts, no schemes, no wildcard', () => {
    const scriptDirectives = [...parsed.csp.keys()].filter((d) => d.startsWith('script-src'));
    assert.deepEqual(scriptDirectives, ['script-src'], 'one script directive (no script-src-elem/-attr loosening it)');
    const sources = parsed.csp.get('script-src')!;
    // The nonce'd module imports its lazily loaded chunks (Mermaid, KaTeX) from the webview's own resources.
    assert.equal(sources.length, 2, `script-src has the nonce and the webview's resource origin, got ${sources.join(' ')}`);
    assert.match(sources[0], /^'nonce-[A-Za-z0-9+/]+={0,2}'$/);
    assert.equal(sources[1], ASSETS.cspSource);
    for (const [directive, values] of parsed.csp) {
      for (const value of values) {
        assert.doesNotMatch(value, /^'unsafe-(?:inline|eval|hashes)'$|^'wasm-unsafe-eval'$|^'strict-dynamic'$/i, `${directive} ${value}`);
        assert.notEqual(value, '*', `${directive} allows any origin`);
        assert.doesNotMatch(value, /^(?:https?|wss?|blob|filesystem):$/i, `${directive} allows a whole scheme (${value})`);
        // Host sources: only the webview's own resource origin.
        if (/^[a-z][\w+.-]*:\/\/|^\*\.|^[\w-]+\.[\w.-]+/i.test(value)) assert.equal(value, ASSETS.cspSource, `${directive} allows ${value}`);
      }
    }
    assert.deepEqual(parsed.csp.get('img-src'), [ASSETS.cspSource, 'data:']);
    figures.push("script-src = 1 nonce source + the webview's own resource origin, 0 'unsafe-*', 0 remote or wildcard sources");
  });

  it('every <script> carries the nonce, none is inline, and there are no inline handlers', () => {
    const nonce = nonceOf(parsed);
    assert.ok(nonce);
    assert.ok(parsed.scripts.length >= 1);
    for (const script of parsed.scripts) {
      assert.equal(script.nonce, nonce, `script without the nonce: ${script.tag}`);
      assert.equal(script.inline, false, 'inline script');
    }
    assert.deepEqual(parsed.handlers, []);
    figures.push(`${parsed.scripts.length}/${parsed.scripts.length} <script> with the nonce`);
  });

  it('the nonce is fresh for every call and at least 128 bits', () => {
    const CALLS = 2000;
    const nonces = new Set<string>();
    let minBits = Infinity;
    for (let i = 0; i < CALLS; i++) {
      const p = parse(webviewHtml(ASSETS));
      const nonce = nonceOf(p)!;
      assert.ok(p.scripts.every((s) => s.nonce === nonce));
      nonces.add(nonce);
      minBits = Math.min(minBits, Buffer.from(nonce, 'base64').length * 8);
      assert.equal(Buffer.from(nonce, 'base64').toString('base64'), nonce, 'a canonical base64 value');
    }
    assert.equal(nonces.size, CALLS, 'a nonce repeated');
    assert.ok(minBits >= 128, `nonce has ${minBits} bits`);
    // Not a counter or a clock: bytes spread over the whole range.
    const bytes = Buffer.concat([...nonces].map((n) => Buffer.from(n, 'base64')));
    const distinct = new Set(bytes).size;
    assert.ok(distinct > 250, `only ${distinct} distinct byte values in ${bytes.length} nonce bytes`);
    figures.push(`${CALLS} calls → ${nonces.size} distinct nonces of ${minBits} bits`);
  });
});
