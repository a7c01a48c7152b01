import * as vscode from 'vscode';
import type { HostMessage } from '../protocol';
import type { ChatService, Client } from './chatService';
import { chatTitleIn, panelTitle } from './panelTitle';
import type { RestoreTrace } from './restoreTrace';
import { staticChunks, webviewHtml } from './webviewHtml';

export const PANEL_VIEW_TYPE = 'parley.chat';

/**
 * Wires one webview (editor panel or sidebar view) to the chat service; `onTitle` hears the shown chat's title,
 * `trace` (a panel restored after a reload) is told when the page is set, says it is ready and gets its first state.
 */
export function attachWebview(webview: vscode.Webview, extensionUri: vscode.Uri, service: ChatService, onTitle?: (title: string) => void, trace?: RestoreTrace): vscode.Disposable {
  const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  webview.options = { enableScripts: true, localResourceRoots: [root] };
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
  webview.html = webviewHtml({ cspSource: webview.cspSource, script: asset('main.js'), styles: [asset('codicon.css'), asset('katex/katex.min.css'), asset('main.css')], preload: staticChunks(root.fsPath).map(asset) });
  trace?.mark('html');
  const client: Client = {
    post: (message) => {
      const title = onTitle && chatTitleIn(message);
      if (title !== undefined) onTitle!(title);
      const posted = webview.postMessage(message);
      if (message.type === 'state') trace?.mark('state');
      return posted;
    },
  };
  const disconnect = service.connect(client);
  const listener = webview.onDidReceiveMessage((raw) => {
    if ((raw as { type?: unknown })?.type === 'ready') trace?.mark('ready');
    return service.handle(client, raw);
  });
  return new vscode.Disposable(() => {
    disconnect();
    listener.dispose();
  });
}

/** The same panel UI in the activity bar's sidebar. */
export class ChatViewProvider implements vscode.WebviewViewProvider {
  static readonly viewType = 'parley.chatView';

  constructor(private readonly extensionUri: vscode.Uri, private readonly service: ChatService) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    const connection = attachWebview(view.webview, this.extensionUri, this.service, (title) => (view.description = title));
    view.onDidDispose(() => connection.dispose());
  }
}

/** The editor-area chat panel; one at a time, revealed when asked for again. Its tab is titled after the chat it shows. */
export class ChatPanel {
  private static current: ChatPanel | undefined;

  static show(extensionUri: vscode.Uri, service: ChatService): ChatPanel {
    if (ChatPanel.current) {
      ChatPanel.current.panel.reveal(undefined, false);
      return ChatPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, panelTitle(''), vscode.ViewColumn.Beside, {
      enableScripts: true,
      // A chat is left and come back to all the time (attach a file, look at the code): rebuilding the page each
      // time showed it blank for 2 to 6 s. Kept, it is back at once, with its scroll position and draft.
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    });
    return new ChatPanel(panel, extensionUri, service);
  }

  static restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, service: ChatService, trace?: RestoreTrace): void {
    trace?.mark('deserialize');
    // What the first state needs (the history, the model catalog) loads while the page does; failures are the
    // `ready` handler's to report.
    service.load().catch(() => undefined);
    service.models.loadCatalog().catch(() => undefined);
    ChatPanel.current?.panel.dispose();
    new ChatPanel(panel, extensionUri, service, trace);
  }

  /** Moves keyboard focus into the panel's input. */
  static focusInput(): boolean {
    if (!ChatPanel.current) return false;
    ChatPanel.current.panel.reveal(undefined, false);
    const focus: HostMessage = { type: 'focus' };
    void ChatPanel.current.panel.webview.postMessage(focus);
    return true;
  }

  private constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, service: ChatService, trace?: RestoreTrace) {
    ChatPanel.current = this;
    // Line-drawn icons in the colours of VS Code's own tab icons (an <img> cannot take the theme's currentColor).
    panel.iconPath = { light: vscode.Uri.joinPath(extensionUri, 'media', 'parley-light.svg'), dark: vscode.Uri.joinPath(extensionUri, 'media', 'parley-dark.svg') };
    const connection = attachWebview(panel.webview, extensionUri, service, (title) => {
      const next = panelTitle(title);
      if (panel.title !== next) panel.title = next;
    }, trace);
    panel.onDidDispose(() => {
      connection.dispose();
      if (ChatPanel.current === this) ChatPanel.current = undefined;
    });
  }
}
