// Texts for the streaming property test: the CommonMark spec's examples (npm commonmark-spec, the spec's own
// test data) and reply-like texts of the shapes models send: numbered steps with code blocks, loose lists,
// lists with empty items or a start other than 1, reference links defined before and after use, task lists, math.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const spec = require('commonmark-spec') as { tests: Array<{ markdown: string }> };

export const SPEC_EXAMPLES: string[] = spec.tests.map((t) => t.markdown.replace(/→/g, '\t'));

export const STEPS_WITH_CODE = [
  'To set it up:',
  '',
  '1. Install:',
  '',
  '   ```bash',
  '   npm i',
  '   ```',
  '',
  '2. Run:',
  '',
  '   ```bash',
  '   npm start',
  '   ```',
  '',
  '3. Open http://localhost:3000 and check the **console**.',
  '',
  'That is all.',
].join('\n');

export const REPLIES: string[] = [
  STEPS_WITH_CODE,
  'Details are in [the guide].\n\nMore text here.\n\n[the guide]: https://example.com/guide/install\n',
  '[the guide]: https://example.com/guide/install "Install guide"\n\nSee [the guide] and [The  Guide][] and [docs][the guide].\n',
  'Use [a] and [b].\n\n- item with [c]\n- another\n\n> quote with [a]\n\n[a]: https://a.example/x\n[b]: https://b.example/y\n[c]: https://c.example/z',
  '1. a\n\n  2. b\n\n   3. c\n',
  '- one\n-\n- three\n\n1. x\n2.\n3. z\n',
  '2. starts at two\n3. three\n\nthen\n\n7) seven\n8) eight\n',
  '- [ ] open task\n- [x] done task\n  - [ ] nested\n\n1. [x] numbered done\n',
  'Area: $\\pi r^2$, and \\( e^{i\\pi} = -1 \\).\n\n$$\n\\int_0^1 x^2 \\, dx = \\frac{1}{3}\n$$\n\n\\[ \\int_0^1 x^2 \\, dx \\]\n\nPrices: $5 and $10, `$PATH`, $HOME.\n',
  '```\nunclosed fence at the end\n',
  'Heading\n=======\n\nSub\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\nafter table\n',
  '* a\n\n  continued paragraph\n\n      indented code in item\n\n* b\n\n---\n\n> q1\n> q2\n\n    code\n\n    more code\n\ntext\n',
  'Steps:\n1. first\n   - sub a\n   - sub b\n\n     sub b para\n2. second\n\n   ```js\n   const x = 1;\n   ```\n\n   after code\n10. tenth\n',
  'A paragraph\nwith lazy\ncontinuation.\n> quote\ncontinues lazily\n\n<div>\nraw html block\n</div>\n\n***bold italic*** and ~~strike~~ and <https://auto.link> and www.example.com.\n',
];
