// Parley's workspace tools and the edit tool, with the libraries only they use (picomatch, ignore, diff,
// @valibot/to-json-schema), built into their own lazily loaded chunk (dist/sdk/tools.js): the panel lists the
// tools from src/tools/toolList.ts, and src/chunks.ts loads this when a reply first offers them (or on the first
// Apply of a code block, src/host/editReview.ts).
export { workspaceTools } from '../tools/workspaceTools';
export { proposeEditTool } from '../tools/editToolbox';
export { proposeEdit, readTarget } from '../tools/edits';
