// What the `/` menu lists for the text typed after `/`, and how prompts are labelled (variables as ‹name›).
// Pure functions: no DOM here.
import { promptVariablePattern, type PromptInfo } from '../src/protocol';

/** A prompt's first line, its variables shown as ‹name› rather than raw braces. */
export function readableLine(text: string): string {
  const line = text.trim().split('\n')[0].replace(promptVariablePattern(), (_, name: string) => `‹${name}›`);
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** What a menu row says after `/name —`: the description, else the prompt's first line. */
export function promptSummary(prompt: PromptInfo): string {
  return prompt.description || readableLine(prompt.text);
}

/**
 * The prompts for `query` (the text after `/`): named prompts whose name starts with it first (an exact name
 * before the rest), then prompts where every word of it appears in the name or description (the text, for a
 * prompt without a name). An empty query lists them all in their order.
 */
export function matchPrompts(prompts: readonly PromptInfo[], query: string): PromptInfo[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...prompts];
  const exact = prompts.filter((p) => p.name?.toLowerCase() === q);
  const prefix = prompts.filter((p) => !exact.includes(p) && p.name?.toLowerCase().startsWith(q));
  const words = q.split(/\s+/);
  const haystack = (p: PromptInfo) => (p.name ? `${p.name} ${p.description ?? ''}` : p.text).toLowerCase();
  const rest = prompts.filter((p) => !exact.includes(p) && !prefix.includes(p) && words.every((w) => haystack(p).includes(w)));
  return [...exact, ...prefix, ...rest];
}

/** The named prompt that `/name ` (the name and a space) picks, if the text is just that. */
export function namedByTyping(prompts: readonly PromptInfo[], value: string): PromptInfo | undefined {
  const typed = /^\/([\w-]+) $/.exec(value)?.[1].toLowerCase();
  return typed === undefined ? undefined : prompts.find((p) => p.name?.toLowerCase() === typed);
}
