// One reply's flow of stream messages to the panels: sequence numbers, text merged between posts, and the timer
// that bounds how long merged text waits.
import type { StreamEvent } from '../protocol';

/** Longest that streamed text waits for earlier stream messages' deliveries to settle before it is sent anyway. */
export const MAX_HOLD_MS = 200;

/**
 * Stream messages on their way at once before text waits for one to be delivered. More than one: a delivery is
 * a round trip to the renderer (20–40 ms in code-server), and the first text must not wait for the `start` before
 * it; few: a panel that stops taking messages is not sent more than this.
 */
export const MAX_IN_FLIGHT = 3;

/**
 * Least time between two posts of streamed text: about 30 a second, as often as a reader sees text appear
 * smoothly. Each post costs the extension host a message to the renderer and its acknowledgement (a wake-up of
 * the host's thread each, shared with every other extension); a provider sending 100 deltas a second costs a
 * quarter of that, one sending 1,000 a thirtieth.
 */
export const MIN_POST_INTERVAL_MS = 33;

/** Posts one stream message to every panel showing the chat; returns the deliveries still pending. */
export type StreamPost = (seq: number, event: StreamEvent) => PromiseLike<unknown>[];

type Delta = Extract<StreamEvent, { type: 'text-delta' | 'reasoning-delta' }>;

/**
 * Owns one reply's flow to the panels: its sequence numbers, the text merged while it waits, and the timer
 * bounding that wait.
 *
 * The first delta of a reply is posted the moment it arrives. After that, deltas arriving within
 * `minIntervalMs` of the last posted text, or while `maxInFlight` stream messages are still on their way, are
 * merged into one event, which goes out with the first delta arriving once both are over. When deltas stop
 * coming, a timer started with the merge sends it: twice the interval after the merge began, or `maxHoldMs`
 * after it while the deliveries are pending. Twice, because a timer cleared before it is due costs nothing,
 * while one due before the stream's next delta wakes the thread even when cleared (Node leaves the wake-up
 * scheduled); a steady stream clears it long before. Order is kept: any other event flushes merged text first.
 * With no panel showing the chat nothing is held.
 */
export class DeltaChannel {
  private seq = 0;
  private merged: Delta | undefined;
  private mergedAt = 0;
  private lastTextPostAt = -Infinity;
  private inFlight = 0;
  private holdTimer: NodeJS.Timeout | undefined;
  /** Whether the last post reached a panel; when none shows the chat, pacing would only add timers. */
  private watched = true;

  constructor(
    private readonly post: StreamPost,
    private readonly maxHoldMs = MAX_HOLD_MS,
    private readonly minIntervalMs = MIN_POST_INTERVAL_MS,
    private readonly maxInFlight = MAX_IN_FLIGHT,
  ) {}

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
      this.mergedAt = performance.now();
    }
    this.flushIfDue();
  }

  private flushIfDue(): void {
    if (!this.merged) return;
    const now = performance.now();
    const held = now - this.mergedAt;
    if (held >= this.maxHoldMs || (this.inFlight < this.maxInFlight && (!this.watched || now - this.lastTextPostAt >= this.minIntervalMs))) {
      this.flush();
      return;
    }
    if (this.holdTimer) return;
    const wait = (this.inFlight < this.maxInFlight ? Math.min(2 * this.minIntervalMs, this.maxHoldMs) : this.maxHoldMs) - held;
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      // Due unless too many deliveries are still pending and the hold is not over: then this waits on (for one, or the hold).
      if (this.inFlight < this.maxInFlight) this.flush();
      else this.flushIfDue();
    }, Math.max(1, Math.ceil(wait)));
  }

  private flush(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const event = this.merged;
    this.merged = undefined;
    if (!event) return;
    this.lastTextPostAt = performance.now();
    this.postNow(event);
  }

  private postNow(event: StreamEvent): void {
    const deliveries = this.post(this.seq++, event);
    this.watched = deliveries.length > 0;
    if (!this.watched) return;
    this.inFlight++;
    void Promise.allSettled(deliveries).then(() => {
      if (--this.inFlight !== this.maxInFlight - 1 || !this.merged) return;
      // One fewer on its way than the most: merged text now waits only for the rest of its interval.
      clearTimeout(this.holdTimer);
      this.holdTimer = undefined;
      this.flushIfDue();
    });
  }
}
