import type { Chat } from '../protocol';
import { AttachmentIntake } from './attachmentIntake';
import type { Attachment } from './attachments';
import { ChatLifecycle } from './chatLifecycle';
import { ChatStore, type MessageListener } from './chatStore';
import type { HistoryStore } from './history';
import type { KeyStore } from './keys';
import { ModelDirectory } from './modelDirectory';
import { ModelRefresh } from './modelRefresh';
import { PanelState } from './panelState';
import { ReplyRunner } from './replyRunner';
import { Router } from './router';
import { ToolRunner } from './toolRunner';
import { combineToolboxes, editToolbox, workspaceToolbox } from '../tools/toolbox';
import type { Client, ServiceHost } from './serviceHost';

export type { MessageListener } from './chatStore';
export { BUILT_IN_PROMPTS } from './promptList';
export type { Client, ServiceHost } from './serviceHost';
export type { ServiceSettings } from './serviceSettings';

/**
 * The facade the extension, the API and the tests use: wires the parts (store, runner, panels, router, model
 * lists) and owns nothing itself.
 */
export class ChatService {
  readonly models: ModelDirectory;
  private readonly store: ChatStore;
  private readonly runner: ReplyRunner;
  private readonly panels: PanelState;
  private readonly lifecycle: ChatLifecycle;
  private readonly intake: AttachmentIntake;
  private readonly router: Router;
  private readonly tools: ToolRunner;

  constructor(host: ServiceHost, keys: KeyStore, history: HistoryStore) {
    this.models = new ModelDirectory(host.modelLists, host.modelCatalog);
    this.store = new ChatStore(history, (line) => host.log(line));
    // The parts below reach each other through these arrows, so that construction order does not matter.
    const refresh = new ModelRefresh(host, keys, this.models, () => this.panels.providersChanged());
    const toolbox = combineToolboxes(
      host.toolContext && workspaceToolbox(() => host.toolContext?.()),
      host.toolContext && host.edits && editToolbox(() => host.toolContext?.().view, host.edits),
      host.vscodeTools,
    );
    this.tools = new ToolRunner(() => host.settings());
    host.edits?.onDecision?.((callId, accept) => this.tools.decideFromEditor(callId, accept ? 'once' : 'deny'));
    this.panels = new PanelState(host, keys, this.store, this.models, refresh, (chatId) => this.runner.requestId(chatId), toolbox);
    this.runner = new ReplyRunner(
      {
        host,
        keys,
        models: this.models,
        toolbox,
        tools: this.tools,
        save: (chat) => this.store.save(chat),
        saveReply: (chat, reply) => this.store.saveReply(chat, reply),
        // The model is unknown or gone: the list the panel offers is stale too.
        modelGone: (provider) => void refresh.fetch(provider, true).then(() => this.panels.providersChanged(), () => undefined),
      },
      this.store,
      this.panels,
    );
    this.lifecycle = new ChatLifecycle(host, keys, this.store, this.models, refresh, this.runner, this.panels);
    this.intake = new AttachmentIntake(host, this.store);
    this.router = new Router({ host, keys, store: this.store, runner: this.runner, panels: this.panels, lifecycle: this.lifecycle, refresh, intake: this.intake, tools: this.tools });
    this.store.onChange((change) => this.panels.chatChanged(change));
    keys.onDidChange(() => void this.lifecycle.keysChanged());
  }

  load(): Promise<void> {
    return this.store.load();
  }

  connect(client: Client): () => void {
    return this.panels.connect(client);
  }

  /** Entry point for everything a webview posts: validated there, never trusted. */
  handle(client: Client, raw: unknown): Promise<void> {
    return this.router.handle(client, raw);
  }

  /** The chat a command from the palette acts on (the one shown last). */
  currentChat(): Promise<Chat> {
    return this.lifecycle.ensureActiveChat();
  }

  newChat(): Promise<Chat> {
    return this.lifecycle.newChat();
  }

  /** A chat opened (or created) in this session. */
  getChat(chatId: string): Chat | undefined {
    return this.store.get(chatId);
  }

  /** Every chat: reads the whole history from disk (the extension API's getChats). */
  allChats(): Promise<Chat[]> {
    return this.store.all();
  }

  /** Called with every finished message (user and assistant), like marimo's `on_message`. */
  onMessage(listener: MessageListener): () => void {
    return this.store.onMessage(listener);
  }

  /** Reads files (paths or file: URIs) into the chat's pending attachments; each refusal is reported. */
  attachFiles(chatId: string, paths: readonly string[]): Promise<void> {
    return this.intake.attachFiles(chatId, paths);
  }

  addAttachments(chatId: string, attachments: Attachment[]): Promise<void> {
    return this.store.addPending(chatId, attachments);
  }

  broadcastState(chatId?: string): Promise<void> {
    return this.panels.broadcast(chatId);
  }

  /** Resolves when no reply is streaming in `chatId`. */
  idle(chatId: string): Promise<void> {
    return this.runner.idle(chatId);
  }

  /** Stops every reply in flight (the extension is shutting down). */
  stopAll(): void {
    this.runner.stopAll();
  }

  /** Stops every reply and resolves once they, and everything else, are saved (VS Code waits for this on shutdown). */
  async shutdown(): Promise<void> {
    await this.runner.stopAndWait();
    await this.store.flush();
  }
}
