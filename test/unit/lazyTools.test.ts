// The tools' code loads on first use (src/tools/toolbox.ts, src/chunks.ts): the panel lists the tools from their
// names and descriptions (src/tools/toolList.ts), which must be what the code offers; a reply asks a toolbox for
// its tools only when the chat has one of them on.
import assert from 'node:assert/strict';
import { ChatService, type ServiceSettings } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { KeyStore } from '../../src/host/keys';
import { DEFAULT_TOOL_SETTINGS } from '../../src/host/serviceSettings';
import type { ToolInfo } from '../../src/protocol';
import { editToolbox, workspaceToolbox, type OfferedTool, type Toolbox } from '../../src/tools/toolbox';
import { groqModelList } from '../fakes/groqModels';
import { chatStream } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { baseConfig, MemorySecrets, RecordingClient, tempDir } from './helpers';

describe('tools load on first use', () => {
  it("the panel's list of Parley's tools is what their code offers: names, descriptions, read-only, default", async () => {
    const port = { review: async () => undefined, apply: async () => undefined, discard: () => undefined };
    for (const box of [workspaceToolbox(() => undefined), editToolbox(() => undefined, port)]) {
      const tools = await box.tools();
      assert.ok(tools.length > 0);
      assert.deepEqual(box.infos(), tools.map((t) => t.info));
      for (const tool of tools) {
        assert.deepEqual([tool.spec.name, tool.spec.description], [tool.info.name, tool.info.description]);
        assert.equal((tool.spec.parameters as { type?: string }).type, 'object', `${tool.spec.name}'s JSON schema`);
      }
      assert.equal(await box.tools(), tools, 'loaded once');
    }
  });

  describe('in a reply', () => {
    const groq = new FakeServer('groq');
    let dir: ReturnType<typeof tempDir>;
    let loads: number;
    const info: ToolInfo = { name: 'count_loads', description: 'Counts how often its code is asked for.', readOnly: true, source: 'vscode', defaultOn: true };
    const counting: Toolbox = {
      infos: () => [info],
      tools: async (): Promise<OfferedTool[]> => {
        loads++;
        return [{ info, spec: { name: info.name, description: info.description, parameters: { type: 'object', properties: {} } }, run: async () => ({ text: 'ran' }) }];
      },
    };

    before(() => groq.start());
    after(() => groq.stop());
    beforeEach(() => {
      groq.reset();
      groq.route(/\/models$/, () => groqModelList());
      dir = tempDir('lazy-tools');
      loads = 0;
    });
    afterEach(() => dir.remove());

    it('showing the panel and a reply with the tools off ask for none of their code; turned on, the reply does', async () => {
      const settings: ServiceSettings = {
        defaultProvider: 'groq', defaultModel: 'openai/gpt-oss-120b', defaultConfig: baseConfig, baseUrl: () => groq.url,
        requestTimeoutSeconds: 30, maxRetries: 0, modelCatalogUrl: '', tools: { ...DEFAULT_TOOL_SETTINGS },
      };
      const service = new ChatService(
        { settings: () => settings, log: () => undefined, runCommand: () => undefined, openExternal: () => undefined, vscodeTools: counting },
        new KeyStore(new MemorySecrets(), { GROQ_API_KEY: 'gsk_lazy_tools_0123456789' }),
        new HistoryStore(dir.path),
      );
      const client = new RecordingClient();
      service.connect(client);
      await service.handle(client, { type: 'ready' });
      const chatId = client.state.chat.id;
      assert.deepEqual(client.state.tools, [info]);
      assert.equal(loads, 0, 'the panel lists the tools without their code');

      await service.handle(client, { type: 'setConfig', chatId, patch: { disabledTools: [info.name] } });
      groq.enqueue(chatStream(['no tools']));
      await service.handle(client, { type: 'send', chatId, text: 'hi' });
      await service.idle(chatId);
      assert.equal(groq.requests[0].body.tools, undefined);
      assert.equal(loads, 0, 'a chat with every tool off does not load them');

      await service.handle(client, { type: 'setConfig', chatId, patch: { disabledTools: [] } });
      groq.enqueue(chatStream(['with tools']));
      await service.handle(client, { type: 'send', chatId, text: 'hi again' });
      await service.idle(chatId);
      assert.deepEqual(groq.requests[1].body.tools.map((t: { function: { name: string } }) => t.function.name), [info.name]);
      assert.equal(loads, 1);
    });
  });
});
