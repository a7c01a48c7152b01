// An automated accessibility audit (axe-core) of the real panel page: an empty chat, a chat with code blocks and
// tool cards, the model settings open, the keys area open, in the dark and the light theme. No violation of any
// impact is allowed; the counts by impact are printed for every state.
import assert from 'node:assert/strict';
import axe from 'axe-core';
import type { ToolCall, ToolInfo } from '../../src/protocol';
import { assistant, CODE_REPLY, stateMessage, user } from './fixtures';
import { launchBrowser, openPanel, type Panel, type Theme } from './harness';
import type { Browser } from 'playwright-core';

const TOOLS: ToolInfo[] = [{ name: 'read_file', description: 'Read a file of the workspace', readOnly: true, source: 'workspace' }];
const DONE: ToolCall = { id: 'call_1', name: 'read_file', arguments: '{"path":"src/a.ts"}', step: 1, textOffset: 0, status: 'done', result: 'export const a = 1;\n', summary: 'a.ts, 1 line', durationMs: 120 };
const WAITING: ToolCall = { id: 'call_2', name: 'write_file', arguments: '{"path":"b.txt","text":"hi"}', step: 2, textOffset: 20, status: 'approval', summary: 'b.txt' };
const CHAT = [
  user('u1', 'Write a debounce'),
  assistant('a1', CODE_REPLY, { usage: { inputTokens: 1200, outputTokens: 300 } }),
  user('u2', 'Read a.ts, then write b.txt'),
  assistant('a2', 'Reading it.\n\nThen writing b.txt.', { toolCalls: [DONE, WAITING], status: 'streaming' }),
];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe in the page (evaluated through the debugger, which the page's CSP does not govern). */
async function audit(panel: Panel): Promise<Violation[]> {
  await panel.frames(2);
  if (!(await panel.page.evaluate(() => 'axe' in window))) await panel.page.evaluate(axe.source);
  return panel.page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    // A code block that scrolls sideways is out of the Tab order on purpose (the conversation is one Tab stop) and
    // reached with the arrow keys inside its message (keyboard.test.ts proves it); axe only counts Tab stops.
    // (No named functions in here: tsx would wrap them in a helper the page does not have.)
    return result.violations
      .map((v) => ({
        ...v,
        nodes: v.nodes.filter((n) => {
          const el = v.id === 'scrollable-region-focusable' && n.target.length === 1 ? document.querySelector<HTMLElement>(String(n.target[0])) : null;
          return !(el && el.tagName === 'PRE' && el.tabIndex === -1 && el.closest('#log article.message'));
        }),
      }))
      .filter((v) => v.nodes.length)
      .map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`) }));
  });
}

function report(name: string, violations: Violation[]): void {
  const counts: Record<string, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const v of violations) counts[v.impact ?? 'minor'] += v.nodes.length;
  console.log(`      axe ${name}: ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}${violations.length ? ` (${violations.map((v) => `${v.id}/${v.impact}`).join(', ')})` : ''}`);
  assert.deepEqual(violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.join('\n  ')}`), [], `accessibility violations in ${name}`);
}

describe('webview: accessibility audit (axe-core)', function () {
  this.timeout(60_000);
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const theme of ['dark', 'light'] as Theme[]) {
    it(`has no accessibility violations (${theme})`, async () => {
      const panel = await openPanel(browser, { theme });
      try {
        await panel.deliver(stateMessage());
        report(`${theme}: empty chat`, await audit(panel));

        await panel.deliver(stateMessage({ messages: CHAT, tools: TOOLS, activeRequest: 'r1' }));
        await panel.page.locator('.tool-card[data-call-id="call_2"] .tool-approval').waitFor();
        assert.ok((await panel.page.locator('#log .code-block').count()) > 0, 'a code block');
        report(`${theme}: messages, code, tool cards`, await audit(panel));

        // With an image the model cannot see: the attachment chips and the reason Send is disabled.
        const image = { id: 'att-1', name: 'diagram.png', source: 'pasted image', kind: 'image' as const, mimeType: 'image/png', size: 184_320 };
        await panel.deliver(stateMessage({ messages: CHAT.slice(0, 2), tools: TOOLS, showControls: true, pendingAttachments: [image] }));
        await panel.page.locator('#controls').waitFor();
        await panel.page.locator('#send-reason').waitFor();
        report(`${theme}: model settings open, Send blocked`, await audit(panel));

        await panel.page.locator('#toggle-keys').click();
        await panel.page.locator('#keys').waitFor();
        await panel.page.locator('#chats-toggle').click();
        await panel.page.locator('#chat-list').waitFor();
        report(`${theme}: keys area and chat list open`, await audit(panel));
        assert.deepEqual(panel.errors, []);
      } finally {
        await panel.close();
      }
    });
  }
});
