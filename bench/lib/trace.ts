// Summarizes a Chromium trace (as written by webview.ts `traced`): the renderer main thread's top-level
// tasks, where their time went by trace event, and the V8 CPU profile's hottest functions by self time.
// Usage: tsx bench/lib/trace.ts <trace.json> [topN]
import { readFileSync } from 'node:fs';

interface Ev { pid: number; tid: number; ts: number; dur?: number; ph: string; name: string; cat: string; args?: any; id?: string }

export function summarizeTrace(file: string, top = 25): string {
  const events: Ev[] = JSON.parse(readFileSync(file, 'utf8')).traceEvents;
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  // The busiest renderer main thread is the page under test.
  let best: { pid: number; tid: number } | undefined;
  let bestCount = -1;
  for (const m of mains) {
    const n = events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X').length;
    if (n > bestCount) {
      bestCount = n;
      best = { pid: m.pid, tid: m.tid };
    }
  }
  if (!best) return 'no renderer main thread in trace';
  const main = events.filter((e) => e.pid === best!.pid && e.tid === best!.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const tasks = main.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');
  const out: string[] = [];
  const totalTask = tasks.reduce((s, t) => s + t.dur!, 0) / 1000;
  out.push(`main thread: ${tasks.length} tasks, ${totalTask.toFixed(1)} ms`);
  const longest = [...tasks].sort((a, b) => b.dur! - a.dur!).slice(0, 8);
  out.push(`longest tasks: ${longest.map((t) => `${(t.dur! / 1000).toFixed(1)} ms @${((t.ts - tasks[0].ts) / 1000).toFixed(0)}`).join(', ')}`);
  // Inclusive time by event name for the main thread's timeline events (nested, so they overlap).
  const byName = new Map<string, { ms: number; n: number }>();
  for (const e of main) {
    if (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') continue;
    const key = e.name === 'EventDispatch' ? `EventDispatch(${e.args?.data?.type})` : e.name;
    const v = byName.get(key) ?? { ms: 0, n: 0 };
    v.ms += e.dur! / 1000;
    v.n++;
    byName.set(key, v);
  }
  out.push('timeline events (inclusive ms, count):');
  for (const [k, v] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)) out.push(`  ${v.ms.toFixed(1).padStart(9)}  ${String(v.n).padStart(7)}  ${k}`);

  // V8 sampling profile: self time per function.
  const chunks = events.filter((e) => e.name === 'ProfileChunk' && e.pid === best!.pid);
  const nodes = new Map<number, { callFrame: any; parent?: number }>();
  const self = new Map<number, number>();
  for (const c of chunks) {
    const p = c.args?.data?.cpuProfile;
    for (const n of p?.nodes ?? []) nodes.set(n.id, { callFrame: n.callFrame, parent: n.parent });
    const samples: number[] = p?.samples ?? [];
    const deltas: number[] = c.args?.data?.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  }
  if (nodes.size) {
    const byFn = new Map<string, number>();
    const incl = new Map<string, number>();
    for (const [id, us] of self) {
      const n = nodes.get(id);
      if (!n) continue;
      const f = n.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${String(f.url ?? '').split('/').pop()}:${(f.lineNumber ?? -1) + 1}:${(f.columnNumber ?? -1) + 1}`;
      byFn.set(key, (byFn.get(key) ?? 0) + us);
      // Inclusive: walk up the stack once per distinct frame key.
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = nodes.get(cur)?.parent) {
        const cf = nodes.get(cur)?.callFrame;
        if (!cf) break;
        const k = `${cf.functionName || '(anonymous)'} ${String(cf.url ?? '').split('/').pop()}:${(cf.lineNumber ?? -1) + 1}:${(cf.columnNumber ?? -1) + 1}`;
        if (seen.has(k)) continue;
        seen.add(k);
        incl.set(k, (incl.get(k) ?? 0) + us);
      }
    }
    out.push('cpu profile, self ms:');
    for (const [k, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`  ${(us / 1000).toFixed(1).padStart(9)}  ${k}`);
    out.push('cpu profile, inclusive ms:');
    for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`  ${(us / 1000).toFixed(1).padStart(9)}  ${k}`);
  }
  return out.join('\n');
}

if (require.main === module) console.log(summarizeTrace(process.argv[2], Number(process.argv[3] ?? 25)));
