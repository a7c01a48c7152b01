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
  it('posts the first delta at once and numbers every message in order; deltas within the interval go together after it', async () => {
    const panel = fakePanel('at-once');
    const channel = new DeltaChannel(panel.post, 60_000, 25);
    channel.send({ type: 'start', messageId: 'm', provider: 'demo', model: 'x' });
    await new Promise((resolve) => setImmediate(resolve));
    const first = performance.now();
    channel.send(text('a'));
    channel.send(text('b'));
    await new Promise((resolve) => setImmediate(resolve));
    channel.send(text('c'));
    assert.deepEqual(panel.posted.map((p) => p.event), [{ type: 'start', messageId: 'm', provider: 'demo', model: 'x' }, text('a')]);
    await until(() => panel.posted.length === 3);
    assert.ok(performance.now() - first >= 24, 'merged text went before the interval was over');
    assert.deepEqual(panel.posted.map((p) => p.seq), [0, 1, 2]);
    assert.deepEqual(panel.posted[2].event, text('bc'));
  });

  it('a steady stream is posted at most once an interval, every character in order', async () => {
    const panel = fakePanel('at-once');
    const interval = 20;
    const channel = new DeltaChannel((seq, event) => {
      if (event.type === 'text-delta') times.push(performance.now());
      return panel.post(seq, event);
    }, 60_000, interval);
    const times: number[] = [];
    const sent: string[] = [];
    // Two deltas at a time (so at least half are merged however slow the machine), a few ms apart.
    for (let i = 0; i < 40; i++) {
      sent.push(`d${i} `);
      channel.send(text(`d${i} `));
      if (i % 2) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    channel.send({ type: 'finish', reason: 'stop' });
    const texts = panel.posted.filter((p) => p.event.type === 'text-delta').map((p) => (p.event as { text: string }).text);
    assert.equal(texts.join(''), sent.join(''));
    assert.ok(texts.length < sent.length, `${texts.length} posts for ${sent.length} deltas`);
    // The last text went with the finish; the ones before it each waited for the interval.
    for (let i = 1; i < times.length - 1; i++) assert.ok(times[i] - times[i - 1] >= interval - 1, `posts ${times[i] - times[i - 1]} ms apart`);
    assert.deepEqual(panel.posted.map((p) => p.seq), panel.posted.map((_, i) => i));
  });

  it('when deltas stop, merged text goes out by itself', async () => {
    const panel = fakePanel('at-once');
    const channel = new DeltaChannel(panel.post, 60_000, 10);
    channel.send(text('a'));
    channel.send(text('b'));
    channel.send(text('c'));
    assert.equal(panel.posted.length, 1);
    await until(() => panel.posted.length === 2);
    assert.deepEqual(panel.posted[1].event, text('bc'));
  });

  it('merges deltas of one kind while a message is in flight, and sends them once it is delivered', async () => {
    const panel = fakePanel('held');
    const channel = new DeltaChannel(panel.post, 60_000, 0, 1);
    channel.send(text('a'));
    channel.send(text('b'));
    channel.send(text('c'));
    assert.deepEqual(panel.posted.map((p) => p.event), [text('a')]);
    panel.settle.shift()!();
    await until(() => panel.posted.length === 2);
    assert.deepEqual(panel.posted[1], { seq: 1, event: text('bc') });
  });

  it('the first delta does not wait for the start to be delivered; text waits once three messages are on their way', async () => {
    const panel = fakePanel('held');
    const channel = new DeltaChannel(panel.post, 60_000, 0);
    channel.send({ type: 'start', messageId: 'm', provider: 'demo', model: 'x' });
    channel.send(text('a'));
    channel.send(text('b'));
    channel.send(text('c'));
    channel.send(text('d'));
    assert.deepEqual(panel.posted.slice(1).map((p) => p.event), [text('a'), text('b')]);
    panel.settle.shift()!();
    await until(() => panel.posted.length === 4);
    assert.deepEqual(panel.posted[3], { seq: 3, event: text('cd') });
  });

  it('keeps order: another kind of event flushes merged text first, and text and reasoning never merge', () => {
    const panel = fakePanel('held');
    const channel = new DeltaChannel(panel.post, 60_000, 0, 1);
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
    const channel = new DeltaChannel(panel.post, 20, 0, 1);
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
