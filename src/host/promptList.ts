// The prompts a panel offers: the built-in `/commands`, and `parley.prompts` read with one valibot schema (a plain
// string as before, or `{ name, description, prompt }`). A bad entry is skipped with a warning that names it; a user
// prompt named like a built-in replaces it. Pure: no `vscode` here.
import * as v from 'valibot';
import type { PromptInfo } from '../protocol';

export const BUILT_IN_PROMPTS: readonly PromptInfo[] = [
  { name: 'explain', description: 'Explain the selected code', text: 'Explain this code:\n\n{{selection}}' },
  { name: 'fix', description: 'Find bugs in the current file and suggest fixes', text: 'Find bugs in this {{language}} file and suggest fixes:\n\n{{file}}' },
  { name: 'tests', description: 'Write unit tests for the selected code', text: 'Write unit tests for:\n\n{{selection}}' },
  { name: 'translate', description: 'Translate a text into another language', text: 'Translate the following into {{target language}}:\n\n{{text}}' },
];

const promptText = v.pipe(v.string('a prompt must be text'), v.check((s) => s.trim().length > 0, 'the prompt is empty'));

const ENTRY_SHAPE = 'an entry must be a string or an object { "name", "description", "prompt" }';

const PromptEntrySchema = v.union(
  [
    promptText,
    v.strictObject(
      {
        name: v.pipe(
          v.string('"name" must be text'),
          v.regex(/^[\w-]+$/, '"name" may hold only letters, digits, - and _ (no spaces, no leading /)'),
          v.maxLength(64, '"name" is longer than 64 characters'),
        ),
        description: v.optional(v.string('"description" must be text')),
        prompt: v.pipe(v.string('"prompt" must be text'), v.check((s) => s.trim().length > 0, '"prompt" is empty')),
      },
      (issue) => {
        if (!issue.path?.length) return ENTRY_SHAPE;
        if (issue.expected === 'never') return `unknown key ${issue.received} (allowed: name, description, prompt)`;
        return `${issue.expected} is missing`;
      },
    ),
  ],
  ENTRY_SHAPE,
);

/** How a warning names an entry: its index, and its name or first line when it has one. */
function entryLabel(index: number, entry: unknown): string {
  const name = typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string' ? (entry as { name: string }).name : undefined;
  const first = typeof entry === 'string' ? entry.trim().split('\n')[0].slice(0, 40) : undefined;
  const shown = name ?? first;
  return `parley.prompts[${index}]${shown ? ` (“${shown}”)` : ''}`;
}

/** The clearest message of a failed entry: an unknown key (a typo explains a missing key), then an object's own issue, then the union's summary. */
function issueMessage(issues: readonly v.BaseIssue<unknown>[]): string {
  const inner = issues.flatMap((issue) => issue.issues ?? []).filter((issue) => issue.path?.length);
  return (inner.find((issue) => issue.expected === 'never') ?? inner[0] ?? issues[0]).message;
}

/** Reads `parley.prompts`: the valid entries in order, and one warning for each skipped entry. */
export function parsePromptSetting(raw: unknown): { prompts: PromptInfo[]; warnings: string[] } {
  if (raw === undefined || raw === null) return { prompts: [], warnings: [] };
  if (!Array.isArray(raw)) return { prompts: [], warnings: ['parley.prompts is skipped: it must be a list of prompts.'] };
  const prompts: PromptInfo[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, { index: number; name: string }>();
  raw.forEach((entry: unknown, index) => {
    const result = v.safeParse(PromptEntrySchema, entry);
    if (!result.success) {
      warnings.push(`${entryLabel(index, entry)} is skipped: ${issueMessage(result.issues)}.`);
      return;
    }
    const value = result.output;
    if (typeof value === 'string') {
      prompts.push({ text: value });
      return;
    }
    const key = value.name.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      warnings.push(`${entryLabel(index, entry)} is skipped: parley.prompts[${earlier.index}] already has the name "${earlier.name}".`);
      return;
    }
    seen.set(key, { index, name: value.name });
    prompts.push({ name: value.name, ...(value.description?.trim() && { description: value.description.trim() }), text: value.prompt });
  });
  return { prompts, warnings };
}

/** The user's prompts, then the built-ins none of them replaces (same name, any case). */
export function promptList(user: readonly PromptInfo[] = []): PromptInfo[] {
  const taken = new Set(user.flatMap((p) => (p.name ? [p.name.toLowerCase()] : [])));
  return [...user, ...BUILT_IN_PROMPTS.filter((p) => !taken.has(p.name!.toLowerCase()))];
}
