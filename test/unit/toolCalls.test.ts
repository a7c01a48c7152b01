// Tool calls through the chat-completions adapters (OpenAI, Groq and the compatible presets): tools in the
// request, tool calls streamed in pieces (split at every byte of the arguments, parallel calls), and the next
// step's request carrying the calls and their results — with the real SDKs against local servers.
import assert from 'node:assert/strict';
import { groq } from '../../src/providers/groq';
import { openai } from '../../src/providers/openai';
import type { AdapterEvent, ToolSpec, Turn } from '../../src/providers/types';
import { chatCompletion, toolCallChunks } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { configFor, serveDuring } from './helpers';

const READ_FILE: ToolSpec = {
  name: 'read_file',
  description: 'Read a file of the workspace',
  parameters: { type: 'object', properties: { path: { type: 'string' }, startLine: { type: 'integer' } }, required: ['path'] },
};
const SEARCH: ToolSpec = { name: 'search_text', description: 'Search the workspace', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } };

async function run(definition: typeof openai, baseUrl: string, turns: Turn[], tools: ToolSpec[], patch = {}, model = definition === groq ? 'openai/gpt-oss-120b' : 'gpt-4.1'): Promise<AdapterEvent[]> {
  const adapter = await definition.createAdapter({ apiKey: 'test-key-123456', baseUrl, timeoutMs: 10_000, maxRetries: 0 });
  const events: AdapterEvent[] = [];
  for await (const e of adapter.stream(turns, configFor(definition, model, patch), new AbortController().signal, { tools })) events.push(e);
  return events;
}

/** The arguments text each call id received, in order. */
function argumentsById(events: AdapterEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) {
    if (e.type === 'tool-call-start') out[e.id] = '';
    if (e.type === 'tool-call-delta') out[e.id] += e.text;
  }
  return out;
}

describe('tool calls: chat-completions adapters', () => {
  const server = new FakeServer('openai');
  let baseUrl: string;
  serveDuring(server, (url) => (baseUrl = url));
  const ask: Turn[] = [{ role: 'user', text: 'What does hello.ts export?' }];

  it('sends the tools, and a call streamed in two pieces split at every byte boundary arrives whole', async () => {
    const json = JSON.stringify({ path: 'src/hello.ts', startLine: 1 });
    for (let cut = 0; cut <= json.length; cut++) {
      server.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'call_a1', name: 'read_file', pieces: [json.slice(0, cut), json.slice(cut)].filter(Boolean) }], { usageStyle: 'openai' }) });
      const events = await run(openai, baseUrl, ask, [READ_FILE]);
      assert.deepEqual(argumentsById(events), { call_a1: json }, `split at ${cut}`);
      assert.deepEqual(events.filter((e) => e.type !== 'tool-call-delta'), [
        { type: 'tool-call-start', id: 'call_a1', name: 'read_file' },
        { type: 'tool-call-end', id: 'call_a1' },
        { type: 'finish', reason: 'tool-calls' },
      ]);
    }
    assert.deepEqual(server.last.body.tools, [{ type: 'function', function: { name: 'read_file', description: READ_FILE.description, parameters: READ_FILE.parameters } }]);
  });

  it('parallel calls with interleaved pieces stay apart; text before them streams as text', async () => {
    server.enqueue({
      kind: 'sse',
      frames: toolCallChunks(
        [
          { id: 'call_r', name: 'read_file', pieces: ['{"pa', 'th": "a', '.ts"}'] },
          { id: 'call_s', name: 'search_text', pieces: ['{"query"', ': "export"}'] },
        ],
        { text: ['Let me ', 'look.'], interleave: true, usageStyle: 'openai' },
      ),
    });
    const events = await run(openai, baseUrl, ask, [READ_FILE, SEARCH]);
    assert.equal(events.filter((e) => e.type === 'text-delta').map((e) => (e as { text: string }).text).join(''), 'Let me look.');
    assert.deepEqual(argumentsById(events), { call_r: '{"path": "a.ts"}', call_s: '{"query": "export"}' });
    assert.deepEqual(events.filter((e) => e.type === 'tool-call-start').map((e) => (e as { name: string }).name), ['read_file', 'search_text']);
    assert.equal(events.filter((e) => e.type === 'tool-call-end').length, 2);
  });

  it('the next step carries the calls and their results in chat-completions form', async () => {
    server.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'call_x', name: 'read_file', pieces: ['{}'] }], { finishReason: 'stop', usageStyle: 'openai' }) });
    const turns: Turn[] = [
      ...ask,
      { role: 'assistant', text: 'Let me look.', toolCalls: [{ id: 'call_r', name: 'read_file', arguments: '{"path":"a.ts"}' }, { id: 'toolu_01', name: 'search_text', arguments: '{"query":"x"}' }] },
      { role: 'tool', text: '', toolResults: [{ callId: 'call_r', name: 'read_file', text: 'export const a = 1;' }, { callId: 'toolu_01', name: 'search_text', text: 'no such pattern', isError: true }] },
    ];
    const events = await run(openai, baseUrl, turns, [READ_FILE, SEARCH]);
    assert.deepEqual(server.last.body.messages.slice(1), [
      { role: 'user', content: 'What does hello.ts export?' },
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          { id: 'call_r', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
          { id: 'toolu_01', type: 'function', function: { name: 'search_text', arguments: '{"query":"x"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_r', content: 'export const a = 1;' },
      { role: 'tool', tool_call_id: 'toolu_01', content: 'Error: no such pattern' },
    ]);
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'tool-calls' }, 'a server that finishes a call step with "stop" still means tool calls');
  });

  it('Groq: tools go with its own fields; raw reasoning becomes parsed with tool use (Groq refuses the pair)', async () => {
    server.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'call_g', name: 'read_file', pieces: ['{"path":', '"b.ts"}'] }]) });
    const events = await run(groq as typeof openai, baseUrl, ask, [READ_FILE], { reasoningFormat: 'raw' }, 'qwen/qwen3.6-27b');
    assert.deepEqual(argumentsById(events), { call_g: '{"path":"b.ts"}' });
    assert.equal(server.last.path, '/openai/v1/chat/completions');
    assert.equal(server.last.body.tools[0].function.name, 'read_file');
    assert.equal(server.last.body.reasoning_format, 'parsed');
  });

  it('a whole (unstreamed) completion with tool calls yields the same events', async () => {
    const reply = chatCompletion('', {});
    (reply as { body: { choices: Array<{ message: Record<string, unknown>; finish_reason: string }> } }).body.choices[0] = {
      message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_j', type: 'function', function: { name: 'read_file', arguments: '{"path":"c.ts"}' } }] },
      finish_reason: 'tool_calls',
    };
    server.enqueue(reply);
    const events = await run(groq as typeof openai, baseUrl, ask, [READ_FILE], { jsonMode: true });
    assert.deepEqual(argumentsById(events), { call_j: '{"path":"c.ts"}' });
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'tool-calls' });
  });
});
