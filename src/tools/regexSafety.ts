// Whether a regular expression a model wrote may run on the extension host: JavaScript's RegExp cannot be
// interrupted, so one that backtracks exponentially would freeze every extension. Patterns that nest unbounded
// repetition (`(a+)+`, `(\w*)*`, `(a|b+)*`) are the classic culprits; the pattern is parsed with regexpp (the
// parser ESLint uses, full ES syntax with lookbehind and named groups) and its quantifier nesting measured.
// regexpp is a chunk of its own (dist/sdk/regexpp.js), loaded on the first regex search, not at activation.

/** True when the pattern has a repeated part (max > 1) inside another repeated part. */
export async function nestsRepetition(pattern: string, flags = ''): Promise<boolean> {
  const { RegExpParser, visitRegExpAST } = await import('@eslint-community/regexpp');
  const parser = new RegExpParser({ ecmaVersion: 2025 });
  const ast = parser.parsePattern(pattern, 0, pattern.length, { unicode: flags.includes('u'), unicodeSets: flags.includes('v') });
  let depth = 0;
  let nested = false;
  visitRegExpAST(ast, {
    onQuantifierEnter(node) {
      if (node.max <= 1) return;
      if (depth > 0) nested = true;
      depth++;
    },
    onQuantifierLeave(node) {
      if (node.max > 1) depth--;
    },
  });
  return nested;
}
