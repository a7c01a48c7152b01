// The bench measures one build: dist/ is copied once when it starts, since other work may rebuild dist/
// (even as a development build) while it runs.
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, WORK } from './util';

export interface DistSnapshot {
  dir: string;
  webview: string;
  vsix: string;
  /** Built by `npm run package` (esbuild --production: minified, no source maps). */
  production: boolean;
}

/** Snapshots ./dist, or the build directory named by $PARLEY_BENCH_DIST (to compare builds). */
export function snapshotDist(): DistSnapshot {
  const src = path.resolve(process.env.PARLEY_BENCH_DIST || path.join(ROOT, 'dist'));
  for (const f of ['extension.js', 'webview/main.js', 'parley.vsix']) {
    if (!existsSync(path.join(src, f))) throw new Error(`dist/${f} is missing: run \`npm run package\` first (npm run bench does)`);
  }
  const dir = path.join(WORK, 'dist');
  rmSync(dir, { recursive: true, force: true });
  cpSync(src, dir, { recursive: true });
  const production = !/sourceMappingURL=/.test(readFileSync(path.join(dir, 'extension.js'), 'utf8').slice(-300));
  return { dir, webview: path.join(dir, 'webview'), vsix: path.join(dir, 'parley.vsix'), production };
}
