// A Groq-format streaming reply played at a fixed rate (e.g. 5,000 deltas/s), recording when each delta left
// the server. Node timers tick at ~1 ms, so each tick writes every delta that is due (5 per ms at 5,000/s),
// each in its own write.
import type { FakeReply } from '../../test/fakes/server';
import { chatChunks } from '../../test/fakes/openaiFormat';
import { now } from './util';

export interface PacedReply {
  reply: FakeReply;
  /** Send time of delta i (this process's clock), filled while it plays. */
  sent: number[];
  done: Promise<void>;
}

export function pacedReply(deltas: string[], perSecond: number): PacedReply {
  const frames = chatChunks(deltas, { usage: { prompt_tokens: 20, completion_tokens: deltas.length } });
  // frames: [role], one per delta, [finish + usage], [DONE]
  const sent: number[] = [];
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  const reply: FakeReply = {
    kind: 'raw',
    handler: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.flushHeaders();
      res.socket?.setNoDelay(true);
      res.write(frames[0]);
      const interval = 1000 / perSecond;
      const t0 = now();
      let i = 0;
      const tick = () => {
        if (res.destroyed) return finished();
        const due = Math.min(deltas.length, Math.floor((now() - t0) / interval) + 1);
        while (i < due) {
          sent[i] = now();
          res.write(frames[i + 1]);
          i++;
        }
        if (i < deltas.length) setTimeout(tick, 0);
        else {
          for (const f of frames.slice(deltas.length + 1)) res.write(f);
          res.end();
          finished();
        }
      };
      tick();
    },
  };
  return { reply, sent, done };
}
