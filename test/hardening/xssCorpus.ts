// XSS payloads a model could send. Every payload tries to call window.__pwned(<its number>); `$P` marks where.
// Categories: script tags, event handlers, script-capable URLs, SVG/MathML, broken and nested markup (incl. known
// DOMPurify mutation-XSS shapes), markdown link/image tricks, HTML in and around code fences, TeX for KaTeX and
// Mermaid diagrams. A template may name a dangerous token: its deltas are cut in the middle of that token.

const b64 = (s: string) => Buffer.from(s).toString('base64');

const TEMPLATES: Array<[category: string, template: string, cut?: string]> = [
  // script tags
  ['script', '<script>$P</script>'],
  ['script', '<SCRIPT>$P</SCRIPT>'],
  ['script', '<script src="data:text/javascript,$P"></script>'],
  ['script', '<scr<script>ipt>$P</scr</script>ipt>'],
  ['script', '<<script>script>$P<</script>/script>'],
  ['script', '<script type="module">$P</script>'],
  ['script', '"><script>$P</script>'],
  ['script', '</p></div><script>$P</script><div><p>'],
  ['script', 'Text first.\n\n<script>\n$P\n</script>\n\nText after.'],
  // event handlers
  ['handler', '<img src=x onerror=$P>'],
  ['handler', '<img src="x" onerror="$P">'],
  ['handler', '<IMG SRC=x ONERROR=$P>'],
  ['handler', '<img/src/onerror=$P>'],
  ['handler', '<img src=x\tonerror=$P>'],
  ['handler', '<img src=x\nonerror=$P>'],
  ['handler', '<img src=x onerror="&#95;&#95;pwned($N)">'],
  ['handler', '<svg onload=$P>'],
  ['handler', '<body onload=$P>'],
  ['handler', '<input autofocus onfocus=$P>'],
  ['handler', '<details open ontoggle=$P><summary>s</summary></details>'],
  ['handler', '<video><source onerror=$P></video>'],
  ['handler', '<audio src=x onerror=$P>'],
  ['handler', '<div onmouseover=$P>hover me</div>'],
  ['handler', '<a onclick=$P>click me</a>'],
  ['handler', '<marquee onstart=$P>m</marquee>'],
  ['handler', '<p onpointerenter=$P onfocusin=$P tabindex=0>p</p>'],
  ['handler', '<div style="animation-name:spin" onanimationstart=$P>a</div>'],
  // script-capable URLs
  ['url', '<a href="javascript:$P">x</a>'],
  ['url', '<a href="JaVaScRiPt:$P">x</a>'],
  ['url', '<a href="jav&#x09;ascript:$P">x</a>'],
  ['url', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;$P">x</a>'],
  ['url', '<a href=" \u0001javascript:$P">x</a>'],
  ['url', `<a href="data:text/html;base64,${b64('<script>top.__pwned(0)</script>')}#$N">x</a>`],
  ['url', '<a href="vbscript:$P">x</a>'],
  ['url', '<iframe src="javascript:parent.$P"></iframe>'],
  ['url', '<iframe srcdoc="<script>parent.$P</script>"></iframe>'],
  ['url', '<object data="data:text/html,<script>parent.$P</script>"></object>'],
  ['url', '<embed src="data:text/html,<script>parent.$P</script>">'],
  ['url', '<form action="javascript:$P"><button>go</button></form>'],
  ['url', '<button formaction="javascript:$P">go</button>'],
  ['url', '<meta http-equiv="refresh" content="0;url=javascript:$P">'],
  ['url', '<base href="javascript:$P//">'],
  ['url', '<link rel="stylesheet" href="javascript:$P">'],
  ['url', '<img src="javascript:$P">'],
  ['url', '<map name=m><area shape=rect coords=0,0,99,99 href="javascript:$P"></map><img usemap=#m src=x>'],
  ['url', '<a href="file:///etc/passwd" onclick=$P>file</a>'],
  // SVG and MathML
  ['svg', '<svg><script>$P</script></svg>'],
  ['svg', '<svg><animate onbegin=$P attributeName=x dur=1s /></svg>'],
  ['svg', '<svg><a xlink:href="javascript:$P"><text x=20 y=20>x</text></a></svg>'],
  ['svg', '<svg><set attributeName="onload" to="$P"/></svg>'],
  ['svg', '<svg><foreignObject><iframe srcdoc="<script>parent.$P</script>"></iframe></foreignObject></svg>'],
  ['svg', '<svg><use href="data:image/svg+xml,<svg id=\'x\' xmlns=\'http://www.w3.org/2000/svg\'><image href=\'1\' onerror=\'$P\'/></svg>#x"/></svg>'],
  ['svg', '<svg><style><img src=x onerror=$P></style></svg>'],
  ['svg', '<svg><animate attributeName=href values=javascript:$P /><a><text x=1 y=1>a</text></a></svg>'],
  ['mathml', '<math><maction actiontype="statusline" xlink:href="javascript:$P">x</maction></math>'],
  ['mathml', '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=$P&gt;">'],
  ['mathml', '<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style><img onerror=$P src>">'],
  ['mathml', '<math><mi xlink:href="javascript:$P">m</mi></math>'],
  // broken and nested markup
  ['broken', '<img src=x onerror=$P '],
  ['broken', '<a href="javascript:$P"'],
  ['broken', '<noscript><p title="</noscript><img src=x onerror=$P>"></noscript>'],
  ['broken', '<!--<img src="--><img src=x onerror=$P//">'],
  ['broken', '<title><img src=x onerror=$P></title>'],
  ['broken', '<textarea><img src=x onerror=$P></textarea>'],
  ['broken', '<template><img src=x onerror=$P></template>'],
  ['broken', '<div><template shadowrootmode="open"><img src=x onerror=$P></template></div>'],
  ['broken', '<xmp><img src=x onerror=$P></xmp>'],
  ['broken', '<![CDATA[><img src=x onerror=$P>]]>'],
  ['broken', '<img """><script>$P</script>">'],
  ['broken', '<iframe/src="data:text/html,<svg onload=parent.$P>">'],
  ['broken', '<a href="https://ok.example"><a href="javascript:$P">nested</a></a>'],
  ['broken', '<style>@import "javascript:$P";</style><p>styled</p>'],
  ['broken', '<select><option><img src=x onerror=$P></option></select>'],
  // markdown links and images
  ['markdown', '[click](javascript:$P)'],
  ['markdown', '[click](javascript&#58;$P)'],
  ['markdown', '[click](<javascript:$P>)'],
  ['markdown', '[click](JAVASCRIPT:$P)'],
  ['markdown', '[click](  javascript:$P  )'],
  ['markdown', '[click](vbscript:$P)'],
  ['markdown', `[click](data:text/html;base64,${b64('<script>top.__pwned(0)</script>')}#$N)`],
  ['markdown', '[file](file:///etc/passwd#$N)'],
  ['markdown', '![img](javascript:$P)'],
  ['markdown', '![x](x" onerror="$P)'],
  ['markdown', '![x"><img src=x onerror=$P>](https://example.com/a.png)'],
  ['markdown', '[x](https://example.com "t\\" onmouseover=$P x=\\"")'],
  ['markdown', '[ref][r]\n\n[r]: javascript:$P'],
  ['markdown', '<javascript:$P>'],
  ['markdown', '**bold <img src=x onerror=$P>**'],
  ['markdown', '| a | b |\n|---|---|\n| <img src=x onerror=$P> | x |'],
  ['markdown', '> quote <svg onload=$P>'],
  ['markdown', '- item <a href="javascript:$P">x</a>\n- item 2'],
  ['markdown', '[<img src=x onerror=$P>](https://example.com)'],
  // code fences
  ['code', '```html\n<script>$P</script>\n```'],
  ['code', '```\n<img src=x onerror=$P>\n```'],
  ['code', '```"><img src=x onerror=$P>\nx\n```'],
  ['code', '```js\n</code></pre><img src=x onerror=$P>\n```'],
  ['code', '`<img src=x onerror=$P>`'],
  ['code', '```html\n<img src=x onerror=$P>'],
  ['code', '~~~\n</pre><script>$P</script>\n~~~'],
  ['code', '    <img src=x onerror=$P>'],
  ['code', '```xml\n<![CDATA[<script>$P</script>]]>\n```'],
  ['code', '```typescript\nconst s = "</script><script>$P</script>";\n```\n<img src=x onerror=$P>'],
  // TeX (KaTeX runs with trust: false)
  ['katex', 'Click $\\href{javascript:$P}{here}$ now.', 'javascript:'],
  ['katex', '$$\\url{javascript:$P}$$', '\\url'],
  ['katex', '\\(\\htmlId{x" onmouseover="$P}{y}\\)', '\\htmlId'],
  ['katex', '\\[\\includegraphics[height=1em]{https://evil.example/$N.png}\\]', 'includegraphics'],
  ['katex', '$\\htmlStyle{background:url(https://evil.example/$N)}{x}$ and $\\htmlData{onclick=$P}{y}$', '\\html'],
  ['katex', '$$\n\\href{data:text/html,<script>top.$P</script>}{x} \\htmlClass{x" onclick="$P}{y}\n$$', '\\href'],
  ['katex', '$\\text{<img src=x onerror=$P>}$ and $\\mathrm{<svg onload=$P>}$', '<img'],
  // Mermaid (securityLevel strict; directives cannot lower it)
  ['mermaid', '```mermaid\ngraph TD\n  A[Start] --> B[End]\n  click A call $P\n  click B callback "tip"\n```', 'click'],
  ['mermaid', '```mermaid\ngraph TD\n  A[Start] --> B[End]\n  click A "javascript:$P" "tooltip"\n  click B href "javascript:$P"\n```', 'javascript:'],
  ['mermaid', '```mermaid\ngraph TD\n  A["<img src=x onerror=$P>"] --> B["<script>$P</script>"]\n  B --> C["<a href=\'javascript:$P\'>link</a>"]\n```', '<img'],
  ['mermaid', '```mermaid\n%%{init: {"securityLevel": "loose", "startOnLoad": true, "flowchart": {"htmlLabels": true}}}%%\ngraph TD\n  A["<img src=x onerror=$P>"] --> B\n  click A call $P\n```', '%%{init'],
  ['mermaid', '```mermaid\n%%{init: {"secure": [], "securityLevel": "loose", "themeCSS": "@import url(https://evil.example/$N.css); .node rect { fill: url(https://evil.example/$N) }"}}%%\ngraph TD\n  A --> B\n```', 'securityLevel'],
  ['mermaid', '```mermaid\nsequenceDiagram\n  Alice->>Bob: <img src=x onerror=$P>\n  link Alice: Evil @ javascript:$P\n  links Bob: {"x": "javascript:$P"}\n```', 'javascript:'],
  ['mermaid', '```mermaid\nclassDiagram\n  class A\n  link A "javascript:$P"\n  callback A "__pwned"\n```', 'javascript:'],
];

export interface Payload {
  id: number;
  category: string;
  text: string;
  /** A delta boundary falls in the middle of this token. */
  cut?: string;
}

export const PAYLOADS: Payload[] = TEMPLATES.map(([category, template, cut], i) => {
  const id = i + 1;
  return { id, category, text: template.replaceAll('$P', `__pwned(${id})`).replaceAll('$N', String(id)), cut };
});

/**
 * Splits a payload into deltas of varying size: 1..9 characters, so tags and URLs break in every place; with
 * `cut`, one boundary falls in the middle of that token.
 */
export function splitIntoDeltas(text: string, seed: number, cut?: string): string[] {
  const at = cut ? text.indexOf(cut) : -1;
  if (at >= 0) {
    const middle = at + Math.max(1, Math.floor(cut!.length / 2));
    return [...splitIntoDeltas(text.slice(0, middle), seed), ...splitIntoDeltas(text.slice(middle), seed + 1)];
  }
  const out: string[] = [];
  let i = 0;
  let n = seed;
  while (i < text.length) {
    n = (n * 1103515245 + 12345) & 0x7fffffff;
    const size = 1 + (n % 9);
    out.push(text.slice(i, i + size));
    i += size;
  }
  return out;
}
