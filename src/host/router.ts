import { hasBaseUrlSetting, parseWebviewMessage, type WebviewMessage } from '../protocol';
import { ParleyError } from '../providers/errors';
import type { AttachmentIntake } from './attachmentIntake';
import { pastedImage } from './attachments';
import type { ChatLifecycle } from './chatLifecycle';
import type { ChatStore } from './chatStore';
import { exportChunk } from '../chunks';
import type { KeyStore } from './keys';
import type { ModelRefresh } from './modelRefresh';
import type { PanelState } from './panelState';
import type { ReplyRunner } from './replyRunner';
import type { Client, ServiceHost } from './serviceHost';
import type { ToolRunner } from './toolRunner';

export interface RouterParts {
  host: ServiceHost;
  keys: KeyStore;
  store: ChatStore;
  runner: ReplyRunner;
  panels: PanelState;
  lifecycle: ChatLifecycle;
  refresh: ModelRefresh;
  intake: AttachmentIntake;
  tools: ToolRunner;
}

/** Validates everything a webview posts and dispatches it to the part that owns it (holds no state). */
export class Router {
  constructor(private readonly parts: RouterParts) {}

  async handle(client: Client, raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.parts.host.log(`Ignored a malformed message from the webview: ${parsed.error}`);
      return;
    }
    try {
      await this.dispatch(client, parsed.value);
    } catch (err) {
      const known = err instanceof ParleyError;
      const text = known ? err.message : `Parley could not do that: ${(err as Error)?.message ?? err}`;
      this.parts.host.log(`Refused "${parsed.value.type}": ${known ? err.message : ((err as Error)?.stack ?? err)}`);
      client.post({ type: 'notice', level: 'error', text });
    }
  }

  private async dispatch(client: Client, msg: WebviewMessage): Promise<void> {
    const { host, keys, store, runner, panels, lifecycle, refresh, intake } = this.parts;
    await store.load();
    switch (msg.type) {
      case 'ready': {
        refresh.refreshCatalogOnce();
        client.chatId = (await lifecycle.ensureActiveChat()).id;
        await panels.post(client);
        const warning = store.takeStartupWarning();
        if (warning) client.post({ type: 'notice', level: 'warning', text: warning });
        return;
      }
      case 'send':
        return runner.send(await store.getOrThrow(msg.chatId), msg.text, msg.fillBuiltins ?? false);
      case 'stop':
        return runner.stop(msg.chatId);
      case 'editResend':
        return runner.editResend(await store.getOrThrow(msg.chatId), msg.messageId, msg.text);
      case 'regenerate':
        return runner.regenerate(await store.getOrThrow(msg.chatId));
      case 'continue':
        return runner.continueReply(await store.getOrThrow(msg.chatId));
      case 'deleteMessage': {
        const chat = await store.getOrThrow(msg.chatId);
        runner.assertIdle(chat);
        const at = chat.messages.findIndex((m) => m.id === msg.messageId);
        if (at < 0) return;
        chat.messages.splice(at, 1);
        return store.changed(chat, at);
      }
      case 'approveTool':
        return this.parts.tools.decide(msg.chatId, msg.callId, msg.decision);
      case 'reviewTool':
        return this.parts.tools.review(msg.chatId, msg.callId);
      case 'setConfig':
        return lifecycle.setConfig(await store.getOrThrow(msg.chatId), msg.patch);
      case 'newChat':
        client.chatId = (await lifecycle.newChat()).id;
        return panels.post(client);
      case 'switchChat':
        client.chatId = (await store.getOrThrow(msg.chatId)).id;
        await store.setActive(client.chatId);
        return panels.post(client);
      case 'renameChat': {
        const chat = await store.getOrThrow(msg.chatId);
        chat.title = msg.title.trim() || chat.title;
        return store.changed(chat);
      }
      case 'deleteChat':
        return lifecycle.deleteChat(msg.chatId);
      case 'clearChat': {
        const chat = await store.getOrThrow(msg.chatId);
        runner.stop(chat.id);
        await runner.idle(chat.id);
        chat.messages = [];
        chat.title = 'New chat';
        return store.changed(chat, 0);
      }
      case 'exportChat': {
        const chat = await store.getOrThrow(msg.chatId);
        if (!host.openDocument) throw new ParleyError('bad-request', 'Export needs an editor.');
        return host.openDocument((await exportChunk()).chatToMarkdown(chat), 'markdown');
      }
      case 'pickAttachment': {
        const chat = await store.getOrThrow(msg.chatId);
        const paths = (await host.pickWorkspaceFiles?.()) ?? [];
        return intake.attachFiles(chat.id, paths);
      }
      case 'attachUris':
        return intake.attachFiles((await store.getOrThrow(msg.chatId)).id, msg.uris);
      case 'attachImage': {
        const chat = await store.getOrThrow(msg.chatId);
        return store.addPending(chat.id, [pastedImage(msg.name, msg.mimeType, msg.base64, intake.policy())]);
      }
      case 'removeAttachment':
        return store.removePending(msg.chatId, msg.attachmentId);
      case 'setKey':
        await keys.set(msg.provider, msg.key);
        return panels.providersChanged();
      case 'clearKey':
        await keys.clear(msg.provider);
        return panels.providersChanged();
      case 'refreshModels':
        await refresh.fetch(msg.provider, true);
        return panels.providersChanged();
      case 'codeAction':
        if (msg.action === 'copy') return host.copyToClipboard?.(msg.code);
        if (msg.action === 'newFile') return host.openDocument?.(msg.code, msg.language || 'plaintext');
        if (msg.action === 'apply') {
          if (!host.applyCode) throw new ParleyError('bad-request', 'Applying code needs VS Code.');
          return host.applyCode(msg.code, msg.path);
        }
        if (!(await host.insertAtCursor?.(msg.code))) throw new ParleyError('bad-request', 'Open a file in an editor to insert code at the cursor.');
        return;
      case 'copyText':
        return host.copyToClipboard?.(msg.text);
      case 'setUiState':
        await host.uiState?.set({ showControls: msg.showControls });
        return panels.uiChanged();
      case 'runCommand':
        if (msg.command === 'openBaseUrlSetting' && !(msg.provider && hasBaseUrlSetting(msg.provider))) {
          throw new ParleyError('bad-request', msg.provider ? `${msg.provider} has no base URL setting.` : 'Which provider’s base URL? None was named.');
        }
        return host.runCommand(msg.command, msg.provider);
      case 'openLink':
        if (!/^https?:\/\//i.test(msg.url)) throw new ParleyError('bad-request', 'Only http and https links can be opened.');
        return host.openExternal(msg.url);
      case 'log':
        return host.log(`[webview] ${msg.text}`);
    }
  }
}
