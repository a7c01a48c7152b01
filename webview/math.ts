// Math in markdown: `$…$`, `$$…$$`, `\(…\)` and `\[…\]` become placeholders (the source as text, the TeX in a data
// attribute) that KaTeX fills in the DOM once they are on the page. Currency and shell prompts stay text: an
// opening `$` must be followed, and a closing `$` preceded, by a non-space, and a closing `$` must not be followed
// by a digit (pandoc's rule). No formula spans a blank line, so an unclosed `$$` never swallows the rest of a reply.
// KaTeX (with its copy-tex handler: copying a formula copies its TeX) loads from its own chunk on the first formula.
import type katexModule from 'katex';
import type { TokenizerAndRendererExtension, Tokens } from 'marked';

interface MathToken extends Tokens.Generic {
  type: 'math' | 'mathBlock';
  text: string;
  display: boolean;
}

const CLOSE: Record<string, string> = { $$: '$$', '\\[': '\\]', '\\(': '\\)', $: '$' };

/** The first formula at the start of `src`: [raw, tex, display], or undefined. */
export function matchMath(src: string): [raw: string, tex: string, display: boolean] | undefined {
  const open = src.startsWith('$$') ? '$$' : src.startsWith('\\[') ? '\\[' : src.startsWith('\\(') ? '\\(' : src.startsWith('$') ? '$' : undefined;
  if (!open) return undefined;
  const close = CLOSE[open];
  if (open === '$' && /^\$\s/.test(src)) return undefined;
  for (let at = src.indexOf(close, open.length); at !== -1; at = src.indexOf(close, at + 1)) {
    const tex = src.slice(open.length, at);
    if (/\n[ \t]*\n/.test(tex)) return undefined;
    if (!tex.trim()) return undefined;
    if (open === '$') {
      if (/\s|\\/.test(src[at - 1]) || /\d/.test(src[at + 1] ?? '')) continue;
    } else if (countBackslashesBefore(src, at) % 2 === 1) continue;
    return [src.slice(0, at + close.length), tex, open !== '$' && open !== '\\('];
  }
  return undefined;
}

function countBackslashesBefore(src: string, at: number): number {
  let n = 0;
  while (at - n - 1 >= 0 && src[at - n - 1] === '\\') n++;
  return n;
}

/** Where a formula may start in `src` (an unescaped `$`, or `\(` / `\[`). */
function mathStart(src: string): number | undefined {
  const re = /\\[\\([$]|\$/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (m[0] === '\\(' || m[0] === '\\[' || m[0] === '$') return m.index;
    // `\\` and `\$` are escapes: skip them whole.
  }
  return undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function placeholder(token: MathToken, tag: 'span' | 'div'): string {
  return `<${tag} class="math${token.display ? ' math-display' : ''}" data-tex="${escapeHtml(token.text)}" data-display="${token.display}">${escapeHtml(token.raw.trim())}</${tag}>`;
}

/** Display math as a block of its own: `$$` or `\[` at the start of a block, closed on a later line. */
const BLOCK = /^ {0,3}(\$\$|\\\[)((?:(?!\n[ \t]*\n)[\s\S])*?)(\$\$|\\\])[ \t]*(?:\n|$)/;

export const mathExtensions: TokenizerAndRendererExtension[] = [
  {
    name: 'mathBlock',
    level: 'block',
    // Only at the start of a line (marked passes the text after a paragraph's first character).
    start: (src) => src.match(/(?<=\n) {0,3}(?:\$\$|\\\[)/)?.index,
    tokenizer(src) {
      const m = BLOCK.exec(src);
      if (!m || CLOSE[m[1]] !== m[3] || !m[2].trim()) return undefined;
      // Only a formula that is the whole block: anything after the closing delimiter makes it a paragraph.
      return { type: 'mathBlock', raw: m[0], text: m[2], display: true } satisfies MathToken;
    },
    renderer: (token) => `${placeholder(token as MathToken, 'div')}\n`,
  },
  {
    name: 'math',
    level: 'inline',
    start: mathStart,
    tokenizer(src) {
      const m = matchMath(src);
      return m && ({ type: 'math', raw: m[0], text: m[1], display: m[2] } satisfies MathToken);
    },
    renderer: (token) => placeholder(token as MathToken, 'span'),
  },
];

/** Masks formulas for marked's emphasis search, so `_` and `*` inside TeX do not pair with ones outside. */
export function maskMath(src: string): string {
  if (!src.includes('$') && !src.includes('\\')) return src;
  let out = '';
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const at = mathStart(rest);
    if (at === undefined) break;
    const m = matchMath(rest.slice(at));
    if (!m) {
      out += rest.slice(0, at + 1);
      i += at + 1;
      continue;
    }
    out += rest.slice(0, at) + m[0].replace(/[*_~]/g, '+');
    i += at + m[0].length;
  }
  return out + src.slice(i);
}

const KATEX_OPTIONS = { throwOnError: true, trust: false, strict: 'ignore', output: 'htmlAndMathml', maxSize: 20, maxExpand: 500 } as const;
const rendered = new Map<string, Node | Error>();
const RENDERED_MAX = 500;

let katex: typeof katexModule | undefined;
let loading: Promise<void> | undefined;

/** Resolves once KaTeX is loaded (it loads on the first formula); for tests and callers that need to wait. */
export function mathReady(): Promise<void> {
  loading ??= Promise.all([import('katex'), import('katex/contrib/copy-tex')]).then(([m]) => {
    katex = m.default;
    renderMath(document);
  });
  return loading;
}

/** Renders every math placeholder under `root` with KaTeX; a formula KaTeX rejects keeps its source, error on hover. */
export function renderMath(root: ParentNode): void {
  if (!katex) {
    void mathReady();
    return;
  }
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('.math[data-tex]:not([data-rendered])'))) {
    const tex = el.dataset.tex ?? '';
    const displayMode = el.dataset.display === 'true';
    const key = `${displayMode ? 'D' : 'I'}${tex}`;
    let result = rendered.get(key);
    if (!result) {
      const holder = document.createElement('span');
      try {
        katex.render(tex, holder, { ...KATEX_OPTIONS, displayMode });
        result = holder;
      } catch (err) {
        result = err instanceof Error ? err : new Error(String(err));
      }
      if (rendered.size >= RENDERED_MAX) rendered.delete(rendered.keys().next().value!);
      rendered.set(key, result);
    }
    el.dataset.rendered = '';
    if (result instanceof Error) {
      el.classList.add('math-error');
      el.title = result.message;
    } else {
      el.replaceChildren(...Array.from(result.cloneNode(true).childNodes));
    }
  }
}
