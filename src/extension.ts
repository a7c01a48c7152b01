import * as vscode from 'vscode';
import type { ProviderId } from './protocol';
import { providers } from './providers/registry';
import { ChatService } from './host/chatService';
import { HistoryStore } from './host/history';
import { KeyStore } from './host/keys';
import { ChatPanel, PANEL_VIEW_TYPE } from './host/panel';
import { readSettings } from './host/settings';

export function activate(context: vscode.ExtensionContext) {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Parley', { log: true });
  const keys = new KeyStore(context.secrets);
  const service = new ChatService(
    {
      settings: readSettings,
      log: (line) => log.info(line),
      runCommand: (command, provider) => void vscode.commands.executeCommand(`parley.${command}`, provider),
      openExternal: (url) => void vscode.env.openExternal(vscode.Uri.parse(url, true)),
    },
    keys,
    new HistoryStore(context.globalStorageUri.fsPath),
  );

  context.subscriptions.push(
    log,
    context.secrets.onDidChange((e) => e.key.startsWith('parley.apiKey.') && keys.changed()),
    vscode.commands.registerCommand('parley.startChat', () => ChatPanel.show(context.extensionUri, service)),
    vscode.commands.registerCommand('parley.setApiKey', (provider?: ProviderId) => setApiKey(keys, provider)),
    vscode.commands.registerCommand('parley.clearApiKey', (provider?: ProviderId) => clearApiKey(keys, provider)),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => ChatPanel.restore(panel, context.extensionUri, service),
    }),
  );
  log.info(`Parley activated in ${(performance.now() - started).toFixed(1)} ms`);
  return { activationMs: performance.now() - started };
}

const keyed = () => providers.filter((p) => p.needsKey);

async function pickProvider(placeHolder: string, provider?: ProviderId): Promise<ProviderId | undefined> {
  if (provider && keyed().some((p) => p.id === provider)) return provider;
  const choice = await vscode.window.showQuickPick(
    keyed().map((p) => ({ label: p.label, id: p.id })),
    { placeHolder },
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
    validateInput: (value) => (value.trim().length < 8 ? 'That is too short to be an API key.' : undefined),
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

export function deactivate() {}
