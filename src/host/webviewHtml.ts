import { randomBytes } from 'node:crypto';

export interface WebviewAssets {
  cspSource: string;
  script: string;
  styles: string[];
}

/**
 * The panel's HTML: nothing runs but our nonce'd bundle (an ES module) and the chunks it imports from the
 * extension's own webview resources (Mermaid, KaTeX, loaded on first use); nothing loads from outside the extension.
 */
export function webviewHtml({ cspSource, script, styles }: WebviewAssets, title = 'Parley'): string {
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
${styles.map((href) => `<link rel="stylesheet" href="${href}">`).join('\n')}
<title>${title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</title>
</head>
<body>
<div id="app" data-nonce="${nonce}"></div>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
