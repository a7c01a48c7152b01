// What the panel says to screen readers. The log is not a live region: it is virtualized, so messages enter and
// leave its DOM as it scrolls. A reply is announced here once it has finished (like VS Code's own chat), errors as
// they happen.
import type { FinishReason } from '../src/protocol';

const ANNOUNCE_CHARS = 1000;

export function announce(text: string): void {
  const announcer = document.getElementById('announcer')!;
  announcer.textContent = '';
  // A new text node after a frame: read even when it repeats the last announcement.
  requestAnimationFrame(() => (announcer.textContent = text.length > ANNOUNCE_CHARS ? `${text.slice(0, ANNOUNCE_CHARS)}…` : text));
}

const FINISHED: Record<FinishReason, string> = {
  stop: 'Reply',
  length: 'Reply cut off at the token limit',
  'content-filter': "Reply stopped by the provider's content filter",
  stopped: 'Reply stopped',
  interrupted: 'Reply interrupted',
  error: 'Reply failed',
  'tool-calls': 'Reply waiting for tool results',
};

/** The announcement of a finished reply: how it ended, then its text (`liveText`, the reply as streamed). */
export function finishedText(reason: FinishReason, liveText: string | undefined): string {
  const text = liveText?.replace(/\s+/g, ' ').trim();
  return text ? `${FINISHED[reason]}: ${text}` : `${FINISHED[reason]}.`;
}
