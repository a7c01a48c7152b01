// Item 3: the host trusts nothing from the webview. A seeded fuzzer sends ≥ 10,000 messages to
// ChatService.handle, with a real temp workspace (files, a symlink out, a symlinked folder out, a FIFO, a symlink
// loop) and a real history dir: random JSON, malformed variants of every message type, prototype-pollution keys,
// path traversal, absolute paths, file: URIs outside, and valid-shaped messages with hostile values; some one at
// a time, some in concurrent bursts (VS Code does not await the handler). Counted: unhandled exceptions and
// rejections, every path handed to node:fs (all must be inside the workspace or the history dir), and rejections
// against the log lines that report them (exactly one each).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import { parseHostMessage, parseWebviewMessage, PROVIDER_IDS, type HostMessage } from '../../src/protocol';
import { FakeServer } from '../fakes/server';
import { spyOnFs, type FsSpy } from './fsSpy';
import { makeRig, sleep, tempDir, within, type Rig } from './helpers';

const SEED = Number(process.env.PARLEY_FUZZ_SEED ?? 20_240_611);
const COUNT = Number(process.env.PARLEY_FUZZ_COUNT ?? 10_000);
const REJECTION_LOG = /^(?:Ignored a malformed message from the webview: |Refused ")/;

/** mulberry32: small, fast, seeded. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}

const TYPES = [
  'ready', 'send', 'stop', 'editResend', 'regenerate', 'continue', 'deleteMessage', 'setConfig', 'newChat', 'switchChat', 'renameChat',
  'deleteChat', 'clearChat', 'exportChat', 'pickAttachment', 'attachUris', 'attachImage', 'removeAttachment', 'setKey', 'clearKey',
  'refreshModels', 'codeAction', 'copyText', 'setUiState', 'runCommand', 'openLink', 'log', 'approveTool', 'reviewTool',
] as const;

const BIG = 'A'.repeat(1_000_001);
const HUGE_ID = 'a'.repeat(129);
const HOSTILE_STRINGS = [
  '', ' ', '\n', 'x', '../../etc/passwd', '/etc/passwd', 'file:///etc/passwd', '\u0000', '\u202e\u2066', '🦜'.repeat(50), '<script>__pwned()</script>',
  '{{selection}}{{file}}{{language}}', '{{a}}'.repeat(100), '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '$(rm -rf ~)', '`id`',
  '%00%2e%2e%2f', 'C:\\Windows\\win.ini', '\\\\server\\share', 'javascript:__pwned()', 'a'.repeat(10_001), 'b'.repeat(4097), 'NaN', 'null', '[object Object]',
];
const HOSTILE_NUMBERS = [0, -0, -1, 1, 1.5, 1e308, -1e308, 5e-324, 2 ** 53 + 2, -(2 ** 63), 123456789012];
const URLS = ['https://example.com', 'http://127.0.0.1:1/', 'javascript:__pwned()', 'JAVASCRIPT:x', 'data:text/html,<script>x</script>', 'file:///etc/passwd', 'vscode://settings', 'command:workbench.action.terminal.new', ' https://example.com', 'https:/\\evil.example', 'http://evil.example/\u0000', 'mailto:a@b.c', ''];

class FuzzClient implements Client {
  chatId?: string;
  notices: Array<{ level: string; text: string }> = [];
  posted = 0;
  invalid: string[] = [];
  /** Posts checked against the schema, by type. */
  checked = new Map<string, number>();
  constructor(private readonly seen: Set<string>, private readonly checkEvery: number, chatId?: string) {
    this.chatId = chatId;
  }
  post(message: HostMessage): void {
    this.posted++;
    if (message.type === 'notice') this.notices.push({ level: message.level, text: message.text });
    if (message.type === 'state' || message.type === 'replyStarted' || message.type === 'update') for (const a of message.pendingAttachments ?? []) this.seen.add(a.id);
    // The host never posts what the webview would reject (checked on a sample: states can be large).
    if (message.type !== 'state' || this.posted % this.checkEvery === 0) {
      const parsed = parseHostMessage(JSON.parse(JSON.stringify(message)));
      if (!parsed.ok) this.invalid.push(`${message.type}: ${parsed.error}`);
      this.checked.set(message.type, (this.checked.get(message.type) ?? 0) + 1);
    }
  }
}

describe('hardening: the host trusts nothing from the webview (seeded fuzz of ChatService.handle)', function () {
  this.timeout(180_000);
  const server = new FakeServer('everything');
  const outside = tempDir('fuzz-outside');
  let rig: Rig;
  let spy: FsSpy | undefined;
  const figures: Record<string, number | string> = {};

  before(async () => {
    await server.start();
    // Whatever a provider request it gets, a quick 401: the fuzz is about the host, not the providers.
    server.fallback = () => ({ kind: 'json', status: 401, body: { error: { message: 'Invalid API Key', type: 'invalid_request_error' } } });
    await Promise.all([import('openai'), import('groq-sdk'), import('@anthropic-ai/sdk'), import('@google/genai')]);
  });
  after(async () => {
    spy?.restore();
    rig?.dispose();
    outside.remove();
    await server.stop();
  });

  it(`${COUNT} random, malformed and hostile messages (seed ${SEED}): no crash, nothing read outside the workspace, every rejection logged once`, async () => {
    const picks: string[][] = [];
    rig = makeRig({ pickWorkspaceFiles: async () => picks.shift() ?? [] });
    for (const id of PROVIDER_IDS) rig.urls[id] = server.url;
    rig.settings.maxRetries = 0;
    rig.settings.requestTimeoutSeconds = 5;
    const ws = rig.workspace.path;
    mkdirSync(join(ws, 'src'));
    writeFileSync(join(ws, 'readme.md'), '# readme\n');
    writeFileSync(join(ws, 'src', 'main.ts'), 'export {};\n');
    writeFileSync(join(ws, 'image.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    writeFileSync(join(ws, 'blob.bin'), Buffer.from([0, 1, 2, 3, 0xff]));
    writeFileSync(join(outside.path, 'secret.txt'), 'TOP SECRET');
    symlinkSync(join(outside.path, 'secret.txt'), join(ws, 'link-out.txt'));
    symlinkSync(outside.path, join(ws, 'dir-out'));
    symlinkSync('/etc/passwd', join(ws, 'passwd-link'));
    symlinkSync(join(ws, 'loop2'), join(ws, 'loop1'));
    symlinkSync(join(ws, 'loop1'), join(ws, 'loop2'));
    execFileSync('mkfifo', [join(ws, 'fifo')]);
    const PATHS = [
      join(ws, 'readme.md'), join(ws, 'src', 'main.ts'), join(ws, 'image.png'), join(ws, 'blob.bin'), join(ws, 'src'), join(ws, 'fifo'),
      join(ws, 'link-out.txt'), join(ws, 'dir-out', 'secret.txt'), join(ws, 'passwd-link'), join(ws, 'loop1'), join(ws, 'missing.txt'),
      `${ws}/../../../../etc/passwd`, `${ws}/src/../../${outside.path.split('/').pop()}/secret.txt`, join(outside.path, 'secret.txt'), '/etc/passwd',
      '/etc/shadow', '/proc/self/environ', '/dev/zero', '/', `${ws}-sibling/x.txt`, pathToFileURL(join(ws, 'readme.md')).href,
      pathToFileURL(join(outside.path, 'secret.txt')).href, 'file:///etc/passwd', `${pathToFileURL(ws).href}/%2e%2e/%2e%2e/etc/passwd`,
      'file://localhost/etc/passwd', 'file://evil.example/share/x', '../../etc/passwd', 'readme.md', '~/.ssh/id_rsa', 'C:\\Windows\\win.ini',
      '\\\\server\\share\\x', `${ws}/readme.md\u0000.png`, 'http://example.com/x', 'vscode-remote://ssh/etc/passwd', 'untitled:Untitled-1', '',
    ];

    const rand = prng(SEED);
    const attachmentIds = new Set<string>();
    const main = [new FuzzClient(attachmentIds, 25), new FuzzClient(attachmentIds, 25)];
    for (const c of main) {
      rig.service.connect(c);
      await rig.service.handle(c, { type: 'ready' });
    }
    const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort().join();

    // ---- the generator ----
    const chatIds = async () => (await rig.service.allChats()).map((c) => c.id);
    const messageIds = async () => (await rig.service.allChats()).flatMap((c) => c.messages.map((m) => m.id));
    const idLike = (real: string[]) => (rand.chance(0.7) && real.length ? rand.pick(real) : rand.pick(['x', '..', '...', '.', ':', '-', 'a'.repeat(128), 'chat-1', 'ready']));
    const text = () => (rand.chance(0.002) ? 'y'.repeat(200_000) : rand.chance(0.5) ? rand.pick(HOSTILE_STRINGS).slice(0, 10_000) : `hello ${rand.int(1e6)}`);
    const provider = () => (rand.chance(0.9) ? rand.pick(PROVIDER_IDS) : rand.pick(['mistral', '', 'GROQ', '__proto__']));
    const patch = () => {
      const p: Record<string, unknown> = {};
      const fields = ['provider', 'model', 'system', 'maxTokens', 'temperature', 'topP', 'topK', 'frequencyPenalty', 'presencePenalty', 'stop', 'seed', 'jsonMode', 'reasoningEffort', 'thinkingBudget', 'disabledTools'];
      for (let i = rand.int(4); i >= 0; i--) {
        const field = rand.pick(fields);
        p[field] = field === 'provider' ? provider()
          : field === 'model' || field === 'system' ? rand.pick(HOSTILE_STRINGS).slice(0, 200)
          : field === 'disabledTools' ? Array.from({ length: rand.int(5) }, () => rand.pick(['read_file', 'search_text', '', 'a b', '__proto__', 'x'.repeat(200)]))
          : field === 'stop' ? Array.from({ length: rand.int(5) }, () => rand.pick(HOSTILE_STRINGS).slice(0, 200))
          : field === 'jsonMode' ? rand.chance(0.5)
          : field === 'reasoningEffort' ? rand.pick(['none', 'minimal', 'low', 'medium', 'high', null])
          : rand.chance(0.2) ? null : rand.pick(HOSTILE_NUMBERS);
      }
      if (rand.chance(0.1)) Object.assign(p, JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'));
      return p;
    };
    const paths = () => Array.from({ length: 1 + rand.int(4) }, () => rand.pick(PATHS));

    async function validShaped(): Promise<Record<string, unknown>> {
      const type = rand.pick(TYPES);
      const ids = await chatIds();
      const chatId = idLike(ids);
      switch (type) {
        case 'ready': case 'newChat': return { type };
        case 'send': return { type, chatId, text: text(), ...(rand.chance(0.2) && { fillBuiltins: true }) };
        case 'stop': case 'regenerate': case 'continue': case 'switchChat': case 'deleteChat': case 'clearChat': case 'exportChat': case 'pickAttachment':
          if (type === 'pickAttachment') picks.push(paths());
          return { type, chatId };
        case 'editResend': return { type, chatId, messageId: idLike(await messageIds()), text: text() };
        case 'deleteMessage': return { type, chatId, messageId: idLike(await messageIds()) };
        case 'setConfig': return { type, chatId, patch: patch() };
        case 'reviewTool': return { type, chatId, callId: rand.pick(['call_1', 'toolu_01A', '', '__proto__']) };
        case 'approveTool': return { type, chatId, callId: rand.pick(['call_1', 'toolu_01A', '', 'x'.repeat(300), '__proto__', '../x']), decision: rand.pick(['once', 'chat', 'deny', 'always', '']) };
        case 'renameChat': return { type, chatId, title: rand.pick(HOSTILE_STRINGS).slice(0, 200) || 't' };
        case 'attachUris': return { type, chatId, uris: paths() };
        case 'attachImage': return {
          type, chatId, name: rand.pick(['x.png', '../../../etc/cron.d/evil', 'a/b\\c.png', '', 'CON', '\u0000.png']),
          mimeType: rand.pick(['image/png', 'image/jpeg', 'image/svg+xml', 'text/html', 'application/octet-stream', '']),
          base64: rand.pick(['iVBORw0KGgo=', '', 'not base64!', '====', 'A'.repeat(1_500_000), '<script>']),
        };
        case 'removeAttachment': return { type, chatId, attachmentId: idLike([...attachmentIds]) };
        case 'setKey': return { type, provider: provider(), key: rand.pick(['gsk_fuzzkey_0123456789', ' sk-x ', '\n', 'k'.repeat(1000), '__proto__']) };
        case 'clearKey': case 'refreshModels': return { type, provider: provider() };
        case 'codeAction': return { type, action: rand.pick(['copy', 'insert', 'newFile']), code: text(), language: rand.pick(['ts', '', '../x', 'a'.repeat(50)]) };
        case 'copyText': return { type, text: text() };
        case 'setUiState': return { type, showControls: rand.chance(0.5) };
        case 'runCommand': return { type, command: 'setApiKey', ...(rand.chance(0.5) && { provider: provider() }) };
        case 'openLink': return { type, url: rand.pick(URLS) };
        case 'log': return { type, level: rand.pick(['info', 'warning', 'error']), text: rand.pick(HOSTILE_STRINGS) };
      }
    }

    const junk = (depth = 0): unknown => {
      switch (rand.int(depth > 3 ? 6 : 9)) {
        case 0: return null;
        case 1: return rand.pick(HOSTILE_NUMBERS);
        case 2: return rand.pick(HOSTILE_STRINGS);
        case 3: return rand.chance(0.5);
        case 4: return rand.pick(TYPES);
        case 5: return rand.chance(0.01) ? BIG : rand.pick([HUGE_ID, '']);
        case 6: return Array.from({ length: rand.int(5) }, () => junk(depth + 1));
        case 7: return Object.fromEntries(Array.from({ length: rand.int(5) }, () => [rand.pick(['type', 'chatId', 'text', 'uris', 'patch', '__proto__', 'constructor', 'x']), junk(depth + 1)]));
        default: return { type: rand.pick([...TYPES, 'hack', 'eval', '__proto__', 'constructor', 'toString', '']), [rand.pick(['chatId', 'text', 'url', 'key'])]: junk(depth + 1) };
      }
    };

    async function malformed(): Promise<unknown> {
      const base = await validShaped();
      const keys = Object.keys(base).filter((k) => k !== 'type');
      switch (rand.int(9)) {
        case 0: if (keys.length) delete base[rand.pick(keys)]; else base.type = `${base.type}x`; return base;
        case 1: if (keys.length) base[rand.pick(keys)] = junk(2); else base.extra = junk(2); return base;
        case 2: return { ...base, type: rand.pick([1, null, [], {}, 'SEND', ' send', 'send\u0000']) };
        case 3: return JSON.parse(`{"__proto__":{"polluted":"yes","type":"send"},"constructor":{"prototype":{"polluted":"yes"}},${JSON.stringify(base).slice(1)}`);
        case 4: return { ...base, chatId: rand.pick([HUGE_ID, '../../x', 'a b', '', 'é', '<x>', 5, null]) };
        case 5: return { ...base, text: BIG, uris: Array.from({ length: 51 }, () => '/etc/passwd'), title: 't'.repeat(201) };
        case 6: return { ...base, uris: [rand.pick(PATHS), 42, null, { path: '/etc/passwd' }] };
        case 7: return [base];
        default: return JSON.stringify(base);
      }
    }

    // ---- the run ----
    let crashes = 0;
    let rejections = 0;
    let malformedSent = 0;
    let validSent = 0;
    let internalErrors: string[] = [];
    let perMessageMismatch: string[] = [];
    const unhandled: string[] = [];
    const onRejection = (reason: unknown) => unhandled.push(`unhandledRejection: ${(reason as Error)?.stack ?? reason}`);
    const onException = (err: Error) => unhandled.push(`uncaughtException: ${err.stack}`);
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    spy = spyOnFs();
    const logsAtStart = rig.logs.length;
    const started = Date.now();

    const byType = new Map<string, { sent: number; accepted: number }>();
    async function one(message: unknown, client: FuzzClient): Promise<boolean> {
      const parsed = parseWebviewMessage(message);
      const valid = parsed.ok;
      const tally = valid ? (byType.get(parsed.value.type) ?? { sent: 0, accepted: 0 }) : undefined;
      if (tally && valid) byType.set(parsed.value.type, tally);
      if (valid) validSent++;
      else malformedSent++;
      const notices = client.notices.length;
      try {
        await within(20_000, rig.service.handle(client, message), `handle ${JSON.stringify(message)?.slice(0, 200)}`);
      } catch (err) {
        crashes++;
        unhandled.push(`handle threw: ${(err as Error).stack}`);
      }
      const fresh = client.notices.slice(notices).filter((n) => n.level === 'error');
      internalErrors.push(...fresh.filter((n) => n.text.startsWith('Parley could not do that')).map((n) => n.text));
      const rejected = !valid || fresh.length > 0;
      if (fresh.length > 1) perMessageMismatch.push(`${fresh.length} notices for one message`);
      if (rejected) rejections++;
      if (tally) {
        tally.sent++;
        if (!rejected) tally.accepted++;
      }
      return rejected;
    }

    let sent = 0;
    while (sent < COUNT) {
      const burst = rand.chance(0.25) ? 2 + rand.int(5) : 1;
      const messages: unknown[] = [];
      for (let i = 0; i < burst && sent + messages.length < COUNT; i++) {
        const r = rand.next();
        messages.push(r < 0.25 ? junk() : r < 0.55 ? await malformed() : await validShaped());
      }
      sent += messages.length;
      if (messages.length === 1) {
        // One at a time: the log lines it caused are its own.
        const client = rand.chance(0.5) ? rand.pick(main) : new FuzzClient(attachmentIds, 25, rand.pick(await chatIds()));
        const before = rig.logs.length;
        const rejected = await one(messages[0], client);
        const lines = rig.logs.slice(before).filter((l) => REJECTION_LOG.test(l)).length;
        if (lines !== (rejected ? 1 : 0)) perMessageMismatch.push(`${lines} rejection log lines for ${rejected ? 'a rejected' : 'an accepted'} message ${JSON.stringify(messages[0])?.slice(0, 200)}`);
      } else {
        // Together, as VS Code delivers them (it does not await the handler): each on its own client.
        const ids = await chatIds();
        await Promise.all(messages.map((m) => one(m, new FuzzClient(attachmentIds, 25, rand.pick(ids)))));
      }
      if (sent % 500 < burst) await sleep(0);
    }
    const elapsed = Date.now() - started;

    // Let every reply in flight finish (or stop it), then look at what is left.
    rig.service.stopAll();
    for (const id of await chatIds()) await within(20_000, rig.service.idle(id), `chat ${id} to go idle`);
    await sleep(200);
    spy.restore();
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);

    const logs = rig.logs.slice(logsAtStart);
    const rejectionLines = logs.filter((l) => REJECTION_LOG.test(l)).length;
    const outsideTouches = spy.outside([rig.workspace.path, rig.history.path]);
    const chats = await rig.service.allChats();
    const reloaded = await new HistoryStore(rig.history.path).load();
    const invalidPosts = main.flatMap((c) => c.invalid);
    const replies = chats.flatMap((c) => c.messages).filter((m) => m.role === 'assistant').length;

    Object.assign(figures, {
      sent, malformed: malformedSent, valid: validSent, crashes, unhandled: unhandled.length, rejections, rejectionLines,
      fsCalls: spy.touches.length, outside: outsideTouches.length, internal: internalErrors.length, seconds: (elapsed / 1000).toFixed(1),
    });
    console.log(`\n    Fuzz (seed ${SEED}): ${sent} messages sent (${malformedSent} malformed, ${validSent} well-formed with hostile values) in ${figures.seconds} s;` +
      ` crashes: ${crashes} unhandled exceptions/rejections: ${unhandled.length}; out-of-workspace fs calls: ${outsideTouches.length} of ${spy.touches.length};` +
      ` rejected: ${rejections}, rejection log lines: ${rejectionLines}; internal errors surfaced as notices: ${internalErrors.length}\n` +
      `    well-formed messages by type (accepted/sent): ${[...byType].sort().map(([t, n]) => `${t} ${n.accepted}/${n.sent}`).join(', ')};` +
      ` replies started: ${replies}, chats at the end: ${chats.length}\n`);

    assert.deepEqual(unhandled, []);
    assert.equal(crashes, 0);
    assert.ok(sent >= 10_000 || COUNT < 10_000);
    assert.deepEqual(outsideTouches.map((t) => `${t.op} ${t.path}`), [], 'paths touched outside the workspace and the history dir');
    assert.ok(!spy.touches.some((t) => t.op === 'readFile' && /secret|passwd|shadow|environ/.test(t.path)));
    assert.deepEqual(perMessageMismatch.slice(0, 10), [], `${perMessageMismatch.length} messages not logged exactly once`);
    assert.equal(rejectionLines, rejections, 'one log line per rejected message');
    assert.deepEqual([...new Set(internalErrors)].slice(0, 10), [], 'unexpected internal errors');
    assert.deepEqual(invalidPosts.slice(0, 5), [], 'the host posted messages the webview would reject');
    // The incremental messages were among those checked.
    for (const type of ['replyStarted', 'update', 'chatListChange', 'stream']) assert.ok(main.some((c) => c.checked.get(type)), `no ${type} was posted and checked`);
    // Nothing polluted, nothing stuck, nothing opened or stored that should not be.
    assert.equal(Object.getOwnPropertyNames(Object.prototype).sort().join(), protoBefore);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(chats.flatMap((c) => c.messages).filter((m) => m.status === 'streaming').length, 0);
    assert.equal(reloaded.warning, undefined, 'the history file is still readable');
    assert.equal(reloaded.chats.length, chats.length);
    assert.ok(rig.opened.every((u) => /^https?:\/\//i.test(u)), `opened ${rig.opened.filter((u) => !/^https?:\/\//i.test(u)).join(', ')}`);
    assert.ok([...rig.secrets.map.keys()].every((k) => /^parley\.apiKey\.[a-z]+$/.test(k) && (PROVIDER_IDS as readonly string[]).includes(k.split('.')[2])));
    assert.ok(rig.documents.every((d) => typeof d.content === 'string'));
  });
});
