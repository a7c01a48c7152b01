// regexpp, the regular expression parser ESLint uses, built into its own lazily loaded chunk (dist/sdk/regexpp.js):
// only a regex search_text needs it, so activation does not parse it.
export * from '@eslint-community/regexpp';
