// The reply loop end to end on the host: the real SDKs against wire-faithful local servers, real workspace files,
// real storage. Model → tool calls → results → model again; approvals, Stop, timeouts, the step limit, errors in
// the middle of a loop, and the saved calls replayed to another provider.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore } from '../../src/host/keys';
import { DEFAULT_TOOL_SETTINGS } from '../../src/host/serviceSettings';
import type { ProviderId, StreamEvent, ToolCall } from '../../src/protocol';
import type { EditorPort } from '../../src/tools/workspaceTools';
import { toolUseStream } from '../fakes/anthropicFormat';
import { functionCallStream, geminiModelList, geminiStream } from '../fakes/geminiFormat';
import { groqModelList } from '../fakes/groqModels';
import { apiError, chatStream, toolCallChunks } from '../fakes/openaiFormat';
import { anthropicModelList, messageStream } from '../fakes/anthropicFormat';
import { FakeServer } from '../fakes/server';
import { baseConfig, MemorySecrets, RecordingClient, tempDir } from './helpers';

const KEYS = { GROQ_API_KEY: 'gsk_env_key_1234567890', ANTHROPIC_API_KEY: 'sk-ant-env-key-1234567890', GEMINI_API_KEY: 'AIzaSy-env-key-1234567890' };
const HELLO = 'export function hello(name: string): string {\n  return `Hello, ${name}!`;\n}\n';

/** Resolves once `check` holds; re-checked whenever the host posts to the panel. */
function until(client: RecordingClient, check: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 20_000);
    const post = client.post.bind(client);
    const test = () => {
      if (!check()) return false;
      clearTimeout(timer);
      client.post = post;
      resolve();
      return true;
    };
    if (test()) return;
    client.post = (message) => {
      post(message);
      test();
    };
  });
}

describe('the tool loop (model → tools → model) on the host', () => {
  const groq = new FakeServer('groq');
  const anthropic = new FakeServer('anthropic');
  const google = new FakeServer('google');
  let dir: ReturnType<typeof tempDir>;
  let workspace: ReturnType<typeof tempDir>;
  let settings: ServiceSettings;
  let editor: EditorPort;

  before(async () => {
    await Promise.all([groq.start(), anthropic.start(), google.start()]);
  });
  after(() => Promise.all([groq.stop(), anthropic.stop(), google.stop()]));
  beforeEach(() => {
    for (const server of [groq, anthropic, google]) server.reset();
    groq.route(/\/models$/, () => groqModelList());
    anthropic.route(/\/models/, () => anthropicModelList(['claude-sonnet-4-6']));
    google.route(/\/models(\?|$)/, () => geminiModelList([{ id: 'gemini-2.5-flash', methods: ['generateContent'] }]));
    dir = tempDir('loop');
    workspace = tempDir('loop-ws');
    writeFileSync(join(workspace.path, 'hello.ts'), HELLO);
    mkdirSync(join(workspace.path, 'src'));
    writeFileSync(join(workspace.path, 'src', 'greet.ts'), "import { hello } from '../hello';\nconsole.log(hello('Ada'));\n");
    editor = {};
    const urls: Partial<Record<ProviderId, string>> = { groq: groq.url, anthropic: anthropic.url, google: google.url };
    settings = {
      defaultProvider: 'groq',
      defaultModel: 'openai/gpt-oss-120b',
      defaultConfig: baseConfig,
      baseUrl: (id) => urls[id],
      requestTimeoutSeconds: 30,
      maxRetries: 0,
      modelCatalogUrl: '',
      tools: { ...DEFAULT_TOOL_SETTINGS },
    };
  });
  afterEach(() => {
    dir.remove();
    workspace.remove();
  });

  function makeService() {
    return new ChatService(
      {
        settings: () => settings,
        log: () => undefined,
        runCommand: () => undefined,
        openExternal: () => undefined,
        toolContext: () => ({ view: { roots: [workspace.path], exclude: [] }, editor }),
      },
      new KeyStore(new MemorySecrets(), KEYS),
      new HistoryStore(dir.path),
    );
  }

  async function ready(service: ChatService) {
    const client = new RecordingClient();
    service.connect(client);
    await service.handle(client, { type: 'ready' });
    return client;
  }

  const lastReply = (client: RecordingClient) => client.state.chat.messages.at(-1)!;
  const toolEvents = (client: RecordingClient) => client.events().filter((e) => e.type.startsWith('tool-'));
  const updates = (client: RecordingClient, id: string) =>
    client.events().flatMap((e) => (e.type === 'tool-update' && e.id === id ? [e.update.status] : []));

  it('Groq: a read_file call streamed in pieces runs, its result goes back as a tool message, and the answer follows', async () => {
    const service = makeService();
    const client = await ready(service);
    const chatId = client.state.chat.id;
    assert.deepEqual(client.state.tools?.map((t) => t.name), ['read_file', 'list_files', 'search_text', 'get_problems', 'get_active_editor', 'get_git_diff']);
    const args = '{"path":"hello.ts"}';
    groq.enqueue(
      { kind: 'sse', frames: toolCallChunks([{ id: 'call_r1', name: 'read_file', pieces: [...args].map((c) => c) }], { text: ['Let me look.'] }) },
      chatStream(['hello.ts exports ', 'one function, `hello`.']),
    );
    await service.handle(client, { type: 'send', chatId, text: 'What does hello.ts export?' });
    await service.idle(chatId);

    const [first, second] = groq.requests;
    assert.equal(groq.requests.length, 2);
    for (const body of [first.body, second.body]) {
      assert.deepEqual(body.tools.map((t: any) => t.function.name), ['read_file', 'list_files', 'search_text', 'get_problems', 'get_active_editor', 'get_git_diff']);
      assert.equal(body.tools[0].type, 'function');
      assert.deepEqual(body.tools[0].function.parameters.required, ['path']);
    }
    const sent = second.body.messages.slice(-2);
    assert.deepEqual(sent[0], { role: 'assistant', content: 'Let me look.', tool_calls: [{ id: 'call_r1', type: 'function', function: { name: 'read_file', arguments: args } }] });
    assert.equal(sent[1].role, 'tool');
    assert.equal(sent[1].tool_call_id, 'call_r1');
    assert.match(sent[1].content, /hello\.ts \(4 lines\):\n1  export function hello/);

    const reply = lastReply(client);
    assert.equal(reply.status, 'done');
    assert.equal(reply.text, 'Let me look.hello.ts exports one function, `hello`.');
    const [call] = reply.toolCalls as ToolCall[];
    assert.equal(call.status, 'done');
    assert.equal(call.step, 1);
    assert.equal(call.textOffset, 'Let me look.'.length);
    assert.equal(call.arguments, args);
    assert.equal(call.summary, 'hello.ts, 4 lines');
    assert.ok(call.durationMs! >= 0);
    // The panel saw the call stream in: start, every argument piece, then running and done.
    const events = toolEvents(client);
    assert.deepEqual(events[0], { type: 'tool-call', id: 'call_r1', name: 'read_file', step: 1, textOffset: 12 });
    assert.equal(events.filter((e) => e.type === 'tool-args').map((e) => (e as { text: string }).text).join(''), args);
    assert.deepEqual(updates(client, 'call_r1'), ['running', 'done']);
    // One `start` and one `finish` for the whole reply: the step in between is not an end.
    assert.deepEqual(client.events().filter((e) => e.type === 'start' || e.type === 'finish').map((e) => e.type), ['start', 'finish']);

    // Saved with the reply: a new host (a reload) reads the call back.
    const again = makeService();
    const reloaded = await ready(again);
    assert.deepEqual(reloaded.state.chat.messages.at(-1)!.toolCalls, reply.toolCalls);
  });

  it('parallel calls and bad calls: unknown tool, arguments that are not JSON or miss the schema, a path outside the workspace', async () => {
    const service = makeService();
    const client = await ready(service);
    const chatId = client.state.chat.id;
    groq.enqueue(
      {
        kind: 'sse',
        frames: toolCallChunks(
          [
            { id: 'c1', name: 'delete_everything', pieces: ['{}'] },
            { id: 'c2', name: 'read_file', pieces: ['{"path":', '"hello.ts"'] },
            { id: 'c3', name: 'read_file', pieces: ['{"line":3}'] },
            { id: 'c4', name: 'read_file', pieces: ['{"path":"../../etc/passwd"}'] },
            { id: 'c5', name: 'search_text', pieces: ['{"query":"hello"}'] },
          ],
          { interleave: true },
        ),
      },
      chatStream(['Done.']),
    );
    await service.handle(client, { type: 'send', chatId, text: 'try things' });
    await service.idle(chatId);
    const results = groq.requests[1].body.messages.filter((m: any) => m.role === 'tool');
    assert.deepEqual(results.map((r: any) => r.tool_call_id), ['c1', 'c2', 'c3', 'c4', 'c5']);
    assert.match(results[0].content, /^Error: There is no tool named "delete_everything"/);
    assert.match(results[1].content, /^Error: The arguments of read_file are not valid JSON/);
    assert.match(results[2].content, /^Error: The arguments of read_file do not fit its schema: .*path/);
    assert.match(results[3].content, /^Error: .*outside the workspace/);
    assert.match(results[4].content, /^hello\.ts:1: export function hello/m);
    assert.match(results[4].content, /src\/greet\.ts:1:/);
    const reply = lastReply(client);
    assert.equal(reply.status, 'done');
    assert.deepEqual(reply.toolCalls!.map((c) => c.status), ['failed', 'failed', 'failed', 'failed', 'done']);
  });

  it('stops at the step limit and says so in the reply; Continue goes on', async () => {
    settings.tools = { ...DEFAULT_TOOL_SETTINGS, maxSteps: 2 };
    const service = makeService();
    const client = await ready(service);
    const chatId = client.state.chat.id;
    const again = (id: string) => ({ kind: 'sse' as const, frames: toolCallChunks([{ id, name: 'list_files', pieces: ['{}'] }]) });
    groq.enqueue(again('s1'), again('s2'));
    await service.handle(client, { type: 'send', chatId, text: 'loop forever' });
    await service.idle(chatId);
    assert.equal(groq.requests.length, 2);
    const reply = lastReply(client);
    assert.equal(reply.status, 'done');
    assert.match(reply.note!.text, /stopped after 2 model calls .*parley\.tools\.maxSteps/);
    assert.equal(reply.note!.action, 'continue');
    assert.deepEqual(reply.toolCalls!.map((c) => [c.id, c.status]), [['s1', 'done'], ['s2', 'cancelled']]);
    const finish = client.events().filter((e) => e.type === 'finish');
    assert.deepEqual(finish.map((e) => (e as { reason: string }).reason), ['stop']);

    groq.enqueue(chatStream(['Here is the list.']));
    await service.handle(client, { type: 'continue', chatId });
    await service.idle(chatId);
    const body = groq.requests[2].body;
    // Both earlier steps are replayed, the unrun call with a result saying so, then the request to go on.
    const tools = body.messages.filter((m: any) => m.role === 'tool');
    assert.deepEqual(tools.map((m: any) => m.tool_call_id), ['s1', 's2']);
    assert.match(tools[1].content, /Not run: the reply reached its limit of 2 model calls/);
    assert.equal(body.messages.at(-1).role, 'user');
    assert.equal(lastReply(client).text, 'Here is the list.');
    assert.equal(lastReply(client).status, 'done');
  });

  it('approval: a call waits in its card; a forged answer is refused; "Allow for this chat" runs it and is remembered', async () => {
    settings.tools = { ...DEFAULT_TOOL_SETTINGS, approval: 'always' };
    const service = makeService();
    const client = await ready(service);
    const chatId = client.state.chat.id;
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'a1', name: 'read_file', pieces: ['{"path":"hello.ts"}'] }]) }, chatStream(['ok']));
    await service.handle(client, { type: 'send', chatId, text: 'read it' });
    await until(client, () => updates(client, 'a1').includes('approval'), 'the approval prompt');
    assert.equal(groq.requests.length, 1);
    await service.handle(client, { type: 'approveTool', chatId, callId: 'no-such-call', decision: 'once' });
    assert.match(client.notices().at(-1)!, /not waiting for approval/);
    const other = await ready(service);
    await service.handle(other, { type: 'newChat' });
    await service.handle(other, { type: 'approveTool', chatId: other.state.chat.id, callId: 'a1', decision: 'once' });
    assert.match(other.notices().at(-1)!, /not waiting for approval/, 'an answer from another chat is refused');
    await service.handle(client, { type: 'approveTool', chatId, callId: 'a1', decision: 'chat' });
    await service.idle(chatId);
    assert.deepEqual(updates(client, 'a1'), ['approval', 'running', 'done']);
    assert.equal(service.getChat(chatId)!.allowedTools?.includes('read_file'), true);
    // The next call of read_file in this chat runs without asking.
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'a2', name: 'read_file', pieces: ['{"path":"src/greet.ts"}'] }]) }, chatStream(['ok']));
    await service.handle(client, { type: 'send', chatId, text: 'and that one' });
    await service.idle(chatId);
    assert.deepEqual(updates(client, 'a2'), ['running', 'done']);
  });

  it('a denied call goes back to the model as denied; nothing ran', async () => {
    settings.tools = { ...DEFAULT_TOOL_SETTINGS, approval: 'always' };
    const service = makeService();
    const client = await ready(service);
    const chatId = client.state.chat.id;
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'd1', name: 'read_file', pieces: ['{"path":"hello.ts"}'] }]) }, chatStream(['Understood.']));
    await service.handle(client, { type: 'send', chatId, text: 'read it' });
    await until(client, () => updates(client, 'd1').includes('approval'), 'the approval prompt');
    await service.handle(client, { type: 'approveTool', chatId, callId: 'd1', decision: 'deny' });
    await service.idle(chatId);
    const result = groq.requests[1].body.messages.find((m: any) => m.role === 'tool');
    assert.match(result.content, /^Error: The user denied this call of read_file/);
    assert.deepEqual(updates(client, 'd1'), ['approval', 'denied']);
    assert.equal(lastReply(client).text, 'Understood.');
  });

  it('Stop while a call waits for approval, and while a tool runs: the call is cancelled, the model is not called again', async () => {
    settings.tools = { ...DEFAULT_TOOL_SETTINGS, approval: 'always' };
    const service = makeService();
    const client = await ready(service);
    const chatId = client.state.chat.id;
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'w1', name: 'read_file', pieces: ['{"path":"hello.ts"}'] }], { text: ['Reading.'] }) });
    await service.handle(client, { type: 'send', chatId, text: 'read it' });
    await until(client, () => updates(client, 'w1').includes('approval'), 'the approval prompt');
    await service.handle(client, { type: 'stop', chatId });
    await service.idle(chatId);
    assert.deepEqual(updates(client, 'w1'), ['approval', 'cancelled']);
    assert.equal(lastReply(client).status, 'stopped');
    assert.equal(lastReply(client).text, 'Reading.');
    assert.equal(groq.requests.length, 1);

    // A tool that hangs (the git extension never answers) is given up on when Stop is pressed.
    settings.tools = { ...DEFAULT_TOOL_SETTINGS };
    let gitAsked!: () => void;
    const asked = new Promise<void>((resolve) => (gitAsked = resolve));
    editor.gitDiff = () => {
      gitAsked();
      return new Promise(() => undefined);
    };
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'h1', name: 'get_git_diff', pieces: ['{}'] }]) });
    await service.handle(client, { type: 'send', chatId, text: 'diff?' });
    await asked;
    await service.handle(client, { type: 'stop', chatId });
    await service.idle(chatId);
    assert.deepEqual(updates(client, 'h1'), ['running', 'cancelled']);
    assert.match(lastReply(client).toolCalls![0].result!, /Stopped by the user while get_git_diff ran/);
    assert.equal(lastReply(client).status, 'stopped');
    assert.equal(groq.requests.length, 2);
  });

  it('a tool that hangs past parley.tools.timeoutSeconds fails with a result saying so, and the loop goes on', async () => {
    settings.tools = { ...DEFAULT_TOOL_SETTINGS, timeoutSeconds: 0.2 };
    editor.gitDiff = () => new Promise(() => undefined);
    const service = makeService();
    const client = await ready(service);
    const chatId = client.state.chat.id;
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 't1', name: 'get_git_diff', pieces: ['{}'] }]) }, chatStream(['Git did not answer.']));
    await service.handle(client, { type: 'send', chatId, text: 'diff?' });
    await service.idle(chatId);
    assert.deepEqual(updates(client, 't1'), ['running', 'failed']);
    assert.match(groq.requests[1].body.messages.at(-1).content, /get_git_diff did not finish within 0\.2 s/);
    assert.equal(lastReply(client).status, 'done');
  });

  it('a provider error in the middle of the loop keeps the earlier step and says what failed', async () => {
    const service = makeService();
    const client = await ready(service);
    const chatId = client.state.chat.id;
    groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'e1', name: 'read_file', pieces: ['{"path":"hello.ts"}'] }], { text: ['First, the file.'] }) }, apiError(429, 'Rate limit reached for model `openai/gpt-oss-120b`: try again in 20m', { type: 'tokens', code: 'rate_limit_exceeded' }));
    await service.handle(client, { type: 'send', chatId, text: 'read it' });
    await service.idle(chatId);
    const reply = lastReply(client);
    assert.equal(reply.status, 'error');
    assert.equal(reply.error?.kind, 'rate-limit');
    assert.equal(reply.text, 'First, the file.');
    assert.equal(reply.toolCalls![0].status, 'done');
  });

  it('tools the chat turned off are not offered, and with all of them off the request has no tools', async () => {
    const service = makeService();
    const client = await ready(service);
    const chatId = client.state.chat.id;
    await service.handle(client, { type: 'setConfig', chatId, patch: { disabledTools: ['search_text', 'get_git_diff'] } });
    groq.enqueue(chatStream(['fine']));
    await service.handle(client, { type: 'send', chatId, text: 'hi' });
    await service.idle(chatId);
    assert.deepEqual(groq.requests[0].body.tools.map((t: any) => t.function.name), ['read_file', 'list_files', 'get_problems', 'get_active_editor']);
    await service.handle(client, { type: 'setConfig', chatId, patch: { disabledTools: ['read_file', 'list_files', 'search_text', 'get_problems', 'get_active_editor', 'get_git_diff'] } });
    groq.enqueue(chatStream(['fine']));
    await service.handle(client, { type: 'send', chatId, text: 'hi again' });
    await service.idle(chatId);
    assert.equal(groq.requests[1].body.tools, undefined);
  });

  it('OpenAI: parallel calls with interleaved argument pieces run in order; results go back as tool messages', async () => {
    const openai = new FakeServer('openai');
    await openai.start();
    try {
      const urls: Partial<Record<ProviderId, string>> = { groq: groq.url, openai: `${openai.url}/v1` };
      settings.baseUrl = (id) => urls[id];
      openai.route(/\/models$/, () => ({ kind: 'json', body: { object: 'list', data: [{ id: 'gpt-4.1', object: 'model', created: 1, owned_by: 'openai' }] } }));
      const service = new ChatService(
        { settings: () => settings, log: () => undefined, runCommand: () => undefined, openExternal: () => undefined, toolContext: () => ({ view: { roots: [workspace.path], exclude: [] } }) },
        new KeyStore(new MemorySecrets(), { OPENAI_API_KEY: 'sk-openai-env-key-1234567890' }),
        new HistoryStore(dir.path),
      );
      const client = await ready(service);
      const chatId = client.state.chat.id;
      await service.handle(client, { type: 'setConfig', chatId, patch: { provider: 'openai', model: 'gpt-4.1' } });
      openai.enqueue(
        { kind: 'sse', frames: toolCallChunks([{ id: 'call_a', name: 'read_file', pieces: ['{"path"', ':"hello.ts"}'] }, { id: 'call_b', name: 'list_files', pieces: ['{"glob"', ':"src/**"}'] }], { interleave: true, usageStyle: 'openai', model: 'gpt-4.1' }) },
        chatStream(['Both read.'], { usageStyle: 'openai', model: 'gpt-4.1' }),
      );
      await service.handle(client, { type: 'send', chatId, text: 'Read hello.ts and list src' });
      await service.idle(chatId);
      const posts = openai.requests.filter((r) => r.method === 'POST');
      assert.equal(posts.length, 2);
      assert.equal(posts[0].body.tools[0].type, 'function');
      const messages = posts[1].body.messages;
      assert.deepEqual(messages.at(-3).tool_calls.map((c: { id: string; function: { arguments: string } }) => [c.id, c.function.arguments]), [['call_a', '{"path":"hello.ts"}'], ['call_b', '{"glob":"src/**"}']]);
      assert.deepEqual(messages.slice(-2).map((m: { role: string; tool_call_id: string }) => [m.role, m.tool_call_id]), [['tool', 'call_a'], ['tool', 'call_b']]);
      assert.match(messages.at(-1).content, /^src\/greet\.ts$/m);
      assert.equal(lastReply(client).text, 'Both read.');
    } finally {
      await openai.stop();
    }
  });

  it('Anthropic: tool_use with input_json_delta runs, the result goes back as a tool_result block; with thinking on, the step\'s thinking block leads it, signature and all', async () => {
    const service = makeService();
    const client = await ready(service);
    const chatId = client.state.chat.id;
    await service.handle(client, { type: 'setConfig', chatId, patch: { provider: 'anthropic', model: 'claude-sonnet-4-6', thinkingBudget: 2048 } });
    const thinking = { type: 'thinking', thinking: 'The user wants the exports. I should read hello.ts.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' };
    anthropic.enqueue(
      toolUseStream([
        { thinking: ['The user wants the exports. ', 'I should read hello.ts.'], signature: thinking.signature },
        { text: ['Reading.'] },
        { toolUse: { id: 'toolu_01A', name: 'read_file', pieces: ['{"pa', 'th": "hel', 'lo.ts"}'] } },
      ]),
      messageStream(['It exports hello.']),
    );
    await service.handle(client, { type: 'send', chatId, text: 'What does hello.ts export?' });
    await service.idle(chatId);
    assert.equal(anthropic.requests.length, 2);
    assert.deepEqual(anthropic.requests[0].body.tools.map((t: any) => t.name).slice(0, 2), ['read_file', 'list_files']);
    assert.ok(anthropic.requests[0].body.tools[0].input_schema);
    const [assistant, user] = anthropic.requests[1].body.messages.slice(-2);
    assert.deepEqual(assistant, { role: 'assistant', content: [thinking, { type: 'text', text: 'Reading.' }, { type: 'tool_use', id: 'toolu_01A', name: 'read_file', input: { path: 'hello.ts' } }] });
    assert.deepEqual(anthropic.requests[1].body.thinking, { type: 'enabled', budget_tokens: 2048 });
    assert.equal(user.content[0].type, 'tool_result');
    assert.equal(user.content[0].tool_use_id, 'toolu_01A');
    assert.match(user.content[0].content, /export function hello/);
    assert.equal(lastReply(client).text, 'Reading.It exports hello.');
    assert.equal(lastReply(client).reasoning, thinking.thinking);

    // Saved with the call; once the loop is over, a new question sends the finished turn without it.
    const { chat: saved } = await new HistoryStore(dir.path).loadChat(chatId);
    assert.deepEqual(saved?.messages.at(-1)?.toolCalls?.[0].thinking, [{ thinking: thinking.thinking, signature: thinking.signature }]);
    anthropic.enqueue(messageStream(['Only hello.']));
    await service.handle(client, { type: 'send', chatId, text: 'Anything else?' });
    await service.idle(chatId);
    const types = anthropic.requests[2].body.messages.flatMap((m: any) => m.content.map((b: any) => b.type));
    assert.equal(types.includes('thinking'), false);
    assert.deepEqual(anthropic.requests[2].body.thinking, { type: 'enabled', budget_tokens: 2048 });
  });

  it('Gemini: a functionCall runs, the result goes back as a functionResponse; the call continued on Anthropic is valid there', async () => {
    const service = makeService();
    const client = await ready(service);
    const chatId = client.state.chat.id;
    await service.handle(client, { type: 'setConfig', chatId, patch: { provider: 'google', model: 'gemini-2.5-flash' } });
    google.enqueue(
      functionCallStream([[{ functionCall: { name: 'read_file', args: { path: 'hello.ts' } }, thoughtSignature: 'c2lnbmF0dXJl' }]]),
      geminiStream(['It exports hello.']),
    );
    await service.handle(client, { type: 'send', chatId, text: 'What does hello.ts export?' });
    await service.idle(chatId);
    assert.equal(google.requests.length, 2);
    const contents = google.requests[1].body.contents;
    assert.deepEqual(contents.at(-2).parts[0].functionCall, { name: 'read_file', args: { path: 'hello.ts' } });
    assert.equal(contents.at(-2).parts[0].thoughtSignature, 'c2lnbmF0dXJl');
    assert.equal(contents.at(-1).role, 'user');
    assert.equal(contents.at(-1).parts[0].functionResponse.name, 'read_file');
    assert.match(contents.at(-1).parts[0].functionResponse.response.output, /export function hello/);
    assert.equal(lastReply(client).status, 'done');

    // The same conversation goes on with Claude: the Gemini call (an id Gemini did not give) pairs with its result.
    await service.handle(client, { type: 'setConfig', chatId, patch: { provider: 'anthropic', model: 'claude-sonnet-4-6' } });
    anthropic.enqueue(messageStream(['Yes.']));
    await service.handle(client, { type: 'send', chatId, text: 'Sure?' });
    await service.idle(chatId);
    const messages = anthropic.requests[0].body.messages;
    const use = messages.flatMap((m: any) => (Array.isArray(m.content) ? m.content : [])).find((b: any) => b.type === 'tool_use');
    const result = messages.flatMap((m: any) => (Array.isArray(m.content) ? m.content : [])).find((b: any) => b.type === 'tool_result');
    assert.match(use.id, /^[a-zA-Z0-9_-]+$/);
    assert.equal(result.tool_use_id, use.id);
    assert.deepEqual(use.input, { path: 'hello.ts' });
    assert.equal(lastReply(client).text, 'Yes.');
  });
});

export type { StreamEvent };
