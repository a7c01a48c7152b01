// The NAIVE renderer the render bench compares against: what most chat panels do. It receives the same
// protocol messages as the real panel (validated with the same schema), keeps the accumulated text, and on
// every batch (one per animation frame, like the real panel) re-parses the FULL text with the same markdown
// pipeline (marked + highlight.js subset + DOMPurify, via webview/markdown.ts's markdownHtml, uncached) and
// replaces the message's innerHTML.
import { parseHostMessage } from '../../src/protocol';
import { markdownHtml } from '../../webview/markdown';

const app = document.getElementById('app')!;
app.innerHTML = `<div class="log-wrap"><main id="log" class="log" role="log"><article class="message assistant" data-status="streaming"><div class="message-body markdown"></div></article></main></div><footer class="composer"><textarea id="prompt" rows="2"></textarea></footer>`;
const article = app.querySelector('article')!;
const body = app.querySelector<HTMLElement>('.message-body')!;
let text = '';
let requestId: string | undefined;
let frame = 0;

function render(): void {
  frame = 0;
  body.innerHTML = markdownHtml(text);
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) return;
  const message = parsed.value;
  if (message.type === 'state') {
    requestId = message.activeRequest;
    const last = message.chat.messages.at(-1);
    if (last && last.status !== 'streaming') {
      if (frame) cancelAnimationFrame(frame);
      text = last.text;
      render();
      article.dataset.status = last.status ?? 'done';
    }
    return;
  }
  if (message.type !== 'stream' || message.requestId !== requestId) return;
  const e = message.event;
  if (e.type === 'start') text = '';
  else if (e.type === 'text-delta') {
    text += e.text;
    frame ||= requestAnimationFrame(render);
  }
});

(window as unknown as { __naiveReady: boolean }).__naiveReady = true;
