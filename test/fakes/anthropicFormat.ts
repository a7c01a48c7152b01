// Anthropic Messages API streaming wire format, as documented ("Streaming messages"): named SSE events
// `event: <type>\ndata: {"type": "<type>", ...}\n\n` in the order message_start, then per content block
// content_block_start / content_block_delta… / content_block_stop, then message_delta (stop_reason and the
// cumulative usage) and message_stop; `ping` events anywhere; `event: error` (e.g. overloaded_error) mid-stream.
import type { FakeReply } from './server';
import type { WireFormat } from './wireFormat';

export interface MessageStreamOptions {
  model?: string;
  /** Deltas of a thinking block sent before the text block (extended thinking), closed by a signature_delta. */
  thinking?: string[];
  /** A redacted_thinking block (encrypted, nothing readable) sent first, as when safety systems flag the thinking. */
  redactedThinking?: boolean;
  /**
   * The web search server tool: a server_tool_use block, its web_search_tool_result block, then the text block
   * whose deltas are preceded by one citations_delta (web_search_result_location) per citation. With `errorCode`
   * the result block carries the documented error object instead of results (the response is still a 200).
   */
  webSearch?: {
    query: string;
    results: Array<{ url: string; title: string; page_age?: string }>;
    citations: Array<{ url: string; title: string | null; cited_text: string }>;
    errorCode?: 'max_uses_exceeded' | 'unavailable' | 'too_many_requests' | 'invalid_tool_input' | 'query_too_long' | 'request_too_large';
  };
  stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'pause_turn';
  usage?: { input_tokens: number; output_tokens: number; cache_creation_input_tokens?: number; cache_read_input_tokens?: number };
}

let counter = 0;

export const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

export function messageEvents(deltas: string[], options: MessageStreamOptions = {}): string[] {
  const usage = options.usage ?? { input_tokens: 10, output_tokens: deltas.length };
  const frames = [
    event('message_start', {
      message: {
        id: `msg_${++counter}`,
        type: 'message',
        role: 'assistant',
        content: [],
        model: options.model ?? 'claude-sonnet-4-6',
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
          cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
          output_tokens: 1,
        },
      },
    }),
  ];
  let index = 0;
  if (options.redactedThinking) {
    frames.push(event('content_block_start', { index, content_block: { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj' } }));
    frames.push(event('content_block_stop', { index }));
    index++;
  }
  if (options.webSearch) {
    const id = `srvtoolu_${counter}`;
    frames.push(event('content_block_start', { index, content_block: { type: 'server_tool_use', id, name: 'web_search', input: {} } }));
    frames.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify({ query: options.webSearch.query }) } }));
    frames.push(event('content_block_stop', { index }));
    index++;
    const { errorCode } = options.webSearch;
    const content = errorCode
      ? { type: 'web_search_tool_result_error', error_code: errorCode }
      : options.webSearch.results.map((r) => ({ type: 'web_search_result', title: r.title, url: r.url, encrypted_content: 'Ev0DCioIAxgCIiQ3NmU4ZmI4OC1k', page_age: r.page_age ?? null }));
    frames.push(event('content_block_start', { index, content_block: { type: 'web_search_tool_result', tool_use_id: id, content } }));
    frames.push(event('content_block_stop', { index }));
    index++;
  }
  if (options.thinking) {
    frames.push(event('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
    for (const thinking of options.thinking) frames.push(event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking } }));
    frames.push(event('content_block_delta', { index, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' } }));
    frames.push(event('content_block_stop', { index }));
    index++;
  }
  frames.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
  frames.push(event('ping', {}));
  for (const citation of options.webSearch?.citations ?? []) {
    frames.push(event('content_block_delta', { index, delta: { type: 'citations_delta', citation: { type: 'web_search_result_location', ...citation, encrypted_index: 'Eo8BCioIAhgBIiQyYjQ0OWJmZi1lNm' } } }));
  }
  for (const text of deltas) frames.push(event('content_block_delta', { index, delta: { type: 'text_delta', text } }));
  frames.push(event('content_block_stop', { index }));
  frames.push(event('message_delta', { delta: { stop_reason: options.stopReason ?? 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }));
  frames.push(event('message_stop', {}));
  return frames;
}

export function messageStream(
  deltas: string[],
  options: MessageStreamOptions & { delayMs?: number; dropAfter?: number; stallAfter?: number } = {},
): FakeReply {
  const { delayMs, dropAfter, stallAfter, ...eventOptions } = options;
  return { kind: 'sse', frames: messageEvents(deltas, eventOptions), delayMs, dropAfter, stallAfter };
}

/** The documented mid-stream error event, e.g. `overloaded_error` (a 529 outside a stream). */
export function errorEvent(type = 'overloaded_error', message = 'Overloaded'): string {
  return event('error', { error: { type, message } });
}

/** An error response the way Anthropic sends them: `{"type":"error","error":{"type":…,"message":…}}`. */
export function anthropicError(status: number, type: string, message: string, headers?: Record<string, string>): FakeReply {
  return { kind: 'json', status, headers: { 'request-id': `req_${++counter}`, ...headers }, body: { type: 'error', error: { type, message }, request_id: `req_${counter}` } };
}

/** GET /v1/models: a page of model objects. */
export function anthropicModelList(ids: string[]): FakeReply {
  return {
    kind: 'json',
    body: {
      data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-05-14T00:00:00Z' })),
      has_more: false,
      first_id: ids[0] ?? null,
      last_id: ids.at(-1) ?? null,
    },
  };
}

/**
 * One content block of a tool-use reply: text deltas, a tool_use block whose input JSON arrives in pieces, or
 * (extended thinking) a thinking block whose deltas end with a signature_delta, or a redacted_thinking block.
 */
export type ToolReplyBlock =
  | { text: string[] }
  | { toolUse: { id: string; name: string; pieces: string[] } }
  | { thinking: string[]; signature: string }
  | { redactedThinking: string };

/**
 * A reply that calls tools, as the documented stream sends it ("Streaming messages", tool use example): blocks in
 * order, each content_block_start / …delta / content_block_stop; a tool_use block starts with `input: {}`, then
 * input_json_delta events whose `partial_json` strings (the first one empty) concatenate to the input JSON; then
 * message_delta with stop_reason `tool_use`, and message_stop.
 */
export function toolUseEvents(blocks: ToolReplyBlock[], options: { model?: string; usage?: { input_tokens: number; output_tokens: number }; stopReason?: string } = {}): string[] {
  const usage = options.usage ?? { input_tokens: 400, output_tokens: 80 };
  const frames = [
    event('message_start', {
      message: {
        id: `msg_${++counter}`,
        type: 'message',
        role: 'assistant',
        content: [],
        model: options.model ?? 'claude-sonnet-4-6',
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usage.input_tokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
      },
    }),
  ];
  blocks.forEach((block, index) => {
    if ('text' in block) {
      frames.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      if (index === 0) frames.push(event('ping', {}));
      for (const text of block.text) frames.push(event('content_block_delta', { index, delta: { type: 'text_delta', text } }));
    } else if ('thinking' in block) {
      frames.push(event('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
      for (const thinking of block.thinking) frames.push(event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking } }));
      frames.push(event('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } }));
    } else if ('redactedThinking' in block) {
      frames.push(event('content_block_start', { index, content_block: { type: 'redacted_thinking', data: block.redactedThinking } }));
    } else {
      const { id, name, pieces } = block.toolUse;
      frames.push(event('content_block_start', { index, content_block: { type: 'tool_use', id, name, input: {} } }));
      if (index === 0) frames.push(event('ping', {}));
      for (const partial_json of ['', ...pieces]) frames.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }));
    }
    frames.push(event('content_block_stop', { index }));
  });
  frames.push(event('message_delta', { delta: { stop_reason: options.stopReason ?? 'tool_use', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }));
  frames.push(event('message_stop', {}));
  return frames;
}

export function toolUseStream(blocks: ToolReplyBlock[], options: Parameters<typeof toolUseEvents>[1] = {}): FakeReply {
  return { kind: 'sse', frames: toolUseEvents(blocks, options) };
}

/** The error `type` Anthropic sends with each status. */
const ANTHROPIC_ERROR_TYPES: Record<number, string> = { 401: 'authentication_error', 404: 'not_found_error', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' };

/** The Messages API wire: message_start, content_block_start and a ping come before the first text delta. */
export const anthropicWire: WireFormat = {
  stream: (deltas, { usage, ...rest } = {}) => messageStream(deltas, { ...rest, ...(usage && { usage: { input_tokens: usage.input, output_tokens: usage.output } }) }),
  frames: (deltas) => messageEvents(deltas),
  lead: 3,
  malformed: 'event: content_block_delta\ndata: {"type":"content_block_delta",\n\n',
  error: (status, message, headers) => anthropicError(status, ANTHROPIC_ERROR_TYPES[status] ?? 'invalid_request_error', message, headers),
};
