// Smoke test: the harness starts a real VS Code with Parley, and "Parley: Start Chat" opens the chat webview.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { sampleWorkspace, startVsCode, type Session } from './harness';

describe('e2e smoke', function () {
  let vs: Session | undefined;

  before(async function () {
    vs = await startVsCode({ workspace: sampleWorkspace, name: 'smoke' });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && vs) {
      await vs.screenshot(`failed-${this.currentTest.title}`).catch(() => {});
    }
  });

  after(async function () {
    await vs?.close();
  });

  it('opens the chat webview with a prompt box', async function () {
    const t0 = Date.now();
    await vs!.runCommand('Parley: Start Chat');
    console.log(`      (VS Code up in ${vs!.startMs} ms, first command ${Date.now() - t0} ms)`);
    const prompt = vs!.webview().locator('textarea#prompt');
    await prompt.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await prompt.evaluate((el) => el.tagName), 'TEXTAREA');
    const shot = await vs!.screenshot('chat-open');
    assert.ok(existsSync(shot));
  });
});
