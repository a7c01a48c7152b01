// The tools a reply may offer the model, from every source (the workspace today; VS Code's and MCP tools join
// here), each with what the panel shows of it, what the providers are told, and how it runs.
import type { ToolInfo } from '../protocol';
import type { ToolSpec } from '../providers/types';
import { runWorkspaceTool, workspaceToolSpecs, type ToolContext, type ToolOutput } from './workspaceTools';

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
  tools(): OfferedTool[];
}

/** Several sources as one: a later tool whose name an earlier one took is left out (names must be unique). */
export function combineToolboxes(...boxes: Array<Toolbox | undefined>): Toolbox | undefined {
  const present = boxes.filter((b): b is Toolbox => !!b);
  if (present.length <= 1) return present[0];
  return {
    tools: () => {
      const seen = new Set<string>();
      return present.flatMap((b) => b.tools()).filter((t) => !seen.has(t.spec.name) && !!seen.add(t.spec.name));
    },
  };
}

/** The read-only workspace tools, run against the workspace `context()` describes when each call runs. */
export function workspaceToolbox(context: () => Omit<ToolContext, 'signal'> | undefined): Toolbox {
  const specs = workspaceToolSpecs();
  return {
    tools: () =>
      specs.map((spec) => ({
        info: { name: spec.name, description: spec.description, readOnly: true, source: 'workspace' as const, defaultOn: true },
        spec,
        run: async (argumentsJson, signal) => {
          const ctx = context() ?? { view: { roots: [], exclude: [] } };
          return runWorkspaceTool(spec.name, argumentsJson, { ...ctx, signal });
        },
      })),
  };
}
