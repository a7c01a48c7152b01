import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface WebviewAssets {
  cspSource: string;
  script: string;
  styles: string[];
  /** Modules `script` imports statically: fetched beside it (modulepreload), not once it has arrived. */
  preload?: string[];
}

const CHUNK = /^chunks\/[\w.-]+\.js$/;
const listed = new Map<string, string[]>();

/**
 * The chunks dist/webview/main.js imports statically, as the build listed them in `<dir>/preload.json` (relative
 * paths under `dir`); none when there is no list. Read once per directory.
 */
export function staticChunks(dir: string): string[] {
  let chunks = listed.get(dir);
  if (!chunks) {
    let names: unknown = [];
    try {
      names = JSON.parse(readFileSync(path.join(dir, 'preload.json'), 'utf8'));
    } catch {
      // No list (a watch build before its first end): the bundle fetches its chunks itself, one round trip later.
    }
    chunks = Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string' && CHUNK.test(n)) : [];
    listed.set(dir, chunks);
  }
  return chunks;
}

/**
 * The panel's HTML: nothing runs but our nonce'd bundle (an ES module) and the chunks it imports from the
 * extension's own webview resources (Mermaid, KaTeX, loaded on first use); nothing loads from outside the extension.
 */
export function webviewHtml({ cspSource, script, styles, preload = [] }: WebviewAssets, title = 'Parley'): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' ${cspSource}`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${[script, ...preload].map((href) => `<link rel="modulepreload" href="${href}" nonce="${nonce}">`).join('\n')}
${styles.map((href) => `<link rel="stylesheet" href="${href}">`).join('\n')}
<title>${title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</title>
</head>
<body>
<div id="app" data-nonce="${nonce}"></div>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
