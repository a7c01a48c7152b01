import assert from 'node:assert/strict';
import { IdleTimer } from '../../src/host/idleTimer';

describe('IdleTimer (a reply\'s idle timeout)', () => {
  it('runs out only after nothing touched it for its time', async () => {
    let firedAt = 0;
    const timer = new IdleTimer(40, () => (firedAt = performance.now()));
    const armedAt = performance.now();
    timer.arm();
    let lastTouch = armedAt;
    // Touched about every 10 ms for 120 ms (later on a busy machine: then it may run out, but never early).
    while (!firedAt && performance.now() - armedAt < 120) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (firedAt) break;
      timer.touch();
      lastTouch = performance.now();
    }
    while (!firedAt) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(firedAt - lastTouch >= 39, `ran out ${firedAt - lastTouch} ms after the last touch`);
  });

  it('an armed extra wait holds until the next touch, which goes back to the usual time', async () => {
    let fired = 0;
    const timer = new IdleTimer(30, () => fired++);
    timer.arm(60_000);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(fired, 0, 'the extra wait was not kept');
    const touchedAt = performance.now();
    timer.touch();
    while (!fired) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(performance.now() - touchedAt >= 29);
    timer.disarm();
  });

  it('disarmed, it never runs out', async () => {
    let fired = 0;
    const timer = new IdleTimer(5, () => fired++);
    timer.arm();
    timer.disarm();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(fired, 0);
  });
});
