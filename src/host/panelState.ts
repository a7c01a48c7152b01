import type { Chat, HostMessage, ProviderInfo, StreamEvent } from '../protocol';
import { providers } from '../providers/registry';
import { info } from './attachments';
import type { ChatChange, ChatStore } from './chatStore';
import type { KeyStore } from './keys';
import type { ModelDirectory } from './modelDirectory';
import type { ModelRefresh } from './modelRefresh';
import { promptList } from './promptList';
import type { Client, ServiceHost } from './serviceHost';
import type { Toolbox } from '../tools/toolbox';

/** Owns the connected panels (and which chat each shows), and builds what each is sent. */
export class PanelState {
  private readonly clients = new Set<Client>();

  constructor(
    private readonly host: ServiceHost,
    private readonly keys: KeyStore,
    private readonly store: ChatStore,
    private readonly models: ModelDirectory,
    private readonly refresh: ModelRefresh,
    /** The request streaming in a chat, if any (owned by the reply runner). */
    private readonly activeRequest: (chatId: string) => string | undefined,
    private readonly toolbox?: Toolbox,
  ) {}

  connect(client: Client): () => void {
    this.clients.add(client);
    return () => {
      this.clients.delete(client);
    };
  }

  /** Panels showing `chatId` (or showing nothing yet) move to `fallbackId`. */
  reassign(chatId: string, fallbackId: string): void {
    for (const client of this.clients) if (client.chatId === chatId || !client.chatId) client.chatId = fallbackId;
  }

  /** Posts to every panel showing `chatId`. */
  postTo(chatId: string, message: HostMessage): void {
    for (const client of this.clients) if (client.chatId === chatId) void client.post(message);
  }

  /** Posts a stream event to the chat's panels; returns the pending deliveries. */
  emitStream(chatId: string, requestId: string, seq: number, event: StreamEvent): PromiseLike<unknown>[] {
    const pending: PromiseLike<unknown>[] = [];
    for (const client of this.clients) {
      if (client.chatId !== chatId) continue;
      const delivery = client.post({ type: 'stream', chatId, requestId, seq, event });
      if (delivery) pending.push(delivery);
    }
    return pending;
  }

  /** The whole state, for a panel that opens or switches chats: the one time the chat's messages and the list go. */
  async post(client: Client): Promise<void> {
    const chat = client.chatId ? this.store.get(client.chatId) : undefined;
    if (!chat) return;
    const settings = this.host.settings();
    const { capabilities, modelGone, activeRequest } = await this.small(chat);
    client.post({
      type: 'state',
      chat,
      chats: this.store.summaries(),
      providers: await this.providerInfos(),
      capabilities,
      ...(modelGone && { modelGone }),
      activeRequest,
      pendingAttachments: this.store.pendingFor(chat.id).map(info),
      prompts: promptList(settings.prompts),
      ...(this.toolbox && (settings.tools?.enabled ?? true) && { tools: this.toolbox.infos() }),
      ui: this.ui(),
    });
  }

  /** What every update about `chat` carries: small, whatever the size of the chat or the history. */
  private async small(chat: Chat) {
    if (!this.refresh.isListed(chat.config.provider)) void this.refresh.fetch(chat.config.provider, false);
    await this.models.loadCatalog();
    const { messages: _, ...meta } = chat;
    const modelGone = this.models.gone(chat.config.provider, chat.config.model);
    return {
      type: 'update' as const,
      chatId: chat.id,
      meta,
      capabilities: this.models.capabilities(chat.config.provider, chat.config.model),
      ...(modelGone && { modelGone }),
      activeRequest: this.activeRequest(chat.id),
    };
  }

  /**
   * A reply started in `chat`: its panels get the messages after the first `keep` (which they have already) and the
   * request id; every other panel gets the chat's list entry only. Never the whole chat, never the whole list.
   */
  replyStarted(chat: Chat, requestId: string, keep: number): void {
    const summary = this.store.summary(chat.id);
    if (!summary) return;
    for (const client of this.clients) {
      if (client.chatId !== chat.id) {
        void client.post({ type: 'chatListChange', upsert: summary });
        continue;
      }
      void client.post({
        type: 'replyStarted',
        chatId: chat.id,
        requestId,
        keep,
        append: chat.messages.slice(keep),
        title: chat.title,
        summary,
        pendingAttachments: this.store.pendingFor(chat.id).map(info),
      });
    }
  }

  /** A chat changed: its panels get what changed (see `ChatChange`), every panel gets its new list entry. */
  async chatChanged(change: ChatChange): Promise<void> {
    if (change.removed) {
      for (const client of this.clients) void client.post({ type: 'chatListChange', remove: change.chatId });
      return;
    }
    const chat = this.store.get(change.chatId);
    if (!chat) return;
    const summary = change.attachments ? undefined : this.store.summary(chat.id);
    const showing = [...this.clients].filter((c) => c.chatId === chat.id);
    const update = showing.length ? await this.small(chat) : undefined;
    for (const client of this.clients) {
      if (summary) void client.post({ type: 'chatListChange', upsert: summary });
      if (!update || client.chatId !== chat.id) continue;
      void client.post({
        ...update,
        ...(change.messagesFrom !== undefined && { messages: { keep: change.messagesFrom, append: chat.messages.slice(change.messagesFrom) } }),
        ...(change.attachments && { pendingAttachments: this.store.pendingFor(chat.id).map(info) }),
      });
    }
  }

  /** Keys or model lists changed: every panel gets the providers, with its chat's metadata and capabilities. */
  async providersChanged(): Promise<void> {
    const providers = await this.providerInfos();
    await this.updateEach({ providers });
  }

  /** The panel's UI state (controls shown or hidden) changed. */
  async uiChanged(): Promise<void> {
    await this.updateEach({ ui: this.ui() });
  }

  private ui(): { showControls: boolean } {
    return { showControls: this.host.uiState?.get().showControls ?? this.host.settings().showConfigurationControls ?? false };
  }

  private async updateEach(parts: Pick<Extract<HostMessage, { type: 'update' }>, 'providers' | 'ui'>): Promise<void> {
    await Promise.all([...this.clients].map(async (client) => {
      const chat = client.chatId ? this.store.get(client.chatId) : undefined;
      if (chat) void client.post({ ...(await this.small(chat)), ...parts });
    }));
  }

  /** `chatId` was deleted: its panels show `fallbackId` (the whole state of it), the others drop its list entry. */
  async chatRemoved(chatId: string, fallbackId: string): Promise<void> {
    const moved = [...this.clients].filter((c) => c.chatId === chatId || !c.chatId);
    this.reassign(chatId, fallbackId);
    const fallback = this.store.summary(fallbackId);
    await Promise.all([...this.clients].map((client) => {
      if (moved.includes(client)) return this.post(client);
      void client.post({ type: 'chatListChange', remove: chatId, ...(fallback && { upsert: fallback }) });
      return undefined;
    }));
  }

  /** Posts the state to the panels showing `chatId`, or to all of them. */
  async broadcast(chatId?: string): Promise<void> {
    await Promise.all([...this.clients].filter((c) => !chatId || c.chatId === chatId).map((c) => this.post(c)));
  }

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
}
