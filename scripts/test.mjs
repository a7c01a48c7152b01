// `npm test`: type-check, build and package, then every suite: unit (SDKs against local provider servers),
// webview (the built bundle in headless Chromium), hardening (XSS, fuzz, key hygiene, faults, durability) and
// end to end (code-server = VS Code 1.139 + Chromium).
// `npm test -- unit webview` runs only the suites named. Ends with one line: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const suites = {
  unit: 'test/mocharc.unit.json',
  webview: 'test/mocharc.webview.json',
  hardening: 'test/mocharc.hardening.json',
  e2e: 'test/mocharc.e2e.json',
};
const wanted = process.argv.slice(2).filter((a) => a in suites);
const selected = wanted.length ? wanted : Object.keys(suites);
const bin = (name) => join(root, 'node_modules', '.bin', name);
const statsDir = join(root, '.test-artifacts', 'stats');
rmSync(statsDir, { recursive: true, force: true });
mkdirSync(statsDir, { recursive: true });

function run(title, command, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${title}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
  return result.status === 0;
}

let ok = run('type-check', bin('tsc'), ['--noEmit', '-p', '.']);
ok = run('build and package (.vsix)', 'npm', ['run', '--silent', 'package']) && ok;
if (selected.includes('e2e')) ok = run('offline VS Code runtime', process.execPath, ['scripts/runtime.mjs']) && ok;

const totals = { passes: 0, failures: 0, pending: 0 };
for (const name of selected) {
  const statsFile = join(statsDir, `${name}.json`);
  const passed = run(`${name} tests`, bin('mocha'), ['--config', suites[name], '--reporter', join(root, 'test', 'reporter.cjs')], { PARLEY_STATS_FILE: statsFile });
  ok = passed && ok;
  try {
    const stats = JSON.parse(readFileSync(statsFile, 'utf8'));
    totals.passes += stats.passes;
    totals.failures += stats.failures;
    totals.pending += stats.pending;
    console.log(`    ${name}: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`);
  } catch {
    totals.failures += 1;
    console.log(`    ${name}: no results (the suite did not run to the end)`);
  }
}
console.log(`\ntests: ${totals.passes} passed, ${totals.failures} failed, ${totals.pending} skipped`);
process.exit(ok && totals.failures === 0 && totals.passes > 0 ? 0 : 1);
