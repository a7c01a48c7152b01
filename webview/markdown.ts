// Markdown → safe HTML (marked + DOMPurify), with math and diagram placeholders that `enhance` fills in the DOM.
// Streaming (block by block) lives in streamingMarkdown.ts.
import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import { Lexer, Marked, type Links, type Token, type Tokens } from 'marked';
import { diagramHtml, renderDiagrams } from './diagrams';
import { highlight, languageToLoad, loadLanguage } from './highlight';
import { maskMath, mathExtensions, renderMath } from './math';

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

/**
 * While a reply streams, a link reference definition at the very end of the text may still be growing (its URL cut
 * by a delta boundary): it is held back (rendered as nothing, defining nothing) until its line is complete.
 */
let streamingTail: string | undefined;

const pendingDef = {
  name: 'pendingDef',
  level: 'block' as const,
  tokenizer(this: { lexer: Lexer }, src: string) {
    if (streamingTail === undefined || src.endsWith('\n') || !streamingTail.endsWith(src)) return undefined;
    const def = (this.lexer as unknown as { tokenizer: { def(src: string): Tokens.Def | undefined } }).tokenizer.def(src);
    return def && def.raw.length === src.length ? { type: 'pendingDef', raw: src } : undefined;
  },
  renderer: () => '',
};

const marked = new Marked({
  gfm: true,
  breaks: false,
  extensions: [pendingDef, ...mathExtensions],
  hooks: { emStrongMask: maskMath },
  renderer: {
    code({ text, lang, raw }: Tokens.Code) {
      const [first = '', ...rest] = (lang ?? '').trim().split(/\s+/);
      // ```ts:src/x.ts names its file like ```ts src/x.ts or ```ts title="src/x.ts" does.
      const [word, named] = first.split(':', 2);
      const language = word.toLowerCase();
      if (language === 'mermaid' && fenceClosed(raw)) return diagramHtml(codeBlockHtml(text, language));
      return codeBlockHtml(text, language, fileOf([named ?? '', ...rest]));
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

/** True when a fenced code block's raw text ends with its closing fence (a streaming block may not have it yet). */
export function fenceClosed(raw: string): boolean {
  const open = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
  if (!open) return false;
  const lines = raw.replace(/\n+$/, '').split('\n');
  if (lines.length < 2) return false;
  const last = lines.at(-1)!.trim();
  return last.length >= open[1].length && last === open[1][0].repeat(last.length);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The workspace file a code block's info string names (`src/x.ts`, `title="src/x.ts"`), if any. */
export function fileOf(words: string[]): string | undefined {
  for (const w of words) {
    const m = /^(?:(?:title|file|path|filename)=)?["']?([\w@+\-./]+\.\w+)["']?$/.exec(w);
    if (m && !m[1].split('/').includes('..')) return m[1];
  }
  return undefined;
}

/** A block whose language is still to load waits as plain text, marked for `enhance` to highlight later. */
function codeAttributes(language: string): string {
  const toLoad = languageToLoad(language);
  return toLoad ? ` data-highlight="${escapeHtml(language)}"` : '';
}

function codeBlockHtml(code: string, language: string, file?: string): string {
  const label = language || 'text';
  const apply = file ? `Apply to ${file} (review the diff first)` : 'Apply to the active editor: its selection, or the whole file (review the diff first)';
  return (
    `<div class="code-block" data-lang="${escapeHtml(label)}"${file ? ` data-path="${escapeHtml(file)}"` : ''}>` +
    `<div class="code-header"><span class="code-lang">${escapeHtml(label)}</span>${file ? `<span class="code-path">${escapeHtml(file)}</span>` : ''}` +
    `<span class="code-actions">` +
    `<button type="button" class="icon-button" data-code-action="copy" title="Copy" aria-label="Copy code"><span class="codicon codicon-copy"></span></button>` +
    `<button type="button" class="icon-button" data-code-action="insert" title="Insert at cursor" aria-label="Insert code at cursor"><span class="codicon codicon-insert"></span></button>` +
    `<button type="button" class="icon-button" data-code-action="newFile" title="New file" aria-label="Open code in a new file"><span class="codicon codicon-new-file"></span></button>` +
    `<button type="button" class="icon-button" data-code-action="apply" title="${escapeHtml(apply)}" aria-label="${escapeHtml(apply)}"><span class="codicon codicon-diff"></span></button>` +
    `</span></div>` +
    `<pre><code class="hljs"${codeAttributes(language)}>${highlight(code, language)}</code></pre></div>`
  );
}

// Our own DOMPurify instance: its hooks do not reach the one Mermaid uses.
const purify = DOMPurify(window);
const PURIFY_CONFIG = {
  ALLOWED_URI_REGEXP: /^(?:https?:|#)/i,
  FORBID_TAGS: ['style', 'form', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math'],
  FORBID_ATTR: ['style', 'srcset'],
  // DOMPurify checks every attribute that is not "URI safe" against ALLOWED_URI_REGEXP, which dropped an ordered
  // list's start, a table cell's align and a task checkbox's type and state: these hold no URL.
  ADD_URI_SAFE_ATTR: ['start', 'align', 'type', 'checked', 'disabled'],
};
// The only input is a task list's checkbox: read-only, nothing but its type and state.
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'INPUT') return;
  if (node.getAttribute('type') !== 'checkbox') {
    node.remove();
    return;
  }
  for (const name of node.getAttributeNames()) if (name !== 'type' && name !== 'checked') node.removeAttribute(name);
  node.setAttribute('disabled', '');
});

export function renderTokens(tokens: Token[], links: Links | undefined): string {
  const list = Object.assign(tokens, { links: links ?? {} }) as Token[] & { links: Links };
  return purify.sanitize(marked.parser(list), PURIFY_CONFIG) as string;
}

/** Fills the math and diagram placeholders of rendered markdown once it is in the page, and highlights code in a language just loaded. */
export function enhance(root: HTMLElement): void {
  if (root.querySelector('.math[data-tex]')) renderMath(root);
  if (root.querySelector('.diagram[data-diagram]')) renderDiagrams(root);
  for (const code of root.querySelectorAll<HTMLElement>('code[data-highlight]')) void highlightWhenLoaded(code);
}

async function highlightWhenLoaded(code: HTMLElement): Promise<void> {
  const language = code.dataset.highlight!;
  const name = languageToLoad(language);
  if (name) await loadLanguage(name);
  // The block may have been re-rendered or highlighted meanwhile.
  if (code.dataset.highlight !== language) return;
  delete code.dataset.highlight;
  code.innerHTML = purify.sanitize(highlight(code.textContent ?? '', language), PURIFY_CONFIG) as string;
}

// Rendering depends on the text alone, and a long chat scrolled back and forth mounts the same replies again:
// keep the most recently rendered ones (bounded by characters, keys and values counted).
const RENDERED_CACHE_CHARS = 4_000_000;
const rendered = new Map<string, string>();
let renderedChars = 0;

/** Markdown to sanitized HTML, without the cache. */
export function markdownHtml(text: string): string {
  const tokens = lex(text);
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

/**
 * Lexes `text` with the link reference definitions already known (earlier blocks of a streamed reply). With
 * `streaming`, the text may still grow: a definition still being written at its end is held back.
 */
export function lex(text: string, links: Links = {}, streaming = false): Token[] & { links: Links } {
  const lexer = new Lexer(marked.defaults);
  Object.assign(lexer.tokens.links, links);
  streamingTail = streaming ? text : undefined;
  try {
    return lexer.lex(text);
  } finally {
    streamingTail = undefined;
  }
}
