// E2E harness: a real VS Code 1.139 (code-server) with Parley installed, driven by headless Chromium.
// Used by test/e2e/*.e2e.ts and by the benchmark. Every wait polls against a deadline; no fixed sleeps.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import {
  chromiumArgs, chromiumPath, defaultVsix, delay, ensureRuntime, freePort, installExtension,
  prepareRunDir, removeRunTmp, repoRoot, runEnv, startServer, type CodeServer, type RunPaths,
} from '../../scripts/vscode-server.mjs';

export { sampleWorkspace } from '../../scripts/vscode-server.mjs';

/** Re-reads `read` until `done` holds (the condition itself, polled every 50 ms), or fails with the last value. */
/** Polls `read` until `done` holds; on timeout the error names `what` and shows the last value read. */
export async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, what = 'the condition', timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Types `text` into the panel's input and sends it with Enter, until the panel shows it as its last message of
 * yours. Closing a diff's editor group lays the window out again, and the panel may lose the key press meanwhile
 * (the draft stays): then Enter is pressed again on it. The log is virtualized, so the check is the last user
 * message's text, not how many are in the DOM.
 */
export async function sendInPanel(panel: FrameLocator, text: string): Promise<void> {
  const lastMine = () => panel.locator('article.message.user').last().innerText().catch(() => '');
  const before = await lastMine();
  const prompt = panel.locator('textarea#prompt');
  await prompt.fill(text);
  for (let attempt = 0; attempt < 3; attempt++) {
    await prompt.press('Enter');
    const sent = await until(lastMine, (t) => t !== before && t.includes(text), 'the message to be sent', 10_000).then(() => true, () => false);
    if (sent) return;
    if ((await prompt.inputValue()) !== text) throw new Error(`"${text}" left the input but is not shown as sent`);
  }
  throw new Error(`"${text}" was never sent`);
}

/** The tool card of `callId` in the panel, once it shows `status`. */
export async function toolCardIn(panel: FrameLocator, callId: string, status: string) {
  const card = panel.locator(`.tool-card[data-call-id="${callId}"]`);
  await until(() => card.getAttribute('data-status').catch(() => null), (s) => s === status, `${callId} to be ${status}`);
  return card;
}

export interface StartOptions {
  workspace: string;
  settings?: Record<string, unknown>;
  /** Extra environment for code-server (and so the extension host). */
  env?: Record<string, string>;
  /** Run dir prefix: .test-artifacts/e2e/<name>-<time>/ */
  name?: string;
  /** Extension package to install; default $PARLEY_VSIX, else dist/parley.vsix. */
  vsix?: string;
  /** Further extension packages to install beside Parley (test extensions). */
  extraVsix?: string[];
  /** Deadline for the whole start (server, extension install, workbench). */
  timeoutMs?: number;
}

export type WebviewChoice = 'active' | 'last' | 'first' | number;
export interface ConsoleEntry { type: string; text: string; at: number }

export interface Session {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly runDir: string;
  readonly paths: RunPaths;
  readonly url: string;
  readonly console: ConsoleEntry[];
  /** How long startVsCode took (install, server, browser, workbench visible). */
  readonly startMs: number;
  /**
   * Runs a palette command by its full title ("Parley: Start Chat"), retrying until the host registered it.
   * `keyboard`: no click at all (arrows to the exact row, then Enter), for keyboard-only tests.
   */
  runCommand(title: string, opts?: { timeoutMs?: number; keyboard?: boolean }): Promise<void>;
  /**
   * The inner frame of a webview. `which`: 'active' (default; the last visible one, i.e. the shown tab),
   * 'last' (most recently created, shown or not, with retainContextWhenHidden), 'first', or an index.
   */
  webview(opts?: { which?: WebviewChoice }): FrameLocator;
  /** Types into the open quick input (input box, password box) and presses Enter. */
  quickInputType(text: string, opts?: { timeoutMs?: number }): Promise<void>;
  /** Picks the row labelled `label` in the open quick pick. */
  quickPick(label: string, opts?: { timeoutMs?: number }): Promise<void>;
  /** Saves RUN/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /**
   * Reloads the workbench and waits for it again: as the browser's reload (F5) by default, or with `command` through
   * VS Code's "Developer: Reload Window", which saves the workbench's state first (webviews' `setState` included: after
   * an F5, code-server has only what its last periodic save, every 60 s, wrote).
   */
  reload(opts?: { timeoutMs?: number; command?: boolean }): Promise<void>;
  /** Process ids of the extension host(s) of this session's code-server (to kill one in a test). */
  extensionHostPids(): number[];
  /** Closes the browser, stops code-server (whole process group), deletes the browser profile; safe to call twice. */
  close(): Promise<void>;
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_ROW = '.quick-input-widget .quick-input-list .monaco-list-row';

// Ctrl+C / SIGTERM during a run: exit, so the 'exit' hooks kill code-server (scripts/vscode-server.mjs)
// and Chromium (Playwright), and remove the sessions' temp dirs. Without a handler Node would die
// without running them.
const liveRunDirs = new Set<string>();
let processHooked = false;
function hookProcessExit() {
  if (processHooked) return;
  processHooked = true;
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  process.on('exit', () => liveRunDirs.forEach(removeRunTmp));
}

export async function startVsCode(opts: StartOptions): Promise<Session> {
  hookProcessExit();
  const t0 = Date.now();
  const vsix = resolve(opts.vsix ?? process.env.PARLEY_VSIX ?? defaultVsix);
  const timeoutMs = opts.timeoutMs ?? 90_000;
  ensureRuntime(); // throws a clear error if the runtime is missing and cannot be installed
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = join(repoRoot, '.test-artifacts', 'e2e', `${opts.name ?? 'session'}-${stamp}`);
  const port = await freePort();
  // Tests reach nothing beyond 127.0.0.1: no models.dev catalog fetch (the packaged copy is used).
  const paths = prepareRunDir(runDir, { port, settings: { 'parley.modelCatalogUrl': '', ...opts.settings } });
  liveRunDirs.add(runDir);
  const env = runEnv(runDir, opts.env);

  let server: CodeServer | undefined;
  let context: BrowserContext | undefined;
  const close = async () => {
    const c = context, s = server;
    context = undefined; server = undefined;
    await c?.close().catch(() => {});
    await s?.stop();
    removeRunTmp(runDir);
    // The browser profile is ~15 MB and holds whatever keys a test stored; logs and screenshots stay.
    rmSync(paths.browserProfile, { recursive: true, force: true });
    liveRunDirs.delete(runDir);
  };
  try {
    await installExtension(runDir, vsix, { env });
    for (const extra of opts.extraVsix ?? []) await installExtension(runDir, extra, { env });
    server = await startServer(runDir, { port, workspace: opts.workspace, env, timeoutMs });
    mkdirSync(paths.browserProfile, { recursive: true });
    context = await chromium.launchPersistentContext(paths.browserProfile, {
      executablePath: chromiumPath(),
      headless: true,
      args: chromiumArgs,
      env: runEnv(runDir) as Record<string, string>,
      viewport: { width: 1280, height: 800 },
    });
    const page = context.pages()[0] ?? await context.newPage();
    const consoleLog: ConsoleEntry[] = [];
    page.on('console', (m) => consoleLog.push({ type: m.type(), text: m.text(), at: Date.now() }));
    page.on('pageerror', (e) => consoleLog.push({ type: 'pageerror', text: String(e), at: Date.now() }));
    const url = server.url(opts.workspace);
    await page.goto(url);
    await waitForWorkbench(page, timeoutMs);
    return makeSession({ page, context, runDir, paths, url, consoleLog, close, startMs: Date.now() - t0, serverPid: server.child.pid! });
  } catch (e) {
    await close();
    throw e;
  }
}

async function waitForWorkbench(page: Page, timeoutMs: number) {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

function makeSession(s: {
  page: Page; context: BrowserContext; runDir: string; paths: RunPaths; url: string;
  consoleLog: ConsoleEntry[]; close: () => Promise<void>; startMs: number; serverPid: number;
}): Session {
  const { page } = s;
  let closed = false;

  async function openPalette() {
    const input = page.locator(`${QUICK_INPUT} input.input`);
    if (!(await input.isVisible())) await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 5000 });
    return input;
  }

  async function runCommand(title: string, { timeoutMs = 90_000, keyboard = false } = {}) {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        const input = await openPalette();
        await input.fill('>' + title, { timeout: 3000 });
        // Exact title match; the label may be split by highlight spans, so compare text content.
        const row = page.locator(QUICK_ROW).filter({ has: page.locator('.label-name', { hasText: exact(title) }) });
        await row.first().waitFor({ state: 'visible', timeout: Math.min(1500, Math.max(500, deadline - Date.now())) });
        // Enter runs the focused row, which fuzzy matching may rank differently: click the exact one, or from the
        // keyboard, move the focus down to it first.
        if (keyboard) {
          const focusedRow = page.locator(`${QUICK_ROW}.focused .label-name`);
          for (let i = 0; i < 10 && !exact(title).test((await focusedRow.textContent().catch(() => '')) ?? ''); i++) await page.keyboard.press('ArrowDown');
          if (!exact(title).test((await focusedRow.textContent()) ?? '')) throw new Error(`no row "${title}" reached with the arrows`);
          await page.keyboard.press('Enter');
        } else await row.first().click({ timeout: 3000 }); // a palette closed meanwhile (focus moved) is opened again
        await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 2000 }).catch(() => {});
        return;
      } catch (e) {
        lastError = e;
        await page.keyboard.press('Escape').catch(() => {});
        await delay(250); // poll interval while the extension host registers its commands
      }
    }
    throw new Error(`Command "${title}" did not appear in the palette within ${timeoutMs} ms: ${String(lastError)}`);
  }

  function webview({ which = 'active' }: { which?: WebviewChoice } = {}): FrameLocator {
    const frames = page.locator('iframe.webview.ready');
    const outer = which === 'active' ? page.locator('iframe.webview.ready:visible').last()
      : which === 'last' ? frames.last() : which === 'first' ? frames.first() : frames.nth(which);
    return outer.contentFrame().locator('iframe#active-frame').contentFrame();
  }

  async function quickInputType(text: string, { timeoutMs = 10_000 } = {}) {
    const input = page.locator(`${QUICK_INPUT} input.input`);
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(text);
    await input.press('Enter');
  }

  async function quickPick(label: string, { timeoutMs = 10_000 } = {}) {
    const row = page.locator(QUICK_ROW).filter({ has: page.locator('.label-name', { hasText: exact(label) }) }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
  }

  async function screenshot(name: string) {
    const file = join(s.runDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    await page.screenshot({ path: file });
    return file;
  }

  async function reload({ timeoutMs = 60_000, command = false } = {}) {
    if (command) {
      const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: timeoutMs });
      await runCommand('Developer: Reload Window');
      await navigated;
    } else await page.reload();
    await waitForWorkbench(page, timeoutMs);
  }

  async function close() {
    if (closed) return;
    closed = true;
    await s.close();
  }

  function extensionHostPids(): number[] {
    const rows = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' }).split('\n');
    return rows
      .map((row) => row.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
      .filter((m): m is RegExpMatchArray => !!m && Number(m[2]) === s.serverPid && /extensionHost/.test(m[3]))
      .map((m) => Number(m[1]));
  }

  return {
    page, context: s.context, runDir: s.runDir, paths: s.paths, url: s.url, console: s.consoleLog, startMs: s.startMs,
    runCommand, webview, quickInputType, quickPick, screenshot, reload, extensionHostPids, close,
  };
}

/** Regex matching exactly `text` (label text may carry surrounding whitespace). */
function exact(text: string) {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
