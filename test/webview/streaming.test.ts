// Streamed = one-shot: every text of a corpus (the CommonMark spec's examples and reply-like texts) is streamed
// through the webview's streaming renderer in random splits (seeded) and one character per delta, flushing after
// every delta; the final DOM must equal the one-shot render of the whole text. PARLEY_STREAM_SPLITS sets the number
// of random splits per text (default 3), PARLEY_STREAM_SEED the seed (default 1), for a longer or another run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './harness';
import { REPLIES, SPEC_EXAMPLES } from './streaming/corpus';
import type { Mismatch } from './streaming/probe';

const SPLITS = Number(process.env.PARLEY_STREAM_SPLITS ?? 3);
const SEED = Number(process.env.PARLEY_STREAM_SEED ?? 1);

describe('webview: a streamed reply renders exactly as the whole text does', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'parley-stream-probe-'));
    await esbuild.build({
      entryPoints: [path.join(__dirname, 'streaming', 'probe.ts')],
      outfile: path.join(dir, 'probe.js'),
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      external: ['mermaid'],
      loader: { '.css': 'empty' },
      logLevel: 'silent',
    });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><body></body></html>');
    await page.addScriptTag({ path: path.join(dir, 'probe.js') });
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function check(texts: string[], name: string): Promise<void> {
    const result = await page.evaluate(
      ([list, seed, splits]) => (window as unknown as { __checkStreaming(t: string[], s: number, n: number): Promise<{ checked: number; mismatches: Mismatch[] }> }).__checkStreaming(list, seed, splits),
      [texts, SEED, SPLITS] as const,
    );
    const failed = new Set(result.mismatches.map((m) => m.index));
    console.log(`      (${name}: ${texts.length} texts, ${result.checked} streamed splits (${SPLITS} random + 1 per character each, seed ${SEED}), ${result.mismatches.length} differ in ${failed.size} texts)`);
    const first = result.mismatches[0];
    assert.equal(result.mismatches.length, 0, first && `texts ${[...failed].join(', ')} differ; the first: text ${first.index} (${first.split}) ${JSON.stringify(texts[first.index])}\nstreamed: ${first.streamed}\none-shot: ${first.oneShot}\ndeltas: ${JSON.stringify(first.deltas)}`);
  }

  it(`the CommonMark spec's ${SPEC_EXAMPLES.length} examples`, async () => {
    await check(SPEC_EXAMPLES, 'CommonMark spec 0.31.2 examples');
  });

  it('reply-like texts: steps with code blocks, loose lists, empty items, reference links, task lists, math', async () => {
    await check(REPLIES, 'reply-like texts');
  });
});
