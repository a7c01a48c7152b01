// The provider's own tools (Groq's built-in tools) for the chat's model: a checkbox for each tool the model can use,
// checked as the chat chose (`serverTools`) or, until it chooses, as the model's default. Hidden when the model has
// none. A change posts `setConfig` with the new list; the provider runs these tools, Parley only shows their cards.
import type { ServerTool } from '../src/protocol';
import { h } from './dom';
import { state } from './store';
import { post } from './vscode';

const LABEL: Record<ServerTool, string> = {
  browser_search: 'Browser search',
  code_interpreter: 'Code execution',
  web_search: 'Web search',
  visit_website: 'Visit websites',
  browser_automation: 'Browser automation',
  wolfram_alpha: 'Wolfram Alpha',
};

export class ServerToolsRow {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private shown = '';

  constructor() {
    this.list = h('span', { class: 'server-tool-list' });
    this.el = h(
      'section',
      { class: 'server-tools', 'aria-labelledby': 'server-tools-title' },
      h('span', { id: 'server-tools-title', class: 'tool-picker-title' }, 'Provider tools'),
      h('span', { class: 'area-note' }, 'run on the provider’s servers; their results show as cards and sources'),
      this.list,
    );
  }

  render(): void {
    const caps = state.capabilities;
    const chat = state.chat;
    const offered = caps?.serverTools ?? [];
    this.el.hidden = !chat || !offered.length;
    if (!chat || !offered.length) return;
    const on = new Set(chat.config.serverTools ?? caps?.serverToolsDefault ?? []);
    const key = `${chat.id}|${offered.join(',')}`;
    if (key !== this.shown) {
      this.shown = key;
      this.list.replaceChildren(
        ...offered.map((tool) => {
          const box = h('input', { type: 'checkbox', class: 'checkbox', 'data-server-tool': tool });
          box.addEventListener('change', () => this.changed());
          return h('label', { class: 'checkbox-label' }, box, LABEL[tool]);
        }),
      );
    }
    for (const box of this.list.querySelectorAll<HTMLInputElement>('input[data-server-tool]')) box.checked = on.has(box.dataset.serverTool as ServerTool);
  }

  private changed(): void {
    const chat = state.chat;
    if (!chat) return;
    const serverTools = [...this.list.querySelectorAll<HTMLInputElement>('input[data-server-tool]')].filter((b) => b.checked).map((b) => b.dataset.serverTool as ServerTool);
    post({ type: 'setConfig', chatId: chat.id, patch: { serverTools } });
  }
}
