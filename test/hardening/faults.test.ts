// Item 5: every fault, for every provider, end to end through ChatService: the reply carries a specific error,
// the partial text is kept, and the next send works. Prints a fault × provider table of error kinds.
import assert from 'node:assert/strict';
import type { ErrorKind, StreamEvent } from '../../src/protocol';
import { FakeServer } from '../fakes/server';
import { closedPort, makeRig, sendAndWait, WIRES, type Rig, type Wire } from './helpers';
import type { RecordingClient } from './helpers';

interface Fault {
  name: string;
  /** Scripts the fault; returns the text the reply must keep. */
  arrange(ctx: { wire: Wire; server: FakeServer; rig: Rig; refusedPort: number }): string;
  kind: ErrorKind | 'retried';
  message: RegExp;
  action?: string;
  /** Upper bound on how long the failed send may take (only where the issue asks for one). */
  maxMs?: number;
}

const PARTIAL = ['Partial ', 'answer ', 'before the fault. '];
const partialText = PARTIAL.join('');
const MORE = ['never ', 'arrives ', 'here.'];

const FAULTS: Fault[] = [
  { name: '401 bad key', arrange: ({ wire, server }) => (server.enqueue(wire.error('auth')), ''), kind: 'auth', message: /rejected the API key \(401\)/, action: 'set-key' },
  { name: '403 forbidden', arrange: ({ wire, server }) => (server.enqueue(wire.error('permission')), ''), kind: 'permission', message: /refused access \(403\)/, action: 'pick-model' },
  { name: '404 model', arrange: ({ wire, server }) => (server.enqueue(wire.error('model')), ''), kind: 'model', message: /does not know the model ".+" \(404\)/, action: 'pick-model' },
  { name: '413 too large', arrange: ({ wire, server }) => (server.enqueue(wire.error('too-large')), ''), kind: 'context', message: /too long for/ },
  { name: '400 context too long', arrange: ({ wire, server }) => (server.enqueue(wire.error('context')), ''), kind: 'context', message: /too long for/ },
  {
    name: '429 retry-after 1',
    arrange: ({ wire, server }) => (server.enqueue(wire.error('rate', { 'retry-after': '1' }), wire.stream(['Worth ', 'the ', 'wait.'])), 'Worth the wait.'),
    kind: 'retried',
    message: /Rate limited by .+; retrying in 1 s/,
  },
  {
    name: '429 retry-after 120',
    arrange: ({ wire, server }) => (server.enqueue(wire.error('rate', { 'retry-after': '120' })), ''),
    kind: 'rate-limit',
    message: /rate limiting this key .*Try again in 2 min/,
    action: 'retry',
    maxMs: 10_000,
  },
  { name: '500 server error', arrange: ({ wire, server }) => (server.enqueue(wire.error('server'), wire.error('server')), ''), kind: 'server', message: /had a server error \(500\)/, action: 'retry' },
  { name: '503 unavailable', arrange: ({ wire, server }) => (server.enqueue(wire.error('unavailable'), wire.error('unavailable')), ''), kind: 'overloaded', message: /overloaded right now \(503\)/, action: 'retry' },
  {
    name: 'connection reset mid-stream',
    arrange: ({ wire, server }) => (server.enqueue(wire.stream([...PARTIAL, ...MORE], { delayMs: 15, dropAfter: wire.preamble + PARTIAL.length })), partialText),
    kind: 'cut-off',
    message: /cut off before the reply finished|cut off before it finished/,
    action: 'continue',
  },
  {
    name: 'malformed event',
    arrange: ({ wire, server }) => {
      const good = wire.stream([...PARTIAL, ...MORE]);
      if (good.kind !== 'sse') throw new Error('expected an SSE reply');
      const cut = wire.preamble + PARTIAL.length;
      server.enqueue({ ...good, frames: [...good.frames.slice(0, cut), wire.badFrame, ...good.frames.slice(cut)], delayMs: 10 });
      return partialText;
    },
    kind: 'bad-response',
    message: /sent a reply Parley could not read/,
    action: 'retry',
  },
  {
    name: 'stream stalls (timeout 1 s)',
    arrange: ({ wire, server, rig }) => {
      rig.settings.requestTimeoutSeconds = 1;
      server.enqueue(wire.stream([...PARTIAL, ...MORE], { stallAfter: wire.preamble + PARTIAL.length }));
      return partialText;
    },
    kind: 'timeout',
    message: /sent nothing for 1 s/,
    action: 'retry',
  },
  {
    name: 'DNS failure',
    arrange: ({ wire, rig }) => ((rig.urls[wire.provider] = wire.base('http://nonexistent.invalid')), ''),
    kind: 'network',
    message: /Could not reach nonexistent\.invalid: the host name does not resolve/,
    action: 'retry',
  },
  {
    name: 'connection refused',
    arrange: ({ wire, rig, refusedPort }) => ((rig.urls[wire.provider] = wire.base(`http://127.0.0.1:${refusedPort}`)), ''),
    kind: 'network',
    message: /the connection was refused/,
    action: 'retry',
  },
];

const table = new Map<string, Map<string, string>>();

describe('hardening: provider faults end to end (fault × provider)', function () {
  this.timeout(60_000);
  let refusedPort: number;

  before(async () => {
    refusedPort = await closedPort();
    // Load the SDKs once up front so the first fault's timing is not the SDK's load time.
    await Promise.all([import('openai'), import('groq-sdk'), import('@anthropic-ai/sdk'), import('@google/genai')]);
  });

  after(() => {
    const providers = WIRES.map((w) => w.provider);
    const width = Math.max(...FAULTS.map((f) => f.name.length)) + 2;
    const col = 13;
    const lines = [
      `Faults: ${FAULTS.length} faults × ${providers.length} providers = ${FAULTS.length * providers.length} cases`,
      `${'fault'.padEnd(width)}${providers.map((p) => p.padEnd(col)).join('')}`,
      ...FAULTS.map((f) => `${f.name.padEnd(width)}${providers.map((p) => (table.get(f.name)?.get(p) ?? '—').padEnd(col)).join('')}`),
    ];
    console.log(`\n${lines.map((l) => `    ${l}`).join('\n')}\n`);
  });

  for (const wire of WIRES) {
    describe(wire.provider, () => {
      const server = new FakeServer(wire.provider);
      let rig: Rig;
      let client: RecordingClient;

      before(async () => {
        await server.start();
        rig = makeRig();
        await rig.keys.set(wire.provider, `test-key-${wire.provider}-0123456789`);
        client = await rig.client();
        await rig.service.handle(client, { type: 'setConfig', chatId: client.chatId!, patch: { provider: wire.provider, model: wire.model } });
      });
      after(async () => {
        rig.dispose();
        await server.stop();
      });
      beforeEach(() => {
        server.reset();
        // A models list, so the panel's background refresh never eats a scripted reply.
        server.route(/models$/, () => ({ kind: 'json', body: { object: 'list', data: [], models: [] } }));
        rig.urls[wire.provider] = wire.base(server.url);
        rig.settings.requestTimeoutSeconds = 30;
        rig.settings.maxRetries = 1;
      });

      for (const fault of FAULTS) {
        it(`${fault.name} → ${fault.kind}`, async () => {
          const expectedText = fault.arrange({ wire, server, rig, refusedPort });
          const from = client.messages.length;
          const started = Date.now();
          const reply = await sendAndWait(rig, client, `trigger: ${fault.name}`);
          const elapsed = Date.now() - started;
          const events = client.messages.slice(from).flatMap((m) => (m.type === 'stream' ? [m.event] : []));
          const error = events.find((e): e is Extract<StreamEvent, { type: 'error' }> => e.type === 'error');
          const row = table.get(fault.name) ?? new Map<string, string>();
          table.set(fault.name, row);
          row.set(wire.provider, fault.kind === 'retried' ? (reply.status === 'done' ? 'retried→ok' : `${reply.error?.kind ?? reply.status}`) : (error?.kind ?? `none (${reply.status})`));

          if (fault.kind === 'retried') {
            assert.equal(error, undefined, `no error expected, got ${JSON.stringify(error)}`);
            assert.equal(reply.status, 'done');
            assert.equal(reply.text, expectedText);
            const status = events.find((e) => e.type === 'status');
            assert.match(status && status.type === 'status' ? status.text : '(no status event)', fault.message);
            assert.equal(server.requests.length, 2, 'one retry');
          } else {
            assert.ok(error, `an error event (events: ${JSON.stringify(events.map((e) => e.type))})`);
            assert.equal(error.kind, fault.kind, error.message);
            assert.match(error.message, fault.message);
            if (fault.action) assert.equal(error.action, fault.action);
            assert.equal(reply.status, 'error');
            assert.deepEqual(reply.error, { kind: error.kind, message: error.message, ...(error.action && { action: error.action }) });
            assert.equal(reply.text, expectedText, 'partial text kept');
            assert.deepEqual(events.at(-1), { type: 'finish', reason: 'error' });
            assert.doesNotMatch(error.message, /undefined|\[object Object\]/);
          }
          if (fault.maxMs) assert.ok(elapsed < fault.maxMs, `took ${elapsed} ms (limit ${fault.maxMs} ms)`);

          // The next send works.
          server.reset();
          rig.urls[wire.provider] = wire.base(server.url);
          rig.settings.requestTimeoutSeconds = 30;
          server.enqueue(wire.stream(['All ', 'good ', 'again.']));
          const next = await sendAndWait(rig, client, 'next');
          assert.equal(next.status, 'done', JSON.stringify(next.error));
          assert.equal(next.text, 'All good again.');
        });
      }
    });
  }
});
