// 3. activation — Parley's activate() timed inside the extension host over fresh extension-host starts (a
// window reload starts a new extension host process), read from the "Parley activated in X ms" line of the
// Parley output channel log and cross-checked by the preloaded probe, which also lists the SDK chunks loaded
// by the time activate() returned. Then the restore: after a window reload with the chat open, the time from the
// workbench being up to the panel showing its chat again, with no command run. Plus the sizes of what ships.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { until } from '../../test/e2e/harness';
import { restoreStamps, timelineRows, type Stamps } from '../lib/restoreTimeline';
import { activationLines, panelFrame, parleyLogs, probeEvents, type BenchSession } from '../lib/vscode';
import { log, median, now, round, sleep, type MeasureResult, type Row } from '../lib/util';

export interface ActivationOptions {
  session: BenchSession;
  /** The dist/ snapshot whose sizes are reported. */
  dist: string;
  starts: number;
}

interface Start {
  /** From Parley's own log line. */
  logMs: number;
  /** From the probe around activate() (includes the probe's own call). */
  probeMs?: number;
  /** Time to require dist/extension.js (VS Code's "code loading"). */
  loadMs?: number;
  sdkLoaded: string[];
}

async function waitFor<T>(read: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`activation: timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function activationBench(opts: ActivationOptions): Promise<MeasureResult> {
  const { vs } = opts.session;
  const starts: Start[] = [];
  for (let i = 0; i < opts.starts; i++) {
    const logsBefore = parleyLogs(vs.paths.userData).length;
    const hostsBefore = probeEvents(opts.session.probeDir).length;
    // A reload ends the window's extension host and starts a new process: a fresh activation.
    if (i > 0 || logsBefore > 0) await vs.reload({ timeoutMs: 90_000 });
    await vs.runCommand('Parley: Start Chat');
    const file = await waitFor(() => {
      const logs = parleyLogs(vs.paths.userData);
      const f = logs.length > logsBefore ? logs.at(-1)! : undefined;
      return f && activationLines(f).length ? f : undefined;
    }, 'the Parley log line');
    const logMs = activationLines(file)[0];
    const hosts = probeEvents(opts.session.probeDir);
    const host = hosts.length > hostsBefore ? hosts.at(-1) : undefined;
    const activate = host?.events.find((e) => e.kind === 'activate');
    const load = host?.events.find((e) => e.kind === 'load' && e.module === 'extension');
    starts.push({ logMs, probeMs: activate?.ms, loadMs: load?.ms, sdkLoaded: activate?.sdkLoaded ?? [] });
    log(`activation ${i + 1}/${opts.starts}: ${logMs} ms (probe ${activate ? round(activate.ms!, 1) : 'n/a'} ms, extension.js load ${load ? round(load.ms!, 1) : 'n/a'} ms)`);
  }
  const timelines = await restoreRuns(opts.session, Math.max(3, Math.min(opts.starts, 5)));
  const restores = timelines.map((s) => s.seen - s.up);
  const probed = starts.filter((s) => s.probeMs !== undefined);
  const sdkDuring = [...new Set(starts.flatMap((s) => s.sdkLoaded))];
  const med = median(starts.map((s) => s.logMs));
  const rows: Row[] = [
    {
      measure: 'activation', metric: `activate() in the extension host, median of ${starts.length} fresh starts`, value: round(med, 1), unit: 'ms', target: '< 25 ms, no SDK loaded',
      pass: med < 25 && probed.length > 0 && sdkDuring.length === 0, runs: starts.map((s) => s.logMs),
      note: probed.length
        ? `SDK chunks loaded by the end of activate(): ${sdkDuring.length ? sdkDuring.join(', ') : 'none'} (probe in ${probed.length}/${starts.length} starts; probe median ${round(median(probed.map((s) => s.probeMs!)), 1)} ms, require(dist/extension.js) median ${round(median(probed.filter((s) => s.loadMs !== undefined).map((s) => s.loadMs!)), 1)} ms)`
        : 'probe not loaded in the extension host: SDK loading could not be verified',
    },
    {
      measure: 'activation', metric: `restore: the chat back after a window reload, from the workbench up (median of ${restores.length})`, value: round(median(restores), 0), unit: 'ms',
      target: '< 1000 ms', pass: median(restores) < 1000, runs: restores.map((r) => round(r, 0)),
      note: 'no command run: VS Code restores the tab, activates Parley for it (onWebviewPanel) and its serializer reconnects it; measured until the panel shows the chat\'s title (from the state the webview saved, or the host\'s); the steps below break it down',
    },
    ...timelineRows(timelines),
    ...sizeRows(opts.dist),
  ];
  return { rows, details: { starts, restores, timelines } };
}

/** Reloads the window `runs` times with the chat open; each time, the stamps of the way from the workbench up to the chat shown. */
async function restoreRuns(session: BenchSession, runs: number): Promise<Stamps[]> {
  const { vs } = session;
  await vs.runCommand('Parley: Start Chat');
  const timelines: Stamps[] = [];
  for (let i = 0; i < runs; i++) {
    const hostsBefore = probeEvents(session.probeDir).length;
    // VS Code's own reload: the workbench saves its state (the webview's included) before it goes.
    await vs.reload({ timeoutMs: 90_000, command: true });
    const up = now();
    const panel = vs.webview();
    // "Chat" is the layout's placeholder: any other title is the chat's, shown.
    await until(() => panel.locator('#chat-title').innerText({ timeout: 1000 }).catch(() => ''), (t) => t !== '' && t !== 'Chat', 'the restored chat', 60_000);
    const seen = now();
    const frame = await panelFrame(vs);
    // The host's state too (its stamp is read from the webview), before the next reload.
    await until(() => frame.evaluate(() => performance.getEntriesByName('parley:state').length), (n) => n > 0, 'the host\'s state in the restored panel', 60_000);
    timelines.push(await restoreStamps(session, frame, up, seen, hostsBefore));
    log(`restore ${i + 1}/${runs}: ${round(seen - up, 0)} ms`);
  }
  return timelines;
}

const KB = 1024;

export function sizeRows(dist: string): Row[] {
  const size = (f: string) => (existsSync(f) ? statSync(f).size : NaN);
  const rows: Row[] = [];
  const ext = size(path.join(dist, 'extension.js'));
  rows.push({ measure: 'activation', metric: 'dist/extension.js (minified)', value: round(ext / KB, 1), unit: 'KB', target: '< 150 KB', pass: ext < 150 * KB });
  const sdkDir = path.join(dist, 'sdk');
  for (const f of existsSync(sdkDir) ? readdirSync(sdkDir).filter((n) => n.endsWith('.js')).sort() : []) {
    rows.push({ measure: 'activation', metric: `dist/sdk/${f} (lazy)`, value: round(size(path.join(sdkDir, f)) / KB, 1), unit: 'KB' });
  }
  const web = size(path.join(dist, 'webview', 'main.js'));
  rows.push({ measure: 'activation', metric: 'dist/webview/main.js (minified)', value: round(web / KB, 1), unit: 'KB', target: '< 300 KB', pass: web < 300 * KB });
  const css = size(path.join(dist, 'webview', 'main.css'));
  rows.push({ measure: 'activation', metric: 'dist/webview/main.css', value: round(css / KB, 1), unit: 'KB' });
  const vsix = size(path.join(dist, 'parley.vsix'));
  rows.push({ measure: 'activation', metric: 'dist/parley.vsix', value: round(vsix / KB / KB, 2), unit: 'MB', target: '< 3 MB', pass: vsix < 3 * KB * KB });
  return rows;
}
