// Prompts (marimo's `prompts`): chips on an empty chat, a `/` menu of named commands (`/explain — …`) in the input,
// and a small form for `{{variables}}`. The built-ins {{selection}}, {{file}} and {{language}} stay in the text for
// the host to fill.
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { h, icon, iconButton, textButton } from './dom';
import { state } from './store';
import { BUILT_IN_PROMPT_VARIABLES, promptVariableNames, promptVariablePattern, type PromptInfo } from '../src/protocol';
import { matchPrompts, namedByTyping, promptSummary, readableLine } from './promptMatch';

/** Names of the `{{variables}}` the user fills in, in order of first use (built-ins left out). */
export function promptVariables(text: string): string[] {
  return promptVariableNames(text);
}

export function usesBuiltins(text: string): boolean {
  return promptVariableNames(text, true).some((name) => (BUILT_IN_PROMPT_VARIABLES as readonly string[]).includes(name));
}

export function fillVariables(text: string, values: Record<string, string>): string {
  return text.replace(promptVariablePattern(), (whole, name: string) => (Object.hasOwn(values, name) ? values[name] : whole));
}

/** How a prompt is spoken of in a tooltip or a label: `/name: description`, else its text. */
function describe(prompt: PromptInfo): string {
  return prompt.name ? `/${prompt.name}: ${promptSummary(prompt)}` : prompt.text;
}

const promptIcon = (prompt: PromptInfo) => icon(promptVariables(prompt.text).length ? 'symbol-variable' : 'lightbulb');

export interface PromptHost {
  textarea: HTMLTextAreaElement;
  /** Sends `text` (with fillBuiltins); returns false when it could not be sent now. */
  send(text: string, fillBuiltins: boolean): boolean;
  /** Called when the composer's text was changed from here. */
  inputChanged(): void;
}

export class Prompts {
  readonly emptyState: HTMLElement;
  readonly menu: HTMLElement;
  readonly form: HTMLElement;
  private readonly chips: HTMLElement;
  private items: PromptInfo[] = [];
  private query = '';
  private active = 0;
  private menuOpen = false;

  constructor(private readonly host: PromptHost) {
    this.chips = h('div', { class: 'prompt-chips', role: 'group', 'aria-label': 'Prompts' });
    this.emptyState = h(
      'div',
      { id: 'empty-state', class: 'empty-state', hidden: true },
      h('div', { class: 'empty-title' }, icon('comment-discussion'), 'Start a conversation'),
      h('p', { class: 'empty-hint' }, 'Pick a prompt, or type / in the box below to search them.'),
      this.chips,
    );
    this.menu = h('div', { id: 'slash-menu', class: 'slash-menu', role: 'listbox', 'aria-label': 'Prompts', hidden: true });
    this.form = h('form', { id: 'prompt-form', class: 'prompt-form', hidden: true, 'aria-label': 'Fill in the prompt' });
    this.form.addEventListener('submit', (e) => e.preventDefault());
    const { textarea } = host;
    textarea.setAttribute('aria-controls', 'slash-menu');
    textarea.setAttribute('aria-autocomplete', 'list');
    // No aria-expanded: a textarea may not carry it (it may not be a combobox); the active option says the menu is open.
    textarea.addEventListener('input', () => this.updateMenu());
    textarea.addEventListener('blur', () => setTimeout(() => {
      if (document.activeElement !== textarea) this.closeMenu();
    }, 150));
    this.menu.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the textarea
    this.menu.addEventListener('click', (e) => {
      const option = (e.target as Element).closest<HTMLElement>('[data-index]');
      if (option) this.pickFromMenu(Number(option.dataset.index));
    });
  }

  // ---- empty chat ----

  render(): void {
    const empty = (state.chat?.messages.length ?? 1) === 0;
    this.emptyState.hidden = !empty;
    if (!empty) return;
    this.chips.replaceChildren(
      ...state.prompts.map((prompt) => {
        const chip = h(
          'button',
          { type: 'button', class: 'prompt-chip', title: describe(prompt) },
          promptIcon(prompt),
          ...(prompt.name ? [h('span', { class: 'prompt-name' }, `/${prompt.name}`)] : []),
          h('span', { class: 'label' }, readableLine(prompt.text)),
        );
        chip.addEventListener('click', () => this.pick(prompt));
        return chip;
      }),
    );
    this.chips.hidden = state.prompts.length === 0;
  }

  // ---- picking a prompt ----

  /** A prompt with variables opens the form; one without goes into the input to be reviewed and sent. */
  pick(prompt: PromptInfo): void {
    this.closeMenu();
    const names = promptVariables(prompt.text);
    if (names.length) {
      this.openForm(prompt, names);
      return;
    }
    const { textarea } = this.host;
    textarea.value = prompt.text;
    this.host.inputChanged();
    textarea.focus();
    textarea.setSelectionRange(prompt.text.length, prompt.text.length);
  }

  private openForm(prompt: PromptInfo, names: string[]): void {
    const fields = names.map((name) => {
      const field = document.createElement('vscode-textfield');
      field.id = `var-${name.replace(/[^\w-]+/g, '_')}`;
      field.name = name;
      field.label = name;
      field.setAttribute('aria-label', name);
      field.placeholder = name;
      return field;
    });
    const error = h('div', { class: 'control-error', role: 'alert', hidden: true });
    const send = textButton('Send', { class: 'primary', type: 'submit', 'data-form': 'send' }, 'send');
    const cancel = textButton('Cancel', { class: 'secondary', 'data-form': 'cancel' });
    const preview = h('div', { class: 'prompt-preview', title: prompt.text }, ...(prompt.name ? [h('span', { class: 'prompt-name' }, `/${prompt.name}`)] : []), h('span', { class: 'label' }, readableLine(prompt.text)));
    const builtins = usesBuiltins(prompt.text) ? h('div', { class: 'form-note' }, icon('info'), 'Editor context ({{selection}}, {{file}}, {{language}}) is filled in when it is sent.') : null;
    this.form.replaceChildren(
      h('div', { class: 'form-head' }, icon('symbol-variable'), preview, iconButton('close', 'Close the prompt form', { 'data-form': 'close' })),
      ...fields.map((field, i) => h('div', { class: 'form-field' }, h('label', { for: field.id }, names[i]), field)),
      ...(builtins ? [builtins] : []),
      error,
      h('div', { class: 'form-actions' }, send, cancel),
    );
    const submit = () => {
      const values: Record<string, string> = {};
      for (const field of fields) values[field.name!] = field.value;
      const missing = fields.find((f) => !f.value.trim());
      if (missing) {
        error.hidden = false;
        error.textContent = `Fill in “${missing.name}”.`;
        missing.focus();
        return;
      }
      if (this.host.send(fillVariables(prompt.text, values), true)) this.closeForm();
    };
    send.addEventListener('click', submit);
    cancel.addEventListener('click', () => this.closeForm());
    this.form.querySelector('[data-form="close"]')!.addEventListener('click', () => this.closeForm());
    fields.forEach((field, i) =>
      field.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' || e.isComposing) return;
        e.preventDefault();
        if (i < fields.length - 1) fields[i + 1].focus();
        else submit();
      }),
    );
    this.form.onkeydown = (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.closeForm();
      }
    };
    this.form.hidden = false;
    fields[0].focus();
    requestAnimationFrame(() => fields[0].focus());
  }

  closeForm(): void {
    if (this.form.hidden) return;
    const hadFocus = this.form.contains(document.activeElement);
    this.form.hidden = true;
    this.form.replaceChildren();
    if (hadFocus) this.host.textarea.focus();
  }

  // ---- the `/` menu ----

  private updateMenu(): void {
    const value = this.host.textarea.value;
    if (!value.startsWith('/') || value.includes('\n') || state.prompts.length === 0) {
      this.closeMenu();
      return;
    }
    const typed = namedByTyping(state.prompts, value);
    if (typed) {
      this.host.textarea.value = '';
      this.host.inputChanged();
      this.pick(typed);
      return;
    }
    const query = value.slice(1);
    // The best match comes first: a changed query selects it again.
    if (!this.menuOpen || query !== this.query) this.active = 0;
    this.query = query;
    this.items = matchPrompts(state.prompts, query);
    this.menuOpen = true;
    this.renderMenu();
  }

  private renderMenu(): void {
    const { textarea } = this.host;
    this.menu.hidden = false;
    if (this.items.length === 0) {
      this.menu.replaceChildren(h('div', { class: 'slash-empty' }, `No prompt matches “/${this.query.trim()}”`));
      textarea.removeAttribute('aria-activedescendant');
      return;
    }
    this.menu.replaceChildren(
      ...this.items.map((prompt, i) =>
        h(
          'div',
          { class: `slash-item${i === this.active ? ' active' : ''}`, role: 'option', id: `slash-${i}`, 'data-index': i, 'aria-selected': i === this.active ? 'true' : 'false', title: prompt.text },
          promptIcon(prompt),
          ...(prompt.name
            ? [h('span', { class: 'prompt-name' }, `/${prompt.name}`), h('span', { class: 'label slash-desc' }, ` — ${promptSummary(prompt)}`)]
            : [h('span', { class: 'label' }, readableLine(prompt.text))]),
        ),
      ),
    );
    textarea.setAttribute('aria-activedescendant', `slash-${this.active}`);
    this.menu.querySelector('.active')?.scrollIntoView({ block: 'nearest' });
  }

  closeMenu(): void {
    if (!this.menuOpen) return;
    this.menuOpen = false;
    this.menu.hidden = true;
    this.menu.replaceChildren();
    this.host.textarea.removeAttribute('aria-activedescendant');
  }

  private pickFromMenu(index: number): void {
    const prompt = this.items[index];
    if (prompt === undefined) return;
    this.host.textarea.value = '';
    this.host.inputChanged();
    this.pick(prompt);
  }

  /** Keys for the open menu; returns true when it handled the key. */
  handleKey(e: KeyboardEvent): boolean {
    if (!this.menuOpen) return false;
    const count = this.items.length;
    switch (e.key) {
      case 'ArrowDown':
        if (count) this.active = (this.active + 1) % count;
        break;
      case 'ArrowUp':
        if (count) this.active = (this.active - 1 + count) % count;
        break;
      case 'Enter':
      case 'Tab':
        if (e.shiftKey || !count) return false;
        this.pickFromMenu(this.active);
        break;
      case 'Escape':
        this.closeMenu();
        break;
      default:
        return false;
    }
    e.preventDefault();
    e.stopPropagation();
    if (this.menuOpen) this.renderMenu();
    return true;
  }
}
