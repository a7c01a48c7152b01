// Times the way back of a chat panel that VS Code restores after a window reload: from activate() to the first state
// posted to the restored webview. Logs one line to the Parley output channel when that state goes; the bench
// (bench/measures/activation.ts) reads it. Offsets from activate() are kept, not the log's own timestamps: VS Code's
// log file buffers lines written while it opens and stamps them when it flushes.

export type RestoreStep = 'deserialize' | 'html' | 'ready' | 'state';

export const RESTORE_LINE = /Restored the chat panel \(ms after activate\(\) began at (\S+)\): (.*)$/m;

export class RestoreTrace {
  private readonly steps: Array<[RestoreStep, number]> = [];
  private done = false;

  /** `activateStarted` is `performance.now()` when activate() began. */
  constructor(private readonly activateStarted: number, private readonly log: (line: string) => void) {}

  /** The first time each step happens; the line goes out with the first state. */
  mark(step: RestoreStep): void {
    if (this.done || this.steps.some(([s]) => s === step)) return;
    this.steps.push([step, performance.now() - this.activateStarted]);
    if (step !== 'state') return;
    this.done = true;
    const began = new Date(performance.timeOrigin + this.activateStarted).toISOString();
    this.log(`Restored the chat panel (ms after activate() began at ${began}): ${this.steps.map(([s, ms]) => `${s} ${ms.toFixed(1)}`).join(', ')}`);
  }
}

/** The steps of the last restore line in `text`, as ms after activate() began. */
export function parseRestoreLine(text: string): { began: number; steps: Partial<Record<RestoreStep, number>> } | undefined {
  const all = [...text.matchAll(new RegExp(RESTORE_LINE.source, 'gm'))];
  const m = all.at(-1);
  if (!m) return undefined;
  const steps: Partial<Record<RestoreStep, number>> = {};
  for (const part of m[2].split(', ')) {
    const [step, ms] = part.split(' ');
    steps[step as RestoreStep] = Number(ms);
  }
  return { began: Date.parse(m[1]), steps };
}
