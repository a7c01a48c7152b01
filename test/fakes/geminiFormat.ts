// Gemini API streaming wire format (models/{model}:streamGenerateContent?alt=sse), as documented: each SSE
// frame is `data: {GenerateContentResponse}` (CRLF-delimited on the real service) with the new text in
// candidates[0].content.parts (thought summaries are parts with `thought: true`), the running usageMetadata,
// and finishReason on the last candidate chunk.
import type { FakeReply } from './server';
import type { WireFormat } from './wireFormat';

export interface GeminiStreamOptions {
  model?: string;
  thoughts?: string[];
  finishReason?: 'STOP' | 'MAX_TOKENS' | 'SAFETY' | 'RECITATION' | 'OTHER';
  usage?: { promptTokenCount: number; candidatesTokenCount: number; thoughtsTokenCount?: number; cachedContentTokenCount?: number };
  /** Google Search grounding: the web sources, sent as groundingMetadata on the last candidate chunk. */
  grounding?: Array<{ uri: string; title: string }>;
}

let counter = 0;

export const frame = (obj: unknown) => `data: ${JSON.stringify(obj)}\r\n\r\n`;

export function geminiChunks(deltas: string[], options: GeminiStreamOptions = {}): string[] {
  const responseId = `resp_${++counter}`;
  const modelVersion = options.model ?? 'gemini-2.5-flash';
  const usage = options.usage ?? { promptTokenCount: 8, candidatesTokenCount: deltas.length };
  const running = (candidates: number, done = false) => ({
    promptTokenCount: usage.promptTokenCount,
    ...(done && { candidatesTokenCount: candidates }),
    ...(usage.thoughtsTokenCount !== undefined && { thoughtsTokenCount: usage.thoughtsTokenCount }),
    ...(usage.cachedContentTokenCount !== undefined && { cachedContentTokenCount: usage.cachedContentTokenCount, cacheTokensDetails: [{ modality: 'TEXT', tokenCount: usage.cachedContentTokenCount }] }),
    totalTokenCount: usage.promptTokenCount + candidates + (usage.thoughtsTokenCount ?? 0),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.promptTokenCount }],
  });
  const chunk = (parts: unknown[], extra: Record<string, unknown> = {}, done = false) => ({
    candidates: [{ content: { parts, role: 'model' }, index: 0, ...extra }],
    usageMetadata: running(done ? usage.candidatesTokenCount : 0, done),
    modelVersion,
    responseId,
  });
  const frames: string[] = [];
  for (const thought of options.thoughts ?? []) frames.push(frame(chunk([{ text: thought, thought: true }])));
  const grounding = options.grounding && {
    groundingMetadata: {
      searchEntryPoint: { renderedContent: '<style>.container{}</style><div class="container">…</div>' },
      groundingChunks: options.grounding.map((web) => ({ web })),
      groundingSupports: [{ segment: { startIndex: 0, endIndex: deltas.join('').length, text: deltas.join('') }, groundingChunkIndices: options.grounding.map((_, i) => i) }],
      webSearchQueries: ['test query'],
    },
  };
  deltas.forEach((text, i) => {
    const last = i === deltas.length - 1;
    frames.push(frame(chunk([{ text }], last ? { finishReason: options.finishReason ?? 'STOP', ...grounding } : {}, last)));
  });
  if (!deltas.length) frames.push(frame(chunk([], { finishReason: options.finishReason ?? 'STOP' }, true)));
  return frames;
}

export function geminiStream(deltas: string[], options: GeminiStreamOptions & { delayMs?: number; dropAfter?: number; stallAfter?: number } = {}): FakeReply {
  const { delayMs, dropAfter, stallAfter, ...chunkOptions } = options;
  return { kind: 'sse', frames: geminiChunks(deltas, chunkOptions), delayMs, dropAfter, stallAfter };
}

/** A prompt Gemini refuses: one chunk with promptFeedback.blockReason and no candidates. */
export function blockedPrompt(blockReason: string, model = 'gemini-2.5-flash'): FakeReply {
  return { kind: 'sse', frames: [frame({ promptFeedback: { blockReason }, usageMetadata: { promptTokenCount: 9, totalTokenCount: 9, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 9 }] }, modelVersion: model, responseId: `resp_${++counter}` })] };
}

/** An error the way Google APIs send them: `{"error":{"code","message","status","details"}}`. */
export function geminiError(status: number, statusName: string, message: string, extra: { headers?: Record<string, string>; details?: unknown[] } = {}): FakeReply {
  return { kind: 'json', status, headers: extra.headers, body: { error: { code: status, message, status: statusName, ...(extra.details && { details: extra.details }) } } };
}

/** google.rpc.RetryInfo, which Gemini puts in a 429's details instead of a retry-after header. */
export const retryInfo = (delay: string) => ({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay });

/** GET /v1beta/models: `name` is `models/<id>`; supportedGenerationMethods says what each model can do. */
export function geminiModelList(models: Array<{ id: string; methods: string[]; thinking?: boolean; input?: number; output?: number }>): FakeReply {
  return {
    kind: 'json',
    body: {
      models: models.map(({ id, methods, thinking, input, output }) => ({
        name: `models/${id}`,
        version: '001',
        displayName: id,
        inputTokenLimit: input ?? 1_048_576,
        outputTokenLimit: output ?? 65_536,
        supportedGenerationMethods: methods,
        ...(thinking !== undefined && { thinking }),
      })),
    },
  };
}

/** A response part as Gemini streams it: text (a thought if `thought`), or a whole function call. */
export type GeminiPart =
  | { text: string; thought?: boolean; thoughtSignature?: string }
  | { functionCall: { name: string; args?: Record<string, unknown>; id?: string }; thoughtSignature?: string };

/**
 * A reply that calls functions, as the Gemini API streams it: each chunk's candidate carries whole parts (a
 * functionCall part holds the complete `args` object; several in one chunk are parallel calls), a thinking
 * model's thoughtSignature sits on the part beside its functionCall, and the last chunk still says
 * finishReason STOP.
 */
export function functionCallChunks(chunks: GeminiPart[][], options: { model?: string; usage?: { promptTokenCount: number; candidatesTokenCount: number; thoughtsTokenCount?: number } } = {}): string[] {
  const responseId = `resp_${++counter}`;
  const usage = options.usage ?? { promptTokenCount: 60, candidatesTokenCount: 20 };
  return chunks.map((parts, i) => {
    const last = i === chunks.length - 1;
    return frame({
      candidates: [{ content: { parts, role: 'model' }, index: 0, ...(last && { finishReason: 'STOP' }) }],
      usageMetadata: {
        promptTokenCount: usage.promptTokenCount,
        ...(last && { candidatesTokenCount: usage.candidatesTokenCount }),
        ...(usage.thoughtsTokenCount !== undefined && { thoughtsTokenCount: usage.thoughtsTokenCount }),
        totalTokenCount: usage.promptTokenCount + (last ? usage.candidatesTokenCount : 0) + (usage.thoughtsTokenCount ?? 0),
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.promptTokenCount }],
      },
      modelVersion: options.model ?? 'gemini-2.5-flash',
      responseId,
    });
  });
}

export function functionCallStream(chunks: GeminiPart[][], options: Parameters<typeof functionCallChunks>[1] = {}): FakeReply {
  return { kind: 'sse', frames: functionCallChunks(chunks, options) };
}

/** The google.rpc status name Gemini sends with each HTTP status. */
const GEMINI_STATUS_NAMES: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

/** The Gemini wire: every chunk carries text (the first chunk already does), CRLF-delimited frames. */
export const geminiWire: WireFormat = {
  stream: (deltas, { usage, ...rest } = {}) => geminiStream(deltas, { ...rest, ...(usage && { usage: { promptTokenCount: usage.input, candidatesTokenCount: usage.output } }) }),
  frames: (deltas) => geminiChunks(deltas),
  lead: 0,
  malformed: 'data: {"candidates": [\r\n\r\n',
  error: (status, message, headers) => geminiError(status, GEMINI_STATUS_NAMES[status] ?? 'UNKNOWN', message, { headers }),
};
