// `npm start`: runs VS Code (code-server, offline) with Parley installed and the sample workspace open,
// and prints the URL to open in a browser. State lives in .runtime/start/ so keys and history survive
// restarts (keys are stored by the browser profile you open it with). Ctrl+C stops the server.
// Port: $PARLEY_PORT (default 8765). Always binds 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultVsix, ensureRuntime, installExtension, portIsFree, prepareRunDir, removeRunTmp, repoRoot, runEnv, runPaths,
  sampleWorkspace, startServer,
} from './vscode-server.mjs';
import { runtimeDir } from './runtime.mjs';

const port = Number(process.env.PARLEY_PORT || 8765);
const runDir = join(runtimeDir, 'start');

try {
  await main();
} catch (e) {
  console.error(`[start] ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}

async function main() {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`bad PARLEY_PORT: ${process.env.PARLEY_PORT}`);
  if (!(await portIsFree(port))) {
    throw new Error(`127.0.0.1:${port} is already in use (another \`npm start\`?); set PARLEY_PORT to use another port`);
  }
  const stale = staleBecause();
  if (stale) {
    console.log(`[start] ${stale}: running \`npm run package\``);
    const npmCli = process.env.npm_execpath;
    const [cmd, args] = npmCli && npmCli.endsWith('.js')
      ? [process.execPath, [npmCli, 'run', 'package']]
      : ['npm', ['run', 'package']];
    execFileSync(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
  }

  ensureRuntime();
  prepareRunDir(runDir, { port });
  const env = runEnv(runDir);
  await installExtension(runDir, defaultVsix, { env });
  const log = runPaths(runDir).serverLog;
  console.log(`[start] starting code-server on 127.0.0.1:${port} (log: ${log})`);
  const server = await startServer(runDir, { port, workspace: sampleWorkspace, env });

  console.log(`\n  Parley is running. Open:\n\n    ${server.url(sampleWorkspace)}\n\n  Ctrl+C to stop.\n`);

  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[start] ${why}: stopping code-server`);
    await server.stop();
    removeRunTmp(runDir);
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(sig));
  server.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`[start] code-server exited (code ${code}, signal ${signal}); see ${log}`);
    process.exit(1);
  });
}

/** Why dist/parley.vsix must be built again (missing, or older than a source it is built from), or undefined. */
function staleBecause() {
  if (!existsSync(defaultVsix)) return 'dist/parley.vsix is missing';
  const built = statSync(defaultVsix).mtimeMs;
  const newer = (path) => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs > built ? path : undefined;
    for (const entry of readdirSync(path)) {
      const found = newer(join(path, entry));
      if (found) return found;
    }
    return undefined;
  };
  for (const source of ['src', 'webview', 'media', 'package.json', 'esbuild.mjs', 'tsconfig.json']) {
    const path = join(repoRoot, source);
    const changed = existsSync(path) && newer(path);
    if (changed) return `${changed.slice(repoRoot.length + 1)} changed since dist/parley.vsix was built`;
  }
  return undefined;
}
