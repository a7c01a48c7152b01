// What a click in the panel does, for everything marked with data-action (banners, errors, tool cards),
// data-msg-action (a message's buttons), data-code-action (a code block's bar), and links (opened by the host).
import type { ProviderId } from '../src/protocol';
import { flash } from './feedback';
import type { ControlsArea } from './controls';
import type { KeysArea } from './keysArea';
import type { MessageList } from './messageLog';
import { state, streaming } from './store';
import { approvalOf, disableApprovalButtons } from './toolCard';
import { post } from './vscode';

export interface ClickContext {
  messages: MessageList;
  controls: ControlsArea;
  keys: KeysArea;
  modelInput: HTMLInputElement;
  refreshModels: HTMLButtonElement;
  prompt: HTMLTextAreaElement;
  editMessage(messageId: string): void;
  setChatListOpen(open: boolean): void;
  setKeysOpen(open: boolean): void;
  /** A reply is coming: follow the conversation to its end. */
  followReply(): void;
}

/** One listener on the document handles every click on an action. */
export function listenForClicks(ctx: ClickContext): void {
  document.addEventListener('click', (e) => {
    const target = (e.target as Element).closest<HTMLElement>('[data-action], [data-msg-action], [data-code-action], a[href]');
    if (!target) return;
    const chat = state.chat;
    if (target instanceof HTMLAnchorElement) {
      e.preventDefault();
      const href = target.getAttribute('href') ?? '';
      if (/^https?:\/\//i.test(href)) post({ type: 'openLink', url: href });
      return;
    }
    const codeAction = target.dataset.codeAction;
    if (codeAction === 'copy' || codeAction === 'insert' || codeAction === 'newFile' || codeAction === 'apply') {
      // A diagram's bar has its own Copy: it copies the source of the diagram's code block.
      const block = target.closest<HTMLElement>('.code-block') ?? target.closest('.diagram')?.querySelector<HTMLElement>('.code-block');
      const code = block?.querySelector('pre code')?.textContent ?? '';
      const language = block?.dataset.lang === 'text' ? '' : (block?.dataset.lang ?? '');
      post({ type: 'codeAction', action: codeAction, code, language, ...(codeAction === 'apply' && block?.dataset.path && { path: block.dataset.path }) });
      if (codeAction === 'copy') flash(target);
      return;
    }
    const msgAction = target.dataset.msgAction;
    if (msgAction && chat) {
      const messageId = target.closest<HTMLElement>('article.message')?.dataset.id;
      if (!messageId) return;
      if (msgAction === 'copy') {
        post({ type: 'copyText', text: ctx.messages.get(messageId)?.text ?? '' });
        flash(target);
      } else if (msgAction === 'edit') ctx.editMessage(messageId);
      else if (msgAction === 'regenerate' && !streaming()) {
        ctx.followReply();
        ctx.controls.flush();
        post({ type: 'regenerate', chatId: chat.id });
      } else if (msgAction === 'delete' && !streaming()) post({ type: 'deleteMessage', chatId: chat.id, messageId });
      return;
    }
    switch (target.dataset.action) {
      case 'approve-tool': {
        const answer = approvalOf(target);
        if (!chat || !answer) return;
        post({ type: 'approveTool', chatId: chat.id, ...answer });
        disableApprovalButtons(target);
        return;
      }
      case 'review-tool': {
        if (chat && target.dataset.callId) post({ type: 'reviewTool', chatId: chat.id, callId: target.dataset.callId });
        return;
      }
      case 'set-key': {
        const provider = (target.dataset.provider || chat?.config.provider) as ProviderId | undefined;
        post({ type: 'runCommand', command: 'setApiKey', ...(provider ? { provider } : {}) });
        return;
      }
      case 'open-base-url':
        if (target.dataset.provider) post({ type: 'runCommand', command: 'openBaseUrlSetting', provider: target.dataset.provider as ProviderId });
        return;
      case 'open-keys':
        ctx.setKeysOpen(true);
        ctx.keys.focusProvider(target.dataset.provider || chat?.config.provider);
        return;
      case 'pick-model':
        ctx.modelInput.focus();
        ctx.modelInput.select();
        return;
      case 'retry':
        if (chat && !streaming()) {
          ctx.controls.flush();
          post({ type: 'regenerate', chatId: chat.id });
        }
        return;
      case 'continue':
        if (chat && !streaming()) {
          ctx.followReply();
          ctx.controls.flush();
          post({ type: 'continue', chatId: chat.id });
        }
        return;
      case 'new-chat':
        ctx.controls.flush();
        post({ type: 'newChat' });
        ctx.setChatListOpen(false);
        ctx.prompt.focus();
        return;
      case 'use-groq':
        if (chat) post({ type: 'setConfig', chatId: chat.id, patch: { provider: 'groq' } });
        return;
      case 'switch-model':
        if (chat && target.dataset.model) post({ type: 'setConfig', chatId: chat.id, patch: { model: target.dataset.model } });
        return;
      case 'refresh-models':
        ctx.refreshModels.click();
        return;
    }
  });
}
