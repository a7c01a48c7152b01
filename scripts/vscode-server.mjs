// One implementation of "run code-server (VS Code 1.139 in a browser) for Parley", shared by
// `npm start` (scripts/start.mjs) and the e2e harness (test/e2e/harness.ts).
// Facts behind the flags and settings: /work/shared/real-vscode.md.
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  createWriteStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync,
  unlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, codeServerEntry, ensureRuntime } from './runtime.mjs';

export { chromiumPath };

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultVsix = join(repoRoot, 'dist', 'parley.vsix');
export const sampleWorkspace = join(repoRoot, 'test', 'e2e', 'sample-workspace');

export { ensureRuntime };

/** Settings every run starts with: quiet, offline, no AI features of VS Code's own. */
export const baseSettings = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  // The sample workspace sits inside this repo: without this a toast covers the chat input.
  'git.openRepositoryInParentFolders': 'never',
};

/** Flags for Chromium driving the workbench (Playwright rejects --user-data-dir here). */
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Paths inside a run dir. Everything a session writes stays below it. */
export function runPaths(runDir) {
  return {
    runDir,
    home: join(runDir, 'home'),
    config: join(runDir, 'xdg-config'),
    data: join(runDir, 'xdg-data'),
    cache: join(runDir, 'xdg-cache'),
    tmp: join(runDir, 'tmp'),
    userData: join(runDir, 'ud'),
    extensions: join(runDir, 'ext'),
    browserProfile: join(runDir, 'browser'),
    configYaml: join(runDir, 'config.yaml'),
    settingsJson: join(runDir, 'ud', 'User', 'settings.json'),
    serverLog: join(runDir, 'code-server.log'),
  };
}

/**
 * Creates the run dir layout, config.yaml and ud/User/settings.json.
 * Existing settings.json keys are kept (so `npm start` keeps the user's changes); `settings` wins over both.
 */
export function prepareRunDir(runDir, { port, settings = {} } = {}) {
  const p = runPaths(resolve(runDir));
  for (const d of [p.home, p.config, p.data, p.cache, p.extensions, dirname(p.settingsJson)]) {
    mkdirSync(d, { recursive: true });
  }
  ensureShortTmp(p.tmp);
  writeFileSync(p.configYaml, `bind-addr: 127.0.0.1:${port ?? 0}\nauth: none\ncert: false\n`);
  let existing = {};
  if (existsSync(p.settingsJson)) {
    try { existing = JSON.parse(readFileSync(p.settingsJson, 'utf8')); } catch { existing = {}; }
  }
  writeFileSync(p.settingsJson, JSON.stringify({ ...baseSettings, ...existing, ...settings }, null, 2) + '\n');
  return p;
}

/**
 * RUN/tmp is a symlink to a fresh short dir in the system temp dir: Chromium and VS Code put unix sockets
 * in TMPDIR, and a socket path must stay under ~107 bytes (a deep run dir breaks Chromium: "Socket path
 * too long"). Recreated when its target is gone (e.g. after a reboot for the persistent `npm start` dir).
 */
function ensureShortTmp(link) {
  let stat;
  try { stat = lstatSync(link); } catch { stat = undefined; }
  if (stat?.isSymbolicLink() && existsSync(link)) return;
  if (stat?.isSymbolicLink()) unlinkSync(link);
  else if (stat) rmSync(link, { recursive: true, force: true });
  symlinkSync(mkdtempSync(join(tmpdir(), 'parley-')), link);
}

/** Removes RUN/tmp's target (the short temp dir); the symlink stays, dangling, for the record. */
export function removeRunTmp(runDir) {
  const link = runPaths(resolve(runDir)).tmp;
  try { rmSync(realpathSync(link), { recursive: true, force: true }); } catch { /* already gone */ }
}

/** Environment for code-server (and Chromium): own HOME, XDG dirs and TMPDIR. */
export function runEnv(runDir, extra = {}) {
  const p = runPaths(resolve(runDir));
  return {
    ...process.env,
    HOME: p.home,
    XDG_CONFIG_HOME: p.config,
    XDG_DATA_HOME: p.data,
    XDG_CACHE_HOME: p.cache,
    TMPDIR: existsSync(p.tmp) ? realpathSync(p.tmp) : p.tmp,
    ...extra,
  };
}

/** Installs a .vsix into RUN/ext (~1-3 s). */
export async function installExtension(runDir, vsix, { env } = {}) {
  if (!existsSync(vsix)) {
    throw new Error(`Extension package ${vsix} is missing: run \`npm run package\` first.`);
  }
  const { codeServerEntry, node } = ensureRuntime();
  const p = runPaths(resolve(runDir));
  const args = [codeServerEntry, '--config', p.configYaml, '--user-data-dir', p.userData,
    '--extensions-dir', p.extensions, '--install-extension', resolve(vsix), '--force'];
  await new Promise((ok, fail) => {
    execFile(node, args, { env: env ?? runEnv(runDir), timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) fail(new Error(`code-server --install-extension failed: ${err.message}\n${stdout}\n${stderr}`));
      else ok();
    });
  });
}

/** code-server argv (after the entry script). Binds 127.0.0.1 only. */
export function serverArgs(runDir, { port, workspace }) {
  const p = runPaths(resolve(runDir));
  const args = ['--config', p.configYaml, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--user-data-dir', p.userData, '--extensions-dir', p.extensions];
  if (workspace) args.push(resolve(workspace));
  return args;
}

/**
 * Starts code-server in its own process group; stdout+stderr go to RUN/code-server.log.
 * Resolves once /healthz answers. Returns { child, port, exited, url(folder), stop() }.
 */
export async function startServer(runDir, { port, workspace, env, timeoutMs = 60_000 }) {
  const { codeServerEntry, node } = ensureRuntime();
  const p = runPaths(resolve(runDir));
  // Otherwise /healthz of whatever already listens there would pass for ours.
  if (!(await portIsFree(port))) throw new Error(`127.0.0.1:${port} is already in use`);
  const log = createWriteStream(p.serverLog, { flags: 'a' });
  const child = spawn(node, [codeServerEntry, ...serverArgs(runDir, { port, workspace })], {
    env: env ?? runEnv(runDir), cwd: p.home, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  liveGroups.add(child.pid);
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  child.once('close', () => log.end()); // after both pipes drained
  const server = {
    child,
    port,
    exited,
    url: (folder) => `http://127.0.0.1:${port}/`
      + (folder ? `?folder=${encodeURIComponent(resolve(folder)).replace(/%2F/g, '/')}` : ''),
    stop: () => stopProcessGroup(child, exited),
  };
  try {
    await waitForHealthz(port, { timeoutMs, exited });
  } catch (e) {
    await server.stop();
    throw new Error(`${e.message} (log: ${p.serverLog})`);
  }
  return server;
}

/** Polls http://127.0.0.1:PORT/healthz until it answers 200, the process exits, or the deadline passes. */
export async function waitForHealthz(port, { timeoutMs = 60_000, exited } = {}) {
  const deadline = Date.now() + timeoutMs;
  let gone = null;
  exited?.then((r) => { gone = r; });
  while (Date.now() < deadline) {
    if (gone) throw new Error(`code-server exited before it was healthy (code ${gone.code}, signal ${gone.signal})`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch { /* not up yet */ }
    await delay(150);
  }
  throw new Error(`code-server did not answer /healthz on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** Whether 127.0.0.1:PORT can be listened on right now. */
export function portIsFree(port) {
  return new Promise((ok) => {
    const srv = createServer();
    srv.once('error', () => ok(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => ok(true)));
  });
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

// code-server runs detached (own process group), so a dying parent would leave it behind: kill what is
// still running when this process exits (also via process.exit() from a signal handler, e.g. Playwright's).
const liveGroups = new Set();
const graceMsDefault = 5000;
process.on('exit', () => {
  for (const pgid of liveGroups) { try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ } }
});

/** SIGTERM to the whole process group, SIGKILL after graceMs; resolves when the leader has exited. */
export async function stopProcessGroup(child, exited, { graceMs = graceMsDefault } = {}) {
  const kill = (sig) => {
    try { process.kill(-child.pid, sig); } catch { /* group gone */ }
  };
  if (child.exitCode === null && child.signalCode === null) kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  kill('SIGKILL'); // stragglers in the group (extension host, pty host, watchers)
  const deadline = Date.now() + graceMs;
  while (groupAlive(child.pid) && Date.now() < deadline) await delay(50);
  liveGroups.delete(child.pid);
}

function groupAlive(pgid) {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

export const delay = (ms) => new Promise((ok) => setTimeout(ok, ms));
