import { randomUUID } from 'node:crypto';
import {
  parseWebviewMessage,
  type Chat,
  type ChatConfig,
  type ChatConfigPatch,
  type ChatMessage,
  type HostMessage,
  type ProviderId,
  type ProviderInfo,
  type StreamEvent,
  type WebviewMessage,
} from '../protocol';
import { applyCapabilities } from '../providers/capabilities';
import { classifyError, ParleyError, redactKeys } from '../providers/errors';
import { providerById, providers } from '../providers/registry';
import type { AdapterOptions, ProviderAdapter, ProviderDefinition, Turn } from '../providers/types';
import type { HistoryStore } from './history';
import type { KeyStore } from './keys';

/** Settings the service reads each time it needs them (so changes apply at once). */
export interface ServiceSettings {
  defaultProvider: ProviderId;
  defaultModel: string;
  defaultConfig: Omit<ChatConfig, 'provider' | 'model'>;
  baseUrl(provider: ProviderId): string | undefined;
  requestTimeoutSeconds: number;
  maxRetries: number;
}

/** What the service needs from VS Code, injected so it can be tested with real parts and no `vscode`. */
export interface ServiceHost {
  settings(): ServiceSettings;
  log(line: string): void;
  runCommand(command: 'setApiKey', provider?: ProviderId): void;
  openExternal(url: string): void;
}

/** One connected webview (editor panel or sidebar view). */
export interface Client {
  post(message: HostMessage): void;
  chatId?: string;
}

interface ActiveRequest {
  requestId: string;
  controller: AbortController;
  stopped: boolean;
  /** Settles when the reply is finished, saved and its final state posted. */
  done?: Promise<void>;
}

const PERSIST_INTERVAL_MS = 1000;

export class ChatService {
  private readonly chats = new Map<string, Chat>();
  private readonly active = new Map<string, ActiveRequest>();
  private readonly clients = new Set<Client>();
  private readonly adapters = new Map<string, Promise<ProviderAdapter>>();
  private activeChatId: string | undefined;
  private loaded: Promise<void> | undefined;

  constructor(private readonly host: ServiceHost, private readonly keys: KeyStore, private readonly history: HistoryStore) {
    keys.onDidChange(() => {
      this.adapters.clear();
      void this.broadcastState();
    });
  }

  load(): Promise<void> {
    this.loaded ??= this.history.load().then(({ chats, activeChatId, warning }) => {
      for (const chat of chats) this.chats.set(chat.id, chat);
      this.activeChatId = activeChatId && this.chats.has(activeChatId) ? activeChatId : chats.at(-1)?.id;
      if (warning) this.host.log(warning);
    });
    return this.loaded;
  }

  connect(client: Client): () => void {
    this.clients.add(client);
    return () => {
      this.clients.delete(client);
    };
  }

  /** Entry point for everything a webview posts: validated here, never trusted. */
  async handle(client: Client, raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.host.log(`Ignored a malformed message from the webview: ${parsed.error}`);
      return;
    }
    try {
      await this.dispatch(client, parsed.value);
    } catch (err) {
      const text = err instanceof ParleyError ? err.message : `Parley could not do that: ${(err as Error)?.message ?? err}`;
      this.host.log(`Error handling "${parsed.value.type}": ${(err as Error)?.stack ?? err}`);
      client.post({ type: 'notice', level: 'error', text });
    }
  }

  private async dispatch(client: Client, msg: WebviewMessage): Promise<void> {
    await this.load();
    switch (msg.type) {
      case 'ready':
        client.chatId = (await this.ensureActiveChat()).id;
        return this.postState(client);
      case 'send':
        return this.send(this.chatOrThrow(msg.chatId), msg.text);
      case 'stop':
        return this.stop(msg.chatId);
      case 'setConfig':
        return this.setConfig(this.chatOrThrow(msg.chatId), msg.patch);
      case 'deleteMessage': {
        const chat = this.chatOrThrow(msg.chatId);
        this.assertIdle(chat);
        chat.messages = chat.messages.filter((m) => m.id !== msg.messageId);
        return this.changed(chat);
      }
      case 'clearChat': {
        const chat = this.chatOrThrow(msg.chatId);
        this.stop(chat.id);
        chat.messages = [];
        chat.title = 'New chat';
        return this.changed(chat);
      }
      case 'runCommand':
        return this.host.runCommand(msg.command, msg.provider);
      case 'openLink':
        if (!/^https?:\/\//i.test(msg.url)) throw new ParleyError('bad-request', 'Only http and https links can be opened.');
        return this.host.openExternal(msg.url);
    }
  }

  // ---- chats ----

  private chatOrThrow(chatId: string): Chat {
    const chat = this.chats.get(chatId);
    if (!chat) throw new ParleyError('bad-request', 'That chat no longer exists.');
    return chat;
  }

  private assertIdle(chat: Chat): void {
    if (this.active.has(chat.id)) throw new ParleyError('bad-request', 'Wait for the reply to finish, or stop it first.');
  }

  private async ensureActiveChat(): Promise<Chat> {
    const current = this.activeChatId && this.chats.get(this.activeChatId);
    if (current) return current;
    return this.newChat();
  }

  async newChat(): Promise<Chat> {
    const settings = this.host.settings();
    let provider = settings.defaultProvider;
    // A newcomer with no key lands on the demo model instead of an error.
    if ((providerById(provider)?.needsKey ?? true) && !(await this.keys.has(provider))) provider = 'demo';
    const definition = providerById(provider) ?? providers[0];
    const model = provider === settings.defaultProvider && settings.defaultModel ? settings.defaultModel : definition.builtinModels[0];
    const now = Date.now();
    const chat: Chat = { id: randomUUID(), title: 'New chat', messages: [], config: { ...settings.defaultConfig, provider: definition.id, model }, createdAt: now, updatedAt: now };
    this.chats.set(chat.id, chat);
    this.activeChatId = chat.id;
    await this.persist();
    return chat;
  }

  private async setConfig(chat: Chat, patch: ChatConfigPatch): Promise<void> {
    const next = { ...chat.config, ...patch };
    if (patch.provider && patch.provider !== chat.config.provider && patch.model === undefined) {
      next.model = providerById(patch.provider)?.builtinModels[0] ?? '';
    }
    chat.config = next;
    await this.changed(chat);
  }

  private async changed(chat: Chat): Promise<void> {
    chat.updatedAt = Date.now();
    await this.persist();
    await this.broadcastState(chat.id);
  }

  private persist(): Promise<void> {
    return this.history.save([...this.chats.values()], this.activeChatId).catch((err) => {
      this.host.log(`Could not save chat history: ${(err as Error).message}`);
    });
  }

  getChat(chatId: string): Chat | undefined {
    return this.chats.get(chatId);
  }

  // ---- state to webviews ----

  private async providerInfos(): Promise<ProviderInfo[]> {
    return Promise.all(
      providers.map(async (p) => ({ id: p.id, label: p.label, models: p.builtinModels, keySet: !p.needsKey || (await this.keys.has(p.id)), needsKey: p.needsKey })),
    );
  }

  private async postState(client: Client): Promise<void> {
    const chat = client.chatId ? this.chats.get(client.chatId) : undefined;
    if (!chat) return;
    const definition = providerById(chat.config.provider) ?? providers[0];
    client.post({
      type: 'state',
      chat,
      chats: [...this.chats.values()].map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, messageCount: c.messages.length })),
      providers: await this.providerInfos(),
      capabilities: definition.capabilities(chat.config.model),
      activeRequest: this.active.get(chat.id)?.requestId,
      pendingAttachments: [],
      prompts: [],
      ui: { showControls: true },
    });
  }

  private async broadcastState(chatId?: string): Promise<void> {
    await Promise.all([...this.clients].filter((c) => !chatId || c.chatId === chatId).map((c) => this.postState(c)));
  }

  private emit(chatId: string, requestId: string, seq: number, event: StreamEvent): void {
    for (const client of this.clients) {
      if (client.chatId === chatId) client.post({ type: 'stream', chatId, requestId, seq, event });
    }
  }

  // ---- sending and streaming ----

  private async send(chat: Chat, text: string): Promise<void> {
    this.assertIdle(chat);
    if (!text.trim()) throw new ParleyError('bad-request', 'Type a message first.');
    const now = Date.now();
    chat.messages.push({ id: randomUUID(), role: 'user', text, createdAt: now });
    if (chat.title === 'New chat') chat.title = titleFrom(text);
    await this.reply(chat);
  }

  private async reply(chat: Chat): Promise<void> {
    const turns = toTurns(chat.messages);
    const { provider, model } = chat.config;
    const reply: ChatMessage = { id: randomUUID(), role: 'assistant', text: '', provider, model, status: 'streaming', createdAt: Date.now() };
    chat.messages.push(reply);
    const request: ActiveRequest = { requestId: randomUUID(), controller: new AbortController(), stopped: false };
    this.active.set(chat.id, request);
    await this.changed(chat);
    request.done = this.runStream(chat, reply, request, turns);
  }

  private stop(chatId: string): void {
    const request = this.active.get(chatId);
    if (!request) return;
    request.stopped = true;
    request.controller.abort();
  }

  /** Resolves when no reply is streaming in `chatId` (tests and export use it). */
  async idle(chatId: string): Promise<void> {
    await this.active.get(chatId)?.done;
  }

  private async adapterFor(definition: ProviderDefinition, onRetryWait: (s: number) => void): Promise<ProviderAdapter> {
    const apiKey = await this.keys.get(definition.id);
    if (definition.needsKey && !apiKey) {
      throw new ParleyError('no-key', `Set a ${definition.label} API key to chat with ${definition.label}, or switch to the demo model.`, 'set-key');
    }
    const settings = this.host.settings();
    const options: AdapterOptions = {
      apiKey,
      baseUrl: settings.baseUrl(definition.id),
      timeoutMs: settings.requestTimeoutSeconds * 1000,
      maxRetries: settings.maxRetries,
      onRetryWait,
    };
    return definition.createAdapter(options);
  }

  private async runStream(chat: Chat, reply: ChatMessage, request: ActiveRequest, turns: Turn[]): Promise<void> {
    let seq = 0;
    const send = (event: StreamEvent) => this.emit(chat.id, request.requestId, seq++, event);
    const definition = providerById(chat.config.provider) ?? providers[0];
    const settings = this.host.settings();
    const idleMs = settings.requestTimeoutSeconds * 1000;
    let timedOut = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const armIdleTimer = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        timedOut = true;
        request.controller.abort();
      }, idleMs);
    };
    let lastPersist = Date.now();
    send({ type: 'start', messageId: reply.id, provider: reply.provider ?? definition.id, model: reply.model ?? '' });
    try {
      const adapter = await this.adapterFor(definition, (seconds) => {
        armIdleTimer();
        send({ type: 'status', text: `Rate limited by ${definition.label}; retrying in ${Math.ceil(seconds)} s…` });
      });
      const config = applyCapabilities(chat.config, definition.capabilities(chat.config.model));
      armIdleTimer();
      for await (const event of adapter.stream(turns, config, request.controller.signal)) {
        armIdleTimer();
        if (request.controller.signal.aborted) break;
        if (event.type === 'text-delta') reply.text += event.text;
        else if (event.type === 'reasoning-delta') reply.reasoning = (reply.reasoning ?? '') + event.text;
        else if (event.type === 'usage') reply.usage = { ...reply.usage, ...event.usage };
        else if (event.type === 'finish') {
          reply.status = 'done';
          send(event);
          continue;
        }
        send(event);
        if (Date.now() - lastPersist > PERSIST_INTERVAL_MS) {
          lastPersist = Date.now();
          void this.persist();
        }
      }
      if (timedOut) throw Object.assign(new Error('stalled'), { name: 'TimeoutError' });
      if (request.stopped) {
        reply.status = 'stopped';
        send({ type: 'finish', reason: 'stopped' });
      } else if (reply.status !== 'done') {
        throw Object.assign(new Error('The stream ended before the provider said it was finished.'), { name: 'StreamCutOff' });
      }
    } catch (err) {
      if (request.stopped && !timedOut) {
        reply.status = 'stopped';
        send({ type: 'finish', reason: 'stopped' });
      } else {
        const error = timedOut
          ? { kind: 'timeout' as const, message: `${definition.label} sent nothing for ${settings.requestTimeoutSeconds} s, so Parley stopped waiting. The partial reply is kept.`, action: 'retry' as const }
          : classifyError(err, { provider: definition.label, model: chat.config.model, host: hostOf(settings.baseUrl(definition.id) ?? definition.defaultBaseUrl), keys: await this.keys.all() });
        if ((err as Error)?.name === 'StreamCutOff' && !timedOut) Object.assign(error, { kind: 'cut-off', message: `The reply from ${definition.label} was cut off before it finished. The partial reply is kept.`, action: 'continue' });
        this.host.log(`${definition.label} request failed (${error.kind}): ${redactKeys(String((err as Error)?.message ?? err), await this.keys.all())}`);
        reply.status = 'error';
        reply.error = error;
        send({ type: 'error', ...error });
        send({ type: 'finish', reason: 'error' });
      }
    } finally {
      clearTimeout(idleTimer);
      this.active.delete(chat.id);
      chat.updatedAt = Date.now();
      await this.persist();
      await this.broadcastState(chat.id);
    }
  }
}

function hostOf(url: string | undefined): string {
  if (!url) return 'the provider';
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0];
  return line.length > 48 ? `${line.slice(0, 47)}…` : line;
}

/** The conversation as adapters see it: failed empty replies are left out, everything else kept in order. */
export function toTurns(messages: ChatMessage[]): Turn[] {
  return messages
    .filter((m) => m.role === 'user' || (m.text.length > 0 && m.status !== 'streaming'))
    .map((m) => ({ role: m.role, text: m.text }));
}
