// Edits a model proposes: the proposal's checks (pure, on real files), and the loop around it through the real
// ChatService and groq-sdk: the call asks with the edit's size, Accept writes, Deny and a changed file do not.
// The port here writes with node:fs; VS Code's port (diff editor + WorkspaceEdit) is exercised by the e2e suite.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore } from '../../src/host/keys';
import { DEFAULT_TOOL_SETTINGS } from '../../src/host/serviceSettings';
import { proposeEdit, type EditPort, type EditProposal } from '../../src/tools/edits';
import { groqModelList } from '../fakes/groqModels';
import { chatStream, toolCallChunks } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { baseConfig, MemorySecrets, RecordingClient, tempDir } from './helpers';

const SOURCE = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport const two = add(1, 1);\n';

/** A port over node:fs with the same rule as VS Code's: write only what is still `before`. */
class FsEditPort implements EditPort {
  readonly reviewed: string[] = [];
  readonly discarded: string[] = [];
  async review(p: EditProposal, callId: string) {
    this.reviewed.push(`${callId}:${p.path}`);
  }
  async apply(p: EditProposal) {
    const now = await fs.readFile(p.absolute, 'utf8').catch(() => undefined);
    if (now !== p.before) return `${p.path} changed after the edit was proposed; nothing was written.`;
    await fs.writeFile(p.absolute, p.after);
    return undefined;
  }
  discard(callId: string) {
    this.discarded.push(callId);
  }
}

describe('proposed edits', () => {
  let ws: ReturnType<typeof tempDir>;
  const view = () => ({ roots: [ws.path], exclude: [] });
  beforeEach(() => {
    ws = tempDir('edits-ws');
    writeFileSync(join(ws.path, 'math.ts'), SOURCE);
    mkdirSync(join(ws.path, '.git'));
    writeFileSync(join(ws.path, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(ws.path, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  });
  afterEach(() => ws.remove());

  it('replacements: each oldText must occur once; the proposal counts lines and carries a unified diff', async () => {
    const p = await proposeEdit({ path: 'math.ts', edits: [{ oldText: '  return a + b;', newText: '  // Integers only.\n  return Math.trunc(a) + Math.trunc(b);' }] }, view());
    assert.equal(p.path, 'math.ts');
    assert.equal(p.before, SOURCE);
    assert.match(p.after, /Math\.trunc\(a\)/);
    assert.deepEqual([p.added, p.removed], [2, 1]);
    assert.match(p.patch, /^--- a\/math\.ts\n\+\+\+ b\/math\.ts\n@@ -1,5 \+1,6 @@/m);
    await assert.rejects(proposeEdit({ path: 'math.ts', edits: [{ oldText: 'return a - b;', newText: 'x' }] }, view()), /does not occur in math\.ts/);
    await assert.rejects(proposeEdit({ path: 'math.ts', edits: [{ oldText: 'add', newText: 'sum' }] }, view()), /occurs 2 times in math\.ts; include more surrounding lines/);
    await assert.rejects(proposeEdit({ path: 'math.ts', edits: [{ oldText: 'two', newText: 'two' }] }, view()), /same as the file's/);
  });

  it('whole content makes a new file (folders too); edits of a missing file, binaries, .git and paths outside are refused', async () => {
    const p = await proposeEdit({ path: 'src/util/strings.ts', content: 'export const hi = "hi";\n' }, view());
    assert.equal(p.before, undefined);
    assert.equal(p.absolute, join(ws.path, 'src', 'util', 'strings.ts'));
    assert.match(p.patch, /^--- \/dev\/null/m);
    await assert.rejects(proposeEdit({ path: 'nope.ts', edits: [{ oldText: 'a', newText: 'b' }] }, view()), /does not exist; give its whole content to create it/);
    await assert.rejects(proposeEdit({ path: 'logo.png', content: 'x' }, view()), /binary file/);
    await assert.rejects(proposeEdit({ path: '.git/HEAD', content: 'x' }, view()), /\.git/);
    await assert.rejects(proposeEdit({ path: '.git/hooks/pre-commit', content: 'x' }, view()), /\.git/);
    await assert.rejects(proposeEdit({ path: '../outside.ts', content: 'x' }, view()), /outside the workspace|leaves the workspace/);
    await assert.rejects(proposeEdit({ path: '/etc/cron.d/evil', content: 'x' }, view()), /outside the workspace/);
    assert.ok(!existsSync(join(ws.path, 'src')), 'proposing writes nothing');
  });

  describe('in the reply loop', () => {
    const groq = new FakeServer('groq');
    let dir: ReturnType<typeof tempDir>;
    let port: FsEditPort;
    let settings: ServiceSettings;
    before(() => groq.start());
    after(() => groq.stop());
    beforeEach(() => {
      groq.reset();
      groq.route(/\/models$/, () => groqModelList());
      dir = tempDir('edits-history');
      port = new FsEditPort();
      settings = { defaultProvider: 'groq', defaultModel: 'openai/gpt-oss-120b', defaultConfig: baseConfig, baseUrl: () => groq.url, requestTimeoutSeconds: 30, maxRetries: 0, modelCatalogUrl: '', tools: { ...DEFAULT_TOOL_SETTINGS } };
    });
    afterEach(() => dir.remove());

    async function start() {
      const service = new ChatService(
        { settings: () => settings, log: () => undefined, runCommand: () => undefined, openExternal: () => undefined, toolContext: () => ({ view: view() }), edits: port },
        new KeyStore(new MemorySecrets(), { GROQ_API_KEY: 'gsk_edits_key_0123456789' }),
        new HistoryStore(dir.path),
      );
      const client = new RecordingClient();
      service.connect(client);
      await service.handle(client, { type: 'ready' });
      return { service, client, chatId: client.state.chat.id };
    }
    const edit = JSON.stringify({ path: 'math.ts', edits: [{ oldText: 'return a + b;', newText: 'return a + b; // sum' }] });
    const proposal = (id: string) => ({ kind: 'sse' as const, frames: toolCallChunks([{ id, name: 'propose_edit', pieces: [edit.slice(0, 20), edit.slice(20)] }]) });
    const waitFor = async (client: RecordingClient, id: string, status: string) => {
      for (let i = 0; i < 400; i++) {
        if (client.events().some((e) => e.type === 'tool-update' && e.id === id && e.update.status === status)) return;
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`${id} never became ${status}`);
    };

    it('asks even with read-only tools running freely; the card says what changes; Accept writes and tells the model', async () => {
      const { service, client, chatId } = await start();
      assert.ok(client.state.tools?.some((t) => t.name === 'propose_edit' && !t.readOnly));
      groq.enqueue(proposal('e1'), chatStream(['Done.']));
      await service.handle(client, { type: 'send', chatId, text: 'Comment the sum' });
      await waitFor(client, 'e1', 'approval');
      const asking = client.events().find((e) => e.type === 'tool-update' && e.id === 'e1' && e.update.status === 'approval');
      assert.equal(asking?.type === 'tool-update' && asking.update.summary, 'math.ts (+1 −1 lines)');
      assert.deepEqual(port.reviewed, ['e1:math.ts'], 'the diff was opened for review');
      assert.equal(readFileSync(join(ws.path, 'math.ts'), 'utf8'), SOURCE, 'nothing written before the click');
      await service.handle(client, { type: 'reviewTool', chatId, callId: 'e1' });
      assert.equal(port.reviewed.length, 2, 'Review opens the diff again');
      await service.handle(client, { type: 'approveTool', chatId, callId: 'e1', decision: 'once' });
      await service.idle(chatId);
      assert.match(readFileSync(join(ws.path, 'math.ts'), 'utf8'), /return a \+ b; \/\/ sum/);
      const result = groq.requests[1].body.messages.find((m: { role: string }) => m.role === 'tool');
      assert.match(result.content, /^The user accepted the edit; math\.ts \(\+1 −1 lines\) written\.\n\n/);
      assert.match(result.content, /^-  return a \+ b;$/m);
      await service.handle(client, { type: 'reviewTool', chatId, callId: 'e1' });
      assert.match(client.notices().at(-1)!, /nothing to review any more/, 'a handled call has no review');
    });

    it('Deny writes nothing and closes the review; a file changed before Accept is not overwritten', async () => {
      const { service, client, chatId } = await start();
      groq.enqueue(proposal('e2'), chatStream(['OK.']));
      await service.handle(client, { type: 'send', chatId, text: 'Comment the sum' });
      await waitFor(client, 'e2', 'approval');
      await service.handle(client, { type: 'approveTool', chatId, callId: 'e2', decision: 'deny' });
      await service.idle(chatId);
      assert.equal(readFileSync(join(ws.path, 'math.ts'), 'utf8'), SOURCE);
      assert.deepEqual(port.discarded, ['e2']);
      assert.match(groq.requests[1].body.messages.find((m: { role: string }) => m.role === 'tool').content, /denied this call of propose_edit/);

      groq.enqueue(proposal('e3'), chatStream(['I will read it again.']));
      await service.handle(client, { type: 'send', chatId, text: 'Try again' });
      await waitFor(client, 'e3', 'approval');
      const theirs = SOURCE.replace('two', 'three');
      writeFileSync(join(ws.path, 'math.ts'), theirs);
      await service.handle(client, { type: 'approveTool', chatId, callId: 'e3', decision: 'once' });
      await service.idle(chatId);
      assert.equal(readFileSync(join(ws.path, 'math.ts'), 'utf8'), theirs, "the user's change stays");
      const call = client.state.chat.messages.at(-1)!.toolCalls![0];
      assert.equal(call.status, 'failed');
      assert.match(call.result!, /changed after the edit was proposed; nothing was written/);
    });

    it('a proposal that cannot be made fails at once, without asking', async () => {
      const { service, client, chatId } = await start();
      groq.enqueue({ kind: 'sse', frames: toolCallChunks([{ id: 'e4', name: 'propose_edit', pieces: ['{"path":"../../etc/passwd","content":"x"}'] }]) }, chatStream(['Sorry.']));
      await service.handle(client, { type: 'send', chatId, text: 'Edit passwd' });
      await service.idle(chatId);
      const statuses = client.events().flatMap((e) => (e.type === 'tool-update' && e.id === 'e4' ? [e.update.status] : []));
      assert.deepEqual(statuses, ['failed']);
      assert.deepEqual(port.reviewed, []);
    });
  });
});
