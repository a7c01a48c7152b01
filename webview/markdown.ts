// Markdown → safe HTML, rendered block by block so a streaming reply costs O(open block) per frame.
import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import { Marked, type Links, type Token, type Tokens } from 'marked';
import { highlight } from './highlight';

// highlight.js compiles a grammar the first time it is used (20-40 ms for some): compile every bundled one while
// the panel is really idle (long idle periods only, not the gaps between frames of a scroll or a stream), so the
// first code block in a language does not stall a frame.
const WARM_UP_SAMPLE = 'function f(x) { // c\n  return "s" + 1.5 + x; /* c */ }\n# c\n<a b="c">d</a>\n';
if (typeof requestIdleCallback === 'function') {
  const languages = hljs.listLanguages();
  const warm = (deadline: IdleDeadline) => {
    while (languages.length && deadline.timeRemaining() >= 40) highlight(WARM_UP_SAMPLE, languages.shift()!);
    if (languages.length) requestIdleCallback(warm);
  };
  requestIdleCallback(warm);
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    code({ text, lang }: Tokens.Code) {
      const language = (lang ?? '').trim().split(/\s+/)[0].toLowerCase();
      return codeBlockHtml(text, language);
    },
    // Raw HTML from a model is shown as the text it is, never parsed as markup (DOMPurify still guards the rest).
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    // The panel's CSP loads no remote images: show a link to the image instead of a broken one.
    image({ href, text }: Tokens.Image) {
      return `<a href="${escapeHtml(href)}" class="image-link" title="${escapeHtml(href)}"><span class="codicon codicon-file-media"></span> ${escapeHtml(text || 'image')}</a>`;
    },
  },
});

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function codeBlockHtml(code: string, language: string): string {
  const label = language || 'text';
  return (
    `<div class="code-block" data-lang="${escapeHtml(label)}">` +
    `<div class="code-header"><span class="code-lang">${escapeHtml(label)}</span>` +
    `<span class="code-actions">` +
    `<button type="button" class="icon-button" data-code-action="copy" title="Copy" aria-label="Copy code"><span class="codicon codicon-copy"></span></button>` +
    `<button type="button" class="icon-button" data-code-action="insert" title="Insert at cursor" aria-label="Insert code at cursor"><span class="codicon codicon-insert"></span></button>` +
    `<button type="button" class="icon-button" data-code-action="newFile" title="New file" aria-label="Open code in a new file"><span class="codicon codicon-new-file"></span></button>` +
    `</span></div>` +
    `<pre><code class="hljs">${highlight(code, language)}</code></pre></div>`
  );
}

const PURIFY_CONFIG = {
  ALLOWED_URI_REGEXP: /^(?:https?:|#)/i,
  FORBID_TAGS: ['style', 'form', 'input', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math'],
  FORBID_ATTR: ['style', 'srcset'],
};

export function renderTokens(tokens: Token[], links: Links | undefined): string {
  const list = Object.assign(tokens, { links: links ?? {} }) as Token[] & { links: Links };
  return DOMPurify.sanitize(marked.parser(list), PURIFY_CONFIG) as string;
}

// Rendering depends on the text alone, and a long chat scrolled back and forth mounts the same replies again:
// keep the most recently rendered ones (bounded by characters, keys and values counted).
const RENDERED_CACHE_CHARS = 4_000_000;
const rendered = new Map<string, string>();
let renderedChars = 0;

/** Markdown to sanitized HTML, without the cache. */
export function markdownHtml(text: string): string {
  const tokens = marked.lexer(text);
  return renderTokens(tokens, tokens.links);
}

export function renderMarkdown(text: string): string {
  const cached = rendered.get(text);
  if (cached !== undefined) {
    rendered.delete(text);
    rendered.set(text, cached);
    return cached;
  }
  const html = markdownHtml(text);
  rendered.set(text, html);
  renderedChars += text.length + html.length;
  for (const [oldText, oldHtml] of rendered) {
    if (renderedChars <= RENDERED_CACHE_CHARS) break;
    rendered.delete(oldText);
    renderedChars -= oldText.length + oldHtml.length;
  }
  return html;
}

/** Renders `text` into the cache ahead of need; false if it was there already. */
export function prerenderMarkdown(text: string): boolean {
  if (rendered.has(text)) return false;
  renderMarkdown(text);
  return true;
}

export function lex(text: string): Token[] & { links: Links } {
  return marked.lexer(text);
}

/**
 * Renders a growing markdown text into `root`. Finished top-level blocks are rendered once into their own
 * element and never touched again (so a selection in them survives); only the last, still-open block is
 * re-rendered when more text arrives.
 */
export class StreamingMarkdown {
  private text = '';
  private frozenChars = 0;
  private readonly openBlock: HTMLElement;
  /** Finished blocks go into chunks of about CHUNK_CHARS; a full chunk is sealed and never changes again. */
  private chunk?: HTMLElement;
  private chunkChars = 0;

  constructor(private readonly root: HTMLElement) {
    this.openBlock = document.createElement('div');
    this.openBlock.className = 'md-block open';
    root.append(this.openBlock);
  }

  get value(): string {
    return this.text;
  }

  /** Appends text; call `flush` (once per frame) to update the DOM. */
  append(delta: string): void {
    this.text += delta;
  }

  flush(final = false): void {
    const tail = this.text.slice(this.frozenChars);
    const tokens = lex(tail);
    const lastContent = final ? tokens.length : lastContentIndex(tokens);
    let consumed = 0;
    const frozen: Token[] = [];
    for (let i = 0; i < lastContent; i++) {
      frozen.push(tokens[i]);
      consumed += tokens[i].raw.length;
    }
    if (frozen.some((t) => t.type !== 'space')) {
      const block = document.createElement('div');
      block.className = 'md-block';
      block.innerHTML = renderTokens(frozen, tokens.links);
      if (!this.chunk) {
        this.chunk = document.createElement('div');
        this.chunk.className = 'md-chunk';
        this.root.insertBefore(this.chunk, this.openBlock);
      }
      this.chunk.append(block);
      this.chunkChars += consumed;
      if (this.chunkChars >= CHUNK_CHARS) this.sealChunk();
    }
    this.frozenChars += consumed;
    const open = tokens.slice(lastContent);
    this.openBlock.innerHTML = open.length ? renderTokens(open, tokens.links) : '';
    if (final) {
      this.openBlock.remove();
      this.sealChunk();
    }
  }

  /**
   * Off screen, a sealed chunk skips style, layout and paint (content-visibility), so each frame of a long
   * reply costs what is on screen, not everything streamed so far. Set through the CSSOM (allowed by the CSP).
   */
  private sealChunk(): void {
    if (!this.chunk) return;
    this.chunk.style.contentVisibility = 'auto';
    this.chunk.style.containIntrinsicSize = 'auto 600px';
    this.chunk = undefined;
    this.chunkChars = 0;
  }
}

const CHUNK_CHARS = 4000;

/** Index of the last non-space token: everything before it is finished. */
function lastContentIndex(tokens: Token[]): number {
  for (let i = tokens.length - 1; i >= 0; i--) if (tokens[i].type !== 'space') return i;
  return 0;
}
