// OpenAI chat-completions streaming wire format (also Groq's, with `x_groq`), as documented by both:
// `data: {chat.completion.chunk}\n\n` frames, finish_reason on the last choice chunk, then `data: [DONE]`.
import type { FakeReply } from './server';
import type { WireFormat } from './wireFormat';

export interface ChunkOptions {
  model?: string;
  reasoning?: string[];
  finishReason?: 'stop' | 'length' | 'content_filter';
  /**
   * total_tokens defaults to prompt + completion (OpenAI, whose completion_tokens include reasoning); xAI reports
   * reasoning beside completion_tokens, so its total is prompt + completion + reasoning.
   */
  usage?: { prompt_tokens: number; completion_tokens: number; reasoning_tokens?: number; cached_tokens?: number; total_tokens?: number };
  /** OpenRouter's web-search `url_citation` annotations, sent in a delta after the text. */
  annotations?: Array<{ url: string; title?: string; start_index?: number; end_index?: number; content?: string }>;
  /** Where usage goes: Groq puts it in the final chunk's `x_groq.usage`; OpenAI in a last chunk with empty choices. */
  usageStyle?: 'groq' | 'openai';
  /** Field reasoning deltas use: Groq and OpenRouter say `reasoning`, DeepSeek-style servers `reasoning_content`. */
  reasoningField?: 'reasoning' | 'reasoning_content';
}

let counter = 0;

export function chatChunks(deltas: string[], options: ChunkOptions = {}): string[] {
  const id = `chatcmpl-${++counter}`;
  const model = options.model ?? 'llama-3.3-70b-versatile';
  const created = 1_760_000_000;
  const groq = (options.usageStyle ?? 'groq') === 'groq';
  const base = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_test' };
  const frame = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;
  const choice = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason });
  const frames = [frame({ ...base, choices: [choice({ role: 'assistant', content: '' })], ...(groq && { x_groq: { id: `req_${counter}` } }) })];
  for (const r of options.reasoning ?? []) frames.push(frame({ ...base, choices: [choice({ [options.reasoningField ?? 'reasoning']: r })] }));
  for (const text of deltas) frames.push(frame({ ...base, choices: [choice({ content: text })] }));
  if (options.annotations) {
    const annotations = options.annotations.map(({ url, title, start_index = 0, end_index = 0, content }) => ({ type: 'url_citation', url_citation: { url, title, start_index, end_index, ...(content && { content }) } }));
    frames.push(frame({ ...base, choices: [choice({ role: 'assistant', content: '', annotations })] }));
  }
  const usage = options.usage && {
    prompt_tokens: options.usage.prompt_tokens,
    completion_tokens: options.usage.completion_tokens,
    total_tokens: options.usage.total_tokens ?? options.usage.prompt_tokens + options.usage.completion_tokens,
    ...(options.usage.cached_tokens !== undefined && { prompt_tokens_details: { text_tokens: options.usage.prompt_tokens, audio_tokens: 0, image_tokens: 0, cached_tokens: options.usage.cached_tokens } }),
    ...(options.usage.reasoning_tokens !== undefined && { completion_tokens_details: { reasoning_tokens: options.usage.reasoning_tokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } }),
  };
  const finish = options.finishReason ?? 'stop';
  if (groq) {
    frames.push(frame({ ...base, choices: [choice({}, finish)], x_groq: { id: `req_${counter}`, ...(usage && { usage: { queue_time: 0.01, prompt_time: 0.002, completion_time: 0.02, total_time: 0.03, ...usage } }) } }));
  } else {
    frames.push(frame({ ...base, choices: [choice({}, finish)], usage: null }));
    if (usage) frames.push(frame({ ...base, choices: [], usage }));
  }
  frames.push('data: [DONE]\n\n');
  return frames;
}

export function chatStream(deltas: string[], options: ChunkOptions & { delayMs?: number; dropAfter?: number; stallAfter?: number } = {}): FakeReply {
  const { delayMs, dropAfter, stallAfter, ...chunkOptions } = options;
  return { kind: 'sse', frames: chatChunks(deltas, chunkOptions), delayMs, dropAfter, stallAfter };
}

export function chatCompletion(content: string, options: { model?: string; usage?: { prompt_tokens: number; completion_tokens: number }; reasoning?: string } = {}): FakeReply {
  return {
    kind: 'json',
    body: {
      id: `chatcmpl-${++counter}`,
      object: 'chat.completion',
      created: 1_760_000_000,
      model: options.model ?? 'llama-3.3-70b-versatile',
      choices: [{ index: 0, message: { role: 'assistant', content, ...(options.reasoning && { reasoning: options.reasoning }) }, logprobs: null, finish_reason: 'stop' }],
      usage: options.usage && { ...options.usage, total_tokens: options.usage.prompt_tokens + options.usage.completion_tokens },
    },
  };
}

/**
 * OpenRouter's documented mid-stream error: after the 200, a chunk with a top-level `error` ({code, message}; a
 * numeric code is the HTTP status) beside `choices` with finish_reason "error", here also carrying the usage so far.
 */
export function midStreamError(code: number | string, message: string, usage?: { prompt_tokens: number; completion_tokens: number }): string {
  return `data: ${JSON.stringify({
    id: `gen-${++counter}`,
    object: 'chat.completion.chunk',
    created: 1_760_000_000,
    model: 'openai/gpt-4o-mini',
    provider: 'OpenAI',
    error: { code, message },
    choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error', native_finish_reason: 'error' }],
    ...(usage && { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }),
  })}\n\n`;
}

/** An error body the way Groq and OpenAI send them. */
export function apiError(status: number, message: string, extra: { type?: string; code?: string | number | null; headers?: Record<string, string> } = {}): FakeReply {
  return {
    kind: 'json',
    status,
    headers: extra.headers,
    body: { error: { message, type: extra.type ?? 'invalid_request_error', code: extra.code ?? null } },
  };
}

export function modelList(ids: string[]): FakeReply {
  return { kind: 'json', body: { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'test', active: true })) } };
}

/** A tool call as a chat-completions stream writes it: `arguments` cut into the given pieces. */
export interface StreamedToolCall { id: string; name: string; pieces: string[] }

/**
 * A step that ends in tool calls, as OpenAI and Groq stream it: optional text first, then for each call a chunk
 * with `index`, `id`, `type` and `function.name` (and empty arguments), then chunks with only `index` and an
 * arguments piece; `interleave` alternates the calls' pieces (parallel calls); `finish_reason: "tool_calls"`.
 */
export function toolCallChunks(calls: StreamedToolCall[], options: { text?: string[]; interleave?: boolean; model?: string; usageStyle?: 'groq' | 'openai'; finishReason?: string } = {}): string[] {
  const id = `chatcmpl-${++counter}`;
  const base = { id, object: 'chat.completion.chunk', created: 1_760_000_000, model: options.model ?? 'openai/gpt-oss-120b', system_fingerprint: 'fp_test' };
  const frame = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;
  const choice = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason });
  const frames = [frame({ ...base, choices: [choice({ role: 'assistant', content: options.text?.length ? '' : null })] })];
  for (const t of options.text ?? []) frames.push(frame({ ...base, choices: [choice({ content: t })] }));
  const starts = calls.map((c, index) => frame({ ...base, choices: [choice({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] })] }));
  const pieces = calls.map((c, index) => c.pieces.map((p) => frame({ ...base, choices: [choice({ tool_calls: [{ index, function: { arguments: p } }] })] })));
  if (options.interleave) {
    frames.push(...starts);
    const longest = Math.max(...pieces.map((p) => p.length));
    for (let i = 0; i < longest; i++) for (const list of pieces) if (list[i]) frames.push(list[i]);
  } else calls.forEach((_, i) => frames.push(starts[i], ...pieces[i]));
  frames.push(frame({ ...base, choices: [choice({}, options.finishReason ?? 'tool_calls')] }));
  frames.push('data: [DONE]\n\n');
  return frames;
}

/** One built-in tool Groq ran, as its stream reports it. */
export interface ExecutedTool { type: string; arguments: string; output: string; results?: Array<{ title: string; url: string; content?: string; score?: number }> }

/**
 * A Groq reply with built-in tools, shaped like recorded compound traffic (pydantic-ai's cassette
 * test_groq_model_web_search_tool_stream, 2025-09): reasoning deltas, then per tool a chunk whose
 * `delta.executed_tools` has the call with empty `search_results` (started) and a later chunk with the same
 * `index`, its `output` and `search_results` (done); then the answer's content, finish `stop`.
 */
export function executedToolChunks(tools: ExecutedTool[], answer: string[], options: { model?: string; reasoning?: string[] } = {}): string[] {
  const base = { id: `chatcmpl-${++counter}`, object: 'chat.completion.chunk', created: 1_758_144_046, model: options.model ?? 'groq/compound', system_fingerprint: null };
  const frame = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;
  const choice = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason });
  const frames: string[] = [];
  for (const r of options.reasoning ?? ['<think>\nLooking it up.\n']) frames.push(frame({ ...base, choices: [choice({ reasoning: r })] }));
  tools.forEach((t, index) => {
    frames.push(frame({ ...base, choices: [choice({ executed_tools: [{ index, type: t.type, arguments: t.arguments, search_results: { results: [] } }] })] }));
    frames.push(frame({ ...base, choices: [choice({ executed_tools: [{ index, type: t.type, arguments: t.arguments, output: t.output, search_results: { results: t.results ?? [] } }] })] }));
  });
  for (const text of answer) frames.push(frame({ ...base, choices: [choice({ content: text })] }));
  frames.push(frame({ ...base, choices: [choice({}, 'stop')], x_groq: { id: 'req_compound', usage: { queue_time: 0.1, prompt_tokens: 1200, prompt_time: 0.01, completion_tokens: 90, completion_time: 0.2, total_tokens: 1290, total_time: 0.21 } } }));
  frames.push('data: [DONE]\n\n');
  return frames;
}

/** The error `type`/`code` OpenAI and Groq send with each status. */
const OPENAI_ERROR_NAMES: Record<number, { type: string; code?: string }> = {
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error' },
};

/** The chat-completions wire (OpenAI, Groq and the OpenAI-compatible servers), usage where `usageStyle` puts it. */
export function chatCompletionsWire(usageStyle: 'groq' | 'openai'): WireFormat {
  return {
    stream: (deltas, { usage, ...rest } = {}) => chatStream(deltas, { usageStyle, ...rest, ...(usage && { usage: { prompt_tokens: usage.input, completion_tokens: usage.output } }) }),
    frames: (deltas) => chatChunks(deltas, { usageStyle }),
    lead: 1,
    malformed: 'data: {"choices":[{"delta":{"content":"oops"\n\n',
    error: (status, message, headers) => apiError(status, message, { ...OPENAI_ERROR_NAMES[status], headers }),
  };
}
