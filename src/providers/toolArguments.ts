/**
 * A tool call's arguments (the JSON text the model wrote) as the object Anthropic's `input` and Gemini's `args`
 * want. Text that is not a JSON object (a model wrote broken JSON) stays readable as `{ "_raw": "<the text>" }`
 * rather than being lost; no arguments at all are `{}`.
 */
export function parseToolArguments(args: string): Record<string, unknown> {
  if (!args.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(args);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // kept raw below
  }
  return { _raw: args };
}
