// Injected into the Parley panel's frame by the pipeline bench (plain JS, evaluated through CDP).
// Once per animation frame, after that frame's rendering (a task posted from a rAF callback runs after
// style, layout and paint), reads the last reply's text and records the highest §<i> marker shown, with the
// time. A MutationObserver flags when there is anything new to read.
(() => {
  const probe = { frames: [], arrivals: [], running: true, max: -1 };
  // When each delta reached the panel (before the panel handled it: this listener runs after the panel's,
  // but in the same dispatch, so the time is within the message's task).
  const onMessage = (e) => {
    const ev = e.data && e.data.type === 'stream' && e.data.event;
    if (!ev || ev.type !== 'text-delta') return;
    const t = performance.timeOrigin + performance.now();
    for (const m of ev.text.matchAll(/§(\d+)/g)) probe.arrivals.push([t, Number(m[1])]);
  };
  window.addEventListener('message', onMessage);
  window.__paintProbe = probe;
  const log = document.getElementById('log');
  let dirty = true;
  const observer = new MutationObserver(() => (dirty = true));
  observer.observe(log, { subtree: true, childList: true, characterData: true });
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    if (!dirty) return;
    dirty = false;
    const replies = log.querySelectorAll('article.message.assistant');
    const body = replies[replies.length - 1]?.querySelector('.message-body');
    if (!body) return;
    const text = body.textContent || '';
    const at = text.lastIndexOf('§');
    if (at < 0) return;
    const n = parseInt(text.slice(at + 1, at + 12), 10);
    if (Number.isFinite(n) && n > probe.max) {
      probe.max = n;
      probe.frames.push([performance.timeOrigin + performance.now(), n]);
    }
  };
  const loop = () => {
    if (!probe.running) return;
    requestAnimationFrame(() => {
      channel.port2.postMessage(0);
      loop();
    });
  };
  loop();
  probe.stop = () => {
    probe.running = false;
    window.removeEventListener('message', onMessage);
    observer.disconnect();
  };
})();
