// Page-side driver of the render and history benches (plain JS, evaluated in the page through CDP).
// Defines window.__benchDriver.
(() => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));

  /** Resolves once `ready()` is true, checked after every frame; returns the time it first held. */
  async function until(ready, timeoutMs = 600000) {
    const end = performance.now() + timeoutMs;
    for (;;) {
      if (ready()) return performance.now();
      if (performance.now() > end) throw new Error('timed out waiting for the page');
      await frame();
    }
  }

  const doneCheck = {
    // The real panel: the reply is finished and its streaming block was folded away.
    panel: (id) => () => {
      const a = document.querySelector(`article.message[data-id="${id}"]`);
      return !!a && a.dataset.status === 'done' && !a.querySelector('.md-block.open');
    },
    naive: () => () => document.querySelector('article.message')?.dataset.status === 'done',
  };

  /**
   * Delivers `deltas` (host messages) as fast as the page takes them: each is posted as soon as the page
   * has dispatched the previous one ('chained', one message in flight, so the browser renders at its normal
   * frame rate in between), or all at once ('burst', the whole stream queued up front).
   * Returns timestamps at the delta indices in `marks`, the longest gap between two consecutive deltas
   * being handled, and the time the final DOM was complete. At each mark it awaits window.__benchMark (if the
   * bench exposed it), which may answer that the stream is to stop there (`stoppedAt`).
   */
  async function stream({ deltas, tail, mode, kind, messageId, marks }) {
    const markSet = new Map(marks.map((m, i) => [m, i]));
    const markTimes = new Array(marks.length).fill(0);
    let next = 0;
    let last = 0;
    let maxGap = 0;
    let maxGapAt = -1;
    let finished;
    let stoppedAt = 0;
    const allDelivered = new Promise((r) => (finished = r));
    const onMessage = (event) => {
      const i = event.data && event.data.__i;
      if (i === undefined) return;
      const t = performance.now();
      if (last && t - last > maxGap) {
        maxGap = t - last;
        maxGapAt = i;
      }
      last = t;
      const mark = markSet.get(i + 1);
      if (mark !== undefined) markTimes[mark] = t;
      if (mark !== undefined && window.__benchMark && mode === 'chained' && next < deltas.length) {
        // Let the bench read the main thread's counters here; it may also say the time budget is spent.
        window.__benchMark(i + 1).then((stop) => {
          if (!stop) return window.postMessage(deltas[next++], '*');
          stoppedAt = i + 1;
          next = deltas.length;
          finished();
        });
        return;
      }
      if (mode === 'chained' && next < deltas.length) window.postMessage(deltas[next++], '*');
      if (i === deltas.length - 1) finished();
    };
    // Runs after the page's own listener (added later), so a delta counts once the panel has handled it.
    window.addEventListener('message', onMessage);
    for (let i = 0; i < deltas.length; i++) deltas[i].__i = i;
    const t0 = performance.now();
    const first = markSet.get(0);
    if (first !== undefined) markTimes[first] = t0;
    if (mode === 'chained') window.postMessage(deltas[next++], '*');
    else {
      for (const m of deltas) window.postMessage(m, '*');
      next = deltas.length;
    }
    await allDelivered;
    const tDelivered = performance.now();
    for (const m of tail) window.postMessage(m, '*');
    const tEnd = await until(doneCheck[kind](messageId));
    window.removeEventListener('message', onMessage);
    return { t0, tDelivered, tEnd, markTimes, maxGap, maxGapAt, stoppedAt };
  }

  /** Posts messages and waits `frames` animation frames. */
  async function deliver(messages, frames = 2) {
    for (const m of messages) window.postMessage(m, '*');
    for (let i = 0; i < frames; i++) await frame();
  }

  function longtasks(since) {
    return window.__longtasks.filter((t) => t.start >= since);
  }

  /**
   * Waits until the page has settled: three idle periods in a row with the whole idle budget free (at most
   * `capMs`). A reply never arrives in the page's first instants; work it schedules for idle time is done.
   */
  async function settle(capMs = 3000) {
    const end = performance.now() + capMs;
    let quiet = 0;
    while (quiet < 3 && performance.now() < end) {
      const free = await new Promise((r) => requestIdleCallback((d) => r(d.timeRemaining()), { timeout: 200 }));
      quiet = free >= 45 ? quiet + 1 : 0;
    }
  }

  window.__benchDriver = { stream, deliver, until, frame, longtasks, settle };
})();

// ---- history: open a long saved chat, then scroll through it ----
(() => {
  const d = window.__benchDriver;
  const afterFrame = () => new Promise((resolve) => {
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve(performance.now());
      ch.port2.postMessage(0);
    });
  });

  /**
   * Posts the `state` message and returns: when the panel had handled it (same dispatch), and when the first
   * frame after that was rendered with the last message in the DOM and the input enabled (interactive).
   */
  d.openHistory = async function openHistory(message, lastId) {
    let handled = 0;
    const onMessage = () => (handled = performance.now());
    window.addEventListener('message', onMessage, { once: true });
    const t0 = performance.now();
    window.postMessage(message, '*');
    await d.until(() => handled > 0);
    const ready = () => {
      const prompt = document.getElementById('prompt');
      return !!document.querySelector(`article.message[data-id="${lastId}"]`) && !!prompt && !prompt.disabled;
    };
    let tInteractive = 0;
    for (let i = 0; i < 600 && !tInteractive; i++) {
      const t = await afterFrame();
      if (ready()) tInteractive = t;
    }
    // Input check: typing into the prompt works at once.
    const prompt = document.getElementById('prompt');
    prompt.focus();
    return { t0, handled: handled - t0, interactive: tInteractive - t0, articles: document.querySelectorAll('article.message').length, focused: document.activeElement === prompt };
  };

  /**
   * Scrolls the log like a fast mouse wheel: `frames` animation frames of `px` each, upwards from the end;
   * then jumps to the top (a scrollbar drag) and scrolls `frames / 4` frames down from there. Per frame: the
   * time from the frame's start (its rAF timestamp) to after its rendering (a task posted from the rAF
   * callback runs after style, layout and paint), and the interval between frames.
   */
  d.scrollThrough = async function scrollThrough(frames, px) {
    const log = document.getElementById('log');
    const max = log.scrollHeight - log.clientHeight;
    const work = [];
    const intervals = [];
    let last = 0;
    const step = (target) => new Promise((resolve) => requestAnimationFrame((ts) => {
      log.scrollTop = target;
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve({ end: performance.now(), ts });
      ch.port2.postMessage(0);
    }));
    const plan = [];
    for (let i = 1; i <= frames; i++) plan.push(Math.max(0, max - i * px));
    for (let i = 0; i <= frames / 4; i++) plan.push(i * px);
    for (const target of plan) {
      const t = await step(target);
      work.push(t.end - t.ts);
      if (last) intervals.push(t.ts - last);
      last = t.ts;
    }
    return { height: max, px, work, intervals };
  };
})();
