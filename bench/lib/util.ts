import { mkdirSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
/** Scratch space for builds, snapshots, traces and profiles (git-ignored). */
export const WORK = path.join(ROOT, '.test-artifacts', 'bench');
mkdirSync(WORK, { recursive: true });

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

/** Wall clock in ms with sub-millisecond resolution, comparable across processes on this machine. */
export const now = () => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function log(...args: unknown[]): void {
  process.stderr.write(`[bench] ${args.map(String).join(' ')}\n`);
}

/** One row of the results table. */
export interface Row {
  measure: string;
  metric: string;
  value: number | string;
  unit: string;
  target?: string;
  pass?: boolean;
  /** The individual runs behind a median. */
  runs?: number[];
  note?: string;
}

export interface MeasureResult {
  rows: Row[];
  details?: Record<string, unknown>;
}

/**
 * Watches for the longest stretch the thread keeps the CPU without letting a timer run, in this thread's CPU time
 * (descheduling by other processes, which wall-clock delay monitors include, is not in it). `stop()` returns it.
 */
export function watchCpuBlocks(): { stop(): number } {
  let longestMs = 0;
  let watching = true;
  let last = process.threadCpuUsage();
  const watch = () => {
    const now = process.threadCpuUsage();
    longestMs = Math.max(longestMs, (now.user + now.system - last.user - last.system) / 1000);
    last = now;
    if (watching) setTimeout(watch, 0);
  };
  setTimeout(watch, 0);
  return {
    stop() {
      watching = false;
      return longestMs;
    },
  };
}
