// What the provider contract suite (test/unit/providerContract.ts) needs to know about a wire format: how it
// streams a text reply, where the text starts in its frames, what an unreadable frame looks like, and how an
// error response with a given HTTP status is worded. One description per format lives beside its fakes.
import type { FakeReply } from './server';

export interface WireFormat {
  /** A whole text reply: the deltas, then usage (input/output tokens), then the provider's own end of reply. */
  stream(deltas: string[], options?: { usage?: { input: number; output: number }; delayMs?: number; dropAfter?: number }): FakeReply;
  /** The frames of such a reply, to cut short or splice a broken frame into. */
  frames(deltas: string[]): string[];
  /** How many frames come before the first text delta. */
  lead: number;
  /** A frame whose JSON is cut off mid-object. */
  malformed: string;
  /** An error response for this HTTP status, with the error type or code the provider names for it. */
  error(status: number, message: string, headers?: Record<string, string>): FakeReply;
}
