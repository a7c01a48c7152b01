// Preloaded into code-server's Node processes by the bench (NODE_OPTIONS=--require <this>). VS Code strips
// NODE_OPTIONS from the extension host's environment but passes on its server's execArgv, so in the server this
// adds `--require <this>` to the extension host's fork. In the extension host it records when Parley's files (dist/extension.js, dist/sdk/*.js) are required and wraps
// Parley's activate() to time it and to list the SDK chunks loaded by the time it returned. Appends one JSON
// line per event to $PARLEY_BENCH_PROBE_DIR/<pid>.jsonl. Changes no behaviour.
'use strict';
const dir = process.env.PARLEY_BENCH_PROBE_DIR;
const isExtHost = process.argv.includes('--type=extensionHost') || /extensionHost/.test(process.env.VSCODE_ESM_ENTRYPOINT || '');
if (dir && !isExtHost) {
  const cp = require('node:child_process');
  const fork = cp.fork;
  cp.fork = function (modulePath, args, options) {
    if (Array.isArray(args) && args.includes('--type=extensionHost')) {
      options = { ...options, execArgv: ['--require', __filename, ...((options && options.execArgv) || process.execArgv)] };
    }
    return fork.call(this, modulePath, args, options);
  };
  require('node:module').syncBuiltinESMExports();
}
if (dir && isExtHost) {
  const fs = require('node:fs');
  const path = require('node:path');
  const Module = require('node:module');
  const file = path.join(dir, `${process.pid}.jsonl`);
  const now = () => performance.timeOrigin + performance.now();
  const write = (event) => {
    try {
      fs.appendFileSync(file, JSON.stringify({ ...event, t: now() }) + '\n');
    } catch {
      /* the bench reads what it gets */
    }
  };
  write({ kind: 'start', pid: process.pid });
  const PARLEY = /[\\/]parley\.parley-[^\\/]+[\\/]dist[\\/](extension|sdk[\\/][\w-]+)\.js$/;
  const loaded = [];
  let activating = false;
  let wrapped;
  const original = Module._load;
  Module._load = function load(request, parent, isMain) {
    let resolved;
    try {
      resolved = Module._resolveFilename(request, parent, isMain);
    } catch {
      return original.apply(this, arguments);
    }
    const match = typeof resolved === 'string' && PARLEY.exec(resolved);
    if (!match) return original.apply(this, arguments);
    const first = !loaded.includes(match[1]);
    const t0 = now();
    const exports = original.apply(this, arguments);
    if (first) {
      loaded.push(match[1]);
      write({ kind: 'load', module: match[1], ms: now() - t0, during: activating ? 'activate' : undefined });
      if (match[1] === 'extension' && exports && typeof exports.activate === 'function') {
        // esbuild's CJS exports are getters: hand VS Code a copy whose activate is timed.
        const activate = exports.activate;
        wrapped = {
          ...exports,
          activate(...args) {
            activating = true;
            const a0 = now();
            try {
              return activate.apply(this, args);
            } finally {
              activating = false;
              write({ kind: 'activate', ms: now() - a0, sdkLoaded: loaded.filter((m) => m.startsWith('sdk')) });
            }
          },
        };
      }
    }
    return match[1] === 'extension' && wrapped ? wrapped : exports;
  };
}
