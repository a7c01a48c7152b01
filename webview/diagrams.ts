// ```mermaid blocks. The markdown renderer emits the source as an ordinary code block inside a `.diagram`
// placeholder (shown while the block streams and whenever Mermaid rejects it); once the block is closed, Mermaid,
// loaded from its own chunk on the first diagram, draws it with securityLevel 'strict'. The SVG is shown as an
// <img> (a data: URL): an image document runs no script, loads nothing and takes no events, whatever the SVG says.
import type { Mermaid } from 'mermaid';

type Drawn = { svg: string; width: number; height: number } | { error: string };

let mermaid: Promise<Mermaid> | undefined;
let drawCount = 0;
const drawn = new Map<string, Promise<Drawn>>();
const DRAWN_MAX = 100;

export type DiagramTheme = 'light' | 'dark' | 'high-contrast';

/** VS Code's theme, from the classes it puts on the webview's body. */
export function diagramTheme(): DiagramTheme {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast') || c.contains('vscode-high-contrast-light')) return 'high-contrast';
  return c.contains('vscode-light') ? 'light' : 'dark';
}

/** The placeholder of a closed ```mermaid block: its code block (source, Copy) and a toggle to the diagram. */
export function diagramHtml(codeBlock: string): string {
  return (
    `<div class="diagram" data-diagram="pending">` +
    `<div class="diagram-bar"><span class="code-lang">mermaid</span><span class="code-actions">` +
    `<button type="button" class="link-button diagram-toggle" data-diagram-action="toggle" aria-pressed="false" title="Show the diagram's source">Source</button>` +
    `<button type="button" class="icon-button" data-code-action="copy" title="Copy" aria-label="Copy diagram source"><span class="codicon codicon-copy"></span></button>` +
    `</span></div>` +
    `<div class="diagram-view" role="img" aria-label="Diagram"></div>` +
    `<div class="diagram-error" role="note"></div>` +
    codeBlock +
    `</div>`
  );
}

const CSS_VAR = (name: string, fallback: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

function mermaidConfig(theme: DiagramTheme): Parameters<Mermaid['initialize']>[0] {
  const config: Parameters<Mermaid['initialize']>[0] = {
    startOnLoad: false,
    securityLevel: 'strict',
    suppressErrorRendering: true,
    fontFamily: 'sans-serif',
    // Directives (%%{init}%%) cannot change what decides what a diagram may do or load.
    secure: ['secure', 'securityLevel', 'startOnLoad', 'maxTextSize', 'suppressErrorRendering', 'maxEdges', 'theme', 'themeCSS', 'themeVariables', 'fontFamily', 'altFontFamily', 'htmlLabels', 'darkMode'],
    theme: theme === 'light' ? 'default' : 'dark',
  };
  if (theme === 'high-contrast') {
    const fg = CSS_VAR('--vscode-editor-foreground', '#ffffff');
    const bg = CSS_VAR('--vscode-editor-background', '#000000');
    const border = CSS_VAR('--vscode-contrastBorder', '#6fc3df');
    config.theme = 'base';
    config.themeVariables = {
      darkMode: bg.toLowerCase() === '#000000' || bg.toLowerCase() === '#000',
      background: bg,
      primaryColor: bg,
      primaryTextColor: fg,
      primaryBorderColor: border,
      secondaryColor: bg,
      tertiaryColor: bg,
      lineColor: fg,
      textColor: fg,
      mainBkg: bg,
      nodeBorder: border,
      clusterBkg: bg,
      edgeLabelBackground: bg,
      fontFamily: 'sans-serif',
    };
  }
  return config;
}

/**
 * Mermaid measures a diagram's labels in the page before it serializes the SVG, styling what it measures with a
 * <style> element and style attributes. The panel's CSP blocks both when they come from markup; for the time of a
 * render, the <style> elements Mermaid creates get the page's nonce and style attributes are set through the CSSOM
 * (which the CSP allows), so the measurement sees the real styles. Nothing else runs while this is in place that
 * is not ours.
 */
async function withCspStyles<T>(run: () => Promise<T>): Promise<T> {
  const nonce = document.getElementById('app')?.dataset.nonce;
  const createElement = document.createElement;
  const setAttribute = Element.prototype.setAttribute;
  document.createElement = function (this: Document, tag: string, options?: ElementCreationOptions) {
    const el = createElement.call(this, tag, options);
    if (nonce && tag.toLowerCase() === 'style') (el as HTMLStyleElement).nonce = nonce;
    return el;
  } as typeof document.createElement;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    if (name.toLowerCase() === 'style' && 'style' in this) (this as HTMLElement).style.cssText = String(value);
    else setAttribute.call(this, name, value);
  };
  try {
    return await run();
  } finally {
    document.createElement = createElement;
    Element.prototype.setAttribute = setAttribute;
  }
}

/**
 * Mermaid's SVG (serialized as HTML) as an image: an <img> needs well-formed XML and a fixed size. Done on the
 * string: parsing it into a document here would apply the page's CSP to its styles.
 */
export function asImage(markup: string): { svg: string; width: number; height: number } {
  const open = /^<svg\b[^>]*>/.exec(markup.trim());
  if (!open) throw new Error('Mermaid produced no SVG');
  const [, , w, h] = (/\sviewBox="([^"]*)"/.exec(open[0])?.[1] ?? '').split(/[\s,]+/).map(Number);
  const width = Math.ceil(w || 300);
  const height = Math.ceil(h || 150);
  const tag = open[0].replace(/\s(?:width|height|style)="[^"]*"/g, '').replace(/>$/, ` width="${width}" height="${height}">`);
  const body = markup
    .trim()
    .slice(open[0].length)
    // HTML's void elements and named entities are not XML.
    .replace(/<(br|hr|img|input|wbr)\b([^>]*?)\/?>/gi, '<$1$2/>')
    .replace(/&nbsp;/g, '&#160;');
  return { svg: tag + body, width, height };
}

let queue: Promise<unknown> = Promise.resolve();

function draw(source: string, theme: DiagramTheme): Promise<Drawn> {
  const key = `${theme}\n${source}`;
  let result = drawn.get(key);
  if (!result) {
    mermaid ??= import('mermaid').then((m) => m.default);
    // One diagram at a time: Mermaid's configuration is global.
    result = queue.then(async () => {
      const m = await mermaid!;
      m.initialize(mermaidConfig(theme));
      const container = document.createElement('div');
      container.className = 'diagram-measure';
      document.body.append(container);
      try {
        const { svg } = await withCspStyles(() => m.render(`parley-diagram-${++drawCount}`, source, container));
        return asImage(svg);
      } catch (err) {
        return { error: err instanceof Error ? err.message : String(err) };
      } finally {
        container.remove();
      }
    });
    queue = result;
    if (drawn.size >= DRAWN_MAX) drawn.delete(drawn.keys().next().value!);
    drawn.set(key, result);
  }
  return result;
}

function show(el: HTMLElement, result: Drawn): void {
  if ('error' in result) {
    el.dataset.diagram = 'failed';
    const error = el.querySelector<HTMLElement>('.diagram-error');
    if (error) error.textContent = `Mermaid could not draw this diagram: ${result.error}`;
    return;
  }
  const img = document.createElement('img');
  img.alt = 'Diagram (Mermaid)';
  img.width = result.width;
  img.height = result.height;
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(result.svg)}`;
  el.querySelector('.diagram-view')?.replaceChildren(img);
  el.dataset.diagram = 'drawn';
}

/** Draws every diagram placeholder under `root` (asynchronously; Mermaid loads on the first one). */
export function renderDiagrams(root: ParentNode): void {
  const theme = diagramTheme();
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('.diagram[data-diagram="pending"]'))) {
    const source = el.querySelector('pre code')?.textContent ?? '';
    el.dataset.diagram = 'drawing';
    el.dataset.theme = theme;
    void draw(source, theme).then((result) => show(el, result));
  }
}

/** Redraws every diagram on the page (after a theme change). */
function redrawAll(): void {
  const theme = diagramTheme();
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('.diagram[data-theme]'))) {
    if (el.dataset.theme === theme || el.dataset.diagram === 'failed') continue;
    el.dataset.diagram = 'pending';
  }
  renderDiagrams(document);
}

if (typeof document !== 'undefined' && typeof MutationObserver !== 'undefined') {
  new MutationObserver(redrawAll).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  document.addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLElement>('[data-diagram-action="toggle"]');
    const diagram = button?.closest<HTMLElement>('.diagram');
    if (!button || !diagram) return;
    const source = diagram.classList.toggle('show-source');
    button.setAttribute('aria-pressed', String(source));
    button.textContent = source ? 'Diagram' : 'Source';
    button.title = source ? 'Show the diagram' : "Show the diagram's source";
  });
}
