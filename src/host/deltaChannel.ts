import type { StreamEvent } from '../protocol';

/** Longest that streamed text waits for an earlier stream message's delivery to settle before it is sent anyway. */
export const MAX_HOLD_MS = 200;

/** Posts one stream message to every panel showing the chat; returns the deliveries still pending. */
export type StreamPost = (seq: number, event: StreamEvent) => PromiseLike<unknown>[];

type Delta = Extract<StreamEvent, { type: 'text-delta' | 'reasoning-delta' }>;

/**
 * Owns one reply's flow to the panels: its sequence numbers, the text merged while an earlier stream message is
 * still on its way, and the timer bounding how long merged text is held.
 *
 * While a stream message is in flight, the next deltas are merged into one event. A fast provider (thousands of
 * deltas/s) then sends as many messages as the channel takes; a slow one still sends each delta the moment it
 * arrives. Order is kept: any other event flushes merged text first. A delivery that never settles holds merged
 * text for `maxHoldMs` at most.
 */
export class DeltaChannel {
  private seq = 0;
  private merged: Delta | undefined;
  private inFlight = 0;
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(private readonly post: StreamPost, private readonly maxHoldMs = MAX_HOLD_MS) {}

  send(event: StreamEvent): void {
    if (event.type !== 'text-delta' && event.type !== 'reasoning-delta') {
      this.flush();
      this.postNow(event);
      return;
    }
    if (this.merged?.type === event.type) this.merged = { type: event.type, text: this.merged.text + event.text };
    else {
      this.flush();
      this.merged = { type: event.type, text: event.text };
    }
    if (this.inFlight === 0) this.flush();
    else this.holdTimer ??= setTimeout(() => this.flush(), this.maxHoldMs);
  }

  private flush(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const event = this.merged;
    this.merged = undefined;
    if (event) this.postNow(event);
  }

  private postNow(event: StreamEvent): void {
    const deliveries = this.post(this.seq++, event);
    if (!deliveries.length) return;
    this.inFlight++;
    void Promise.allSettled(deliveries).then(() => {
      if (--this.inFlight === 0) this.flush();
    });
  }
}
