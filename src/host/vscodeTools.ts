// VS Code's language-model tools as a Parley toolbox: the tools other extensions register with
// `vscode.lm.registerTool`, and the tools of MCP servers VS Code runs (VS Code registers those as language-model
// tools too), offered to Parley's models and run through `vscode.lm.invokeTool`.
//
// What VS Code gives an extension (read in VS Code 1.139's extension host, the code-server bundle the e2e suite
// runs, and seen there by test/e2e/vscodeTools.e2e.ts):
// - `vscode.lm.tools`: `{ name, description, inputSchema, tags }` (the 1.104 typings), plus at run time
//   `fullReferenceName` and `source`. The extension host fills `source` in only for extensions allowed the
//   `chatParticipantPrivate` proposal; desktop VS Code checks the proposals an extension declares, so Parley
//   (declaring none) should get `source: undefined` for every tool there (not checked: no desktop VS Code here).
//   code-server 1.139's extension host allows every proposal to every extension (its isProposedApiEnabled returns
//   true), and there `source` is a LanguageModelToolExtensionSource `{ id, label }`, a LanguageModelToolMCPSource
//   `{ label, name, instructions }`, or undefined for VS Code's built-in chat tools. Parley does not rely on it:
//   - MCP tools: VS Code registers every MCP tool with `tags: ['mcp']` and names it `mcp_<server>_<tool>`
//     (src/vs/workbench/contrib/mcp/common/mcpLanguageModelToolContribution.ts).
//   - Other extensions' tools: an extension must declare each tool in its package.json
//     (`contributes.languageModelTools`), which `vscode.extensions.all` shows.
//   - Everything else is VS Code's own chat machinery (run_in_terminal, manage_todo_list, runSubagent,
//     vscode_get_confirmation, inline_chat_exit, *_internal, … 25 of them in code-server 1.139): left out, as they
//     expect a VS Code chat session behind the call, and Parley has none to give. So are Parley's own tools.
// - Tools of an MCP server appear only once VS Code has started the server (it starts servers for its own chat,
//   or from MCP: List Servers / the mcp.json code lens; with `chat.disableAIFeatures: true` they still ran in
//   code-server 1.139). The list changes as extensions activate and servers start, so `tools()` reads it each time.
//
// Confirmation: `invokeTool` with `toolInvocationToken: undefined` (there is no chat request of VS Code's behind a
// Parley reply) goes to LanguageModelToolsService.invokeTool (src/vs/workbench/contrib/chat/browser/
// languageModelToolsService.ts) without a chat session. It still calls the tool's `prepareInvocation`; when that
// returns `confirmationMessages` with a title (and the call is not pre-approved), VS Code shows its own modal
// dialog (dialogService.confirm: the title as the message, the message as the detail) and, if the user declines,
// the call throws a CancellationError. MCP tools ask unless the server marks the tool `readOnlyHint`. So the
// order is: Parley's approval card (every VS Code tool is `readOnly: false`), then, for tools that ask, VS Code's
// dialog; declining the dialog comes back to the model as a failed call.
//
// An MCP server that exits in the middle of a call (seen in code-server 1.139 with test/e2e/mcp-server's `crash`):
// VS Code's JSON-RPC client cancels its pending requests when the connection goes (cancelAllRequests), so
// invokeTool rejects with the same CancellationError as a declined dialog, and nothing an extension can read says
// which it was (the server's tools stay listed; VS Code keeps no state an extension can query). So for an MCP tool
// the message names both, the stopped server first; VS Code starts the server again on the next call of its tools.
import * as vscode from 'vscode';
import type { ToolInfo } from '../protocol';
import type { OfferedTool, Toolbox } from '../tools/toolbox';
import {
  assignToolNames, capDescription, parseToolInput, partByShape, resultText, toolParameters, type ResultPart,
} from '../tools/vscodeToolNames';
import { OWN_TOOL_NAMES } from '../tools/toolList';
import type { ToolOutput } from '../tools/workspaceTools';

const PARLEY_EXTENSION_ID = 'parley.parley';

type SourceClass = new (...args: never[]) => object;

/** Whether VS Code lists `tool` as an MCP server's (by its tag; by its `source` where VS Code shows one). */
export function isMcpTool(tool: vscode.LanguageModelToolInformation): boolean {
  const McpSource = (vscode as unknown as { LanguageModelToolMCPSource?: SourceClass }).LanguageModelToolMCPSource;
  const source = (tool as { source?: unknown }).source;
  return tool.tags.includes('mcp') || (!!McpSource && source instanceof McpSource);
}

/** The tools other extensions declare in their package.json (Parley's own, none today, are not offered back). */
function extensionToolNames(): Set<string> {
  const names = new Set<string>();
  for (const extension of vscode.extensions.all) {
    if (extension.id.toLowerCase() === PARLEY_EXTENSION_ID) continue;
    const declared: unknown = extension.packageJSON?.contributes?.languageModelTools;
    if (Array.isArray(declared)) for (const tool of declared) if (typeof tool?.name === 'string') names.add(tool.name);
  }
  return names;
}

function onByDefault(): boolean {
  return vscode.workspace.getConfiguration('parley').get<boolean>('tools.vscodeToolsOnByDefault', false) === true;
}

/** A result part as the pure text conversion knows it, by the classes of the running VS Code where it has them. */
function toPart(part: unknown): ResultPart {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', text: part.value };
  if (part instanceof vscode.LanguageModelPromptTsxPart) return { kind: 'prompt-tsx', value: part.value };
  // LanguageModelDataPart is not in the 1.104 typings this extension builds against; VS Code 1.139 has it.
  const DataPart = (vscode as unknown as { LanguageModelDataPart?: new (...args: never[]) => { mimeType: string; data: Uint8Array } }).LanguageModelDataPart;
  if (DataPart && part instanceof DataPart) return { kind: 'data', mimeType: part.mimeType, bytes: part.data };
  return partByShape(part);
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e);
}

/** The MCP server's name as VS Code shows it (`source.label`, where VS Code fills `source` in). */
function mcpServerLabel(tool: vscode.LanguageModelToolInformation): string | undefined {
  const label = (tool as { source?: { label?: unknown } }).source?.label;
  return typeof label === 'string' && label ? label : undefined;
}

/** Why VS Code cancelled a call Parley did not stop: for an MCP tool, its server may have stopped mid-call. */
function cancelledText(realName: string, mcp: { server?: string } | undefined): string {
  if (!mcp) return `${realName} failed: cancelled in VS Code (its confirmation dialog was declined, or the tool cancelled itself).`;
  const server = mcp.server ? `The MCP server "${mcp.server}"` : 'Its MCP server';
  return `${realName} failed: VS Code cancelled the call before it answered. ${server} stopped during the call (it exited or crashed; VS Code starts it again on the next call of its tools), or VS Code's confirmation dialog for the tool was declined.`;
}

async function invoke(realName: string, argumentsJson: string, signal: AbortSignal, mcp?: { server?: string }): Promise<ToolOutput> {
  const parsed = parseToolInput(argumentsJson);
  if ('error' in parsed) return { text: `${realName}: ${parsed.error}`, isError: true };
  if (signal.aborted) return { text: `${realName} was stopped before it ran.`, isError: true };
  const cancel = new vscode.CancellationTokenSource();
  const onAbort = () => cancel.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await vscode.lm.invokeTool(realName, { input: parsed.input, toolInvocationToken: undefined }, cancel.token);
    const text = resultText((result?.content ?? []).map(toPart));
    // `hasError` (not in the typings): VS Code sets it when the tool reported a failure, e.g. an MCP `isError` result.
    return (result as { hasError?: boolean } | undefined)?.hasError ? { text: text || `${realName} failed.`, isError: true } : { text };
  } catch (e) {
    if (e instanceof vscode.CancellationError || (e as Error)?.name === 'Canceled') {
      return signal.aborted ? { text: `${realName} was stopped.`, isError: true } : { text: cancelledText(realName, mcp), isError: true };
    }
    return { text: `${realName} failed: ${errorMessage(e)}`, isError: true };
  } finally {
    signal.removeEventListener('abort', onAbort);
    cancel.dispose();
  }
}

/**
 * VS Code's language-model tools, listed afresh on every call. Each is off in a chat until its tool picker turns
 * it on (unless `parley.tools.vscodeToolsOnByDefault`), and every call waits for approval (`readOnly: false`):
 * Parley cannot know what another extension's tool or an MCP server does.
 */
export function vscodeToolbox(): Toolbox {
  const tools = (): OfferedTool[] => {
    const fromExtensions = extensionToolNames();
    const listed = vscode.lm.tools.filter((t) => fromExtensions.has(t.name) || isMcpTool(t));
    // Parley's own tools keep their names; a VS Code tool of the same name gets a suffix.
    const names = assignToolNames(listed.map((t) => t.name), OWN_TOOL_NAMES);
    const defaultOn = onByDefault();
    return listed.map((tool) => {
      const name = names.get(tool.name)!;
      const description = capDescription(tool.description) || `The tool ${tool.name}.`;
      const mcp = isMcpTool(tool) ? { server: mcpServerLabel(tool) } : undefined;
      const info: ToolInfo = { name, description, readOnly: false, source: mcp ? 'mcp' : 'vscode', defaultOn };
      return {
        info,
        spec: { name, description, parameters: toolParameters(tool.inputSchema) },
        run: (argumentsJson, signal) => invoke(tool.name, argumentsJson, signal, mcp),
      };
    });
  };
  return { infos: () => tools().map((t) => t.info), tools: () => Promise.resolve(tools()) };
}
