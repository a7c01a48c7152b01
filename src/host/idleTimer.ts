// The idle timeout of one reply: runs out when the provider has sent nothing for a while.

/**
 * Fires `onIdle` once nothing has `touch`ed it for `idleMs`. A stream touches it on every event, so touching only
 * notes the time: the timer checks that note when it runs out and waits out the rest if something came
 * meanwhile. A steady stream then costs one wake-up per `idleMs` instead of a timer restart per event.
 */
export class IdleTimer {
  private timer: NodeJS.Timeout | undefined;
  private ms: number;
  private lastTouch = 0;

  constructor(private readonly idleMs: number, private readonly onIdle: () => void) {
    this.ms = idleMs;
  }

  /** Starts the wait over, with `extraMs` more this once (a retry announced to come after that long). */
  arm(extraMs = 0): void {
    this.ms = this.idleMs + extraMs;
    this.lastTouch = performance.now();
    clearTimeout(this.timer);
    this.schedule(this.ms);
  }

  /** Something came: the wait starts over (cheap enough for every event of a stream). */
  touch(): void {
    this.lastTouch = performance.now();
    if (this.ms !== this.idleMs) this.arm();
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      const left = this.lastTouch + this.ms - performance.now();
      // A timer may run a fraction of a millisecond before performance.now() says it is due.
      if (left > 1) this.schedule(left);
      else {
        this.timer = undefined;
        this.onIdle();
      }
    }, delay);
  }
}
