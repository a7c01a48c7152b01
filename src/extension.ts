import * as vscode from 'vscode';
import { exportChunk } from './chunks';
import type { Chat, ChatMessage, ProviderId } from './protocol';
import { registerExtensionModel, type ExtensionModelFunction } from './providers/extensionModels';
import { providers } from './providers/registry';
import { selectionAttachment, textAttachment } from './host/attachments';
import { ChatService } from './host/chatService';
import { HistoryStore } from './host/history';
import { KeyStore } from './host/keys';
import { migrateKeysFromSettings } from './host/keyMigration';
import { ChatPanel, ChatViewProvider, PANEL_VIEW_TYPE } from './host/panel';
import { RestoreTrace } from './host/restoreTrace';
import { readSettings } from './host/settings';
import { vscodeHost } from './host/vscodeHost';
import { registerChatModelProviders } from './lm/chatModelProvider';
import { keyFormatWarning } from './keyFormat';

/** What `activate` returns: other extensions get it from `vscode.extensions.getExtension('parley.parley').exports`. */
export interface ParleyApi {
  /** Registers a model (async function or async generator of text deltas) under provider "Other extensions". */
  registerModel(name: string, fn: ExtensionModelFunction): vscode.Disposable;
  /** Every chat, with its messages. */
  getChats(): Promise<Chat[]>;
  /** Fires with each finished message, user or assistant. */
  onDidAddMessage: vscode.Event<{ chat: Chat; message: ChatMessage }>;
  /** Time activate() took, in milliseconds (measured by the benchmark). */
  activationMs: number;
}

/** Set by `activate`, run by `deactivate`. */
let shutdown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): ParleyApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Parley', { log: true });
  const keys = new KeyStore(context.secrets);
  const host = vscodeHost(context, log);
  const service = new ChatService(host, keys, new HistoryStore(context.globalStorageUri.fsPath));
  shutdown = () => service.shutdown();
  const languageModels = registerChatModelProviders({
    keys,
    models: service.models,
    settings: () => ({ ...readSettings(), lmProviders: vscode.workspace.getConfiguration('parley').get<string[]>('languageModels.providers', []) }),
    log: (line) => log.info(line),
  });
  keys.onDidChange(() => languageModels.providers.forEach((p) => p.refresh()));
  const messageEmitter = new vscode.EventEmitter<{ chat: Chat; message: ChatMessage }>();
  service.onMessage((chat, message) => messageEmitter.fire({ chat, message }));

  const showPanel = () => ChatPanel.show(context.extensionUri, service);
  const attach = async (read: () => Promise<void>) => {
    showPanel();
    try {
      await read();
    } catch (err) {
      log.warn(`Attach refused: ${(err as Error).message}`);
      void vscode.window.showErrorMessage(`Parley: ${(err as Error).message}`);
    }
  };
  const maxBytes = () => readSettings().attachments?.maxBytes ?? 1024 * 1024;

  context.subscriptions.push(
    log,
    messageEmitter,
    ...languageModels.disposables,
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('parley.languageModels') && languageModels.providers.forEach((p) => p.refresh())),
    context.secrets.onDidChange((e) => e.key.startsWith('parley.apiKey.') && keys.changed()),
    vscode.commands.registerCommand('parley.startChat', showPanel),
    vscode.commands.registerCommand('parley.newChat', async () => {
      await service.newChat();
      showPanel();
      await service.broadcastState();
    }),
    vscode.commands.registerCommand('parley.focusInput', () => {
      if (!ChatPanel.focusInput()) showPanel();
    }),
    vscode.commands.registerCommand('parley.setApiKey', (provider?: ProviderId) => setApiKey(keys, provider)),
    vscode.commands.registerCommand('parley.clearApiKey', (provider?: ProviderId) => clearApiKey(keys, provider)),
    vscode.commands.registerCommand('parley.attachCurrentFile', (uri?: vscode.Uri) =>
      attach(async () => {
        const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
        if (!target) throw new Error('Open a file first: there is no current file to attach.');
        const chat = await service.currentChat();
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
        if (doc?.isDirty || target.scheme === 'untitled') {
          // Attach what the user sees, unsaved edits included.
          const name = vscode.workspace.asRelativePath(target);
          await service.addAttachments(chat.id, [textAttachment(name.split('/').pop() ?? name, name, doc!.getText(), maxBytes())]);
        } else await service.attachFiles(chat.id, [target.fsPath]);
      }),
    ),
    vscode.commands.registerCommand('parley.attachFile', (uri?: vscode.Uri, uris?: vscode.Uri[]) =>
      attach(async () => {
        const chat = await service.currentChat();
        const picked = uris?.length ? uris.map((u) => u.fsPath) : uri instanceof vscode.Uri ? [uri.fsPath] : await host.pickWorkspaceFiles!();
        await service.attachFiles(chat.id, picked);
      }),
    ),
    vscode.commands.registerCommand('parley.addSelection', () =>
      attach(async () => {
        const editor = vscode.window.activeTextEditor;
        if (!editor || editor.selection.isEmpty) throw new Error('Select some code first.');
        const chat = await service.currentChat();
        const file = vscode.workspace.asRelativePath(editor.document.uri);
        const { start, end } = editor.selection;
        await service.addAttachments(chat.id, [selectionAttachment(file, start, end, editor.document.getText(editor.selection), maxBytes())]);
      }),
    ),
    vscode.commands.registerCommand('parley.exportChat', async () => {
      const chat = await service.currentChat();
      await host.openDocument!((await exportChunk()).chatToMarkdown(chat), 'markdown');
    }),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => ChatPanel.restore(panel, context.extensionUri, service, new RestoreTrace(started, (line) => log.info(line))),
    }),
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewType, new ChatViewProvider(context.extensionUri, service), { webviewOptions: { retainContextWhenHidden: true } }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('parley')) {
        void migrateKeysFromSettings(keys, (l) => log.info(l));
        void service.broadcastState();
      }
    }),
  );
  // Off the activation path: nothing here is needed to show the panel.
  setTimeout(() => void migrateKeysFromSettings(keys, (l) => log.info(l)).catch((err) => log.error(`Key migration failed: ${err}`)), 0);

  const activationMs = performance.now() - started;
  log.info(`Parley activated in ${activationMs.toFixed(1)} ms`);
  return {
    registerModel: (name, fn) => {
      const registration = registerExtensionModel(name, fn);
      void service.broadcastState();
      return new vscode.Disposable(() => {
        registration.dispose();
        void service.broadcastState();
      });
    },
    getChats: () => service.allChats().then((chats) => structuredClone(chats)),
    onDidAddMessage: messageEmitter.event,
    activationMs,
  };
}

const keyed = () => providers.filter((p) => p.needsKey);

async function pickProvider(placeHolder: string, asked?: unknown): Promise<ProviderId | undefined> {
  // A provider id, or a language-model vendor ("parley-groq") when VS Code runs this as the management command.
  const provider = typeof asked === 'string' ? asked.replace(/^parley-/, '') : undefined;
  const known = keyed().find((p) => p.id === provider);
  if (known) return known.id;
  const choice = await vscode.window.showQuickPick(
    keyed().map((p) => ({ label: p.label, id: p.id })),
    // Kept open when focus moves away (to copy a key from a browser, or when the panel takes focus back as the
    // palette closes), like the key box that follows it.
    { placeHolder, ignoreFocusOut: true },
  );
  return choice?.id;
}

async function setApiKey(keys: KeyStore, provider?: ProviderId): Promise<void> {
  const id = await pickProvider('Which provider is this key for?', provider);
  if (!id) return;
  const label = providers.find((p) => p.id === id)?.label ?? id;
  const key = await vscode.window.showInputBox({
    title: `${label} API key`,
    prompt: `Paste your ${label} API key. Parley keeps it in VS Code's secret storage only.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (value.trim().length < 8) return 'That is too short to be an API key.';
      // A warning only: Enter still saves (formats change).
      const warning = keyFormatWarning(id, value);
      return warning ? { message: warning, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
    },
  });
  if (!key) return;
  await keys.set(id, key);
  void vscode.window.showInformationMessage(`Parley: ${label} API key saved in secret storage.`);
}

async function clearApiKey(keys: KeyStore, provider?: ProviderId): Promise<void> {
  const id = await pickProvider('Clear the API key of which provider?', provider);
  if (!id) return;
  await keys.clear(id);
  void vscode.window.showInformationMessage(`Parley: ${providers.find((p) => p.id === id)?.label ?? id} API key removed.`);
}

/** On reload or exit: replies in flight end as stopped, and the history is on disk before the host goes. */
export function deactivate(): Promise<void> | undefined {
  return shutdown?.();
}
