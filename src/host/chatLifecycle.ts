import { randomUUID } from 'node:crypto';
import type { Chat, ChatConfigPatch, ProviderId } from '../protocol';
import { providerById, providers } from '../providers/registry';
import type { ChatStore } from './chatStore';
import type { KeyStore } from './keys';
import type { ModelDirectory } from './modelDirectory';
import type { ModelRefresh } from './modelRefresh';
import type { PanelState } from './panelState';
import type { ReplyRunner } from './replyRunner';
import type { ServiceHost } from './serviceHost';

/** How long a new chat waits for its provider's first model list before it takes the built-in default. */
const FIRST_LIST_WAIT_MS = 3000;

/**
 * Creating, deleting and re-configuring chats, which touches the store, the runner and the panels at once.
 * Owns only the chat being created because none was active (shared by everyone who asked meanwhile).
 */
export class ChatLifecycle {
  private creating: Promise<Chat> | undefined;

  constructor(
    private readonly host: ServiceHost,
    private readonly keys: KeyStore,
    private readonly store: ChatStore,
    private readonly models: ModelDirectory,
    private readonly refresh: ModelRefresh,
    private readonly runner: ReplyRunner,
    private readonly panels: PanelState,
  ) {}

  async ensureActiveChat(): Promise<Chat> {
    const current = await this.store.activeChat();
    if (current) return current;
    // The panel's `ready` and a palette command can both find no chat at once: they must get the same new one.
    this.creating ??= this.newChat().finally(() => (this.creating = undefined));
    return this.creating;
  }

  async newChat(): Promise<Chat> {
    await this.store.load();
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
    this.store.add(chat);
    // A first chat waits briefly for the models endpoint, so that its model is one the provider serves today.
    if (!configured && !this.models.list(definition.id)) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.refresh.fetch(definition.id, false).catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, FIRST_LIST_WAIT_MS)))]);
      clearTimeout(timer);
      const untouched = !chat.messages.length && chat.config.provider === definition.id && chat.config.model === model;
      if (untouched) chat.config = { ...chat.config, model: this.models.defaultModel(definition.id) };
    }
    await this.store.save(chat);
    return chat;
  }

  async deleteChat(chatId: string): Promise<void> {
    const chat = await this.store.getOrThrow(chatId);
    this.runner.stop(chat.id);
    await this.runner.idle(chat.id);
    await this.store.remove(chat);
    const fallback = await this.ensureActiveChat();
    await this.panels.chatRemoved(chat.id, fallback.id);
  }

  async setConfig(chat: Chat, patch: ChatConfigPatch): Promise<void> {
    const next = { ...chat.config, ...patch };
    if (patch.provider && patch.provider !== chat.config.provider && patch.model === undefined) {
      const settings = this.host.settings();
      next.model = this.models.defaultModel(patch.provider, patch.provider === settings.defaultProvider ? settings.defaultModel : undefined);
    }
    // The user chose a provider: the chat no longer waits to leave the demo model.
    if (patch.provider) delete chat.fallbackFrom;
    chat.config = next;
    await this.store.changed(chat);
  }

  /**
   * A key was set or cleared: list that provider's models again, and move the chats that landed on the demo model
   * only for want of a key to their provider, now that it has one.
   */
  async keysChanged(): Promise<void> {
    await this.store.load();
    const ready = new Set<ProviderId>();
    for (const p of providers) {
      if (!p.needsKey) continue;
      if (await this.keys.has(p.id)) ready.add(p.id);
      else this.refresh.forget(p.id);
    }
    const fresh = [...ready].filter((id) => !this.refresh.isListed(id));
    await Promise.all(fresh.map((provider) => this.refresh.fetch(provider, true).catch(() => undefined)));
    const waiting = await this.store.waitingForKeys();
    const moved: Chat[] = [];
    for (const chat of waiting) {
      if (!ready.has(chat.fallbackFrom!) || this.runner.isActive(chat.id)) continue;
      const provider = chat.fallbackFrom!;
      const settings = this.host.settings();
      chat.config = { ...chat.config, provider, model: this.models.defaultModel(provider, provider === settings.defaultProvider ? settings.defaultModel : undefined) };
      delete chat.fallbackFrom;
      chat.updatedAt = Date.now();
      moved.push(chat);
    }
    await Promise.all(moved.map((chat) => this.store.save(chat)));
    await this.panels.providersChanged();
    for (const chat of moved) {
      this.panels.postTo(chat.id, { type: 'notice', level: 'info', text: `This chat now uses ${providerById(chat.config.provider)?.label ?? chat.config.provider} (${chat.config.model}): its key is set. Until then it ran on the offline demo model.` });
    }
  }
}
