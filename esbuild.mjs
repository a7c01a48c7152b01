// Builds the extension host (CommonJS for Node), the chunks it loads lazily (provider SDKs, the catalog, the tools) and the webview.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--analyze`: prints what each extension-host output is made of, largest inputs first (esbuild's metafile).
const analyze = process.argv.includes('--analyze');

// Provider SDKs (and parts of Parley's own code) stay out of the main bundle so activation loads none of them;
// each becomes dist/sdk/<name>.js, built from src/sdk-entries/<name>.ts and loaded by its first use: a package by
// the first `await import('<sdk>')` in its user, Parley's own code through src/chunks.ts.
export const sdkChunks = {
  'groq-sdk': 'groq',
  openai: 'openai',
  '@anthropic-ai/sdk': 'anthropic',
  '@google/genai': 'google',
  // not an SDK: the regex parser search_text checks patterns with (src/tools/regexSafety.ts imports it lazily)
  '@eslint-community/regexpp': 'regexpp',
  // not SDKs: the packaged models.dev catalog, the workspace and edit tools with their libraries, the review of
  // proposed edits in VS Code, mime's table of file types and the chat export (src/chunks.ts)
  './sdk-entries/catalog': 'catalog',
  './sdk-entries/tools': 'tools',
  './sdk-entries/editReview': 'editReview',
  './sdk-entries/mime': 'mime',
  './sdk-entries/export': 'export',
};

/**
 * An import of a chunk's package (or entry) becomes a require of the chunk, `dir` being dist/sdk as seen from the
 * output file. The entries in src/sdk-entries themselves import the real package.
 */
const lazyChunks = (dir) => ({
  name: 'lazy-chunks',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(sdkChunks).map((n) => n.replace(/[./@]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) =>
      /[\\/]src[\\/]sdk-entries[\\/]/.test(args.importer) ? undefined : { path: `${dir}/${sdkChunks[args.path]}.js`, external: true },
    );
  },
});

/**
 * dist/webview/preload.json: the chunks main.js imports statically (code it shares with the lazy chunks). The panel's
 * HTML names them as modulepreload links so that they load beside main.js, not after it (src/host/webviewAssets.ts).
 */
const preloadList = {
  name: 'preload-list',
  setup(build) {
    build.onEnd((result) => {
      const main = result.metafile?.outputs['dist/webview/main.js'];
      if (!main) return;
      const chunks = main.imports.filter((i) => i.kind === 'import-statement').map((i) => path.relative('dist/webview', i.path));
      writeFileSync('dist/webview/preload.json', JSON.stringify(chunks) + '\n');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  metafile: analyze,
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [lazyChunks('./sdk')],
  },
  {
    ...common,
    stdin: undefined,
    entryPoints: Object.fromEntries(Object.values(sdkChunks).map((name) => [`sdk/${name}`, `src/sdk-entries/${name}.ts`])),
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // A chunk may load another beside it (the tools' chunk, search_text's regex check from the regexpp chunk).
    external: ['vscode'],
    plugins: [lazyChunks('.')],
  },
  webviewBuild(),
];

/**
 * The webview: an ES module, split so that Mermaid (imported only when a reply has a diagram) and its diagram
 * types become chunks of their own under dist/webview/chunks, loaded from the webview's own origin on demand.
 */
function webviewBuild() {
  return {
    ...common,
    entryPoints: { main: 'webview/main.ts' },
    outdir: 'dist/webview',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    loader: { '.ttf': 'file' },
    metafile: true,
    plugins: [preloadList],
  };
}

/** KaTeX's stylesheet and fonts (woff2 only: the first format of each @font-face, the one Chromium loads). */
function copyKatexAssets(dir) {
  mkdirSync(`${dir}/katex/fonts`, { recursive: true });
  cpSync('node_modules/katex/dist/katex.min.css', `${dir}/katex/katex.min.css`);
  for (const font of readdirSync('node_modules/katex/dist/fonts').filter((f) => f.endsWith('.woff2'))) {
    cpSync(`node_modules/katex/dist/fonts/${font}`, `${dir}/katex/fonts/${font}`);
  }
}

function copyAssets() {
  mkdirSync('dist/webview', { recursive: true });
  cpSync('node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css');
  cpSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf');
  copyKatexAssets('dist/webview');
}

if (!watch) rmSync('dist', { recursive: true, force: true, maxRetries: 3 });
copyAssets();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  if (analyze) for (const r of results.slice(0, 2)) console.log(await esbuild.analyzeMetafile(r.metafile));
}
