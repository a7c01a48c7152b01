// Builds the bench's own browser bundle (the naive renderer) with the webview's esbuild settings.
import * as esbuild from 'esbuild';
import path from 'node:path';
import { ROOT, WORK } from './util';

export async function buildNaive(): Promise<string> {
  const outdir = path.join(WORK, 'build');
  await esbuild.build({
    entryPoints: { naive: path.join(ROOT, 'bench', 'naive', 'main.ts') },
    outdir,
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return outdir;
}
