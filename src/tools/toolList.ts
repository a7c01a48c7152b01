// The names and descriptions of Parley's own tools, what the panel lists and the providers are told (and the
// scheme of proposed edits' diffs, which VS Code needs from activation on). Kept apart from the tools' code
// (workspaceTools.ts, editToolbox.ts and their libraries: the chunk dist/sdk/tools.js, loaded on first use), so
// that listing the tools in the panel loads none of it.
import type { ToolInfo } from '../protocol';

/** Largest text a tool returns to the model; longer output is cut with a note saying so. */
export const MAX_OUTPUT_CHARS = 60_000;

/** The read-only workspace tools (src/tools/workspaceTools.ts runs them). */
export const WORKSPACE_TOOLS = {
  read_file: 'Read a text file of the workspace, whole or a range of lines (1-based, inclusive). Lines come back numbered.',
  list_files: 'List the workspace files (without .gitignored and files.exclude paths), optionally only those matching a glob such as src/**/*.ts.',
  search_text:
    'Search the text of the workspace files (not .gitignored or excluded ones) for a string or regular expression; returns path:line: text for each match.',
  get_problems: "The Problems list of VS Code: errors and warnings of the workspace's files, with file, line and message.",
  get_active_editor: 'The file open in the active editor, its language, and the selected lines and text if any.',
  get_git_diff: "The working tree's uncommitted changes as a unified diff (from VS Code's git extension).",
} as const;

export type WorkspaceToolName = keyof typeof WORKSPACE_TOOLS;

/** What the panel shows of a workspace tool. */
export function workspaceToolInfo(name: WorkspaceToolName): ToolInfo {
  return { name, description: WORKSPACE_TOOLS[name], readOnly: true, source: 'workspace', defaultOn: true };
}

export const WORKSPACE_TOOL_NAMES = Object.keys(WORKSPACE_TOOLS) as WorkspaceToolName[];

/** The edit tool (src/tools/editToolbox.ts): it writes, so every call is approved. */
export const PROPOSE_EDIT: ToolInfo = {
  name: 'propose_edit',
  description:
    'Propose a change to one workspace file: exact replacements (edits) or its whole new content (content; also creates a new file). ' +
    'The user reviews it as a diff and accepts or rejects it; the result says which. Read the file first.',
  readOnly: false,
  source: 'workspace',
  defaultOn: true,
};

/** The URI scheme of the proposed side of an edit's diff in VS Code (src/host/editReview.ts). */
export const PROPOSED_SCHEME = 'parley-proposed';

/** Every name Parley's own tools take (a VS Code tool of the same name gets another). */
export const OWN_TOOL_NAMES: readonly string[] = [...WORKSPACE_TOOL_NAMES, PROPOSE_EDIT.name];
