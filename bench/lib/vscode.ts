// One code-server session (real VS Code 1.139 + the packaged extension, driven by Chromium) for the pipeline
// and activation benches, via test/e2e/harness.ts. The extension host gets a preloaded probe
// (bench/probe/exthost.cjs) that records module loads and times activate(), a Groq key through the
// environment, and a local Groq-format server as its base URL.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { sampleWorkspace, startVsCode, type Session } from '../../test/e2e/harness';
import { FakeServer } from '../../test/fakes/server';
import { modelList } from '../../test/fakes/openaiFormat';
import { ROOT, WORK, now, sleep } from './util';

export const GROQ_KEY = 'gsk_bench_key_0123456789abcdef';
const PROBE = path.join(ROOT, 'bench', 'probe', 'exthost.cjs');

export interface BenchSession {
  vs: Session;
  groq: FakeServer;
  probeDir: string;
  close(): Promise<void>;
}

export async function startBenchSession(vsix: string): Promise<BenchSession> {
  const groq = new FakeServer('groq');
  await groq.start();
  groq.route(/\/models$/, () => modelList(['llama-3.3-70b-versatile', 'llama-3.1-8b-instant']));
  const probeDir = path.join(WORK, `probe-${Date.now()}`);
  mkdirSync(probeDir, { recursive: true });
  let vs: Session;
  try {
    vs = await startVsCode({
      workspace: sampleWorkspace,
      name: 'bench',
      vsix,
      timeoutMs: 120_000,
      settings: { 'parley.modelCatalogUrl': '', 'parley.groq.baseUrl': groq.url, 'parley.defaultProvider': 'groq', 'parley.maxRetries': 0, 'workbench.editor.restoreViewState': false },
      env: { NODE_OPTIONS: `--require ${PROBE}`, PARLEY_BENCH_PROBE_DIR: probeDir, GROQ_API_KEY: GROQ_KEY },
    });
  } catch (e) {
    await groq.stop();
    throw e;
  }
  return {
    vs,
    groq,
    probeDir,
    close: async () => {
      await vs.close();
      await groq.stop();
      rmSync(probeDir, { recursive: true, force: true });
    },
  };
}

export interface ProbeEvent { kind: 'start' | 'load' | 'activate'; t: number; pid?: number; module?: string; ms?: number; during?: string; sdkLoaded?: string[] }

/** Probe events per extension host process (pid), oldest process first. */
export function probeEvents(probeDir: string): Array<{ pid: number; events: ProbeEvent[] }> {
  return readdirSync(probeDir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => ({
      pid: Number(f.replace('.jsonl', '')),
      events: readFileSync(path.join(probeDir, f), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ProbeEvent),
    }))
    .sort((a, b) => (a.events[0]?.t ?? 0) - (b.events[0]?.t ?? 0));
}

/** Every Parley output channel log of the session (one per extension host), oldest first. */
export function parleyLogs(userData: string): string[] {
  const logs = path.join(userData, 'logs');
  if (!existsSync(logs)) return [];
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) {
        if (depth < 4) walk(p, depth + 1);
      } else if (name === 'Parley.log') found.push(p);
    }
  };
  walk(logs, 0);
  return found.sort((a, b) => statSync(a).birthtimeMs - statSync(b).birthtimeMs || a.localeCompare(b));
}

export function activationLines(file: string): number[] {
  return [...readFileSync(file, 'utf8').matchAll(/Parley activated in ([\d.]+) ms/g)].map((m) => Number(m[1]));
}

/** The panel's inner webview frame (where the bundle runs) as a Playwright Frame. */
export async function panelFrame(vs: Session, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const prompt = vs.webview().locator('textarea#prompt');
      await prompt.waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
      const handle = await vs.webview().owner().elementHandle({ timeout: 2000 });
      const frame = await handle?.contentFrame();
      if (frame) return frame;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await sleep(100);
  }
}

/** Offset to add to a time read in `frame` (timeOrigin + now) to get this process's clock; the best of a few round trips. */
export async function clockOffset(frame: Frame): Promise<{ offset: number; rtt: number }> {
  let best = { offset: 0, rtt: Infinity };
  for (let i = 0; i < 15; i++) {
    const a = now();
    const b = await frame.evaluate(() => performance.timeOrigin + performance.now());
    const c = now();
    if (c - a < best.rtt) best = { offset: (a + c) / 2 - b, rtt: c - a };
  }
  return best;
}

