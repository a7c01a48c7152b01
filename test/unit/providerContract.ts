// The provider contract: what every adapter must do the same way, whatever its SDK and wire format — stream text,
// usage and finish; turn 401/404/429/5xx into errors a user can act on; let the SDK wait out a short retry-after
// and say when to come back after a long one; keep the text of a broken, cut or dropped stream; stop at once on
// abort; list models. `providerContract` registers these cases for one adapter from a small description of it;
// each provider's own test file keeps only what is specific to that provider.
import assert from 'node:assert/strict';
import { classifyError } from '../../src/providers/errors';
import type { AdapterOptions, ListedModel, ProviderDefinition } from '../../src/providers/types';
import { FakeServer, type FakeReply, type RecordedRequest } from '../fakes/server';
import type { WireFormat } from '../fakes/wireFormat';
import { collect, configFor, serveDuring } from './helpers';

export interface ContractSubject {
  definition: ProviderDefinition;
  /** A model the provider serves, used for every request. */
  model: string;
  wire: WireFormat;
  /** The base URL the adapter is given for a FakeServer at `serverUrl` (e.g. with `/v1` appended). */
  baseUrl(serverUrl: string): string;
  /** The path (and query) a chat request goes to. */
  chatPath: string;
  /** The API key a request carried, read from wherever this provider sends it. */
  keyOf(request: RecordedRequest): string | undefined;
  /** The models endpoint: its path, a reply, and what `listModels` must make of it. */
  models: { path: string; reply: FakeReply; expected: ListedModel[] };
  /** The host named in network errors. */
  host: string;
  /** How this provider's keys start, so an error echoing one must show it redacted (default `sk-proj-`). */
  keyPrefix?: string;
}

const TURNS = [
  { role: 'user' as const, text: 'Hi' },
  { role: 'assistant' as const, text: 'Hello!' },
  { role: 'user' as const, text: 'Count to three' },
];
const KEY = 'test-key-123456';

export function providerContract(subject: ContractSubject): void {
  const { definition, model, wire } = subject;
  describe(`${definition.label} adapter: the provider contract (${subject.chatPath})`, () => {
    const server = new FakeServer(definition.id);
    let baseUrl: string;
    serveDuring(server, (url) => (baseUrl = subject.baseUrl(url)));
    const context = { provider: definition.label, model, host: subject.host };
    const config = () => configFor(definition, model);
    const run = (options: Partial<AdapterOptions> = {}) => collect(definition, { baseUrl, ...options }, TURNS, config());
    const pathOf = (r: RecordedRequest) => r.url.pathname + r.url.search;

    it('streams text deltas in order, then usage, then finish, posting with the key', async () => {
      server.enqueue(wire.stream(['One', ', two', ', three.'], { usage: { input: 21, output: 6 } }));
      const result = await run();
      assert.equal(result.error, undefined);
      assert.deepEqual(result.events, [
        { type: 'text-delta', text: 'One' },
        { type: 'text-delta', text: ', two' },
        { type: 'text-delta', text: ', three.' },
        { type: 'usage', usage: { inputTokens: 21, outputTokens: 6 } },
        { type: 'finish', reason: 'stop' },
      ]);
      assert.equal(server.last.method, 'POST');
      assert.equal(pathOf(server.last), subject.chatPath);
      assert.equal(subject.keyOf(server.last), KEY);
    });

    it('a 401 becomes an invalid-key error asking for a key, quoting the provider with key-shaped text redacted', async () => {
      // Shaped like a real key of this provider, so the panel's message must not repeat it.
      const prefix = subject.keyPrefix ?? 'sk-proj-';
      server.enqueue(wire.error(401, `Incorrect API key provided: ${prefix}abcdefghijklmnop.`));
      const classified = classifyError((await run()).error, context);
      assert.equal(classified.kind, 'auth');
      assert.equal(classified.action, 'set-key');
      assert.match(classified.message, /rejected the API key \(401\)/);
      assert.ok(classified.message.endsWith(`Provider said: Incorrect API key provided: ${prefix}…(redacted).`), classified.message);
      assert.doesNotMatch(classified.message, /abcdefghijklmnop/);
    });

    it('a 404 for an unknown model says which model, with the provider\'s message rather than raw JSON', async () => {
      server.enqueue(wire.error(404, `The model \`${model}\` does not exist or you do not have access to it.`));
      const classified = classifyError((await run()).error, context);
      assert.equal(classified.kind, 'model');
      assert.equal(classified.action, 'pick-model');
      assert.ok(classified.message.includes(`"${model}"`), classified.message);
      assert.ok(classified.message.endsWith(`Provider said: The model \`${model}\` does not exist or you do not have access to it.`), classified.message);
    });

    it('a 429 with retry-after: 1 is retried by the SDK and then succeeds, reporting the wait', async () => {
      server.enqueue(wire.error(429, 'Rate limit reached', { 'retry-after': '1' }), wire.stream(['after the wait']));
      const waits: number[] = [];
      const result = await run({ maxRetries: 2, onRetryWait: (s) => waits.push(s) });
      assert.equal(result.error, undefined);
      assert.equal(result.text, 'after the wait');
      assert.equal(server.requests.length, 2);
      assert.deepEqual(waits, [1]);
      assert.deepEqual(server.requests[1].body, server.requests[0].body, 'the retry sends the same request');
    });

    it('a 429 with a long retry-after is not retried silently: the error says when to try again', async () => {
      for (const [seconds, when] of [['120', '2 min'], ['3600', '60 min']]) {
        server.reset();
        server.enqueue(wire.error(429, 'Rate limit reached', { 'retry-after': seconds }), wire.stream(['never']));
        const waits: number[] = [];
        const result = await run({ maxRetries: 2, onRetryWait: (s) => waits.push(s) });
        assert.equal(server.requests.length, 1);
        assert.deepEqual(waits, []);
        const classified = classifyError(result.error, context);
        assert.equal(classified.kind, 'rate-limit');
        assert.equal(classified.action, 'retry');
        assert.match(classified.message, new RegExp(`Try again in ${when}\\.`));
      }
    });

    it('a 500 is a server error offering a retry (not retried with retries off)', async () => {
      server.enqueue(wire.error(500, 'The server had an error while processing your request.'));
      const classified = classifyError((await run()).error, context);
      assert.equal(classified.kind, 'server');
      assert.equal(classified.action, 'retry');
      assert.match(classified.message, /server error \(500\)/);
      assert.equal(server.requests.length, 1);
    });

    it('a refused connection (nothing listening) is a network error', async () => {
      const closed = new FakeServer('closed');
      const closedUrl = await closed.start();
      await closed.stop();
      const result = await collect(definition, { baseUrl: subject.baseUrl(closedUrl) }, TURNS, config());
      const classified = classifyError(result.error, { ...context, host: new URL(closedUrl).host });
      assert.equal(classified.kind, 'network');
      assert.match(classified.message, /connection was refused/);
    });

    it('a malformed event keeps what arrived and becomes a bad-response error', async () => {
      const frames = wire.frames(['Good ', 'start', ' and more']);
      const cut = wire.lead + 2;
      server.enqueue({ kind: 'sse', frames: [...frames.slice(0, cut), wire.malformed, ...frames.slice(cut)] });
      const result = await run();
      assert.equal(result.text, 'Good start');
      assert.equal(classifyError(result.error, context).kind, 'bad-response');
    });

    it('a stream that ends before the provider says it is finished is a cut-off', async () => {
      server.enqueue({ kind: 'sse', frames: wire.frames(['Half', ' never sent']).slice(0, wire.lead + 1) });
      const result = await run();
      assert.equal(result.text, 'Half');
      assert.equal((result.error as Error)?.name, 'StreamCutOff');
    });

    it('a connection dropped mid-stream keeps the deltas that arrived and reports a cut-off', async () => {
      server.enqueue(wire.stream(['Partial ', 'answer ', 'never ', 'finished'], { dropAfter: wire.lead + 2 }));
      const result = await run({ maxRetries: 2 });
      assert.equal(result.text, 'Partial answer ');
      assert.ok(result.error, 'the drop must surface as an error');
      assert.ok(['cut-off', 'network'].includes(classifyError(result.error, context).kind));
      assert.equal(server.requests.length, 1, 'a stream that already produced text is not silently re-requested');
    });

    it('the request timeout bounds the wait for the response, not a long stream', async () => {
      // 3 frames 150 ms apart: 450 ms of streaming against a 300 ms timeout.
      server.enqueue(wire.stream(['slow ', 'but ', 'steady'], { delayMs: 150 }));
      const slow = await run({ timeoutMs: 300 });
      assert.equal(slow.error, undefined);
      assert.equal(slow.text, 'slow but steady');
      // A server that never answers.
      server.enqueue({ kind: 'raw', handler: () => undefined });
      const stalled = await run({ timeoutMs: 300 });
      assert.equal(classifyError(stalled.error, context).kind, 'timeout');
    });

    it('aborting stops the stream at once', async () => {
      server.enqueue(wire.stream(Array.from({ length: 200 }, (_, i) => `w${i} `), { delayMs: 5 }));
      const controller = new AbortController();
      const adapter = await definition.createAdapter({ apiKey: KEY, baseUrl, timeoutMs: 10_000, maxRetries: 0 });
      const seen: string[] = [];
      let error: unknown;
      try {
        for await (const event of adapter.stream(TURNS, config(), controller.signal)) {
          if (event.type === 'text-delta') seen.push(event.text);
          if (seen.length === 3) controller.abort();
        }
      } catch (err) {
        error = err;
      }
      assert.equal(seen.length, 3);
      assert.ok(error === undefined || /Abort/.test((error as Error).name), `an abort is not a failure (got ${(error as Error)?.name})`);
      assert.equal(server.requests.length, 1);
    });

    it(`lists models from ${subject.models.path} as the provider states them`, async () => {
      server.enqueue(subject.models.reply);
      const adapter = await definition.createAdapter({ apiKey: KEY, baseUrl, timeoutMs: 10_000, maxRetries: 0 });
      assert.deepEqual(await adapter.listModels!(), subject.models.expected);
      assert.equal(server.last.method, 'GET');
      assert.equal(server.last.path, subject.models.path);
      assert.equal(subject.keyOf(server.last), KEY);
    });
  });
}

/** The key of a provider that sends it as `Authorization: Bearer <key>`. */
export const bearerKey = (request: RecordedRequest) => request.headers.authorization?.replace(/^Bearer /, '');
