// The chat export (a chat as a Markdown document), built into its own lazily loaded chunk (dist/sdk/export.js):
// only Export needs it.
export { chatToMarkdown } from '../host/export';
