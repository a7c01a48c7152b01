// Hottest functions of a .cpuprofile (V8 / Chromium / node --cpu-prof), by self and inclusive time.
// Usage: tsx bench/lib/cpuprofile.ts <file.cpuprofile> [topN]
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }

export function summarizeProfile(file: string, top = 25): string {
  const p: { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number } = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i + 1] ?? 0;
    const n = byId.get(p.samples[i]);
    if (!n) continue;
    self.set(key(n), (self.get(key(n)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = n.id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  }
  const total = (p.endTime - p.startTime) / 1000;
  const fmt = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `  ${(us / 1000).toFixed(1).padStart(9)}  ${k}`).join('\n');
  return `profile ${total.toFixed(0)} ms\nself ms:\n${fmt(self)}\ninclusive ms:\n${fmt(incl)}`;
}

if (require.main === module) console.log(summarizeProfile(process.argv[2], Number(process.argv[3] ?? 25)));
