// The keys area: one row per provider that needs a key. A key typed here goes to the host once (setKey) and the
// field is emptied at once; the panel only ever shows where a key comes from, never the key. A key that does not
// look like the provider's is saved all the same, with a warning (formats change). The base URL is shown as text
// with a link to its setting.
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { keyFormatWarning } from '../src/keyFormat';
import type { ProviderId, ProviderInfo } from '../src/protocol';
import { h, icon, textButton } from './dom';
import { state } from './store';
import { post } from './vscode';
import './keysArea.css';

export function keyStatus(p: ProviderInfo): { text: string; kind: 'secret-storage' | 'environment' | 'set' | 'unset' } {
  if (!p.keySet) return { text: 'not set', kind: 'unset' };
  if (p.keySource === 'environment') return { text: 'set (environment)', kind: 'environment' };
  if (p.keySource === 'secret-storage') return { text: 'set (secret storage)', kind: 'secret-storage' };
  return { text: 'set', kind: 'set' };
}

interface KeyRow {
  el: HTMLElement;
  status: HTMLElement;
  base: HTMLElement;
  /** What is odd about the key being typed, or the key just saved. */
  warning: HTMLElement;
  field: VscodeTextfield;
  clear: HTMLButtonElement;
}

export class KeysArea {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly rows = new Map<ProviderId, KeyRow>();

  constructor() {
    this.list = h('div', { class: 'key-rows' });
    this.el = h(
      'section',
      { id: 'keys', class: 'keys', 'aria-label': 'API keys', hidden: true },
      h('div', { class: 'area-title' }, icon('key'), 'API keys', h('span', { class: 'area-note' }, 'Stored in VS Code’s secret storage; never shown again.')),
      this.list,
    );
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  set open(open: boolean) {
    this.el.hidden = !open;
  }

  /** Opens the area and puts the cursor in the key field of `provider`. */
  focusProvider(provider: string | undefined): void {
    this.open = true;
    const row = (provider && this.rows.get(provider as ProviderId)) || this.rows.values().next().value;
    row?.field.focus();
    row?.el.scrollIntoView({ block: 'nearest' });
  }

  private save(provider: ProviderId, row: KeyRow): void {
    const key = row.field.value.trim();
    // Empty the field before anything else happens with the key.
    row.field.value = '';
    const inner = row.field.wrappedElement as HTMLInputElement | undefined;
    if (inner) inner.value = '';
    if (!key) return;
    const warning = keyFormatWarning(provider, key);
    post({ type: 'setKey', provider, key });
    row.status.textContent = 'saving…';
    row.warning.textContent = warning ? `Saved, but check it: ${warning}` : '';
    row.warning.hidden = !warning;
  }

  private makeRow(p: ProviderInfo): KeyRow {
    const field = document.createElement('vscode-textfield');
    field.type = 'password';
    field.id = `key-${p.id}`;
    field.autocomplete = 'off';
    field.placeholder = `Paste your ${p.label} API key`;
    field.label = `${p.label} API key`;
    field.setAttribute('aria-label', `${p.label} API key`);
    field.setAttribute('spellcheck', 'false');
    const save = textButton('Save', { class: 'primary', 'data-key-action': 'save', 'aria-label': `Save ${p.label} API key` });
    const clear = textButton('Clear', { class: 'secondary', 'data-key-action': 'clear', 'aria-label': `Clear ${p.label} API key` });
    const status = h('span', { class: 'key-status', id: `key-${p.id}-status` });
    const base = h('div', { class: 'key-base', hidden: true });
    const warning = h('div', { class: 'key-warning', id: `key-${p.id}-warning`, role: 'status', hidden: true });
    const el = h(
      'div',
      { class: 'key-row', 'data-provider': p.id },
      h('div', { class: 'key-head' }, h('label', { class: 'key-provider', for: field.id }, p.label), status),
      base,
      h('div', { class: 'key-edit' }, field, save, clear),
      warning,
    );
    field.setAttribute('aria-describedby', `${status.id} ${warning.id}`);
    const row: KeyRow = { el, status, base, warning, field, clear };
    field.addEventListener('input', () => {
      const text = keyFormatWarning(p.id, field.value);
      warning.textContent = text ?? '';
      warning.hidden = !text;
    });
    save.addEventListener('click', () => this.save(p.id, row));
    field.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.save(p.id, row);
      }
    });
    clear.addEventListener('click', () => post({ type: 'clearKey', provider: p.id }));
    return row;
  }

  render(): void {
    const shown = state.providers.filter((p) => p.needsKey || p.baseUrl);
    const keep = new Set(shown.map((p) => p.id));
    for (const [id, row] of this.rows) {
      if (!keep.has(id)) {
        row.el.remove();
        this.rows.delete(id);
      }
    }
    for (const p of shown) {
      let row = this.rows.get(p.id);
      if (!row) {
        row = this.makeRow(p);
        this.rows.set(p.id, row);
      }
      this.list.append(row.el); // keeps the providers' order
      const status = keyStatus(p);
      row.status.textContent = p.needsKey ? status.text : 'no key needed';
      row.status.dataset.state = p.needsKey ? status.kind : 'none';
      row.el.querySelector('.key-edit')!.toggleAttribute('hidden', !p.needsKey);
      row.base.hidden = !p.baseUrl;
      row.base.replaceChildren(
        h('span', { class: 'field-label' }, 'Base URL'),
        h('code', { class: 'base-url' }, p.baseUrl ?? ''),
        textButton('Edit in settings', { class: 'link-button', 'data-action': 'open-base-url', 'data-provider': p.id, 'aria-label': `Edit in settings: the ${p.label} base URL`, title: `Open the setting parley.${p.id}.baseUrl` }, 'settings'),
      );
      row.clear.disabled = !p.keySet || status.kind === 'environment';
      row.clear.title = status.kind === 'environment' ? 'This key comes from an environment variable; unset it there.' : p.keySet ? `Remove the ${p.label} key from secret storage` : 'No key stored';
    }
  }
}
