import { BUILT_IN_PROMPT_VARIABLES, promptVariableNames, promptVariablePattern } from '../protocol';

/** What the active editor offers to a prompt's built-in variables. */
export interface EditorContext {
  selection?: string;
  file?: string;
  language?: string;
  fileName?: string;
}

/** `{{name}}` variables of a prompt (built-ins included), in order of first appearance, without duplicates. */
export function promptVariables(template: string): string[] {
  return promptVariableNames(template, true);
}

/** Fills {{selection}}, {{file}} and {{language}} from the active editor; says so when there is none. */
export function fillBuiltins(text: string, editor: EditorContext | undefined): string {
  return text.replace(promptVariablePattern(), (whole, found: string) => {
    if (!(BUILT_IN_PROMPT_VARIABLES as readonly string[]).includes(found)) return whole;
    const name = found as (typeof BUILT_IN_PROMPT_VARIABLES)[number];
    if (name === 'language') return editor?.language ?? 'plain text';
    const value = name === 'selection' ? editor?.selection || editor?.file : editor?.file;
    if (value === undefined) return `(no ${name}: no editor was open)`;
    const lang = editor?.language ?? '';
    const fence = value.includes('```') ? '````' : '```';
    const header = editor?.fileName ? `${editor.fileName}:\n` : '';
    return `${header}${fence}${lang}\n${value}\n${fence}\n`;
  });
}
