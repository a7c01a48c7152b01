// The restore after a window reload, step by step: where the time from the workbench being up to the chat shown goes.
// Stamps come from four clocks on this machine, all wall-clock based: the bench's own, the preloaded probe in the
// extension host (process start, require of dist/extension.js, activate()), Parley's "Restored the chat panel" log
// line (deserialize, html set, ready received, state posted, as offsets from activate()), and the page's and the
// webview's performance marks (VS Code's webview/webviewElement/* in the workbench page; parley:ready, :snapshot,
// :state in the webview), the browser's read through a measured clock offset.
import { readFileSync } from 'node:fs';
import type { Frame } from 'playwright-core';
import { parseRestoreLine } from '../../src/host/restoreTrace';
import { median, round, type Row } from './util';
import { clockOffset, parleyLogs, probeEvents, type BenchSession } from './vscode';

/** Whose time a step is. */
type Owner = 'VS Code' | 'Parley' | 'both';

interface Step {
  label: string;
  owner: Owner;
  /** Stamp names this step runs between (ms from the workbench up). */
  from: string;
  to: string;
}

/** In order; a step whose stamps are missing in a run is left out of that run. */
const STEPS: Step[] = [
  { label: 'workbench up → extension host process started', owner: 'VS Code', from: 'up', to: 'exthost' },
  { label: 'extension host started → require(dist/extension.js) begins (host boots, scans, activates others)', owner: 'VS Code', from: 'exthost', to: 'load' },
  { label: 'require(dist/extension.js)', owner: 'Parley', from: 'load', to: 'loaded' },
  { label: 'loaded → activate() called', owner: 'VS Code', from: 'loaded', to: 'activate' },
  { label: 'activate()', owner: 'Parley', from: 'activate', to: 'activated' },
  { label: 'activate() returned → deserializeWebviewPanel called', owner: 'VS Code', from: 'activated', to: 'deserialize' },
  { label: 'deserializeWebviewPanel → webview html set', owner: 'Parley', from: 'deserialize', to: 'html' },
  { label: 'html set → the workbench sets the webview\'s content', owner: 'VS Code', from: 'html', to: 'setContent' },
  { label: 'content set → webview document starts loading', owner: 'VS Code', from: 'setContent', to: 'document' },
  { label: 'document → webview/main.ts posts ready (bundle and its chunks fetched, parsed, run)', owner: 'both', from: 'document', to: 'readyPosted' },
  { label: 'ready posted → saved chat shown (vscode.getState)', owner: 'Parley', from: 'readyPosted', to: 'snapshot' },
  { label: 'ready posted → host hears it', owner: 'VS Code', from: 'readyPosted', to: 'ready' },
  { label: 'host hears ready → state posted (history, keys, model lists)', owner: 'Parley', from: 'ready', to: 'state' },
  { label: 'state posted → applied in the webview', owner: 'both', from: 'state', to: 'applied' },
];

export type Stamps = Record<string, number>;

/** Wall-clock ms of each stamp for the reload that ended (workbench up) at `up`; `seen` is when the bench saw the chat. */
export async function restoreStamps(session: BenchSession, frame: Frame, up: number, seen: number, hostsBefore: number): Promise<Stamps> {
  const at: Stamps = { up, seen };
  const host = probeEvents(session.probeDir).slice(hostsBefore).at(-1);
  const ev = (kind: string) => host?.events.find((e) => e.kind === kind && (kind !== 'load' || e.module === 'extension'));
  const start = ev('start'), load = ev('load'), activate = ev('activate');
  if (start) at.exthost = start.t;
  if (load?.ms !== undefined) Object.assign(at, { load: load.t - load.ms, loaded: load.t });
  if (activate?.ms !== undefined) Object.assign(at, { activate: activate.t - activate.ms, activated: activate.t });
  const logFile = parleyLogs(session.vs.paths.userData).at(-1);
  const line = logFile ? parseRestoreLine(readFileSync(logFile, 'utf8')) : undefined;
  if (line) {
    // The probe's stamp of activate() is sub-millisecond; the line's own is to the millisecond.
    const began = at.activate ?? line.began;
    for (const [step, ms] of Object.entries(line.steps)) at[step] = began + ms;
  }
  const page = frame.page().mainFrame();
  const pageOffset = (await clockOffset(page)).offset;
  const pageMarks = await page.evaluate(() => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('webview/webviewElement/')).map((m) => [m.name, performance.timeOrigin + m.startTime] as const));
  const setContent = pageMarks.filter(([n]) => n.endsWith('/set-content')).at(-1);
  if (setContent) at.setContent = setContent[1] + pageOffset;
  const offset = (await clockOffset(frame)).offset;
  const inner = await frame.evaluate(() => ({
    origin: performance.timeOrigin,
    marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const),
  }));
  at.document = inner.origin + offset;
  const firstMark = (name: string) => inner.marks.find(([n]) => n === name)?.[1];
  for (const [name, key] of [['parley:ready', 'readyPosted'], ['parley:snapshot', 'snapshot'], ['parley:state', 'applied']] as const) {
    const t = firstMark(name);
    if (t !== undefined) at[key] = inner.origin + t + offset;
  }
  return at;
}

/** Rows: each step's median duration (and where it ends, from the workbench up), then VS Code's share of the total. */
export function timelineRows(runs: Stamps[]): Row[] {
  const rows: Row[] = [];
  const rel = (s: Stamps, k: string) => s[k] - s.up;
  let vscode = 0;
  for (const step of STEPS) {
    const have = runs.filter((s) => s[step.from] !== undefined && s[step.to] !== undefined);
    if (!have.length) continue;
    const durations = have.map((s) => s[step.to] - s[step.from]);
    const med = median(durations);
    if (step.owner === 'VS Code') vscode += med;
    rows.push({
      measure: 'activation', metric: `restore step (${step.owner}): ${step.label}`, value: round(med, 0), unit: 'ms', runs: durations.map((d) => round(d, 0)),
      note: `ends at +${round(median(have.map((s) => rel(s, step.to))), 0)} ms from the workbench up (median)`,
    });
  }
  const total = median(runs.map((s) => rel(s, 'seen')));
  const hostState = runs.filter((s) => s.applied !== undefined);
  rows.push({
    measure: 'activation', metric: 'restore: VS Code\'s own steps (sum of the step medians above) of the whole', value: round(vscode, 0), unit: 'ms',
    note: `of ${round(total, 0)} ms to the chat shown (median)${hostState.length ? `; the host's state applied at +${round(median(hostState.map((s) => rel(s, 'applied'))), 0)} ms` : ''}; "both": VS Code carries it (webview resource loading, postMessage), Parley decides how much goes`,
  });
  return rows;
}
