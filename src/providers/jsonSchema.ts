// The structured-output schema a user pastes into the controls: checked as they type (webview) and again before
// any request (host), by the same function.

/** What is wrong with the schema text, or undefined when it is a usable JSON schema object. */
export function jsonSchemaProblem(text: string): string | undefined {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (err) {
    return `The JSON schema is not valid JSON (${(err as Error).message}).`;
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return 'The JSON schema must be a JSON object, such as {"type": "object", "properties": {…}}.';
  }
  const type = (schema as { type?: unknown }).type;
  if (type !== undefined && typeof type !== 'string' && !Array.isArray(type)) return 'The JSON schema\'s "type" must be a string such as "object".';
  if (type === undefined && !['properties', 'anyOf', 'oneOf', '$ref'].some((key) => key in schema)) {
    return 'The JSON schema says nothing about the reply: give it a "type" (usually "object") and "properties".';
  }
  return undefined;
}

/** The chat's schema as an object, undefined when none is set; throws the problem (as a ParleyError at the host). */
export function configuredSchema(config: { jsonSchema?: string }, fail: (problem: string) => Error = (p) => new Error(p)): Record<string, unknown> | undefined {
  const text = config.jsonSchema?.trim();
  if (!text) return undefined;
  const problem = jsonSchemaProblem(text);
  if (problem) throw fail(`${problem} Fix it in the model settings, or clear it.`);
  return JSON.parse(text) as Record<string, unknown>;
}
