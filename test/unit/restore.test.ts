// What a panel restored after a reload is built from: the chunks main.js imports, preloaded beside it (the list the
// build writes), and the restore's timeline line in the output channel (what the bench reads).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseRestoreLine, RestoreTrace } from '../../src/host/restoreTrace';
import { staticChunks, webviewHtml } from '../../src/host/webviewHtml';

describe('restored panel', () => {
  const dirs: string[] = [];
  const dir = (preload?: string) => {
    const d = mkdtempSync(path.join(tmpdir(), 'parley-preload-'));
    dirs.push(d);
    if (preload !== undefined) writeFileSync(path.join(d, 'preload.json'), preload);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('preloads the chunks the build listed, and only chunk paths', () => {
    assert.deepEqual(staticChunks(dir('["chunks/chunk-AB12.js","chunks/chunk-C3.js"]')), ['chunks/chunk-AB12.js', 'chunks/chunk-C3.js']);
    assert.deepEqual(staticChunks(dir('["chunks/ok.js","../extension.js","https://x.test/a.js",7,"chunks/a b.js"]')), ['chunks/ok.js']);
    assert.deepEqual(staticChunks(dir('{"not":"a list"}')), []);
    assert.deepEqual(staticChunks(dir('not json')), []);
    assert.deepEqual(staticChunks(dir()), [], 'no list: nothing preloaded');
  });

  it('names the bundle and its chunks as modulepreload links with the page nonce', () => {
    const html = webviewHtml({ cspSource: 'https://res.test', script: 'https://res.test/main.js', styles: [], preload: ['https://res.test/chunks/c1.js'] });
    const nonce = /nonce="([^"]+)"/.exec(html)![1];
    const links = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)" nonce="([^"]+)">/g)];
    assert.deepEqual(links.map((l) => l[1]), ['https://res.test/main.js', 'https://res.test/chunks/c1.js']);
    assert.ok(links.every((l) => l[2] === nonce));
    assert.ok(html.indexOf('modulepreload') < html.indexOf('<script'), 'in the head, before the script');
  });

  it('logs the restore steps once, with the first state, as offsets the bench can read back', () => {
    const lines: string[] = [];
    const trace = new RestoreTrace(performance.now(), (l) => lines.push(l));
    trace.mark('deserialize');
    trace.mark('html');
    trace.mark('ready');
    assert.equal(lines.length, 0, 'nothing before the state');
    trace.mark('state');
    trace.mark('state');
    assert.equal(lines.length, 1);
    const parsed = parseRestoreLine(`2026-11-30 08:00:00.000 [info] Parley activated in 9.0 ms\n2026-11-30 08:00:01.000 [info] ${lines[0]}\n`)!;
    assert.deepEqual(Object.keys(parsed.steps), ['deserialize', 'html', 'ready', 'state']);
    const { deserialize, html, ready, state } = parsed.steps as Record<string, number>;
    assert.ok(deserialize >= 0 && deserialize <= html && html <= ready && ready <= state);
    assert.ok(Math.abs(parsed.began - Date.now()) < 60_000, 'activate() began about now');
    assert.equal(parseRestoreLine('no such line'), undefined);
  });
});
