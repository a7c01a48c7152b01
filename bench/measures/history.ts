// 4. history — a saved chat of 2,000 messages (~1 MB of markdown with code) opens in the real webview bundle
// as one `state` message: time until interactive (last message in the DOM, input enabled, first frame
// rendered), the page's memory, and frame times while scrolling through it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { historyMessages } from '../fixtures';
import { state, wire } from '../lib/messages';
import { ROOT, log, median, percentile, round, type MeasureResult } from '../lib/util';
import { metrics, openPage, profiled, traced, withTaskStats } from '../lib/webview';

const DRIVER = readFileSync(path.join(ROOT, 'bench', 'page', 'driver.js'), 'utf8');

export interface HistoryOptions {
  browser: Browser;
  origin: string;
  runs: number;
  messages?: number;
  /** Scroll frames upwards from the end (then a quarter of that downwards from the top), and pixels per frame. */
  scrollFrames?: number;
  scrollPx?: number;
  /** Diagnostics: write a V8 CPU profile of opening and a Chromium trace of scrolling (first run) to <profile>-open.cpuprofile and <profile>-scroll.json. */
  profile?: string;
}

interface Run {
  handledMs: number;
  interactiveMs: number;
  mainThreadMs: number;
  heapMB: number;
  domNodes: number;
  frameP50: number;
  frameP95: number;
  frameMax: number;
  over16: number;
  frames: number;
  scrollHeight: number;
  /** Main-thread CPU per frame while scrolling (from a light trace: unaffected by other processes). */
  frameCpuP50: number;
  frameCpuP95: number;
  frameCpuMax: number;
}

export async function historyBench(opts: HistoryOptions): Promise<MeasureResult> {
  const messages = historyMessages(3, opts.messages ?? 2000);
  const chars = messages.reduce((s, m) => s + m.text.length, 0);
  const message = wire(state(messages));
  const lastId = messages.at(-1)!.id;
  const runs: Run[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const { page, cdp, close } = await openPage(opts.browser, opts.origin, 'panel');
    try {
      await page.evaluate(DRIVER);
      await page.evaluate((m) => ((window as any).__benchHistory = m), message);
      await cdp.send('HeapProfiler.collectGarbage');
      const before = await metrics(cdp);
      const openIt = () => page.evaluate((id) => (window as any).__benchDriver.openHistory((window as any).__benchHistory, id), lastId);
      const open = opts.profile && i === 0 ? await profiled(cdp, `${opts.profile}-open.cpuprofile`, openIt) : await openIt();
      const after = await metrics(cdp);
      if (!open.interactive || open.interactive < 0) throw new Error(`history: the panel never became interactive (${JSON.stringify(open)})`);
      await page.keyboard.type('ok');
      const typed = await page.evaluate(() => (document.getElementById('prompt') as HTMLTextAreaElement).value);
      if (typed !== 'ok') throw new Error(`history: typing into the input gave "${typed}"`);
      await page.evaluate(() => ((window as any).__benchHistory = undefined));
      await cdp.send('HeapProfiler.collectGarbage');
      const mem = await metrics(cdp);
      const scrollIt = () => page.evaluate(([frames, px]) => (window as any).__benchDriver.scrollThrough(frames, px), [opts.scrollFrames ?? 400, opts.scrollPx ?? 120]);
      let frameCpu: number[] = [];
      let scroll;
      if (opts.profile && i === 0) scroll = await traced(cdp, `${opts.profile}-scroll.json`, scrollIt);
      else ({ result: scroll, stats: { frameCpuMs: frameCpu } } = await withTaskStats(cdp, scrollIt));
      const errors: string[] = await page.evaluate(() => (window as any).__errors);
      if (errors.length) throw new Error(`history: page errors: ${errors.join('; ')}`);
      const work: number[] = scroll.work;
      runs.push({
        handledMs: open.handled,
        interactiveMs: open.interactive,
        mainThreadMs: (after.TaskDuration - before.TaskDuration) * 1000,
        heapMB: mem.JSHeapUsedSize / 2 ** 20,
        domNodes: mem.Nodes,
        frameP50: median(work),
        frameP95: percentile(work, 95),
        frameMax: Math.max(...work),
        over16: work.filter((w) => w > 16).length,
        frames: work.length,
        scrollHeight: scroll.height,
        frameCpuP50: median(frameCpu),
        frameCpuP95: percentile(frameCpu, 95),
        frameCpuMax: Math.max(0, ...frameCpu),
      });
      log(`history run ${i + 1}/${opts.runs}: interactive ${round(open.interactive)} ms, frames p95 ${round(percentile(work, 95))} ms`);
    } finally {
      await close();
    }
  }
  const m = (k: keyof Run) => median(runs.map((r) => r[k]));
  const interactive = m('interactiveMs');
  const p95 = m('frameP95');
  return {
    rows: [
      { measure: 'history', metric: `open ${messages.length} messages (${round(chars / 1e6, 2)} MB) → interactive`, value: round(interactive), unit: 'ms', target: '< 300 ms', pass: interactive < 300, runs: runs.map((r) => round(r.interactiveMs)), note: `state handled after ${round(m('handledMs'))} ms; main thread ${round(m('mainThreadMs'))} ms` },
      { measure: 'history', metric: 'webview JS heap after GC (opened chat)', value: round(m('heapMB')), unit: 'MB', runs: runs.map((r) => round(r.heapMB)), note: `${Math.round(m('domNodes'))} DOM nodes` },
      {
        measure: 'history', metric: `scrolling (${runs[0]?.frames ?? 0} frames at ${opts.scrollPx ?? 120} px/frame): frame time p95`, value: round(p95), unit: 'ms', target: '< 16 ms', pass: p95 < 16, runs: runs.map((r) => round(r.frameP95)),
        note: `rAF timestamp to after the frame's paint; p50 ${round(m('frameP50'))} ms, max ${round(m('frameMax'))} ms, frames over 16 ms: ${runs.map((r) => r.over16).join('/')} of ${runs[0]?.frames ?? 0}`,
      },
      {
        measure: 'history', metric: 'scrolling: main-thread CPU per frame p95', value: round(m('frameCpuP95')), unit: 'ms', runs: runs.map((r) => round(r.frameCpuP95)),
        note: `p50 ${round(m('frameCpuP50'))} ms, max ${round(m('frameCpuMax'))} ms (tasks between two frames, from a trace: CPU time, which other processes on the machine do not inflate)`,
      },
    ],
    details: { messages: messages.length, chars, runs },
  };
}
