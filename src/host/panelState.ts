import type { Chat, HostMessage, ProviderInfo, StreamEvent } from '../protocol';
import { providers } from '../providers/registry';
import { info } from './attachments';
import type { ChatStore } from './chatStore';
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

  async post(client: Client): Promise<void> {
    const chat = client.chatId ? this.store.get(client.chatId) : undefined;
    if (!chat) return;
    const settings = this.host.settings();
    if (!this.refresh.isListed(chat.config.provider)) void this.refresh.fetch(chat.config.provider, false);
    await this.models.loadCatalog();
    const gone = this.models.gone(chat.config.provider, chat.config.model);
    client.post({
      type: 'state',
      chat,
      chats: this.store.summaries(),
      providers: await this.providerInfos(),
      capabilities: this.models.capabilities(chat.config.provider, chat.config.model),
      ...(gone && { modelGone: gone }),
      activeRequest: this.activeRequest(chat.id),
      pendingAttachments: this.store.pendingFor(chat.id).map(info),
      prompts: promptList(settings.prompts),
      ...(this.toolbox && (settings.tools?.enabled ?? true) && { tools: this.toolbox.tools().map((t) => t.info) }),
      ui: { showControls: this.host.uiState?.get().showControls ?? settings.showConfigurationControls ?? false },
    });
  }

  /**
   * A reply started in `chat`: its panels get the messages after the first `keep` (which they have already) and the
   * request id; every other panel gets the chat list only. Never the whole chat.
   */
  replyStarted(chat: Chat, requestId: string, keep: number): void {
    const chats = this.store.summaries();
    for (const client of this.clients) {
      if (client.chatId !== chat.id) {
        void client.post({ type: 'chatList', chats });
        continue;
      }
      void client.post({
        type: 'replyStarted',
        chatId: chat.id,
        requestId,
        keep,
        append: chat.messages.slice(keep),
        title: chat.title,
        chats,
        pendingAttachments: this.store.pendingFor(chat.id).map(info),
      });
    }
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
