// The `propose_edit` tool: prepared before the user is asked (the proposal computed, checked and opened as a diff),
// run only on Accept (written through the edit port, and only if the file has not changed meanwhile). Part of the
// tools' chunk (src/sdk-entries/tools.ts); toolbox.ts offers it.
import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { ParleyError } from '../providers/errors';
import { describeProposal, editArgs, proposeEdit, type EditPort, type EditProposal } from './edits';
import { PROPOSE_EDIT } from './toolList';
import type { OfferedTool } from './toolbox';
import type { WorkspaceView } from './workspaceFiles';
import type { ToolOutput } from './workspaceTools';

const NAME = PROPOSE_EDIT.name;

function parseArgs(argumentsJson: string): v.InferOutput<typeof editArgs> {
  let raw: unknown;
  try {
    raw = argumentsJson.trim() ? JSON.parse(argumentsJson) : {};
  } catch (err) {
    throw new ParleyError('bad-request', `The arguments of ${NAME} are not valid JSON (${(err as Error).message}).`);
  }
  const parsed = v.safeParse(editArgs, raw);
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  const at = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  throw new ParleyError('bad-request', `The arguments of ${NAME} do not fit its schema: ${at ? `${at}: ` : ''}${issue.message}.`);
}

const failure = (err: unknown): ToolOutput => ({ text: err instanceof ParleyError ? err.message : `${NAME} failed: ${(err as Error)?.message ?? err}`, isError: true });

export function proposeEditTool(view: () => WorkspaceView | undefined, port: EditPort): OfferedTool {
  const proposals = new Map<string, EditProposal>();
  const { $schema: _ignored, ...parameters } = toJsonSchema(editArgs, { errorMode: 'ignore' }) as Record<string, unknown>;
  const tool: OfferedTool = {
    info: PROPOSE_EDIT,
    spec: { name: NAME, description: PROPOSE_EDIT.description, parameters },
    async prepare(argumentsJson, callId) {
      try {
        const proposal = await proposeEdit(parseArgs(argumentsJson), view() ?? { roots: [], exclude: [] });
        proposals.set(callId, proposal);
        await port.review(proposal, callId);
        return { summary: describeProposal(proposal) };
      } catch (err) {
        return { error: failure(err) };
      }
    },
    async review(callId) {
      const proposal = proposals.get(callId);
      if (proposal) await port.review(proposal, callId);
    },
    async run(_argumentsJson, _signal, callId) {
      const proposal = callId ? proposals.get(callId) : undefined;
      if (!proposal) return { text: 'The proposal is gone (VS Code restarted or it was already handled); propose the edit again.', isError: true };
      try {
        const refused = await port.apply(proposal, callId!);
        if (refused) return { text: refused, isError: true, summary: describeProposal(proposal) };
        return { text: `The user accepted the edit; ${describeProposal(proposal)} written.\n\n${proposal.patch}`, summary: describeProposal(proposal) };
      } catch (err) {
        return failure(err);
      } finally {
        proposals.delete(callId!);
      }
    },
    release(callId) {
      if (proposals.delete(callId)) port.discard(callId);
    },
  };
  return tool;
}
