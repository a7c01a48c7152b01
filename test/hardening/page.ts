// The webview in headless Chromium for the hardening suite: builds webview/main.ts into a private temp dir
// (so other engineers' `node esbuild.mjs`, which wipes dist/, cannot pull files from under a running test),
// serves it with the HTML from src/host/webviewHtml.ts (the real CSP), and installs a trap before any script
// runs: window.__pwned() records a call, a securitypolicyviolation listener records every violation, and
// acquireVsCodeApi() records what the panel posts. Every request the page makes outside its own origin is recorded.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { webviewHtml } from '../../src/host/webviewHtml';
import { parseHostMessage, type HostMessage } from '../../src/protocol';

const ROOT = path.resolve(__dirname, '..', '..');

export interface BuiltWebview {
  dir: string;
  origin: string;
  close(): Promise<void>;
}

/** Builds the webview bundle the way esbuild.mjs does and serves it on 127.0.0.1. */
export async function buildAndServeWebview(): Promise<BuiltWebview> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-hard-webview-'));
  await esbuild.build({
    entryPoints: { main: path.join(ROOT, 'webview/main.ts') },
    outdir: dir,
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    loader: { '.ttf': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  cpSync(path.join(ROOT, 'node_modules/@vscode/codicons/dist/codicon.css'), path.join(dir, 'codicon.css'));
  cpSync(path.join(ROOT, 'node_modules/@vscode/codicons/dist/codicon.ttf'), path.join(dir, 'codicon.ttf'));
  mkdirSync(path.join(dir, 'katex'), { recursive: true });
  cpSync(path.join(ROOT, 'node_modules/katex/dist/katex.min.css'), path.join(dir, 'katex', 'katex.min.css'));
  cpSync(path.join(ROOT, 'node_modules/katex/dist/fonts'), path.join(dir, 'katex', 'fonts'), { recursive: true, filter: (f) => !/\.(?:woff|ttf)$/.test(f) });
  const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.woff2': 'font/woff2' };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://${req.headers.host}`;
    if (url.pathname === '/panel.html') {
      let html = webviewHtml({ cspSource: origin, script: `${origin}/main.js`, styles: [`${origin}/codicon.css`, `${origin}/katex/katex.min.css`, `${origin}/main.css`] });
      // Without the CSP, the sanitizer stands alone: anything it lets through would really run.
      if (url.searchParams.get('csp') === 'off') html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    const file = path.join(dir, path.normalize(url.pathname));
    if (!file.startsWith(dir + path.sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    dir,
    origin,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

declare global {
  interface Window {
    __pwned(id?: unknown): void;
    __pwnedCalls: string[];
    __violations: string[];
    __posted: unknown[];
  }
}

/** Runs before any page script. A string, so tsx adds no helpers the page lacks. */
const TRAP = `(() => {
  window.__pwnedCalls = [];
  window.__violations = [];
  window.__posted = [];
  const record = (id) => { window.__pwnedCalls.push(String(id)); };
  Object.defineProperty(window, '__pwned', { value: record, writable: false, configurable: false });
  // Reached from inside frames too (parent.__pwned, top.__pwned).
  document.addEventListener('securitypolicyviolation', (e) => {
    // A violation whose element is not in the page (target: the document) comes from an inert document, such as
    // the one DOMPurify parses markup into: nothing there can run, CSP or not.
    const inert = e.target === document ? ' (not in the page)' : '';
    window.__violations.push(e.violatedDirective + inert + ' ' + (e.blockedURI || '(inline)') + ' ' + (e.sample || '') + (e.violatedDirective.startsWith('script') ? ' at ' + e.sourceFile + ':' + e.lineNumber : ''));
  });
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => { window.__posted.push(JSON.parse(JSON.stringify(message))); },
    getState: () => undefined,
    setState: (state) => state,
  });
})();`;

/** A string, so tsx adds no helpers (__name) the page lacks. */
const DANGEROUS_DOM = `(() => {
  const found = [];
  const ws = '[\\\\s\\\\u0000-\\\\u001f]*';
  const scriptUrl = new RegExp('^' + ws + '(?:' + 'javascript'.split('').join(ws) + '|vbscript|data|file)' + ws + ':', 'i');
  const urlAttrs = new Set(['href', 'xlink:href', 'src', 'action', 'formaction', 'data', 'srcdoc', 'background', 'poster', 'ping', 'codebase', 'cite']);
  const ours = document.querySelector('script[nonce]');
  const walk = (root) => {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      const tag = el.tagName.toLowerCase();
      if (tag === 'script' && el !== ours) found.push('<script> ' + el.outerHTML.slice(0, 120));
      // KaTeX draws with <svg> (stretchy glyphs) and writes MathML for screen readers, through the DOM, not markup.
      const katex = (tag === 'svg' || tag === 'math') && el.closest('.katex');
      if (['iframe', 'frame', 'object', 'embed', 'base', 'form', 'svg', 'math', 'style'].includes(tag) && el.closest('#log') && !katex) {
        found.push('<' + tag + '> in the conversation');
      }
      // A diagram is an SVG image (inert whatever it holds); still, nothing script-like may be in it.
      if (tag === 'img' && (el.getAttribute('src') || '').toLowerCase().startsWith('data:image/svg+xml')) {
        const svg = decodeURIComponent((el.getAttribute('src') || '').replace(/^[^,]*,/, ''));
        // Tags only: a label's text (escaped) may well say "onerror=".
        for (const t of svg.match(/<[a-zA-Z][^>]*>/g) || []) {
          if (/^<(?:script|iframe|object|embed|frame)\\b|\\son[a-z]+\\s*=|javascript:|vbscript:|(?:href|src)\\s*=\\s*["']?\\s*data:text/i.test(t)) found.push('diagram SVG with ' + t.slice(0, 80));
        }
      }
      if (tag === 'meta' && (el.getAttribute('http-equiv') || '').toLowerCase() === 'refresh') found.push('<meta refresh>');
      for (const attr of Array.from(el.attributes)) {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on')) found.push(tag + '[' + name + ']');
        // data: images cannot run script; everything else with a script-capable scheme can.
        const media = ['img', 'audio', 'video', 'source', 'track', 'image'].includes(tag) && name === 'src' && /^data:image\\//i.test(attr.value.trim());
        if (urlAttrs.has(name) && scriptUrl.test(attr.value) && !media) found.push(tag + '[' + name + '=' + attr.value.slice(0, 60) + ']');
      }
      if (el.shadowRoot) walk(el.shadowRoot);
      // A <template> is inert, but look inside it too.
      if (tag === 'template') walk(el.content);
    }
  };
  walk(document);
  return found;
})()`;

export interface TrappedPanel {
  page: Page;
  navigations: string[];
  /** Requests outside the page's own origin (data: URLs aside). */
  requests: string[];
  popups: number;
  pageErrors: string[];
  /** Delivers host messages one by one, letting an animation frame pass after every few stream events. */
  deliver(messages: HostMessage[]): Promise<void>;
  pwned(): Promise<string[]>;
  violations(): Promise<string[]>;
  posted(): Promise<Array<{ type: string; [k: string]: unknown }>>;
  clearPosted(): Promise<void>;
  /** What in the page could run code: script elements besides ours, on* attributes, script-capable URLs. */
  dangerousDom(): Promise<string[]>;
}

export async function openTrappedPanel(browser: Browser, origin: string, csp: 'on' | 'off'): Promise<TrappedPanel> {
  // Tall, so that the message log (virtualized) has every reply of a batch in the DOM, diagrams included.
  const page = await browser.newPage({ viewport: { width: 700, height: 9000 } });
  page.setDefaultTimeout(10_000);
  await page.addInitScript({ content: TRAP });
  const navigations: string[] = [];
  const requests: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(origin + '/') && !r.url().startsWith('data:')) requests.push(r.url());
  });
  let popups = 0;
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('popup', () => popups++);
  await page.goto(`${origin}/panel.html?csp=${csp}`);
  page.on('framenavigated', (frame) => navigations.push(frame.url()));
  await page.waitForFunction(() => window.__posted.some((m) => (m as { type?: string }).type === 'ready'));
  const panel: TrappedPanel = {
    page,
    navigations,
    requests,
    get popups() { return popups; },
    pageErrors,
    async deliver(messages) {
      const wire = messages.map((m) => {
        const json = JSON.parse(JSON.stringify(m));
        const parsed = parseHostMessage(json);
        if (!parsed.ok) throw new Error(`not a valid host message: ${parsed.error}`);
        return json;
      });
      await page.evaluate(async (list) => {
        let streamed = 0;
        for (const m of list) {
          window.postMessage(m, '*');
          // A few deltas per frame, like a real stream: every frame renders a different cut of the text.
          if (++streamed % 5 === 0) await new Promise((r) => requestAnimationFrame(() => r(undefined)));
        }
        await new Promise((r) => requestAnimationFrame(() => r(undefined)));
      }, wire);
    },
    pwned: () => page.evaluate(() => window.__pwnedCalls.slice()),
    violations: () => page.evaluate(() => window.__violations.slice()),
    posted: () => page.evaluate(() => window.__posted.slice() as Array<{ type: string }>),
    clearPosted: () => page.evaluate(() => void (window.__posted = [])),
    dangerousDom: () => page.evaluate(DANGEROUS_DOM) as Promise<string[]>,
  };
  return panel;
}
