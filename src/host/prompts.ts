/** What the active editor offers to a prompt's built-in variables. */
export interface EditorContext {
  selection?: string;
  file?: string;
  language?: string;
  fileName?: string;
}

export const BUILT_IN_VARIABLES = ['selection', 'file', 'language'] as const;

/** `{{name}}` variables of a prompt, in order of first appearance, without duplicates. */
export function promptVariables(template: string): string[] {
  const names = [...template.matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)].map((m) => m[1]);
  return [...new Set(names)];
}

/** Fills {{selection}}, {{file}} and {{language}} from the active editor; says so when there is none. */
export function fillBuiltins(text: string, editor: EditorContext | undefined): string {
  return text.replace(/\{\{\s*(selection|file|language)\s*\}\}/g, (_, name: (typeof BUILT_IN_VARIABLES)[number]) => {
    if (name === 'language') return editor?.language ?? 'plain text';
    const value = name === 'selection' ? editor?.selection || editor?.file : editor?.file;
    if (value === undefined) return `(no ${name}: no editor was open)`;
    const lang = editor?.language ?? '';
    const fence = value.includes('```') ? '````' : '```';
    const header = editor?.fileName ? `${editor.fileName}:\n` : '';
    return `${header}${fence}${lang}\n${value}\n${fence}\n`;
  });
}
