// The chat's tool picker, in the model settings: a checkbox per tool the host offers (on unless the chat's
// `disabledTools` lists it), one to turn them all on or off, and a count. A change posts `setConfig` with the new
// `disabledTools`. When the chat's model cannot call tools (the demo model, or per the catalog) the picker is
// disabled and says why.
import type { ToolInfo } from '../src/protocol';
import { h } from './dom';
import { state } from './store';
import { post } from './vscode';

const SOURCE_LABEL: Record<ToolInfo['source'], string> = { workspace: 'Parley', vscode: 'VS Code', mcp: 'MCP' };

/** Why the chat's model cannot call tools, or undefined when it can (or it is not known). */
export function toolsUnavailableReason(): string | undefined {
  const chat = state.chat;
  if (!chat) return undefined;
  const model = chat.config.model || 'This model';
  if (chat.config.provider === 'demo') return `${model} does not call tools.`;
  if (state.capabilities?.toolCalls === false) return `${model} cannot call tools (per the model catalog).`;
  return undefined;
}

export class ToolPicker {
  readonly el: HTMLElement;
  private readonly count: HTMLElement;
  private readonly all: HTMLInputElement;
  private readonly reason: HTMLElement;
  private readonly list: HTMLElement;
  private readonly boxes = new Map<string, HTMLInputElement>();
  private listed = '';
  /** What was posted since the last state (the host's answer brings the chat's config). */
  private sent?: { chatId: string; disabled: string[] };

  constructor() {
    this.count = h('span', { class: 'area-note tool-count', id: 'tool-count' });
    this.all = h('input', { type: 'checkbox', class: 'checkbox', 'aria-describedby': 'tool-count tool-reason' });
    this.all.addEventListener('change', () => this.setAll(this.all.checked));
    this.reason = h('div', { class: 'tool-reason', id: 'tool-reason', role: 'note' });
    this.list = h('ul', { class: 'tool-list', 'aria-label': 'Tools' });
    this.el = h(
      'section',
      { class: 'tool-picker', 'aria-labelledby': 'tool-picker-title' },
      h('div', { class: 'tool-picker-head' }, h('label', { class: 'checkbox-label tool-all' }, this.all, h('span', { id: 'tool-picker-title', class: 'tool-picker-title' }, 'Tools')), this.count),
      this.reason,
      this.list,
    );
  }

  render(): void {
    const chat = state.chat;
    const tools = state.tools ?? [];
    this.el.hidden = !chat;
    if (!chat) return;
    if (this.sent?.chatId !== chat.id) this.sent = undefined;
    const names = tools.map((t) => `${t.name}\u0000${t.description}\u0000${t.source}`).join('\n');
    if (names !== this.listed) this.build(tools);
    const reason = tools.length ? toolsUnavailableReason() : undefined;
    const disabled = this.disabled();
    for (const [name, box] of this.boxes) {
      box.checked = !disabled.includes(name);
      box.disabled = !!reason;
    }
    this.all.disabled = !!reason || !tools.length;
    this.reason.hidden = !reason && tools.length > 0;
    this.reason.textContent = tools.length ? (reason ?? '') : 'No tools available.';
    this.el.classList.toggle('disabled', !!reason);
    this.updateCount();
  }

  /** The state's config says what is off; a change posted since then wins until the host answers. */
  private disabled(): string[] {
    return this.sent?.disabled ?? state.chat?.config.disabledTools ?? [];
  }

  private build(tools: ToolInfo[]): void {
    this.listed = tools.map((t) => `${t.name}\u0000${t.description}\u0000${t.source}`).join('\n');
    this.boxes.clear();
    this.list.replaceChildren(
      ...tools.map((tool) => {
        const id = `tool-${tool.name}`;
        const box = h('input', { type: 'checkbox', class: 'checkbox', id, 'data-tool': tool.name, 'aria-describedby': `${id}-hint` });
        box.addEventListener('change', () => this.changed());
        this.boxes.set(tool.name, box);
        const tags = [tool.readOnly ? 'reads only' : 'can change files', SOURCE_LABEL[tool.source]].join(' · ');
        return h(
          'li',
          { class: 'tool-item' },
          h('label', { class: 'checkbox-label tool-label', for: id }, box, h('code', { class: 'tool-item-name' }, tool.name), h('span', { class: 'tool-tags' }, tags)),
          h('div', { class: 'tool-hint', id: `${id}-hint` }, tool.description),
        );
      }),
    );
  }

  private setAll(on: boolean): void {
    for (const box of this.boxes.values()) box.checked = on;
    this.changed();
  }

  private changed(): void {
    const chat = state.chat;
    if (!chat) return;
    // Names the host no longer offers stay off: turning the rest on or off does not forget them.
    const unknown = this.disabled().filter((name) => !this.boxes.has(name));
    const disabled = [...unknown, ...[...this.boxes].filter(([, box]) => !box.checked).map(([name]) => name)];
    this.sent = { chatId: chat.id, disabled };
    post({ type: 'setConfig', chatId: chat.id, patch: { disabledTools: disabled } });
    this.updateCount();
  }

  private updateCount(): void {
    const total = this.boxes.size;
    const on = [...this.boxes.values()].filter((box) => box.checked).length;
    this.count.textContent = total ? `· ${on} of ${total} on` : '';
    this.all.checked = total > 0 && on === total;
    this.all.indeterminate = on > 0 && on < total;
    this.all.setAttribute('aria-label', total ? `All tools (${on} of ${total} on)` : 'All tools');
  }

  /** A new state arrived: the host's config is the truth again. */
  stateArrived(): void {
    this.sent = undefined;
  }
}
