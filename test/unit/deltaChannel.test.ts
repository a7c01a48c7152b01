import assert from 'node:assert/strict';
import { DeltaChannel } from '../../src/host/deltaChannel';
import type { StreamEvent } from '../../src/protocol';

/** A panel stand-in whose deliveries settle only when the test says so. */
function fakePanel(deliver: 'at-once' | 'held' | 'nobody') {
  const posted: { seq: number; event: StreamEvent }[] = [];
  const settle: (() => void)[] = [];
  const post = (seq: number, event: StreamEvent): PromiseLike<unknown>[] => {
    if (deliver === 'nobody') return [];
    posted.push({ seq, event });
    if (deliver === 'at-once') return [Promise.resolve()];
    return [new Promise<void>((resolve) => settle.push(resolve))];
  };
  return { posted, settle, post };
}

const text = (t: string): StreamEvent => ({ type: 'text-delta', text: t });
const reasoning = (t: string): StreamEvent => ({ type: 'reasoning-delta', text: t });

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('DeltaChannel (seq, merging, hold)', () => {
  it('posts a delta at once when nothing is in flight, numbering every message in order', async () => {
    const panel = fakePanel('at-once');
    const channel = new DeltaChannel(panel.post);
    channel.send({ type: 'start', messageId: 'm', provider: 'demo', model: 'x' });
    await new Promise((resolve) => setImmediate(resolve));
    channel.send(text('a'));
    await new Promise((resolve) => setImmediate(resolve));
    channel.send(text('b'));
    assert.deepEqual(panel.posted.map((p) => p.seq), [0, 1, 2]);
    assert.deepEqual(panel.posted.slice(1).map((p) => p.event), [text('a'), text('b')]);
  });

  it('merges deltas of one kind while a message is in flight, and sends them once it is delivered', async () => {
    const panel = fakePanel('held');
    const channel = new DeltaChannel(panel.post, 60_000);
    channel.send(text('a'));
    channel.send(text('b'));
    channel.send(text('c'));
    assert.deepEqual(panel.posted.map((p) => p.event), [text('a')]);
    panel.settle.shift()!();
    await until(() => panel.posted.length === 2);
    assert.deepEqual(panel.posted[1], { seq: 1, event: text('bc') });
  });

  it('keeps order: another kind of event flushes merged text first, and text and reasoning never merge', () => {
    const panel = fakePanel('held');
    const channel = new DeltaChannel(panel.post, 60_000);
    channel.send(text('a'));
    channel.send(reasoning('r1'));
    channel.send(reasoning('r2'));
    channel.send(text('b'));
    channel.send({ type: 'finish', reason: 'stop' });
    assert.deepEqual(
      panel.posted.map((p) => [p.seq, p.event]),
      [
        [0, text('a')],
        [1, reasoning('r1r2')],
        [2, text('b')],
        [3, { type: 'finish', reason: 'stop' }],
      ],
    );
  });

  it('a delivery that never settles holds merged text for the hold time at most', async () => {
    const panel = fakePanel('held');
    const channel = new DeltaChannel(panel.post, 20);
    const started = Date.now();
    channel.send(text('a'));
    channel.send(text('b'));
    await until(() => panel.posted.length === 2);
    assert.ok(Date.now() - started >= 15, 'sent before the hold time');
    assert.deepEqual(panel.posted[1].event, text('b'));
  });

  it('with no panel showing the chat nothing is held, and numbering goes on', () => {
    const panel = fakePanel('nobody');
    const seqs: number[] = [];
    const channel = new DeltaChannel((seq, event) => (seqs.push(seq), panel.post(seq, event)));
    channel.send(text('a'));
    channel.send(text('b'));
    channel.send({ type: 'finish', reason: 'stop' });
    assert.deepEqual(seqs, [0, 1, 2]);
  });
});
