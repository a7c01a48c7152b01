// One conversation continued across Groq → Anthropic → Google → OpenAI in a real VS Code, each reply streamed
// from that provider's local server through its official SDK, each key entered in the panel's key area; then a
// tool call on each of Anthropic, Google and OpenAI (Groq's are in tools.e2e.ts), run by the real extension host.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FrameLocator } from 'playwright-core';
import { join } from 'node:path';
import { anthropicModelList, messageStream, toolUseStream } from '../fakes/anthropicFormat';
import { functionCallStream, geminiModelList, geminiStream } from '../fakes/geminiFormat';
import { chatStream, modelList, toolCallChunks } from '../fakes/openaiFormat';
import { groqModelList } from '../fakes/groqModels';
import { FakeServer, type FakeReply } from '../fakes/server';
import { sampleWorkspace, sendInPanel, startVsCode, type Session, until } from './harness';

const KEYS = {
  groq: 'gsk_e2e_groq_key_000000000001',
  anthropic: 'sk-ant-e2e-anthropic-key-00000002',
  google: 'AIza-e2e-google-key-0000000000003',
  openai: 'sk-proj-e2e-openai-key-00000000004',
} as const;
type Provider = keyof typeof KEYS;
const MISPLACED_XAI_KEY = 'xai-e2e-misplaced-key-0000000005';
const HELLO = readFileSync(join(sampleWorkspace, 'hello.ts'), 'utf8');

describe('e2e: one conversation across four providers', function () {
  const servers: Record<Provider, FakeServer> = {
    groq: new FakeServer('groq'),
    anthropic: new FakeServer('anthropic'),
    google: new FakeServer('google'),
    openai: new FakeServer('openai'),
  };
  let vs: Session;
  let panel: FrameLocator;

  before(async function () {
    for (const server of Object.values(servers)) await server.start();
    servers.groq.route(/\/models$/, () => groqModelList());
    servers.openai.route(/\/models$/, () => modelList(['gpt-4.1-mini']));
    servers.anthropic.route(/\/models$/, () => anthropicModelList(['claude-sonnet-4-6']));
    servers.google.route(/\/models$/, () => geminiModelList([{ id: 'gemini-2.5-flash', methods: ['generateContent'] }]));
    vs = await startVsCode({
      workspace: sampleWorkspace,
      name: 'providers',
      settings: {
        ...Object.fromEntries(Object.entries(servers).map(([id, s]) => [`parley.${id}.baseUrl`, s.url])),
        // A key pasted into settings.json by mistake: Parley must move it into secret storage.
        'parley.xai.apiKey': MISPLACED_XAI_KEY,
      },
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vs?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
  });
  after(async function () {
    await vs?.close();
    for (const server of Object.values(servers)) await server.stop();
  });

  it('keys for four providers are entered in the panel and shown only as set', async function () {
    await vs.runCommand('Parley: Start Chat');
    panel = vs.webview();
    await panel.locator('textarea#prompt').waitFor({ state: 'visible', timeout: 30_000 });
    await panel.locator('#toggle-keys').click();
    for (const [provider, key] of Object.entries(KEYS)) {
      const row = panel.locator(`.key-row[data-provider="${provider}"]`);
      await row.locator('input[type=password]').fill(key);
      await row.locator('[data-key-action="save"]').click();
      await until(() => row.locator('.key-status').innerText(), (t) => /set/i.test(t) && !/not set/i.test(t));
      assert.equal(await row.locator('input[type=password]').inputValue(), '', 'the input is cleared after saving');
    }
    const html = await panel.locator('body').innerHTML();
    for (const key of Object.values(KEYS)) assert.equal(html.includes(key), false, 'a key was rendered into the panel');
    await vs.screenshot('keys-area');
    await panel.locator('#toggle-keys').click();
  });

  const turns: Array<{ provider: Provider; ask: string; answer: string[]; reply: (deltas: string[]) => FakeReply }> = [
    { provider: 'groq', ask: 'My name is Ada. Remember it.', answer: ['Nice to meet ', 'you, Ada.'], reply: (d) => chatStream(d, { delayMs: 30 }) },
    { provider: 'anthropic', ask: 'What is my name?', answer: ['Your name ', 'is Ada.'], reply: (d) => messageStream(d, { delayMs: 30 }) },
    { provider: 'google', ask: 'Spell it backwards.', answer: ['a', 'dA'], reply: (d) => geminiStream(d, { delayMs: 30 }) },
    { provider: 'openai', ask: 'Thanks, all done.', answer: ['You are ', 'welcome!'], reply: (d) => chatStream(d, { delayMs: 30, usageStyle: 'openai', model: 'gpt-4.1-mini' }) },
  ];

  for (const [index, turn] of turns.entries()) {
    it(`turn ${index + 1} streams from ${turn.provider}, carrying the whole conversation`, async function () {
      await panel.locator('#provider').selectOption(turn.provider);
      await until(() => panel.locator('#model').inputValue(), (m) => m.length > 0 && !/demo/.test(m));
      servers[turn.provider].enqueue(turn.reply(turn.answer));
      const replies = panel.locator('article.message.assistant');
      const before = await replies.count();
      const prompt = panel.locator('textarea#prompt');
      await prompt.fill(turn.ask);
      await prompt.press('Enter');
      await until(() => replies.count(), (n) => n === before + 1);
      const last = replies.last();
      await until(() => last.getAttribute('data-status'), (s) => s === 'done');
      assert.equal((await last.locator('.message-body').innerText()).trim(), turn.answer.join(''));
      const body = JSON.stringify(servers[turn.provider].last.body);
      // Every earlier question and answer reached this provider, in its own format.
      for (const earlier of turns.slice(0, index + 1)) {
        assert.ok(body.includes(JSON.stringify(earlier.ask).slice(1, -1)), `${turn.provider} did not get "${earlier.ask}"`);
      }
      for (const earlier of turns.slice(0, index)) {
        assert.ok(body.includes(earlier.answer.join('')), `${turn.provider} did not get the earlier answer "${earlier.answer.join('')}"`);
      }
      if (turn.provider === 'anthropic') assert.equal(servers.anthropic.last.path, '/v1/messages');
      if (turn.provider === 'google') assert.match(servers.google.last.url.pathname + servers.google.last.url.search, /:streamGenerateContent\?alt=sse$/);
    });
  }

  // Each provider asks for read_file in its own wire format; the result must go back in that format.
  type Body = { messages?: Array<{ role: string; content: unknown }>; contents?: Array<{ parts: Array<Record<string, any>> }> };
  const toolTurns: Array<{ provider: Exclude<Provider, 'groq'>; calling: FakeReply; answer: FakeReply; result: (body: Body) => string }> = [
    {
      provider: 'anthropic',
      calling: toolUseStream([{ text: ['Reading it.'] }, { toolUse: { id: 'toolu_e2e_read', name: 'read_file', pieces: ['{"path":', ' "hello.ts"}'] } }]),
      answer: messageStream(['It exports greet.']),
      result: (body) => (body.messages!.at(-1)!.content as Array<{ type: string; content: string }>).find((b) => b.type === 'tool_result')!.content,
    },
    {
      provider: 'google',
      calling: functionCallStream([[{ text: 'Reading it.' }], [{ functionCall: { name: 'read_file', args: { path: 'hello.ts' } } }]]),
      answer: geminiStream(['It exports greet.']),
      result: (body) => body.contents!.at(-1)!.parts[0].functionResponse.response.output,
    },
    {
      provider: 'openai',
      calling: { kind: 'sse', frames: toolCallChunks([{ id: 'call_e2e_read', name: 'read_file', pieces: ['{"path"', ':"hello.ts"}'] }], { text: ['Reading it.'], usageStyle: 'openai', model: 'gpt-4.1-mini' }) },
      answer: chatStream(['It exports greet.'], { usageStyle: 'openai', model: 'gpt-4.1-mini' }),
      result: (body) => body.messages!.find((m) => m.role === 'tool')!.content as string,
    },
  ];
  for (const turn of toolTurns) {
    it(`${turn.provider}: a read_file call runs in the extension host, its card shows in the reply, the file goes back in ${turn.provider}'s format`, async function () {
      await panel.locator('#provider').selectOption(turn.provider);
      await until(() => panel.locator('#model').inputValue(), (m) => m.length > 0 && !/demo/.test(m));
      const server = servers[turn.provider];
      const posts = () => server.requests.filter((r) => r.method === 'POST').length;
      const before = posts();
      server.enqueue(turn.calling, turn.answer);
      await sendInPanel(panel, `Asking ${turn.provider}: what does hello.ts export?`);
      const last = panel.locator('article.message.assistant').last();
      await until(() => last.getAttribute('data-status'), (s) => s === 'done', `the ${turn.provider} reply to finish`);
      assert.equal(posts(), before + 2, 'one request for the call, one with its result');
      const card = last.locator('.tool-card');
      assert.equal(await card.count(), 1);
      assert.equal(await card.getAttribute('data-status'), 'done');
      assert.equal(await card.locator('.tool-name').innerText(), 'read_file');
      assert.match(await last.locator('.message-body').innerText(), /Reading it\.[\s\S]*It exports greet\./);
      const result = turn.result(server.last.body as Body);
      for (const line of HELLO.trim().split('\n')) assert.ok(result.includes(line), `${turn.provider} got "${line}" back`);
    });
  }

  it('a key typed into settings.json is moved into secret storage and removed from settings', async function () {
    await until(() => Promise.resolve(readFileSync(vs.paths.settingsJson, 'utf8')), (text) => !text.includes(MISPLACED_XAI_KEY));
    await panel.locator('#toggle-keys').click();
    const status = panel.locator('.key-row[data-provider="xai"] .key-status');
    await until(() => status.innerText(), (t) => /set/i.test(t) && !/not set/i.test(t));
    assert.match(await status.innerText(), /secret storage/i);
    assert.equal((await panel.locator('body').innerHTML()).includes(MISPLACED_XAI_KEY), false);
    await panel.locator('#toggle-keys').click();
  });

  it('each provider saw only its own key', async function () {
    const seen = (p: Provider) => JSON.stringify(servers[p].requests.concat(servers[p].routed).map((r) => r.headers));
    for (const provider of Object.keys(KEYS) as Provider[]) {
      for (const [other, key] of Object.entries(KEYS)) {
        assert.equal(seen(provider).includes(key), other === provider, `${provider} ${other === provider ? 'did not get its' : 'got the ' + other} key`);
      }
    }
    await vs.screenshot('four-providers');
  });
});
