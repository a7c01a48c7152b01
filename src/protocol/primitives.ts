// The protocol's building blocks: the value shapes its schemas share (ids, numbers, tool names). Not part of
// the protocol's exports: import the schemas from `src/protocol.ts`.
import * as v from 'valibot';

export const MAX_TEXT = 1_000_000;
export const MAX_ID = 128;
export const id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID), v.regex(/^[\w.:-]+$/));
export const finiteNumber = v.pipe(v.number(), v.finite());
export const optionalNumber = v.optional(v.nullable(finiteNumber));
export const count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** Tool names as the providers allow them (OpenAI's rule is the strictest: letters, digits, `_` and `-`, 64 at most). */
export const toolName = v.pipe(v.string(), v.minLength(1), v.maxLength(128), v.regex(/^[\w.:-]+$/));
/** Call ids come from the provider (`call_…`, `toolu_…`) or from the adapter; kept as opaque text. */
export const toolCallId = v.pipe(v.string(), v.minLength(1), v.maxLength(256));
