// The tools a reply may offer the model, from every source (the workspace, the edit tool, VS Code's and MCP
// tools), each with what the panel shows of it, what the providers are told, and how it runs. The panel lists
// the tools without their code: Parley's own tools load from their chunk (src/chunks.ts) when a reply first
// offers them.
import type { ToolInfo } from '../protocol';
import type { ToolSpec } from '../providers/types';
import { toolsChunk } from '../chunks';
import type { EditPort } from './edits';
import { PROPOSE_EDIT, WORKSPACE_TOOL_NAMES, workspaceToolInfo } from './toolList';
import type { WorkspaceView } from './workspaceFiles';
import type { ToolContext, ToolOutput } from './workspaceTools';

export interface OfferedTool {
  info: ToolInfo;
  spec: ToolSpec;
  /**
   * Before the user is asked: checks the call and gets what they review ready (an edit's diff). An `error` ends the
   * call without asking; a `summary` tells the card what is asked.
   */
  prepare?(argumentsJson: string, callId: string, signal: AbortSignal): Promise<{ error?: ToolOutput; summary?: string }>;
  /** Shows again what a prepared call would do (the card's Review button). */
  review?(callId: string): Promise<void>;
  /** Runs the call with the arguments' JSON text the model wrote; failures come back as error outputs. */
  run(argumentsJson: string, signal: AbortSignal, callId?: string): Promise<ToolOutput>;
  /** The call ended (run, denied, cancelled): drops what `prepare` kept. */
  release?(callId: string): void;
}

export interface Toolbox {
  /** What the panel lists: loads none of the tools' code. */
  infos(): ToolInfo[];
  /** The tools with their schemas and runs, in the order of `infos()`; may load their code first. */
  tools(): Promise<OfferedTool[]>;
}

/** Several sources as one: a later tool whose name an earlier one took is left out (names must be unique). */
export function combineToolboxes(...boxes: Array<Toolbox | undefined>): Toolbox | undefined {
  const present = boxes.filter((b): b is Toolbox => !!b);
  if (present.length <= 1) return present[0];
  const unique = <T>(lists: T[][], name: (item: T) => string): T[] => {
    const seen = new Set<string>();
    return lists.flat().filter((item) => !seen.has(name(item)) && !!seen.add(name(item)));
  };
  return {
    infos: () => unique(present.map((b) => b.infos()), (info) => info.name),
    tools: async () => unique(await Promise.all(present.map((b) => b.tools())), (tool) => tool.spec.name),
  };
}

/** Tools whose code loads on the first `tools()` (once); `infos` are known without it. */
function lazyToolbox(infos: ToolInfo[], load: () => Promise<OfferedTool[]>): Toolbox {
  let loaded: Promise<OfferedTool[]> | undefined;
  return { infos: () => infos, tools: () => (loaded ??= load()) };
}

/** The read-only workspace tools, run against the workspace `context()` describes when each call runs. */
export function workspaceToolbox(context: () => Omit<ToolContext, 'signal'> | undefined): Toolbox {
  return lazyToolbox(WORKSPACE_TOOL_NAMES.map(workspaceToolInfo), async () => (await toolsChunk()).workspaceTools(context));
}

/** The edit tool (`propose_edit`): proposals shown through `port`, in the workspace `view()` describes. */
export function editToolbox(view: () => WorkspaceView | undefined, port: EditPort): Toolbox {
  return lazyToolbox([PROPOSE_EDIT], async () => [(await toolsChunk()).proposeEditTool(view, port)]);
}
