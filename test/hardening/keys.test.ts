// Item 4: key hygiene. A scripted session sets a key for every provider through the panel's setKey message,
// chats with each (FakeServers in each wire format), attaches files, meets errors whose bodies echo the key,
// exports the chat, copies text; then every place the host could have put a key is scanned: the history dir,
// exported Markdown, log lines, every message posted to the webview, ui state, settings, clipboard, links and
// commands, and every request each provider's server received (a key may go only to its own provider, and only
// in its auth header). The only place a key may be is the secret store.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_IDS, type ProviderId } from '../../src/protocol';
import { classifyError, redactKeys } from '../../src/providers/errors';
import { event as anthropicEvent } from '../fakes/anthropicFormat';
import { apiError } from '../fakes/openaiFormat';
import { FakeServer } from '../fakes/server';
import { makeRig, sendAndWait, within, WIRES, type RecordingClient, type Rig, type Wire } from './helpers';

const rand = (n = 32) => randomBytes(n).toString('base64url').replace(/[-_]/g, 'x').slice(0, n);

/** Key shapes as each provider issues them. */
const KEY_OF: Record<ProviderId, () => string> = {
  groq: () => `gsk_${rand(52)}`,
  openai: () => `sk-proj-${rand(64)}`,
  anthropic: () => `sk-ant-api03-${rand(80)}-${rand(6)}AA`,
  google: () => `AIzaSy${rand(33)}`,
  cerebras: () => `csk-${rand(48)}`,
  xai: () => `xai-${rand(80)}`,
  openrouter: () => `sk-or-v1-${rand(64)}`,
  ollama: () => `ollama-${rand(24)}`,
  lmstudio: () => `lm-studio-${rand(24)}`,
  custom: () => `custom_${rand(40)}`,
  demo: () => `demo-${rand(24)}`,
  extension: () => `ext-${rand(24)}`,
};

/** Providers Parley talks to over HTTP: the wire of each (OpenAI-compatible presets speak OpenAI's). */
const openaiLike = (provider: ProviderId, model: string, path: string): Wire => ({ ...WIRES.find((w) => w.provider === 'openai')!, provider, model, base: (o) => `${o}${path}` });
const CHAT_WIRES: Wire[] = [
  ...WIRES.filter((w) => w.provider !== 'openrouter'),
  openaiLike('cerebras', 'llama-3.3-70b', '/v1'),
  openaiLike('xai', 'grok-3', '/v1'),
  openaiLike('openrouter', 'openai/gpt-4o-mini', '/api/v1'),
  openaiLike('ollama', 'llama3.2', '/v1'),
  openaiLike('lmstudio', 'qwen/qwen3-8b', '/v1'),
  openaiLike('custom', 'my-model', '/v1'),
];

/** Where each provider's SDK puts the key. */
function authOf(provider: ProviderId, headers: Record<string, string | string[] | undefined>): string | undefined {
  // The Anthropic SDK sends x-api-key or, in newer versions, a bearer token.
  if (provider === 'anthropic') return (headers['x-api-key'] as string | undefined) ?? (headers.authorization as string | undefined)?.replace(/^Bearer /, '');
  if (provider === 'google') return headers['x-goog-api-key'] as string | undefined;
  return (headers.authorization as string | undefined)?.replace(/^Bearer /, '');
}

/** A mid-stream error event that quotes the key, in the provider's framing. */
function midStreamEcho(wire: Wire, key: string): string {
  if (wire.provider === 'anthropic') return anthropicEvent('error', { error: { type: 'api_error', message: `Internal error for key ${key}` } });
  if (wire.provider === 'google') return `data: ${JSON.stringify({ error: { code: 500, message: `Internal error for key ${key}`, status: 'INTERNAL' } })}\r\n\r\n`;
  return `data: ${JSON.stringify({ error: { message: `Internal error for key ${key}`, type: 'server_error' } })}\n\n`;
}

describe('hardening: API keys stay in the secret store', function () {
  this.timeout(120_000);
  const servers = new Map<ProviderId, FakeServer>();
  const keys = Object.fromEntries(PROVIDER_IDS.map((id) => [id, KEY_OF[id]()])) as Record<ProviderId, string>;
  let rig: Rig;
  let client: RecordingClient;
  let places = 0;
  let hits = 0;
  let redactionChecks = 0;

  before(async () => {
    rig = makeRig();
    rig.settings.maxRetries = 0;
    writeFileSync(join(rig.workspace.path, 'config.ts'), 'export const endpoint = "https://example.com";\n');
    for (const wire of CHAT_WIRES) {
      const server = new FakeServer(wire.provider);
      await server.start();
      servers.set(wire.provider, server);
      rig.urls[wire.provider] = wire.base(server.url);
    }
    client = await rig.client();
  });
  after(async () => {
    console.log(`\n    Keys: ${PROVIDER_IDS.length} keys set through the panel; places scanned: ${places}, key hits: ${hits} (the secret store holds all ${PROVIDER_IDS.length}); unknown key shapes redacted: ${redactionChecks} checks passed\n`);
    rig.dispose();
    await Promise.all([...servers.values()].map((s) => s.stop()));
  });

  it('keys set through the panel go to the secret store, trimmed, and never come back to the webview', async () => {
    for (const id of PROVIDER_IDS) await rig.service.handle(client, { type: 'setKey', provider: id, key: `  ${keys[id]}\n` });
    for (const id of PROVIDER_IDS) assert.equal(rig.secrets.map.get(`parley.apiKey.${id}`), keys[id]);
    const infos = client.state.providers;
    for (const info of infos) if (info.needsKey) assert.deepEqual([info.keySet, info.keySource], [true, 'secret-storage'], info.id);
  });

  for (const wire of CHAT_WIRES) {
    it(`${wire.provider}: chat, attachments, errors echoing the key, model list, regenerate, export, copy`, async () => {
      const server = servers.get(wire.provider)!;
      const key = keys[wire.provider];
      server.reset();
      server.route(/models$/, () => apiError(401, `Invalid API key: ${key}`, { code: 'invalid_api_key' }));
      await rig.service.handle(client, { type: 'newChat' });
      const chatId = client.chatId!;
      await rig.service.handle(client, { type: 'setConfig', chatId, patch: { provider: wire.provider, model: wire.model } });
      await rig.service.handle(client, { type: 'attachUris', chatId, uris: [join(rig.workspace.path, 'config.ts')] });

      server.enqueue(wire.stream(['Here ', 'you ', 'are.'], { reasoning: ['thinking…'] }));
      assert.equal((await sendAndWait(rig, client, 'hello')).status, 'done');
      assert.equal(authOf(wire.provider, server.last.headers), key, 'the key reached its provider');

      const echoes: Array<[string, () => void]> = [
        ['401', () => server.enqueue(wire.error('auth', undefined, `Incorrect API key provided: ${key}. Find your key at https://example.com/keys?key=${key}`))],
        ['403', () => server.enqueue(wire.error('permission', undefined, `Key ${key} may not use this model`))],
        ['429', () => server.enqueue(wire.error('rate', { 'retry-after': '120' }, `Rate limit for ${key}`))],
        ['500', () => server.enqueue(wire.error('server', undefined, `{"detail":"boom","api_key":"${key}"}`))],
        ['400', () => server.enqueue(wire.error('context', undefined, `Context too long for key=${key}`))],
        ['mid-stream', () => {
          const good = wire.stream(['partial ']);
          if (good.kind !== 'sse') throw new Error('sse expected');
          server.enqueue({ ...good, frames: [...good.frames.slice(0, wire.preamble + 1), midStreamEcho(wire, key)] });
        }],
      ];
      for (const [name, arrange] of echoes) {
        arrange();
        const reply = await sendAndWait(rig, client, `trigger ${name}`);
        assert.notEqual(reply.status, 'done', `${name} should fail`);
      }
      await within(10_000, rig.service.handle(client, { type: 'refreshModels', provider: wire.provider }), 'refreshModels');
      server.enqueue(wire.stream(['Regenerated.']));
      await rig.service.handle(client, { type: 'regenerate', chatId });
      await within(10_000, rig.service.idle(chatId), 'regenerate');
      await rig.service.handle(client, { type: 'exportChat', chatId });
      await rig.service.handle(client, { type: 'copyText', text: client.state.chat.messages.at(-1)!.text });
      await rig.service.handle(client, { type: 'setUiState', showControls: true });
      assert.ok(rig.documents.at(-1)!.content.includes('Regenerated.'));
    });
  }

  it('a scan of every place finds no key outside the secret store', () => {
    const all = Object.values(keys);
    const found: string[] = [];
    const scan = (place: string, text: string) => {
      places++;
      for (const [id, key] of Object.entries(keys)) {
        if (text.includes(key)) found.push(`${id} key in ${place}`);
        // Nor a recognisable piece of one (a provider echoing part of it).
        else if (text.includes(key.slice(-16))) found.push(`the end of the ${id} key in ${place}`);
      }
    };
    const walk = (dir: string, label: string) => {
      for (const name of readdirSync(dir)) {
        const file = join(dir, name);
        if (statSync(file).isDirectory()) walk(file, `${label}/${name}`);
        else scan(`${label}/${name}`, readFileSync(file, 'latin1'));
      }
    };
    walk(rig.history.path, 'history dir');
    walk(rig.workspace.path, 'workspace');
    rig.documents.forEach((d, i) => scan(`exported document ${i}`, d.content));
    rig.logs.forEach((line, i) => scan(`log line ${i}`, line));
    client.messages.forEach((m, i) => scan(`posted message ${i} (${m.type})`, JSON.stringify(m)));
    scan('ui state', JSON.stringify(rig.uiState));
    scan('settings', JSON.stringify(rig.settings, (_k, v) => (typeof v === 'function' ? String(v) : v)));
    scan('clipboard', JSON.stringify(rig.clipboard));
    scan('opened links', JSON.stringify(rig.opened));
    scan('commands', JSON.stringify(rig.commands));
    // What each provider received: its own key in its auth header only; no other provider's key anywhere.
    for (const [provider, server] of servers) {
      for (const [i, request] of [...server.requests, ...server.routed].entries()) {
        const headers = { ...request.headers };
        if (authOf(provider, headers) === keys[provider]) {
          delete headers.authorization;
          delete headers['x-api-key'];
          delete headers['x-goog-api-key'];
        }
        scan(`request ${i} to ${provider} (${request.method} ${request.path})`, `${request.url.search} ${JSON.stringify(headers)} ${request.rawBody}`);
      }
    }
    hits = found.length;
    assert.deepEqual(found, []);
    // Positive control: the scanner does find keys where they are.
    const stored = [...rig.secrets.map.values()].join('\n');
    assert.equal(all.filter((k) => stored.includes(k)).length, all.length);
    assert.ok(places > 500, `only ${places} places scanned`);
    // The errors were specific, without the key: e.g. the 401.
    const auth = client.messages.find((m) => m.type === 'stream' && m.event.type === 'error' && m.event.kind === 'auth');
    assert.ok(auth && auth.type === 'stream' && auth.event.type === 'error' && /…\(redacted\)/.test(auth.event.message));
  });

  describe('redaction of key-shaped strings a provider sends back', () => {
    const SHAPES = Object.entries(KEY_OF).filter(([id]) => ['groq', 'openai', 'anthropic', 'google', 'cerebras', 'xai', 'openrouter'].includes(id));
    const WRAPPERS: Array<(k: string) => string> = [
      (k) => `Invalid API key: ${k}`,
      (k) => `Incorrect API key provided: ${k}.`,
      (k) => `{"api_key":"${k}"}`,
      (k) => `https://api.example.com/v1/models?key=${k}&alt=sse`,
      (k) => `key=${k}\nnext line`,
      (k) => `(${k})`,
      (k) => `'${k}'`,
    ];

    it('redactKeys removes every provider key shape, known or not', () => {
      let checked = 0;
      for (const [id, make] of SHAPES) {
        for (const wrap of WRAPPERS) {
          const key = make();
          const out = redactKeys(wrap(key));
          assert.ok(!out.includes(key.slice(-12)), `${id} key survived in ${JSON.stringify(out)}`);
          assert.match(out, /…\(redacted\)/);
          checked++;
        }
      }
      // A known key of any shape goes too.
      const odd = `my.key/${rand(20)}`;
      assert.equal(redactKeys(`Key ${odd} rejected`, [odd]), 'Key …(redacted) rejected');
      redactionChecks += checked;
    });

    it('classifyError never quotes a key from the provider body in the message it returns', () => {
      for (const [id, make] of SHAPES) {
        for (const status of [400, 401, 403, 404, 413, 429, 500, 503]) {
          const key = make();
          const err = Object.assign(new Error(`${status} Invalid key ${key}`), { status, error: { error: { message: `Invalid key ${key} (see https://x.example/?key=${key})`, type: 'invalid_request_error' } } });
          const { message } = classifyError(err, { provider: id, model: 'm', host: 'h', keys: [] });
          assert.ok(!message.includes(key.slice(-12)), `${id} ${status}: ${message}`);
          // And a body that is not JSON at all (e.g. @google/genai's message carrying the body text).
          const raw = classifyError(Object.assign(new Error(`got status: ${status}. key ${key}`), { status }), { provider: id, model: 'm', host: 'h', keys: [] });
          assert.ok(!raw.message.includes(key.slice(-12)), `${id} ${status} raw: ${raw.message}`);
          redactionChecks += 2;
        }
      }
    });
  });
});
