// Child process of the tools bench: the workspace tools (src/tools/workspaceTools.ts) over a generated workspace
// in a temporary directory, in plain Node. Usage: toolsWorker.ts [runs] [files]. The workspace: `files` (default
// 10,000) source files in nested directories (20 × 10 × 5 leaf directories), 2% of them binary, plus 4 files of
// 1.5 MB (searched) and 3 of 3 MB (over the 2 MB limit, skipped); a `.gitignore` that ignores `node_modules/`
// (3,000 files in 100 packages) and `*.log` (200 files); `generated/` (200 files) hidden by files.exclude; a
// `.git/` with 500 files. Each case runs `runs` times (default 7) after one warm-up (the files are in the page
// cache either way: they were just written); per case the median and p95 wall-clock time, the median CPU time
// of the process (user + system: less moved by other load on the machine than wall-clock), what the call
// reported, the longest event-loop block (monitorEventLoopDelay max, wall-clock; and in the thread's CPU time) and
// the peak RSS growth. The directory is
// removed at the end. Prints one JSON line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { walkWorkspace } from '../../src/tools/workspaceFiles';
import { runWorkspaceTool, type ToolContext } from '../../src/tools/workspaceTools';
import { watchCpuBlocks } from '../lib/util';

const runs = Number(process.argv[2] ?? 7);
const FILES = Number(process.argv[3] ?? 10_000);
const IGNORED_FILES = 3_000;

/** Deterministic pseudo-random numbers (the workspace is the same every run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const WORDS = ['const', 'value', 'return', 'export', 'import', 'function', 'parley', 'model', 'stream', 'delta', 'reply', 'chat', 'token', 'await', 'async', 'render', 'panel', 'state'];

function sourceText(random: () => number, i: number, lines: number): string {
  const out: string[] = [`// file ${i}`, `import { helper${i % 97} } from './helper';`];
  for (let l = 0; l < lines; l++) {
    const n = 4 + Math.floor(random() * 10);
    const words = Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]);
    out.push(`  ${words.join(' ')}; // ${l}`);
  }
  // A rare marker in 1 file in 500, a handler function in 1 in 100.
  if (i % 500 === 7) out.push(`export const RARE_MARKER_${i} = true;`);
  if (i % 100 === 3) out.push(`export function on${i}Handler(event: Event) { return event; }`);
  return out.join('\n') + '\n';
}

export function generate(root: string): { bytes: number; files: number } {
  const random = rng(42);
  let bytes = 0;
  let files = 0;
  const write = (rel: string, data: string | Buffer) => {
    writeFileSync(join(root, rel), data);
    bytes += data.length;
    files++;
  };
  const dirs: string[] = [];
  // 20 top directories × 10 × 5 = 1,000 leaf directories, 10 files each.
  for (let a = 0; a < 20; a++) for (let b = 0; b < 10; b++) for (let c = 0; c < 5; c++) dirs.push(`pkg${a}/mod${b}/part${c}`);
  for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
  const exts = ['ts', 'ts', 'ts', 'js', 'md', 'json', 'css', 'py'];
  mkdirSync(join(root, 'generated'), { recursive: true });
  for (let i = 0; i < 200; i++) write(`generated/gen${i}.ts`, sourceText(random, 400_000 + i, 20));
  for (let i = 0; i < FILES; i++) {
    const dir = dirs[i % dirs.length];
    if (i % 50 === 25) {
      const bin = Buffer.alloc(2048 + Math.floor(random() * 30_000));
      for (let k = 0; k < bin.length; k++) bin[k] = Math.floor(random() * 256);
      bin[10] = 0;
      write(`${dir}/image${i}.png`, bin);
    } else {
      write(`${dir}/file${i}.${exts[i % exts.length]}`, sourceText(random, i, 20 + Math.floor(random() * 100)));
    }
  }
  // Large files: 4 searched (1.5 MB), 3 skipped (3 MB, over the tools' 2 MB limit).
  mkdirSync(join(root, 'data'), { recursive: true });
  for (let i = 0; i < 4; i++) write(`data/large${i}.txt`, sourceText(random, 100_000 + i, 25_000).slice(0, 1.5 * 2 ** 20));
  for (let i = 0; i < 3; i++) write(`data/huge${i}.txt`, sourceText(random, 200_000 + i, 50_000).slice(0, 3 * 2 ** 20));
  // Ignored: node_modules/ (3,000 files in 100 packages) and *.log, by the root .gitignore; .git/ always.
  write('.gitignore', 'node_modules/\n*.log\n');
  for (let p = 0; p < 100; p++) {
    mkdirSync(join(root, 'node_modules', `dep${p}`, 'lib'), { recursive: true });
    for (let f = 0; f < IGNORED_FILES / 100; f++) write(`node_modules/dep${p}/lib/index${f}.js`, sourceText(random, 300_000 + f, 30));
  }
  for (let i = 0; i < 200; i++) write(`${dirs[i]}/debug${i}.log`, 'RARE_MARKER_in_log\n');
  mkdirSync(join(root, '.git', 'objects'), { recursive: true });
  for (let i = 0; i < 500; i++) write(`.git/objects/obj${i}`, `RARE_MARKER_${i}`);
  return { bytes, files };
}

function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const median = s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median, p95: s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)], runs: values };
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'parley-tools-bench-'));
  try {
    const t0 = performance.now();
    const generated = generate(root);
    const generateMs = performance.now() - t0;
    const ctx: ToolContext = { view: { roots: [root], exclude: ['generated/**'] } };
    let walked = 0;
    for await (const _ of walkWorkspace(ctx.view)) walked++;

    const cases: Array<{ name: string; tool: string; args: Record<string, unknown> }> = [
      { name: 'search_text literal, rare (whole workspace)', tool: 'search_text', args: { query: 'RARE_MARKER_' } },
      { name: 'search_text regex, 100 matches (whole workspace)', tool: 'search_text', args: { query: 'function on\\d+Handler\\(', isRegex: true } },
      { name: 'search_text literal, glob **/*.ts', tool: 'search_text', args: { query: 'RARE_MARKER_', glob: '**/*.ts' } },
      { name: 'search_text regex, glob pkg1*/**', tool: 'search_text', args: { query: 'function on\\d+Handler\\(', isRegex: true, glob: 'pkg1*/**' } },
      { name: 'search_text no match (whole workspace)', tool: 'search_text', args: { query: 'no such text anywhere' } },
      { name: 'search_text common word (stops at 200 results)', tool: 'search_text', args: { query: 'parley' } },
      { name: 'list_files glob **/*.ts', tool: 'list_files', args: { glob: '**/*.ts', maxResults: 5000 } },
    ];
    const results = [];
    for (const c of cases) {
      const json = JSON.stringify(c.args);
      const first = await runWorkspaceTool(c.tool, json, ctx); // warm-up
      if (first.isError) throw new Error(`${c.name}: ${first.text}`);
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 5);
      const times: number[] = [];
      const cpu: number[] = [];
      let summary = '';
      const blocks = monitorEventLoopDelay({ resolution: 1 });
      blocks.enable();
      const cpuBlocks = watchCpuBlocks();
      for (let r = 0; r < runs; r++) {
        const start = performance.now();
        const cpu0 = process.cpuUsage();
        const out = await runWorkspaceTool(c.tool, json, ctx);
        const used = process.cpuUsage(cpu0);
        times.push(performance.now() - start);
        cpu.push((used.user + used.system) / 1000);
        summary = out.summary ?? '';
      }
      blocks.disable();
      const cpuBlockMs = cpuBlocks.stop();
      clearInterval(sampler);
      results.push({ ...c, ...stats(times), cpuMedian: stats(cpu).median, summary, longestBlockMs: blocks.max / 1e6, cpuBlockMs, rssGrowthMB: (rssPeak - rssBefore) / 2 ** 20 });
    }
    const mem = process.memoryUsage();
    console.log(JSON.stringify({
      files: generated.files, bytes: generated.bytes, generateMs, walked, runs, results,
      rssMB: mem.rss / 2 ** 20, heapUsedMB: mem.heapUsed / 2 ** 20, maxRssMB: process.resourceUsage().maxRSS / 1024,
    }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
