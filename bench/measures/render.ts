// 1. render — a 200 KB markdown reply as 20,000 deltas into the real webview bundle, and the same stream into
// a naive renderer (full re-parse + innerHTML per batch), in the same browser, alternating.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { replyMarkdown, splitDeltas } from '../fixtures';
import { assistant, state, stream, user, wire } from '../lib/messages';
import { ROOT, WORK, log, median, round, type MeasureResult, type Row } from '../lib/util';
import { metrics, openPage, profiled, traced, withTaskStats, type TaskStats } from '../lib/webview';

const DRIVER = readFileSync(path.join(ROOT, 'bench', 'page', 'driver.js'), 'utf8');
const FULL_DELTAS = 20_000;
const FULL_BYTES = 200_000;
let DELTAS = FULL_DELTAS;
const REQUEST = 'bench-r1';
const MESSAGE = 'bench-a1';

export interface RenderOptions {
  browser: Browser;
  origin: string;
  runs: number;
  mode?: 'chained' | 'burst';
  /** Fraction of the full stream (diagnostics only): scale × 200 KB as scale × 20,000 deltas. */
  scale?: number;
  /** Stop feeding the naive renderer once it used this much main-thread time (ms; 0 = never); its figures are then lower bounds. */
  naiveBudgetMs?: number;
  /** Diagnostics: run the panel only. */
  skipNaive?: boolean;
  /** Record a Chromium trace ('trace') or a V8 CPU profile ('profile') of the first run of each renderer into .test-artifacts/bench/. */
  trace?: 'trace' | 'profile';
}

interface RunResult {
  totalMs: number;
  wallMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
  longestTaskMs: number;
  longTasks: number;
  maxGapMs: number;
  firstDecilePerDeltaUs: number;
  lastDecilePerDeltaUs: number;
  decilesUs: number[];
  wallDecilesUs: number[];
  /** From a light trace: the longest main-thread task, in CPU time and in wall time; tasks ≥ 50 ms of CPU. */
  longestTaskCpuMs: number;
  longestTaskWallMs: number;
  tasksOver50Cpu: number;
  heapMB: number;
  /** Long tasks: ms after the first delta, duration, decile of the stream they fell in (10 = after the last delta). */
  longTaskList: Array<{ at: number; ms: number; decile: number }>;
  /** Deltas fed before the time budget ran out (= all when it did not). */
  deltasFed: number;
}

function messagesFor(text: string) {
  const deltas = splitDeltas(text, DELTAS);
  return {
    setup: [wire(state([user('bench-u1', 'Write the long answer'), assistant(MESSAGE, '', 'streaming')], REQUEST)), wire(stream(REQUEST, 0, { type: 'start', messageId: MESSAGE, provider: 'groq', model: 'llama-3.3-70b-versatile' }))],
    deltas: deltas.map((d, i) => wire(stream(REQUEST, i + 1, { type: 'text-delta', text: d }))),
    tail: [
      wire(stream(REQUEST, DELTAS + 1, { type: 'finish', reason: 'stop' })),
      wire(state([user('bench-u1', 'Write the long answer'), assistant(MESSAGE, text, 'done')])),
    ],
  };
}

async function runOnce(opts: RenderOptions, kind: 'panel' | 'naive', msgs: ReturnType<typeof messagesFor>, traceFile?: string, budgetMs = 0): Promise<RunResult> {
  const { page, cdp, close } = await openPage(opts.browser, opts.origin, kind);
  try {
    await page.evaluate(DRIVER);
    await page.evaluate((setup) => (window as any).__benchDriver.deliver(setup, 3), msgs.setup);
    // Hand the stream to the page first, so the copy is not part of the measured time.
    await page.evaluate((all) => ((window as any).__benchMsgs = all), { deltas: msgs.deltas, tail: msgs.tail });
    await cdp.send('HeapProfiler.collectGarbage');
    await page.evaluate(() => (window as any).__benchDriver.settle());
    // Main-thread time at each tenth of the stream (and, for a run with a budget, every 500 deltas): the driver
    // pauses there while the bench reads it, and stops feeding once the budget of main-thread time is spent.
    const step = budgetMs ? DELTAS / 40 : DELTAS / 10;
    const marks = Array.from({ length: Math.round(DELTAS / step) + 1 }, (_, i) => Math.round(i * step));
    const taskAt = new Map<number, number>();
    const before = await metrics(cdp);
    taskAt.set(0, before.TaskDuration * 1000);
    await page.exposeFunction('__benchMark', async (at: number) => {
      const ms = (await metrics(cdp)).TaskDuration * 1000;
      taskAt.set(at, ms);
      return budgetMs > 0 && ms - taskAt.get(0)! > budgetMs;
    });
    const go = () =>
      page.evaluate(
        ({ mode, kind, marks, messageId }) => {
          const all = (window as any).__benchMsgs;
          return (window as any).__benchDriver.stream({ deltas: all.deltas, tail: all.tail, mode, kind, messageId, marks });
        },
        { mode: opts.mode ?? 'chained', kind, marks, messageId: MESSAGE },
      );
    let tasks: TaskStats | undefined;
    let r;
    if (!traceFile) ({ result: r, stats: tasks } = await withTaskStats(cdp, go));
    else r = traceFile.endsWith('.cpuprofile') ? await profiled(cdp, traceFile, go) : await traced(cdp, traceFile, go);
    const after = await metrics(cdp);
    taskAt.set(DELTAS, after.TaskDuration * 1000);
    const long: Array<{ start: number; duration: number }> = await page.evaluate((t0) => (window as any).__benchDriver.longtasks(t0), r.t0);
    const errors: string[] = await page.evaluate(() => (window as any).__errors);
    if (errors.length) throw new Error(`${kind}: page errors: ${errors.join('; ')}`);
    // Per delta, by tenth of the stream: main-thread time (the last tenth up to the final DOM, so it carries the
    // final flush), and wall time for reference.
    const tenth = DELTAS / 10;
    const deciles = Array.from({ length: 10 }, (_, i) => ((taskAt.get((i + 1) * tenth)! - taskAt.get(i * tenth)!) / tenth) * 1000);
    const at = (i: number) => (i >= DELTAS ? r.tEnd : r.markTimes[marks.indexOf(i)]);
    const wallDeciles = Array.from({ length: 10 }, (_, i) => ((at((i + 1) * tenth) - at(i * tenth)) / tenth) * 1000);
    const d = (name: string) => (after[name] - before[name]) * 1000;
    return {
      totalMs: d('TaskDuration'),
      wallMs: r.tEnd - r.t0,
      scriptMs: d('ScriptDuration'),
      layoutMs: d('LayoutDuration'),
      styleMs: d('RecalcStyleDuration'),
      longestTaskMs: long.reduce((m, t) => Math.max(m, t.duration), 0),
      longTasks: long.length,
      maxGapMs: r.maxGap,
      firstDecilePerDeltaUs: deciles[0],
      lastDecilePerDeltaUs: deciles[9],
      decilesUs: deciles,
      wallDecilesUs: wallDeciles,
      longestTaskCpuMs: tasks?.maxCpuMs ?? NaN,
      longestTaskWallMs: tasks?.maxWallMs ?? NaN,
      tasksOver50Cpu: tasks?.over50Cpu ?? NaN,
      heapMB: after.JSHeapUsedSize / 2 ** 20,
      deltasFed: r.stoppedAt || DELTAS,
      longTaskList: long.map((t) => ({ at: round(t.start - r.t0), ms: round(t.duration), decile: Array.from({ length: 10 }, (_, i) => at(i * tenth)).filter((m) => m <= t.start).length - 1 })),
    };
  } finally {
    await close();
  }
}

export async function renderBench(opts: RenderOptions): Promise<MeasureResult> {
  const scale = opts.scale ?? 1;
  DELTAS = Math.round(FULL_DELTAS * scale);
  const text = replyMarkdown(1, Math.round(FULL_BYTES * scale), Math.max(1, Math.round(40 * scale)));
  const msgs = messagesFor(text);
  const panel: RunResult[] = [];
  const naive: RunResult[] = [];
  // The naive renderer runs once, in the middle of the panel runs (its cost is quadratic: minutes at 200 KB).
  const naiveAfter = Math.floor((opts.runs - 1) / 2);
  const ext = opts.trace === 'profile' ? 'cpuprofile' : 'trace.json';
  for (let i = 0; i < opts.runs; i++) {
    const trace = opts.trace && i === 0;
    panel.push(await runOnce(opts, 'panel', msgs, trace ? path.join(WORK, `render-panel.${ext}`) : undefined));
    log(`render run ${i + 1}/${opts.runs}: panel ${round(panel[i].totalMs)} ms main thread (${round(panel[i].wallMs)} ms wall)`);
    if (opts.skipNaive || i !== naiveAfter) continue;
    naive.push(await runOnce(opts, 'naive', msgs, undefined, opts.naiveBudgetMs ?? 0));
    const nv = naive[0];
    log(`render: naive ${round(nv.totalMs)} ms main thread (${round(nv.wallMs)} ms wall), ${nv.deltasFed} of ${DELTAS} deltas fed`);
  }
  const m = (list: RunResult[], k: keyof RunResult) => median(list.map((r) => r[k] as number));
  const growth = panel.map((p) => p.lastDecilePerDeltaUs / p.firstDecilePerDeltaUs);
  const longest = median(panel.map((p) => p.longestTaskMs));
  const panelTotal = m(panel, 'totalMs');
  const nv = naive[0];
  const cut = !!nv && nv.deltasFed < DELTAS;
  const ratio = nv ? nv.totalMs / panelTotal : NaN;
  const rows: Row[] = [
    { measure: 'render', metric: `panel main-thread time, ${DELTAS} deltas → final DOM`, value: round(panelTotal), unit: 'ms', runs: panel.map((p) => round(p.totalMs)), note: `wall ${round(m(panel, 'wallMs'))} ms; script ${round(m(panel, 'scriptMs'))}, layout ${round(m(panel, 'layoutMs'))}, style ${round(m(panel, 'styleMs'))} ms` },
  ];
  if (nv) {
    rows.push(
      {
        measure: 'render', metric: `naive main-thread time, same stream${cut ? ` (stopped after ${nv.deltasFed} deltas)` : ''}`, value: `${cut ? '≥ ' : ''}${round(nv.totalMs)}`, unit: 'ms',
        note: `wall ${round(nv.wallMs)} ms${cut ? `; fed ${nv.deltasFed}/${DELTAS} deltas until it had used its budget of ${round((opts.naiveBudgetMs ?? 0) / 1000)} s of main-thread time, then the final state (one full render): a lower bound` : ''}; per-delta cost first 10% ${round(nv.firstDecilePerDeltaUs)} µs`,
      },
      {
        measure: 'render', metric: 'naive ÷ panel main-thread time (same run)', value: `${cut ? '≥ ' : ''}${round(ratio)}`, unit: '×', target: '≥ 20×',
        pass: ratio >= 20, note: cut && ratio < 20 ? 'inconclusive: the naive run was stopped early; rerun with --naive-budget 0' : undefined,
      },
    );
  }
  rows.push(
    {
      measure: 'render', metric: 'panel longest task (longtask observer, median of runs; 0 = none ≥ 50 ms)', value: round(longest), unit: 'ms', target: '< 50 ms', pass: longest < 50,
      runs: panel.map((p) => round(p.longestTaskMs)),
      note: `long tasks per run: ${panel.map((p) => p.longTasks).join('/')}; from a trace, the longest task took ${panel.map((p) => round(p.longestTaskCpuMs)).join('/')} ms of CPU (${panel.map((p) => round(p.longestTaskWallMs)).join('/')} ms wall; a gap between CPU and wall is other processes taking the core)`,
    },
    { measure: 'render', metric: 'panel per-delta main-thread cost, first 10% of deltas', value: round(m(panel, 'firstDecilePerDeltaUs')), unit: 'µs', runs: panel.map((p) => round(p.firstDecilePerDeltaUs)) },
    { measure: 'render', metric: 'panel per-delta main-thread cost, last 10% (to final DOM)', value: round(m(panel, 'lastDecilePerDeltaUs')), unit: 'µs', runs: panel.map((p) => round(p.lastDecilePerDeltaUs)) },
    { measure: 'render', metric: 'panel last ÷ first decile per-delta cost', value: round(median(growth), 2), unit: '×', target: '≤ 1.5', pass: median(growth) <= 1.5, runs: growth.map((g) => round(g, 2)) },
  );
  return {
    rows,
    details: { replyChars: text.length, deltas: DELTAS, mode: opts.mode ?? 'chained', panel, naive },
  };
}
