// 2. pipeline — end to end in code-server: a local Groq-format server streams N deltas at R/s through groq-sdk
// in the real extension host, the protocol, VS Code's webview messaging and the panel's renderer; a probe in
// the panel's frame records when each delta was painted. Baseline, in the same run: the same paced stream
// consumed by a plain Node loop over groq-sdk (bench/pipeline/baseline.mjs).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { markerDeltas } from '../fixtures';
import { pacedReply } from '../lib/pacedServer';
import { clockOffset, GROQ_KEY, panelFrame, type BenchSession } from '../lib/vscode';
import { ROOT, log, median, percentile, round, sleep, type MeasureResult } from '../lib/util';

const PROBE = readFileSync(path.join(ROOT, 'bench', 'page', 'paintProbe.js'), 'utf8');
const BASELINE = path.join(ROOT, 'bench', 'pipeline', 'baseline.mjs');

export interface PipelineOptions {
  session: BenchSession;
  runs: number;
  deltas?: number;
  perSecond?: number;
}

interface PanelRun {
  /** First delta: received by the panel's frame minus sent. */
  firstArrivedMs: number;
  /** Last delta received by the panel's frame (message event), from the first delta's send. */
  lastArrivedMs: number;
  /** Per delta: received by the panel minus sent by the server. */
  transportP50: number;
  transportP95: number;
  /** Last delta painted, from the first delta's send. */
  lastPaintedMs: number;
  /** First delta: painted minus sent. */
  firstLatencyMs: number;
  latencyP50: number;
  latencyP95: number;
  latencyMax: number;
  frames: number;
  clockRttMs: number;
  streamMs: number;
}

interface BaselineRun {
  endMs: number;
  firstLatencyMs: number;
  latencyP50: number;
  streamMs: number;
}

function runBaseline(url: string): Promise<{ t0: number; recv: number[] }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BASELINE, url, GROQ_KEY], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`baseline failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

export async function pipelineBench(opts: PipelineOptions): Promise<MeasureResult> {
  const n = opts.deltas ?? 5000;
  const rate = opts.perSecond ?? 5000;
  const deltas = markerDeltas(n);
  const { vs, groq } = opts.session;
  await vs.runCommand('Parley: Start Chat');
  let frame = await panelFrame(vs);
  const panelRuns: PanelRun[] = [];
  const baseRuns: BaselineRun[] = [];

  let cold: PanelRun | undefined;
  // Run 0 warms up the session (the first request after the panel opened also fetches the model list and
  // pays first-use costs in the extension host and the workbench); it is reported apart, not in the medians.
  for (let r = 0; r <= opts.runs; r++) {
    // Baseline: same server, same paced stream, plain groq-sdk loop in a fresh Node process.
    if (r > 0) {
      const paced = pacedReply(deltas, rate);
      groq.enqueue(paced.reply);
      const out = await runBaseline(groq.url);
      await paced.done;
      const missing = out.recv.findIndex((t, i) => i < n && t === undefined);
      if (out.recv.length !== n || missing >= 0) throw new Error(`baseline: received ${out.recv.length} of ${n} deltas`);
      const lat = out.recv.map((t, i) => t - paced.sent[i]);
      baseRuns.push({ endMs: out.recv[n - 1] - paced.sent[0], firstLatencyMs: lat[0], latencyP50: median(lat), streamMs: paced.sent[n - 1] - paced.sent[0] });
      log(`pipeline run ${r}/${opts.runs}: baseline last delta at ${round(baseRuns.at(-1)!.endMs)} ms`);
    }
    // The panel: a new chat (Groq, key from the environment), the probe, then send.
    {
      frame = await panelFrame(vs);
      await frame.locator('#new-chat').click();
      await frame.waitForFunction(() => document.querySelectorAll('article.message').length === 0, undefined, { timeout: 10_000 });
      const provider = await frame.locator('#provider').inputValue();
      if (provider !== 'groq') throw new Error(`pipeline: the new chat uses "${provider}", not groq (is GROQ_API_KEY reaching the extension host?)`);
      const paced = pacedReply(deltas, rate);
      groq.enqueue(paced.reply);
      await frame.evaluate(PROBE);
      const clock = await clockOffset(frame);
      const prompt = frame.locator('textarea#prompt');
      await prompt.fill(`pipeline run ${r}`);
      await prompt.press('Enter');
      await frame.waitForFunction((last) => (window as any).__paintProbe.max >= last, n - 1, { timeout: 60_000, polling: 100 });
      await paced.done;
      const { frames, arrivals } = await frame.evaluate(() => {
        const p = (window as any).__paintProbe;
        p.stop();
        return { frames: p.frames as Array<[number, number]>, arrivals: p.arrivals as Array<[number, number]> };
      });
      const arrived = new Array<number>(n);
      for (const [t, i] of arrivals) if (i < n && arrived[i] === undefined) arrived[i] = t + clock.offset;
      await frame.locator('article.message.assistant[data-status="done"]').last().waitFor({ timeout: 30_000 });
      // painted[i]: the first frame showing delta i (frames are in time order, markers only grow).
      const painted = new Array<number>(n);
      let k = 0;
      for (let i = 0; i < n; i++) {
        while (k < frames.length && frames[k][1] < i) k++;
        painted[i] = frames[k][0] + clock.offset;
      }
      const lat = painted.map((t, i) => t - paced.sent[i]);
      const transport = arrived.map((t, i) => t - paced.sent[i]).filter((x) => Number.isFinite(x));
      const run: PanelRun = {
        firstArrivedMs: arrived[0] - paced.sent[0],
        lastArrivedMs: arrived[n - 1] - paced.sent[0],
        transportP50: median(transport),
        transportP95: percentile(transport, 95),
        lastPaintedMs: painted[n - 1] - paced.sent[0],
        firstLatencyMs: lat[0],
        latencyP50: median(lat),
        latencyP95: percentile(lat, 95),
        latencyMax: Math.max(...lat),
        frames: frames.length,
        clockRttMs: clock.rtt,
        streamMs: paced.sent[n - 1] - paced.sent[0],
      };
      if (r === 0) cold = run;
      else panelRuns.push(run);
      log(`pipeline ${r ? `run ${r}/${opts.runs}` : 'warm-up'}: panel last delta painted at ${round(painted[n - 1] - paced.sent[0])} ms, first delta ${round(lat[0])} ms after it was sent`);
      await sleep(300);
    }
  }
  const ratios = panelRuns.map((p, i) => p.lastPaintedMs / baseRuns[i].endMs);
  const overheads = panelRuns.map((p, i) => p.firstLatencyMs - baseRuns[i].firstLatencyMs);
  const ratio = median(ratios);
  const overhead = median(overheads);
  const mp = (k: keyof PanelRun) => median(panelRuns.map((p) => p[k]));
  return {
    rows: [
      { measure: 'pipeline', metric: `baseline (Node + groq-sdk): last delta received, ${n} deltas at ${rate}/s`, value: round(median(baseRuns.map((b) => b.endMs))), unit: 'ms', runs: baseRuns.map((b) => round(b.endMs)), note: `server took ${round(median(baseRuns.map((b) => b.streamMs)))} ms to send them` },
      { measure: 'pipeline', metric: 'panel: last delta painted (from first delta sent)', value: round(mp('lastPaintedMs')), unit: 'ms', runs: panelRuns.map((p) => round(p.lastPaintedMs)) },
      { measure: 'pipeline', metric: 'panel ÷ baseline end time (same run)', value: round(ratio, 3), unit: '×', target: '≤ 1.2×', pass: ratio <= 1.2, runs: ratios.map((x) => round(x, 3)) },
      {
        measure: 'pipeline', metric: 'first-delta overhead (panel painted − SDK received)', value: round(overhead, 1), unit: 'ms', target: '< 30 ms', pass: overhead < 30, runs: overheads.map((x) => round(x, 1)),
        note: `panel first delta received ${panelRuns.map((p) => round(p.firstArrivedMs, 1)).join('/')} ms and painted ${panelRuns.map((p) => round(p.firstLatencyMs, 1)).join('/')} ms after it was sent; baseline received it after ${baseRuns.map((b) => round(b.firstLatencyMs, 1)).join('/')} ms; clock sync ±${round(mp('clockRttMs') / 2, 1)} ms`,
      },
      { measure: 'pipeline', metric: 'panel per-delta latency sent → painted, p50 / p95', value: `${round(mp('latencyP50'), 1)} / ${round(mp('latencyP95'), 1)}`, unit: 'ms', note: `max ${round(mp('latencyMax'), 1)} ms; ${Math.round(mp('frames'))} painted frames per reply` },
      { measure: 'pipeline', metric: 'of which sent → received by the panel frame, p50 / p95', value: `${round(mp('transportP50'), 1)} / ${round(mp('transportP95'), 1)}`, unit: 'ms', note: `last delta received at ${round(mp('lastArrivedMs'))} ms` },
      {
        measure: 'pipeline', metric: 'warm-up run (first request after the panel opened; not in the medians)', value: cold ? `${round(cold.lastPaintedMs)} / ${round(cold.firstLatencyMs, 1)}` : 'n/a', unit: 'ms',
        note: 'last delta painted / first delta painted, both from the send of the first delta',
      },
    ],
    details: { deltas: n, perSecond: rate, panel: panelRuns, baseline: baseRuns, warmup: cold },
  };
}
