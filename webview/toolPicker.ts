// The chat's tool picker, in the model settings: a checkbox per tool the host offers (on or off as `toolIsOn`
// says: the chat's `disabledTools` and `enabledTools`, else the tool's default), one to turn them all on or off,
// and a count. A change posts `setConfig` with the new `disabledTools` (and `enabledTools` when a tool is off by
// default). When the chat's model cannot call tools (the demo model, or per the catalog) the picker is disabled
// and says why.
import { toolIsOn, type ChatConfig, type ToolInfo } from '../src/protocol';
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
  if (state.capabilities?.toolCalls === false) return state.capabilities.toolCallsReason || `${model} cannot call tools (per the model catalog).`;
  return undefined;
}

export class ToolPicker {
  readonly el: HTMLElement;
  private readonly count: HTMLElement;
  private readonly all: HTMLInputElement;
  private readonly reason: HTMLElement;
  private readonly list: HTMLElement;
  private readonly boxes = new Map<string, HTMLInputElement>();
  private tools: ToolInfo[] = [];
  private listed = '';
  /** What was posted since the last state (the host's answer brings the chat's config). */
  private sent?: { chatId: string; choice: Choice };

  constructor() {
    this.count = h('span', { class: 'area-note tool-count', id: 'tool-count' });
    this.all = h('input', { type: 'checkbox', class: 'checkbox', 'aria-describedby': 'tool-count tool-reason' });
    this.all.addEventListener('change', () => this.setAll(this.all.checked));
    this.reason = h('div', { class: 'tool-reason', id: 'tool-reason', role: 'note' });
    this.list = h('ul', { class: 'tool-list', 'aria-label': 'Tools' });
    this.el = h(
      'section',
      { class: 'tool-picker', 'aria-labelledby': 'tool-picker-title' },
      h(
        'div',
        { class: 'tool-picker-head' },
        h('span', { id: 'tool-picker-title', class: 'tool-picker-title' }, 'Tools'),
        this.count,
        h('span', { class: 'spacer' }),
        h('label', { class: 'checkbox-label tool-all' }, this.all, 'All'),
      ),
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
    const choice = this.choice();
    for (const tool of this.tools) {
      const box = this.boxes.get(tool.name)!;
      box.checked = toolIsOn(tool, choice);
      box.disabled = !!reason;
    }
    this.all.disabled = !!reason || !tools.length;
    this.reason.hidden = !reason && tools.length > 0;
    this.reason.textContent = tools.length ? (reason ?? '') : 'No tools available.';
    this.el.classList.toggle('disabled', !!reason);
    this.updateCount();
  }

  /** The state's config says what is on and off; a change posted since then wins until the host answers. */
  private choice(): Choice {
    const config = state.chat?.config;
    return this.sent?.choice ?? { disabledTools: config?.disabledTools ?? [], enabledTools: config?.enabledTools ?? [] };
  }

  private build(tools: ToolInfo[]): void {
    this.listed = tools.map((t) => `${t.name}\u0000${t.description}\u0000${t.source}`).join('\n');
    this.boxes.clear();
    this.tools = tools;
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
    // Names the host does not offer now keep their choice: turning the rest on or off does not forget them.
    const before = this.choice();
    const disabledTools = before.disabledTools.filter((name) => !this.boxes.has(name));
    const enabledTools = before.enabledTools.filter((name) => !this.boxes.has(name));
    for (const tool of this.tools) {
      const on = this.boxes.get(tool.name)!.checked;
      if (tool.defaultOn === false) {
        if (on) enabledTools.push(tool.name);
      } else if (!on) disabledTools.push(tool.name);
    }
    this.sent = { chatId: chat.id, choice: { disabledTools, enabledTools } };
    const patch = before.enabledTools.length || enabledTools.length ? { disabledTools, enabledTools } : { disabledTools };
    post({ type: 'setConfig', chatId: chat.id, patch });
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

type Choice = Required<Pick<ChatConfig, 'disabledTools' | 'enabledTools'>>;
