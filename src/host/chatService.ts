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
import { costOf } from '../providers/catalog';
import { classifyError, ParleyError, redactKeys } from '../providers/errors';
import { configuredSchema } from '../providers/jsonSchema';
import { providerById, providers } from '../providers/registry';
import type { AdapterOptions, ProviderAdapter, ProviderDefinition, Turn } from '../providers/types';
import { foldIntoText, info, pastedImage, readWorkspaceFile, type Attachment, type AttachmentPolicy } from './attachments';
import { chatToMarkdown } from './export';
import type { HistoryStore } from './history';
import type { KeyStore } from './keys';
import { ModelDirectory, type CatalogStore, type ModelListStore } from './modelDirectory';
import { fillBuiltins, type EditorContext } from './prompts';

/** Settings the service reads each time it needs them (so changes apply at once). */
export interface ServiceSettings {
  defaultProvider: ProviderId;
  defaultModel: string;
  defaultConfig: Omit<ChatConfig, 'provider' | 'model'>;
  baseUrl(provider: ProviderId): string | undefined;
  requestTimeoutSeconds: number;
  maxRetries: number;
  prompts?: string[];
  attachments?: Omit<AttachmentPolicy, 'roots'>;
  showConfigurationControls?: boolean;
  /** Where a newer models.dev catalog is fetched from (empty: only the packaged copy). */
  modelCatalogUrl?: string;
}

/** What the service needs from VS Code, injected so it runs with real parts and no `vscode` in unit tests. */
export interface ServiceHost {
  settings(): ServiceSettings;
  log(line: string): void;
  runCommand(command: 'setApiKey', provider?: ProviderId): void;
  openExternal(url: string): void;
  workspaceRoots?(): string[];
  editorContext?(): EditorContext | undefined;
  pickWorkspaceFiles?(): Promise<string[]>;
  openDocument?(content: string, language: string): Promise<void>;
  insertAtCursor?(text: string): Promise<boolean>;
  copyToClipboard?(text: string): Promise<void>;
  uiState?: { get(): { showControls?: boolean }; set(state: { showControls: boolean }): PromiseLike<void> };
  /** Where the providers' model lists are kept between sessions. */
  modelLists?: ModelListStore;
  /** Where the last fetched models.dev catalog is kept. */
  modelCatalog?: CatalogStore;
}

/** One connected webview (editor panel or sidebar view). */
export interface Client {
  /** May return a promise that settles once the message is on its way (VS Code's webview.postMessage does). */
  post(message: HostMessage): void | PromiseLike<unknown>;
  chatId?: string;
}

interface ActiveRequest {
  requestId: string;
  controller: AbortController;
  stopped: boolean;
  /** Settles when the reply is finished, saved and its final state posted. */
  done?: Promise<void>;
}

export const BUILT_IN_PROMPTS = [
  'Explain this code:\n\n{{selection}}',
  'Find bugs in this {{language}} file and suggest fixes:\n\n{{file}}',
  'Write unit tests for:\n\n{{selection}}',
  'Translate the following into {{target language}}:\n\n{{text}}',
];

const PERSIST_INTERVAL_MS = 1000;
/** How long a new chat waits for its provider's first model list before it takes the built-in default. */
const FIRST_LIST_WAIT_MS = 3000;
/** Longest that streamed text waits for an earlier stream message's delivery to settle before it is sent anyway. */
const MAX_HOLD_MS = 200;
const DEFAULT_ATTACHMENT_POLICY: Omit<AttachmentPolicy, 'roots'> = {
  allowedTypes: ['text/*', 'application/json', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'],
  maxBytes: 1024 * 1024,
};
const CONTINUE_PROMPT = 'Your previous reply was cut off. Continue exactly where it stopped, without repeating anything.';

export type MessageListener = (chat: Chat, message: ChatMessage) => void;

export class ChatService {
  private readonly chats = new Map<string, Chat>();
  private readonly active = new Map<string, ActiveRequest>();
  private readonly pending = new Map<string, Attachment[]>();
  private readonly clients = new Set<Client>();
  readonly models: ModelDirectory;
  /** Providers whose model list was asked for in this session (a panel opening asks once per provider). */
  private readonly listed = new Set<ProviderId>();
  /** A chat being created because none was active (shared by everyone who asked meanwhile). */
  private creating: Promise<Chat> | undefined;
  /** The catalog is fetched at most once per session (and only when the copy in use is a day old). */
  private catalogRefresh: Promise<void> | undefined;
  private readonly messageListeners = new Set<MessageListener>();
  private activeChatId: string | undefined;
  private loaded: Promise<void> | undefined;
  /** Said once, to the first panel that opens (e.g. the history file was corrupt and moved aside). */
  private startupWarning: string | undefined;

  constructor(private readonly host: ServiceHost, private readonly keys: KeyStore, private readonly history: HistoryStore) {
    this.models = new ModelDirectory(host.modelLists, host.modelCatalog);
    keys.onDidChange(() => void this.keysChanged());
  }

  load(): Promise<void> {
    this.loaded ??= this.history.load().then(({ chats, activeChatId, warning }) => {
      for (const chat of chats) this.chats.set(chat.id, chat);
      this.activeChatId = activeChatId && this.chats.has(activeChatId) ? activeChatId : chats.at(-1)?.id;
      if (warning) {
        this.host.log(warning);
        this.startupWarning = warning;
      }
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
      const known = err instanceof ParleyError;
      const text = known ? err.message : `Parley could not do that: ${(err as Error)?.message ?? err}`;
      this.host.log(`Refused "${parsed.value.type}": ${known ? err.message : ((err as Error)?.stack ?? err)}`);
      client.post({ type: 'notice', level: 'error', text });
    }
  }

  private async dispatch(client: Client, msg: WebviewMessage): Promise<void> {
    await this.load();
    switch (msg.type) {
      case 'ready': {
        this.catalogRefresh ??= this.refreshCatalog();
        client.chatId = (await this.ensureActiveChat()).id;
        await this.postState(client);
        if (this.startupWarning) client.post({ type: 'notice', level: 'warning', text: this.startupWarning });
        this.startupWarning = undefined;
        return;
      }
      case 'send':
        return this.send(this.chatOrThrow(msg.chatId), msg.text, msg.fillBuiltins ?? false);
      case 'stop':
        return this.stop(msg.chatId);
      case 'editResend':
        return this.editResend(this.chatOrThrow(msg.chatId), msg.messageId, msg.text);
      case 'regenerate':
        return this.regenerate(this.chatOrThrow(msg.chatId));
      case 'continue':
        return this.continueReply(this.chatOrThrow(msg.chatId));
      case 'deleteMessage': {
        const chat = this.chatOrThrow(msg.chatId);
        this.assertIdle(chat);
        chat.messages = chat.messages.filter((m) => m.id !== msg.messageId);
        return this.changed(chat);
      }
      case 'setConfig':
        return this.setConfig(this.chatOrThrow(msg.chatId), msg.patch);
      case 'newChat':
        client.chatId = (await this.newChat()).id;
        return this.postState(client);
      case 'switchChat':
        client.chatId = this.chatOrThrow(msg.chatId).id;
        this.activeChatId = client.chatId;
        await this.persist();
        return this.postState(client);
      case 'renameChat': {
        const chat = this.chatOrThrow(msg.chatId);
        chat.title = msg.title.trim() || chat.title;
        return this.changed(chat, true);
      }
      case 'deleteChat':
        return this.deleteChat(msg.chatId);
      case 'clearChat': {
        const chat = this.chatOrThrow(msg.chatId);
        this.stop(chat.id);
        await this.active.get(chat.id)?.done;
        chat.messages = [];
        chat.title = 'New chat';
        return this.changed(chat, true);
      }
      case 'exportChat': {
        const chat = this.chatOrThrow(msg.chatId);
        if (!this.host.openDocument) throw new ParleyError('bad-request', 'Export needs an editor.');
        return this.host.openDocument(chatToMarkdown(chat), 'markdown');
      }
      case 'pickAttachment': {
        const chat = this.chatOrThrow(msg.chatId);
        const paths = (await this.host.pickWorkspaceFiles?.()) ?? [];
        return this.attachFiles(chat.id, paths);
      }
      case 'attachUris':
        return this.attachFiles(this.chatOrThrow(msg.chatId).id, msg.uris);
      case 'attachImage': {
        const chat = this.chatOrThrow(msg.chatId);
        return this.addAttachments(chat.id, [pastedImage(msg.name, msg.mimeType, msg.base64, this.attachmentPolicy())]);
      }
      case 'removeAttachment': {
        const list = this.pending.get(msg.chatId) ?? [];
        this.pending.set(msg.chatId, list.filter((a) => a.id !== msg.attachmentId));
        return this.broadcastState(msg.chatId);
      }
      case 'setKey':
        await this.keys.set(msg.provider, msg.key);
        return this.broadcastState();
      case 'clearKey':
        await this.keys.clear(msg.provider);
        return this.broadcastState();
      case 'refreshModels':
        await this.fetchModels(msg.provider, true);
        return this.broadcastState();
      case 'codeAction':
        if (msg.action === 'copy') return this.host.copyToClipboard?.(msg.code);
        if (msg.action === 'newFile') return this.host.openDocument?.(msg.code, msg.language || 'plaintext');
        if (!(await this.host.insertAtCursor?.(msg.code))) throw new ParleyError('bad-request', 'Open a file in an editor to insert code at the cursor.');
        return;
      case 'copyText':
        return this.host.copyToClipboard?.(msg.text);
      case 'setUiState':
        await this.host.uiState?.set({ showControls: msg.showControls });
        return this.broadcastState();
      case 'runCommand':
        return this.host.runCommand(msg.command, msg.provider);
      case 'openLink':
        if (!/^https?:\/\//i.test(msg.url)) throw new ParleyError('bad-request', 'Only http and https links can be opened.');
        return this.host.openExternal(msg.url);
      case 'log':
        return this.host.log(`[webview] ${msg.text}`);
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

  /** Marks the chat busy before anything is awaited, so two requests arriving together cannot both start a reply. */
  private claim(chat: Chat): ActiveRequest {
    this.assertIdle(chat);
    const request: ActiveRequest = { requestId: randomUUID(), controller: new AbortController(), stopped: false };
    this.active.set(chat.id, request);
    return request;
  }

  private async ensureActiveChat(): Promise<Chat> {
    await this.load();
    const current = this.activeChatId && this.chats.get(this.activeChatId);
    if (current) return current;
    // The panel's `ready` and a palette command can both find no chat at once: they must get the same new one.
    this.creating ??= this.newChat().finally(() => (this.creating = undefined));
    return this.creating;
  }

  /** The chat a command from the palette acts on (the one shown last). */
  async currentChat(): Promise<Chat> {
    return this.ensureActiveChat();
  }

  async newChat(): Promise<Chat> {
    await this.load();
    const settings = this.host.settings();
    let provider = settings.defaultProvider;
    let fallbackFrom: ProviderId | undefined;
    // A newcomer with no key lands on the demo model instead of an error, and moves once the key is set.
    if ((providerById(provider)?.needsKey ?? true) && !(await this.keys.has(provider))) {
      fallbackFrom = providerById(provider) ? provider : undefined;
      provider = 'demo';
    }
    const definition = providerById(provider) ?? providers[0];
    const configured = provider === settings.defaultProvider ? settings.defaultModel : undefined;
    const model = this.models.defaultModel(definition.id, configured);
    const now = Date.now();
    const chat: Chat = {
      id: randomUUID(),
      title: 'New chat',
      messages: [],
      config: { ...settings.defaultConfig, provider: definition.id, model },
      ...(fallbackFrom && { fallbackFrom }),
      createdAt: now,
      updatedAt: now,
    };
    this.chats.set(chat.id, chat);
    this.activeChatId = chat.id;
    // A first chat waits briefly for the models endpoint, so that its model is one the provider serves today.
    if (!configured && !this.models.list(definition.id)) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.fetchModels(definition.id, false).catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, FIRST_LIST_WAIT_MS)))]);
      clearTimeout(timer);
      const untouched = !chat.messages.length && chat.config.provider === definition.id && chat.config.model === model;
      if (untouched) chat.config = { ...chat.config, model: this.models.defaultModel(definition.id) };
    }
    await this.persist();
    return chat;
  }

  private async deleteChat(chatId: string): Promise<void> {
    const chat = this.chatOrThrow(chatId);
    this.stop(chat.id);
    await this.active.get(chat.id)?.done;
    this.chats.delete(chat.id);
    this.pending.delete(chat.id);
    await this.history.deleteAttachments(chat.messages.flatMap((m) => (m.attachments ?? []).map((a) => a.id)));
    if (this.activeChatId === chat.id) this.activeChatId = [...this.chats.values()].sort((a, b) => b.updatedAt - a.updatedAt)[0]?.id;
    const fallback = await this.ensureActiveChat();
    for (const client of this.clients) if (client.chatId === chat.id || !client.chatId) client.chatId = fallback.id;
    await this.persist();
    await this.broadcastState();
  }

  private async setConfig(chat: Chat, patch: ChatConfigPatch): Promise<void> {
    const next = { ...chat.config, ...patch };
    if (patch.provider && patch.provider !== chat.config.provider && patch.model === undefined) {
      const settings = this.host.settings();
      next.model = this.models.defaultModel(patch.provider, patch.provider === settings.defaultProvider ? settings.defaultModel : undefined);
    }
    // The user chose a provider: the chat no longer waits to leave the demo model.
    if (patch.provider) delete chat.fallbackFrom;
    chat.config = next;
    await this.changed(chat);
  }

  private async changed(chat: Chat, listChanged = false): Promise<void> {
    chat.updatedAt = Date.now();
    await this.persist();
    await this.broadcastState(listChanged ? undefined : chat.id);
  }

  private persist(): Promise<void> {
    return this.history.save([...this.chats.values()], this.activeChatId).catch((err) => {
      this.host.log(`Could not save chat history: ${(err as Error).message}`);
    });
  }

  getChat(chatId: string): Chat | undefined {
    return this.chats.get(chatId);
  }

  async allChats(): Promise<Chat[]> {
    await this.load();
    return [...this.chats.values()];
  }

  /** Called with every finished message (user and assistant), like marimo's `on_message`. */
  onMessage(listener: MessageListener): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  private notifyMessage(chat: Chat, message: ChatMessage): void {
    for (const listener of this.messageListeners) {
      try {
        listener(structuredClone(chat), structuredClone(message));
      } catch (err) {
        this.host.log(`A Parley API listener failed: ${(err as Error).message}`);
      }
    }
  }

  private async refreshCatalog(): Promise<void> {
    const url = this.host.settings().modelCatalogUrl ?? '';
    try {
      if (await this.models.refreshCatalog(url)) await this.broadcastState();
    } catch (err) {
      this.host.log(`Could not fetch the model catalog (prices, limits) from ${url}; using the last copy: ${(err as Error).message}`);
    }
  }

  /**
   * A key was set or cleared: list that provider's models again, and move the chats that landed on the demo model
   * only for want of a key to their provider, now that it has one.
   */
  private async keysChanged(): Promise<void> {
    await this.load();
    const ready = new Set<ProviderId>();
    for (const p of providers) {
      if (!p.needsKey) continue;
      if (await this.keys.has(p.id)) ready.add(p.id);
      else this.listed.delete(p.id);
    }
    const fresh = [...ready].filter((id) => !this.listed.has(id));
    await Promise.all(fresh.map((provider) => this.fetchModels(provider, true).catch(() => undefined)));
    const waiting = [...this.chats.values()].filter((c) => c.fallbackFrom && c.config.provider === 'demo');
    const moved: Chat[] = [];
    for (const chat of waiting) {
      if (!ready.has(chat.fallbackFrom!) || this.active.has(chat.id)) continue;
      const provider = chat.fallbackFrom!;
      const settings = this.host.settings();
      chat.config = { ...chat.config, provider, model: this.models.defaultModel(provider, provider === settings.defaultProvider ? settings.defaultModel : undefined) };
      delete chat.fallbackFrom;
      chat.updatedAt = Date.now();
      moved.push(chat);
    }
    if (moved.length) await this.persist();
    await this.broadcastState();
    for (const client of this.clients) {
      const chat = moved.find((c) => c.id === client.chatId);
      if (chat) client.post({ type: 'notice', level: 'info', text: `This chat now uses ${providerById(chat.config.provider)?.label ?? chat.config.provider} (${chat.config.model}): its key is set. Until then it ran on the offline demo model.` });
    }
  }

  // ---- attachments ----

  private attachmentPolicy(): AttachmentPolicy {
    return { ...DEFAULT_ATTACHMENT_POLICY, ...this.host.settings().attachments, roots: this.host.workspaceRoots?.() ?? [] };
  }

  /** Reads files (paths or file: URIs) into the chat's pending attachments; each refusal is reported. */
  async attachFiles(chatId: string, paths: readonly string[]): Promise<void> {
    const policy = this.attachmentPolicy();
    const added: Attachment[] = [];
    const refused: string[] = [];
    for (const path of paths) {
      try {
        added.push(await readWorkspaceFile(path, policy));
      } catch (err) {
        refused.push(err instanceof ParleyError ? err.message : `Could not read ${path}: ${(err as Error).message}`);
      }
    }
    if (added.length) await this.addAttachments(chatId, added);
    // The caller reports (and logs) the refusal once: as a notice in the panel, or as an error message.
    if (refused.length) throw new ParleyError('attachment', refused.join(' '));
  }

  async addAttachments(chatId: string, attachments: Attachment[]): Promise<void> {
    const list = this.pending.get(chatId) ?? [];
    list.push(...attachments);
    this.pending.set(chatId, list);
    await this.broadcastState(chatId);
  }

  // ---- state to webviews ----

  private async providerInfos(): Promise<ProviderInfo[]> {
    const settings = this.host.settings();
    return Promise.all(
      providers.map(async (p) => {
        const stored = p.needsKey ? await this.keys.source(p.id) : undefined;
        const list = this.models.list(p.id);
        return {
          id: p.id,
          label: p.label,
          models: this.models.ids(p.id),
          ...(list?.models.length && { listedAt: list.fetchedAt }),
          keySet: !p.needsKey || stored !== undefined,
          needsKey: p.needsKey,
          ...(stored && { keySource: stored }),
          ...((settings.baseUrl(p.id) ?? p.defaultBaseUrl) && { baseUrl: settings.baseUrl(p.id) ?? p.defaultBaseUrl }),
        };
      }),
    );
  }

  private async postState(client: Client): Promise<void> {
    const chat = client.chatId ? this.chats.get(client.chatId) : undefined;
    if (!chat) return;
    const settings = this.host.settings();
    if (!this.listed.has(chat.config.provider)) void this.fetchModels(chat.config.provider, false);
    await this.models.loadCatalog();
    const gone = this.models.gone(chat.config.provider, chat.config.model);
    client.post({
      type: 'state',
      chat,
      chats: [...this.chats.values()]
        .sort((a, b) => b.updatedAt - a.updatedAt)
        .map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, messageCount: c.messages.length })),
      providers: await this.providerInfos(),
      capabilities: this.models.capabilities(chat.config.provider, chat.config.model),
      ...(gone && { modelGone: gone }),
      activeRequest: this.active.get(chat.id)?.requestId,
      pendingAttachments: (this.pending.get(chat.id) ?? []).map(info),
      prompts: [...(settings.prompts ?? []), ...BUILT_IN_PROMPTS],
      ui: { showControls: this.host.uiState?.get().showControls ?? settings.showConfigurationControls ?? false },
    });
  }

  async broadcastState(chatId?: string): Promise<void> {
    await Promise.all([...this.clients].filter((c) => !chatId || c.chatId === chatId).map((c) => this.postState(c)));
  }

  /**
   * Asks the provider's models endpoint what it serves now (once per session when a panel opens, again when a
   * key is set or the user refreshes). The answer is kept with its age; a failure keeps the last list.
   */
  private async fetchModels(provider: ProviderId, force: boolean): Promise<void> {
    if (!force && this.listed.has(provider)) return;
    const definition = providerById(provider);
    if (!definition || (definition.needsKey && !(await this.keys.has(provider)))) return;
    this.listed.add(provider);
    try {
      const adapter = await this.adapterFor(definition, () => undefined);
      if (!adapter.listModels) return;
      await this.models.setList(provider, await adapter.listModels(AbortSignal.timeout(15_000)));
      if (!force) await this.broadcastState();
    } catch (err) {
      const reason = classifyError(err, { provider: definition.label, model: '', host: definition.defaultBaseUrl ?? '', keys: await this.keys.all() });
      this.host.log(`Could not list ${definition.label} models: ${reason.message}`);
      if (force) throw new ParleyError(reason.kind, `Could not list ${definition.label} models: ${reason.message}`);
    }
  }

  /** Posts a stream event to the chat's webviews; returns the pending deliveries. */
  private emit(chatId: string, requestId: string, seq: number, event: StreamEvent): PromiseLike<unknown>[] {
    const pending: PromiseLike<unknown>[] = [];
    for (const client of this.clients) {
      if (client.chatId !== chatId) continue;
      const delivery = client.post({ type: 'stream', chatId, requestId, seq, event });
      if (delivery) pending.push(delivery);
    }
    return pending;
  }

  // ---- sending and streaming ----

  private async send(chat: Chat, typed: string, withBuiltins: boolean): Promise<void> {
    this.assertIdle(chat);
    const text = withBuiltins ? fillBuiltins(typed, this.host.editorContext?.()) : typed;
    const attachments = this.pending.get(chat.id) ?? [];
    if (!text.trim() && !attachments.length) throw new ParleyError('bad-request', 'Type a message first.');
    const definition = providerById(chat.config.provider) ?? providers[0];
    if (attachments.some((a) => a.kind === 'image') && !this.models.capabilities(definition.id, chat.config.model).vision) {
      throw new ParleyError('attachment', `${chat.config.model || definition.label} cannot see images. Remove the image or pick a vision model.`);
    }
    configuredSchema(chat.config, (problem) => new ParleyError('bad-request', problem));
    const request = this.claim(chat);
    try {
      await Promise.all(attachments.map((a) => this.history.saveAttachment(a)));
    } catch (err) {
      this.active.delete(chat.id);
      throw err;
    }
    this.pending.delete(chat.id);
    const message: ChatMessage = { id: randomUUID(), role: 'user', text, createdAt: Date.now(), ...(attachments.length && { attachments: attachments.map(info) }) };
    chat.messages.push(message);
    if (chat.title === 'New chat') chat.title = titleFrom(text || attachments[0].name);
    this.notifyMessage(chat, message);
    await this.reply(chat, undefined, request);
  }

  private async editResend(chat: Chat, messageId: string, text: string): Promise<void> {
    this.assertIdle(chat);
    const index = chat.messages.findIndex((m) => m.id === messageId && m.role === 'user');
    if (index < 0) throw new ParleyError('bad-request', 'That message is no longer in the chat.');
    if (!text.trim()) throw new ParleyError('bad-request', 'The edited message is empty.');
    const original = chat.messages[index];
    chat.messages = chat.messages.slice(0, index);
    chat.messages.push({ ...original, id: randomUUID(), text, createdAt: Date.now() });
    await this.reply(chat);
  }

  private async regenerate(chat: Chat): Promise<void> {
    this.assertIdle(chat);
    if (chat.messages.at(-1)?.role === 'assistant') chat.messages.pop();
    if (chat.messages.at(-1)?.role !== 'user') throw new ParleyError('bad-request', 'There is no message to answer.');
    await this.reply(chat);
  }

  private async continueReply(chat: Chat): Promise<void> {
    this.assertIdle(chat);
    const last = chat.messages.at(-1);
    if (last?.role !== 'assistant' || !last.text) throw new ParleyError('bad-request', 'There is no reply to continue.');
    await this.reply(chat, last);
  }

  /** `request` is claimed on the call itself (a default parameter is evaluated before the first await). */
  private async reply(chat: Chat, continuing?: ChatMessage, request: ActiveRequest = this.claim(chat)): Promise<void> {
    const { provider, model } = chat.config;
    let turns: Turn[];
    let reply: ChatMessage;
    try {
      configuredSchema(chat.config, (problem) => new ParleyError('bad-request', problem));
      if (continuing) {
        turns = [...(await this.toTurns(chat)), { role: 'user', text: CONTINUE_PROMPT }];
        reply = continuing;
        reply.status = 'streaming';
        delete reply.error;
        delete reply.note;
      } else {
        turns = await this.toTurns(chat);
        reply = { id: randomUUID(), role: 'assistant', text: '', provider, model, status: 'streaming', createdAt: Date.now() };
        chat.messages.push(reply);
      }
      await this.changed(chat, true);
    } catch (err) {
      if (this.active.get(chat.id) === request) this.active.delete(chat.id);
      throw err;
    }
    request.done = this.runStream(chat, reply, request, turns);
  }

  /** The conversation as adapters see it: attachments folded in, failed empty replies left out. */
  private async toTurns(chat: Chat): Promise<Turn[]> {
    const vision = this.models.capabilities(chat.config.provider, chat.config.model).vision;
    const turns: Turn[] = [];
    for (const m of chat.messages) {
      if (m.role === 'assistant' && (m.text.length === 0 || m.status === 'streaming')) continue;
      if (!m.attachments?.length) {
        turns.push({ role: m.role, text: m.text });
        continue;
      }
      const loaded = (await Promise.all(m.attachments.map((a) => this.history.loadAttachment(a.id)))).filter((a): a is Attachment => !!a);
      const missing = m.attachments.length - loaded.length;
      const images = loaded.filter((a) => a.kind === 'image' && a.base64);
      let text = foldIntoText(m.text, loaded);
      if (missing) text += `\n\n[${missing} attachment(s) could not be found any more]`;
      if (images.length && !vision) text += `\n\n[${images.length} image(s) left out: ${chat.config.model} cannot see images]`;
      turns.push({
        role: m.role,
        text,
        ...(vision && images.length && { images: images.map((a) => ({ mimeType: a.mimeType, base64: a.base64!, name: a.name })) }),
      });
    }
    return turns;
  }

  private stop(chatId: string): void {
    const request = this.active.get(chatId);
    if (!request) return;
    request.stopped = true;
    request.controller.abort();
  }

  /** Stops every reply in flight (the extension is shutting down). */
  stopAll(): void {
    for (const chatId of this.active.keys()) this.stop(chatId);
  }

  /** Stops every reply and resolves once they, and everything else, are saved (VS Code waits for this on shutdown). */
  async shutdown(): Promise<void> {
    const streaming = [...this.active.values()].map((request) => request.done);
    this.stopAll();
    await Promise.allSettled(streaming);
    await this.persist();
  }

  /** Resolves when no reply is streaming in `chatId`. */
  async idle(chatId: string): Promise<void> {
    await this.active.get(chatId)?.done;
  }

  private async adapterFor(definition: ProviderDefinition, onRetryWait: AdapterOptions['onRetryWait']): Promise<ProviderAdapter> {
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
    // Flow control: while a stream message is still on its way to the webview, the next deltas are merged into
    // one event. A fast provider (thousands of deltas/s) then sends as many messages as the channel takes; a
    // slow one still sends each delta the moment it arrives. Order is kept: anything else flushes them first.
    // A delivery that never settles holds merged text for MAX_HOLD_MS at most.
    let merged: Extract<StreamEvent, { type: 'text-delta' | 'reasoning-delta' }> | undefined;
    let inFlight = 0;
    let holdTimer: NodeJS.Timeout | undefined;
    const post = (event: StreamEvent) => {
      const deliveries = this.emit(chat.id, request.requestId, seq++, event);
      if (!deliveries.length) return;
      inFlight++;
      void Promise.allSettled(deliveries).then(() => {
        if (--inFlight === 0) flush();
      });
    };
    const flush = () => {
      clearTimeout(holdTimer);
      holdTimer = undefined;
      const event = merged;
      merged = undefined;
      if (event) post(event);
    };
    const send = (event: StreamEvent) => {
      if (event.type !== 'text-delta' && event.type !== 'reasoning-delta') {
        flush();
        post(event);
        return;
      }
      if (merged?.type === event.type) merged = { type: event.type, text: merged.text + event.text };
      else {
        flush();
        merged = { type: event.type, text: event.text };
      }
      if (inFlight === 0) flush();
      else holdTimer ??= setTimeout(flush, MAX_HOLD_MS);
    };
    const definition = providerById(chat.config.provider) ?? providers[0];
    const settings = this.host.settings();
    const idleMs = settings.requestTimeoutSeconds * 1000;
    let timedOut = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const armIdleTimer = (ms = idleMs) => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        timedOut = true;
        request.controller.abort();
      }, ms);
    };
    let lastPersist = Date.now();
    send({ type: 'start', messageId: reply.id, provider: reply.provider ?? definition.id, model: reply.model ?? '' });
    try {
      const adapter = await this.adapterFor(definition, (seconds, status) => {
        armIdleTimer(idleMs + seconds * 1000);
        const why = status === 429 ? `Rate limited by ${definition.label}` : `${definition.label} answered ${status}`;
        send({ type: 'status', text: `${why}; retrying in ${Math.ceil(seconds)} s…` });
      });
      await this.models.loadCatalog();
      const capabilities = this.models.capabilities(definition.id, chat.config.model);
      const config = applyCapabilities(chat.config, capabilities);
      const priceUsage = (usage: NonNullable<ChatMessage['usage']>) => {
        if (capabilities.price) reply.cost = costOf(usage, capabilities.price);
        else if (this.models.isBilled(definition.id)) reply.cost = null;
      };
      armIdleTimer();
      for await (const event of adapter.stream(turns, config, request.controller.signal)) {
        armIdleTimer();
        if (request.controller.signal.aborted) break;
        if (event.type === 'text-delta') reply.text += event.text;
        else if (event.type === 'reasoning-delta') reply.reasoning = (reply.reasoning ?? '') + event.text;
        else if (event.type === 'usage') {
          reply.usage = { ...reply.usage, ...event.usage };
          priceUsage(reply.usage);
        }
        else if (event.type === 'citation') {
          // What CitationSchema takes: an http(s) URL of at most 8192 characters, a title of at most 1000.
          const citation = { url: event.citation.url, ...(event.citation.title && { title: event.citation.title.slice(0, 1000) }) };
          if (!/^https?:\/\//i.test(citation.url) || citation.url.length > 8192 || reply.citations?.some((c) => c.url === citation.url)) continue;
          (reply.citations ??= []).push(citation);
          send({ type: 'citation', citation });
          continue;
        } else if (event.type === 'finish') {
          reply.status = event.reason === 'stop' || event.reason === 'length' || event.reason === 'content-filter' ? 'done' : reply.status;
          if (event.note) reply.note = event.note;
          // Saved before the panel shows it finished: the SDK may take a while to close the stream, and a reply
          // shown as done must survive a reload or crash in that time.
          lastPersist = Date.now();
          await this.persist();
          send(event);
          continue;
        }
        // No tools are offered to the model yet (the reply loop comes with the tools issue), so none are called.
        if (event.type === 'tool-call-start' || event.type === 'tool-call-delta' || event.type === 'tool-call-end') continue;
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
        const keys = await this.keys.all();
        let error = timedOut
          ? { kind: 'timeout' as const, message: `${definition.label} sent nothing for ${settings.requestTimeoutSeconds} s, so Parley stopped waiting. The partial reply is kept.`, action: 'retry' as const }
          : classifyError(err, { provider: definition.label, model: chat.config.model, host: hostOf(settings.baseUrl(definition.id) ?? definition.defaultBaseUrl), keys });
        if ((err as Error)?.name === 'StreamCutOff' && !timedOut) {
          error = { kind: 'cut-off', message: `The reply from ${definition.label} was cut off before it finished. The partial reply is kept.`, action: reply.text ? 'continue' : 'retry' };
        }
        this.host.log(`${definition.label} request failed (${error.kind}): ${redactKeys(String((err as Error)?.message ?? err), keys)}`);
        reply.status = 'error';
        reply.error = error;
        // The model is unknown or gone: the list the panel offers is stale too.
        if (error.kind === 'model') void this.fetchModels(definition.id, true).then(() => this.broadcastState(), () => undefined);
        send({ type: 'error', ...error });
        send({ type: 'finish', reason: 'error' });
      }
    } finally {
      clearTimeout(idleTimer);
      this.active.delete(chat.id);
      chat.updatedAt = Date.now();
      await this.persist();
      await this.broadcastState(chat.id);
      this.notifyMessage(chat, reply);
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
