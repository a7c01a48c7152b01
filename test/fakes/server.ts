// A local HTTP server on 127.0.0.1 that plays scripted provider replies and records every request, so tests
// can drive the real SDKs over real HTTP and then assert on the exact body each SDK sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: any;
  rawBody: string;
}

/** One scripted reply. */
export type FakeReply =
  | { kind: 'json'; status?: number; headers?: Record<string, string>; body: unknown }
  | {
      kind: 'sse';
      /** Complete frames, e.g. `data: {...}\n\n`, written in order. */
      frames: string[];
      status?: number;
      headers?: Record<string, string>;
      /** Pause before each frame. */
      delayMs?: number;
      /** Destroy the socket after this many frames (a dropped connection). */
      dropAfter?: number;
      /** Stop writing after this many frames but keep the connection open (a stall). */
      stallAfter?: number;
    }
  | { kind: 'raw'; handler: (req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest) => void };

export type Route = (request: RecordedRequest) => FakeReply | undefined;

export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  /** Requests answered by a standing route (e.g. a models list), kept apart from `requests`. */
  readonly routed: RecordedRequest[] = [];
  private readonly queue: FakeReply[] = [];
  private readonly routes: Array<{ path: RegExp; reply: () => FakeReply }> = [];
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  /** Used when the queue is empty; by default answers 500 so a missing script is loud. */
  fallback: Route = () => ({ kind: 'json', status: 500, body: { error: { message: 'FakeServer: no reply scripted for this request' } } });

  constructor(private readonly name = 'fake') {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Replies are used in order, one per request. */
  enqueue(...replies: FakeReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Answers every request whose path matches with `reply`, ahead of the queue, until reset. */
  route(path: RegExp, reply: () => FakeReply): this {
    this.routes.push({ path, reply });
    return this;
  }

  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.routed.length = 0;
    this.routes.length = 0;
  }

  get last(): RecordedRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error(`${this.name}: no request was received`);
    return last;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, url, headers: req.headers, body, rawBody };
    const route = this.routes.find((r) => r.path.test(url.pathname));
    if (route) {
      this.routed.push(recorded);
      await play(route.reply(), req, res, recorded);
      return;
    }
    this.requests.push(recorded);
    const reply = this.queue.shift() ?? this.fallback(recorded);
    if (!reply) {
      res.writeHead(404).end();
      return;
    }
    await play(reply, req, res, recorded);
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function play(reply: FakeReply, req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest): Promise<void> {
  if (reply.kind === 'raw') return reply.handler(req, res, recorded);
  if (reply.kind === 'json') {
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.body));
    return;
  }
  res.writeHead(reply.status ?? 200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...reply.headers,
  });
  res.flushHeaders();
  for (let i = 0; i < reply.frames.length; i++) {
    if (reply.dropAfter !== undefined && i === reply.dropAfter) {
      res.socket?.resetAndDestroy();
      return;
    }
    if (reply.stallAfter !== undefined && i === reply.stallAfter) {
      await new Promise<void>((resolve) => res.on('close', resolve));
      return;
    }
    if (reply.delayMs) await wait(reply.delayMs);
    if (res.destroyed) return;
    // Wait until each frame is handed to the socket, so a later drop or stall never swallows it.
    await new Promise<void>((resolve) => res.write(reply.frames[i], () => resolve()));
  }
  res.end();
}
