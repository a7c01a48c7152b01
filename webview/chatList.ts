// The chat list (marimo's `value`, many of them): switch, rename inline, delete after a confirmation.
import type { ChatSummary } from '../src/protocol';
import { h, hasFocus, icon, iconButton, relativeTime, textButton } from './dom';
import { state } from './store';
import { post } from './vscode';

export class ChatList {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private renaming?: string;
  private confirming?: string;

  constructor(private readonly onClose: () => void) {
    this.list = h('ul', { class: 'chat-items', 'aria-label': 'Chats' });
    const newChat = textButton('New chat', { class: 'secondary', 'data-action': 'new-chat' }, 'add');
    this.el = h('nav', { id: 'chat-list', class: 'chat-list', 'aria-label': 'Chats', hidden: true }, h('div', { class: 'area-title' }, icon('history'), 'Chats', h('span', { class: 'spacer' }), newChat), this.list);
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !this.renaming && !this.confirming) {
        e.stopPropagation();
        this.onClose();
      }
    });
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  set open(open: boolean) {
    this.el.hidden = !open;
    if (open) this.render(true);
  }

  /** `force`: re-render even while a rename or a delete confirmation has the focus. */
  render(force = false): void {
    if (this.el.hidden) return;
    if (!force && (this.renaming || this.confirming) && hasFocus(this.list)) return;
    const chats = [...state.chats].sort((a, b) => b.updatedAt - a.updatedAt);
    if (chats.length === 0) {
      this.list.replaceChildren(h('li', { class: 'chat-empty' }, 'No chats yet'));
      return;
    }
    this.list.replaceChildren(...chats.map((c) => this.item(c)));
  }

  private item(c: ChatSummary): HTMLElement {
    const current = c.id === state.chat?.id;
    const li = h('li', { class: `chat-item${current ? ' current' : ''}`, 'data-chat': c.id });
    if (this.confirming === c.id) {
      const yes = textButton('Delete', { class: 'danger', 'data-chat-action': 'confirm-delete' }, 'trash');
      const no = textButton('Cancel', { class: 'secondary', 'data-chat-action': 'cancel' });
      yes.addEventListener('click', () => {
        this.confirming = undefined;
        post({ type: 'deleteChat', chatId: c.id });
        this.render(true);
      });
      no.addEventListener('click', () => {
        this.confirming = undefined;
        this.render(true);
        this.focusItem(c.id);
      });
      li.append(h('div', { class: 'confirm-inline', role: 'alertdialog', 'aria-label': 'Delete chat' }, h('span', {}, `Delete “${c.title}”? This cannot be undone.`), yes, no));
      queueMicrotask(() => no.focus());
      return li;
    }
    if (this.renaming === c.id) {
      const input = h('input', { class: 'rename-input', value: c.title, maxlength: 200, 'aria-label': 'Chat title' });
      let done = false;
      const finish = (commit: boolean) => {
        if (done) return;
        done = true;
        this.renaming = undefined;
        const title = input.value.trim();
        if (commit && title && title !== c.title) post({ type: 'renameChat', chatId: c.id, title });
        this.render(true);
        this.focusItem(c.id);
      };
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          finish(true);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          finish(false);
        }
      });
      input.addEventListener('blur', () => finish(true));
      li.append(input);
      queueMicrotask(() => {
        input.focus();
        input.select();
      });
      return li;
    }
    const meta = `${c.messageCount} message${c.messageCount === 1 ? '' : 's'} · ${relativeTime(c.updatedAt)}`;
    // The name holds all the text the button shows (what speech input users say to press it).
    const open = h(
      'button',
      { type: 'button', class: 'chat-open', 'data-chat-action': 'switch', 'aria-current': current ? 'true' : undefined, title: c.title, 'aria-label': `${c.title || 'Untitled chat'} ${meta}${current ? ' (current)' : ''}` },
      h('span', { class: 'chat-name' }, c.title || 'Untitled chat'),
      ' ', // the name and the meta are two words in the text too (a flex item: no visible space)
      h('span', { class: 'chat-meta' }, meta),
    );
    open.addEventListener('click', () => {
      if (!current) post({ type: 'switchChat', chatId: c.id });
      this.onClose();
    });
    const rename = iconButton('edit', `Rename “${c.title}”`, { 'data-chat-action': 'rename' });
    rename.addEventListener('click', () => {
      this.renaming = c.id;
      this.confirming = undefined;
      this.render(true);
    });
    const del = iconButton('trash', `Delete “${c.title}”`, { 'data-chat-action': 'delete' });
    del.addEventListener('click', () => {
      this.confirming = c.id;
      this.renaming = undefined;
      this.render(true);
    });
    li.append(open, h('span', { class: 'chat-item-actions' }, rename, del));
    return li;
  }

  private focusItem(chatId: string): void {
    this.list.querySelector<HTMLElement>(`[data-chat="${CSS.escape(chatId)}"] .chat-open`)?.focus();
  }
}
