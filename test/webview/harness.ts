// Loads the built webview (dist/webview) into headless Chromium the way VS Code does: the same CSP with a nonce,
// codicon.css + main.css + main.js, a stand-in acquireVsCodeApi that records what the panel posts, and theme
// variables of a dark and a light VS Code theme. Messages are JSON round-tripped both ways, like VS Code's.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { webviewHtml } from '../../src/host/webviewHtml';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseHostMessage, parseWebviewMessage, type HostMessage, type WebviewMessage } from '../../src/protocol';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist', 'webview');
const THEMES = path.join(__dirname, 'themes');
export const ARTIFACTS = path.join(ROOT, '.test-artifacts', 'webview');

export type Theme = 'dark' | 'light' | 'high-contrast';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.html': 'text/html',
};

/** The host's own HTML and CSP (src/host/webviewHtml.ts), with the test server as the webview's cspSource. */
function panelHtml(origin: string, theme: Theme): string {
  const html = webviewHtml({
    cspSource: origin,
    script: `${origin}/dist/main.js`,
    styles: [`${origin}/theme/vscode-defaults.css`, `${origin}/theme/${theme}.css`, `${origin}/dist/codicon.css`, `${origin}/dist/katex/katex.min.css`, `${origin}/dist/main.css`],
  });
  return html.replace('<body>', `<body class="vscode-${theme}" data-vscode-theme-kind="vscode-${theme}">`);
}

let server: Promise<{ server: Server; origin: string }> | undefined;

const BUNDLE_FILES = ['main.js', 'main.css', 'codicon.css', 'codicon.ttf', 'katex', 'chunks'];

/**
 * A private copy of dist/webview, so a rebuild running at the same time (esbuild.mjs empties dist first) cannot
 * pull files from under a test. Waits a little for a rebuild in progress to finish.
 */
async function snapshotDist(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-webview-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  for (let attempt = 0; ; attempt++) {
    try {
      for (const file of BUNDLE_FILES) cpSync(path.join(DIST, file), path.join(dir, file), { recursive: true });
      return dir;
    } catch (err) {
      if (attempt >= 40) throw new Error(`dist/webview is incomplete (${(err as Error).message}): run \`node esbuild.mjs\` first`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** One HTTP server per test process, on 127.0.0.1, serving the panel page, the bundle and the themes. */
export function startServer(): Promise<{ server: Server; origin: string }> {
  server ??= snapshotDist().then((bundle) => new Promise((resolve, reject) => {
    const srv = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const origin = `http://${req.headers.host}`;
      try {
        if (url.pathname === '/favicon.ico') {
          res.writeHead(204).end();
          return;
        }
        if (url.pathname === '/panel.html') {
          const asked = url.searchParams.get('theme');
          const theme: Theme = asked === 'light' || asked === 'high-contrast' ? asked : 'dark';
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
          res.end(panelHtml(origin, theme));
          return;
        }
        const [, dir, ...rest] = url.pathname.split('/');
        const base = dir === 'dist' ? bundle : dir === 'theme' ? THEMES : undefined;
        const file = base && path.join(base, ...rest);
        if (!file || !file.startsWith(base) || !existsSync(file)) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(readFileSync(file));
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    });
    srv.listen(0, '127.0.0.1', () => {
      srv.unref();
      resolve({ server: srv, origin: `http://127.0.0.1:${(srv.address() as AddressInfo).port}` });
    });
    srv.on('error', reject);
  }));
  return server;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

declare global {
  interface Window {
    __posted: unknown[];
    __viewState: unknown;
    __csp: string[];
    __acquired: number;
  }
}

/**
 * Runs in the page before any of its scripts: the stand-in for VS Code's webview API. A string, not a function:
 * tsx's transform would add helpers to a function's source that do not exist in the page.
 */
function vsCodeStandIn(initialState: unknown): string {
  return `(() => {
  window.__posted = [];
  window.__viewState = ${JSON.stringify(initialState ?? null)} ?? undefined;
  window.__csp = [];
  window.__acquired = 0;
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber + ' ' + e.sample);
  });
  window.acquireVsCodeApi = () => {
    // VS Code allows one call per page.
    if (window.__acquired++) throw new Error('An instance of the VS Code API has already been acquired');
    return {
      // VS Code serializes messages as JSON on their way to the host.
      postMessage: (message) => { window.__posted.push(JSON.parse(JSON.stringify(message))); },
      getState: () => window.__viewState,
      setState: (state) => { window.__viewState = JSON.parse(JSON.stringify(state)); return state; },
    };
  };
})();`;
}

export interface PanelOptions {
  theme?: Theme;
  width?: number;
  height?: number;
  /** What getState() returns (a reloaded webview). */
  viewState?: unknown;
}

export class Panel {
  readonly errors: string[] = [];

  constructor(readonly page: Page, readonly theme: Theme) {
    page.on('pageerror', (err) => this.errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.errors.push(`console: ${msg.text()}`);
    });
  }

  /** Posts host messages to the panel as VS Code would (JSON, validated against the protocol first). */
  async deliver(...messages: HostMessage[]): Promise<void> {
    const wire = messages.map((m) => {
      const json = JSON.parse(JSON.stringify(m));
      const parsed = parseHostMessage(json);
      if (!parsed.ok) throw new Error(`Test fixture is not a valid host message: ${parsed.error}`);
      return json;
    });
    await this.page.evaluate((list) => {
      for (const m of list) window.postMessage(m, '*');
    }, wire);
    await this.frames(2);
  }

  /** Waits for `n` animation frames (message events are handled before the next frame). */
  async frames(n = 2): Promise<void> {
    await this.page.evaluate(async (count) => {
      for (let i = 0; i < count; i++) await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    }, n);
  }

  /** Everything the panel posted so far, each checked against the protocol's schema. */
  async posted(type?: WebviewMessage['type']): Promise<WebviewMessage[]> {
    const raw = await this.page.evaluate(() => window.__posted);
    return raw.map((m) => {
      const parsed = parseWebviewMessage(m);
      if (!parsed.ok) throw new Error(`The panel posted an invalid message ${JSON.stringify(m)}: ${parsed.error}`);
      return parsed.value;
    }).filter((m) => !type || m.type === type);
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => (window.__posted = []));
  }

  /** Waits until a message of `type` (matching `where`) was posted and returns it. */
  async waitForPosted<T extends WebviewMessage['type']>(type: T, where: (m: Extract<WebviewMessage, { type: T }>) => boolean = () => true, timeoutMs = 3000): Promise<Extract<WebviewMessage, { type: T }>> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.posted(type)).find((m) => where(m as Extract<WebviewMessage, { type: T }>));
      if (found) return found as Extract<WebviewMessage, { type: T }>;
      if (Date.now() > end) throw new Error(`The panel did not post "${type}" within ${timeoutMs} ms; it posted: ${JSON.stringify(await this.posted())}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async viewState(): Promise<unknown> {
    return this.page.evaluate(() => window.__viewState);
  }

  async cspViolations(): Promise<string[]> {
    return this.page.evaluate(() => window.__csp);
  }

  /** Saves a PNG into .test-artifacts/webview/<name>-<theme>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}-${this.theme}.png`);
    await this.frames(2);
    await this.page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    return file;
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

/** Opens the panel page in a fresh page of `browser`; resolves once the panel has posted `ready`. */
export async function openPanel(browser: Browser, options: PanelOptions = {}): Promise<Panel> {
  const { origin } = await startServer();
  const theme = options.theme ?? 'dark';
  const page = await browser.newPage({ viewport: { width: options.width ?? 460, height: options.height ?? 760 }, deviceScaleFactor: 1 });
  page.setDefaultTimeout(5000);
  await page.addInitScript({ content: vsCodeStandIn(options.viewState) });
  const panel = new Panel(page, theme);
  await page.goto(`${origin}/panel.html?theme=${theme}`);
  await panel.waitForPosted('ready');
  // Fonts (codicons) must be in before screenshots and layout checks.
  await page.evaluate(() => document.fonts.ready);
  return panel;
}

/**
 * The hooks of a webview test file: one browser per `describe`, a fresh panel per test (handed to `opened`, which
 * may prepare it), a screenshot when a test fails, and no page errors allowed.
 */
export function eachTestPanel(opened: (panel: Panel, browser: Browser) => void | Promise<void>): void {
  let browser: Browser;
  let panel: Panel | undefined;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    panel = await openPanel(browser);
    await opened(panel, browser);
  });
  afterEach(async function () {
    if (!panel) return;
    const current = panel;
    panel = undefined;
    if (this.currentTest?.state === 'failed') await current.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
    await current.close();
    assert.deepEqual(current.errors, [], 'no page errors');
  });
}
