// The built webview in headless Chromium, loaded the way VS Code loads it (the host's own HTML and CSP, codicon.css
// + main.css + main.js, a stand-in acquireVsCodeApi), like test/webview/harness.ts. Its own small server so the
// bench also serves its naive renderer, and it serves the bench's snapshot of dist/webview (lib/dist.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { webviewHtml } from '../../src/host/webviewHtml';
import { ROOT } from './util';

const THEMES = path.join(ROOT, 'test', 'webview', 'themes');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

/** The host's own HTML and CSP (src/host/webviewHtml.ts), dark theme, with `script` as the bundle. */
function pageHtml(origin: string, script: string): string {
  const html = webviewHtml(
    {
      cspSource: origin,
      script: `${origin}${script}`,
      styles: [`${origin}/theme/vscode-defaults.css`, `${origin}/theme/dark.css`, `${origin}/dist/codicon.css`, `${origin}/dist/main.css`],
    },
    'Parley bench',
  );
  return html.replace('<body>', '<body class="vscode-dark" data-vscode-theme-kind="vscode-dark">');
}

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves /panel.html (the real bundle), /naive.html (the bench's naive renderer), /dist, /bench and /theme. */
export async function startPageServer(webviewDir: string, benchBuildDir: string): Promise<PageServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://${req.headers.host}`;
    if (url.pathname === '/panel.html' || url.pathname === '/naive.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(pageHtml(origin, url.pathname === '/panel.html' ? '/dist/main.js' : '/bench/naive.js'));
      return;
    }
    const [, dir, ...rest] = url.pathname.split('/');
    const base = dir === 'dist' ? webviewDir : dir === 'theme' ? THEMES : dir === 'bench' ? benchBuildDir : undefined;
    const file = base && path.join(base, ...rest);
    if (!base || !file || !file.startsWith(base) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
}

/**
 * Runs in the page before its scripts: VS Code's webview API stand-in (messages JSON round-tripped, as VS Code
 * does), a long-task observer, and `__bench` helpers. A string, not a function: tsx would add helpers to a
 * function's source that do not exist in the page.
 */
const INIT = `(() => {
  window.__posted = [];
  window.__longtasks = [];
  window.__errors = [];
  window.addEventListener('error', (e) => window.__errors.push(String(e.message)));
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__errors.push('no longtask observer: ' + e); }
  let acquired = 0;
  window.acquireVsCodeApi = () => {
    if (acquired++) throw new Error('An instance of the VS Code API has already been acquired');
    let state;
    return {
      postMessage: (message) => { window.__posted.push(JSON.parse(JSON.stringify(message))); },
      getState: () => state,
      setState: (s) => { state = JSON.parse(JSON.stringify(s)); return s; },
    };
  };
})();`;

export interface BenchPage {
  page: Page;
  cdp: CDPSession;
  close(): Promise<void>;
}

/** Opens `/panel.html` or `/naive.html`; for the panel, resolves once it posted `ready`. */
export async function openPage(browser: Browser, origin: string, which: 'panel' | 'naive', viewport = { width: 460, height: 760 }): Promise<BenchPage> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  page.setDefaultTimeout(120_000);
  await page.addInitScript({ content: INIT });
  await page.goto(`${origin}/${which}.html`);
  if (which === 'panel') await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
  else await page.waitForFunction(() => !!(window as unknown as { __naiveReady?: boolean }).__naiveReady);
  await page.evaluate(() => document.fonts.ready);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  return { page, cdp, close: () => page.close() };
}

/** Main-thread busy time so far (Chromium's TaskDuration metric), in ms. */
export async function taskMs(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

export async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** Runs `fn` while Chromium traces `traceConfig`; returns its result and the trace events. */
async function collectTrace<T, E = object>(cdp: CDPSession, traceConfig: Record<string, unknown>, fn: () => Promise<T>): Promise<{ result: T; events: E[] }> {
  const events: E[] = [];
  const onData = (e: { value: object[] }) => events.push(...(e.value as E[]));
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig });
  try {
    return { result: await fn(), events };
  } finally {
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await done;
    cdp.off('Tracing.dataCollected', onData);
  }
}

/** Records a Chromium performance trace (devtools timeline + V8 sampling profile) around `fn` into `file`. */
export async function traced<T>(cdp: CDPSession, file: string, fn: () => Promise<T>): Promise<T> {
  const { result, events } = await collectTrace(
    cdp,
    { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler', 'toplevel', 'blink.user_timing'] },
    fn,
  );
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ traceEvents: events }));
  return result;
}

/** Records a V8 CPU profile (1 ms sampling, less perturbing than a trace) around `fn` into `file` (.cpuprofile). */
export async function profiled<T>(cdp: CDPSession, file: string, fn: () => Promise<T>): Promise<T> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await cdp.send('Profiler.stop');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
  }
}

export interface TaskStats {
  tasks: number;
  /** Longest main-thread task: wall time, and the thread's CPU time in it. */
  maxWallMs: number;
  maxCpuMs: number;
  over50Wall: number;
  over50Cpu: number;
  cpuMs: number;
  /** Main-thread CPU per rendered frame: every task since the previous frame, up to and with this frame's. */
  frameCpuMs: number[];
}

/**
 * Runs `fn` under a light trace (the 'toplevel' category: one event per task) and returns the page's main
 * thread task statistics, with CPU time per task, which other processes on the machine do not inflate.
 */
export async function withTaskStats<T>(cdp: CDPSession, fn: () => Promise<T>): Promise<{ result: T; stats: TaskStats }> {
  type TaskEvent = { pid: number; tid: number; ph: string; name: string; ts: number; dur?: number; tdur?: number; args?: { name?: string; src_func?: string } };
  const { result, events } = await collectTrace<T, TaskEvent>(cdp, { includedCategories: ['toplevel'], excludedCategories: ['*'] }, fn);
  const threads = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const tasksOf = (t: { pid: number; tid: number }) => events.filter((e) => e.pid === t.pid && e.tid === t.tid && e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask'));
  let main: typeof events = [];
  for (const t of threads) {
    const list = tasksOf(t);
    if (list.length > main.length) main = list;
  }
  main.sort((a, b) => a.ts - b.ts);
  const frameCpuMs: number[] = [];
  let sinceFrame = 0;
  for (const e of main) {
    sinceFrame += (e.tdur ?? e.dur ?? 0) / 1000;
    // The main thread's frame task is the one the compositor posts from ScheduledActionSendBeginMainFrame.
    if (e.args?.src_func === 'ScheduledActionSendBeginMainFrame') {
      frameCpuMs.push(sinceFrame);
      sinceFrame = 0;
    }
  }
  const wall = main.map((e) => (e.dur ?? 0) / 1000);
  const cpu = main.map((e) => (e.tdur ?? e.dur ?? 0) / 1000);
  return {
    result: result!,
    stats: {
      tasks: main.length,
      maxWallMs: Math.max(0, ...wall),
      maxCpuMs: Math.max(0, ...cpu),
      over50Wall: wall.filter((x) => x >= 50).length,
      over50Cpu: cpu.filter((x) => x >= 50).length,
      cpuMs: cpu.reduce((a, b) => a + b, 0),
      frameCpuMs,
    },
  };
}
