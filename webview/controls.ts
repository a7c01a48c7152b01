// The configuration controls area: system message and sampling settings of the chat, with ranges and
// availability taken from the model's capabilities. Invalid input is refused inline and never sent. Controls the
// model does not take are disabled; a reason shared by several of them is said once, above them, not per field.
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { REASONING_FORMATS, SERVICE_TIERS, type ChatConfig, type ChatConfigPatch, type ControlName, type Range, type ReasoningEffort, type ReasoningFormat, type ServiceTier } from '../src/protocol';
import { jsonSchemaProblem } from '../src/providers/jsonSchema';
import { h, hasFocus } from './dom';
import { state, unsupportedReason } from './store';
import { post } from './vscode';

export type NumericControl = 'maxTokens' | 'temperature' | 'topP' | 'topK' | 'frequencyPenalty' | 'presencePenalty' | 'seed' | 'thinkingBudget';

interface NumericSpec {
  name: NumericControl;
  label: string;
  integer: boolean;
  help: string;
}

export const NUMERIC_CONTROLS: NumericSpec[] = [
  { name: 'maxTokens', label: 'Max tokens', integer: true, help: 'Longest reply, in tokens' },
  { name: 'temperature', label: 'Temperature', integer: false, help: 'Higher is more varied, lower more focused' },
  { name: 'topP', label: 'Top P', integer: false, help: 'Nucleus sampling: keep the most likely tokens up to this probability mass' },
  { name: 'topK', label: 'Top K', integer: true, help: 'Sample only from the K most likely tokens' },
  { name: 'frequencyPenalty', label: 'Frequency penalty', integer: false, help: 'Penalise tokens by how often they appeared' },
  { name: 'presencePenalty', label: 'Presence penalty', integer: false, help: 'Penalise tokens that appeared at all' },
  { name: 'seed', label: 'Seed', integer: true, help: 'Same seed and settings: more repeatable replies' },
  { name: 'thinkingBudget', label: 'Thinking budget', integer: true, help: 'Tokens the model may spend reasoning' },
];

const EFFORTS: ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high'];
const FORMAT_LABEL: Record<ReasoningFormat, string> = { parsed: 'parsed (separate)', raw: 'raw (<think> tags)', hidden: 'hidden' };
const MAX_STOP = 16;
const MAX_STOP_LENGTH = 200;
const MAX_SYSTEM = 100_000;
const DEBOUNCE_MS = 400;

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

function formatBound(n: number): string {
  return Math.abs(n) >= 1e15 ? n.toExponential(2) : String(n);
}

function rangeText(name: ControlName, range: Range): string {
  if (name === 'stop') return `up to ${range.max}`;
  const spec = NUMERIC_CONTROLS.find((s) => s.name === name);
  if (Math.max(Math.abs(range.min), Math.abs(range.max)) >= 1e12) return spec?.integer ? 'any whole number' : 'any number';
  return `${formatBound(range.min)} – ${formatBound(range.max)}`;
}

/** Parses a numeric control's text: empty means "not set" (null). */
export function validateNumber(raw: string, spec: Pick<NumericSpec, 'label' | 'integer'>, range: Range | undefined): Validation<number | null> {
  const text = raw.trim();
  if (text === '') return { ok: true, value: null };
  const min = range?.min ?? -Number.MAX_SAFE_INTEGER;
  const max = range?.max ?? Number.MAX_SAFE_INTEGER;
  const between = `between ${formatBound(min)} and ${formatBound(max)}`;
  const value = Number(text);
  if (!Number.isFinite(value) || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) {
    return { ok: false, error: `${spec.label} must be a ${spec.integer ? 'whole ' : ''}number ${between}` };
  }
  if (spec.integer && !Number.isInteger(value)) return { ok: false, error: `${spec.label} must be a whole number ${between}` };
  if (value < min || value > max) return { ok: false, error: `${spec.label} must be ${between}` };
  return { ok: true, value };
}

/** Stop sequences are separated by commas or new lines; `\n` and `\t` may be typed as escapes. */
export function parseStop(raw: string): string[] {
  return raw
    .split(/\r?\n|,/)
    .map((s) => s.trim().replace(/\\n/g, '\n').replace(/\\t/g, '\t'))
    .filter((s) => s.length > 0);
}

export function formatStop(stop: string[]): string {
  return stop.map((s) => s.replace(/\n/g, '\\n').replace(/\t/g, '\\t')).join(', ');
}

export function validateStop(raw: string, range: Range | undefined): Validation<string[]> {
  const stop = parseStop(raw);
  const max = Math.min(range?.max ?? MAX_STOP, MAX_STOP);
  if (stop.length > max) return { ok: false, error: `At most ${max} stop sequence${max === 1 ? '' : 's'} (you entered ${stop.length})` };
  const long = stop.find((s) => s.length > MAX_STOP_LENGTH);
  if (long) return { ok: false, error: `A stop sequence can be at most ${MAX_STOP_LENGTH} characters` };
  return { ok: true, value: stop };
}

interface ControlRow {
  row: HTMLElement;
  input: VscodeTextfield | HTMLTextAreaElement | HTMLSelectElement | HTMLInputElement;
  error: HTMLElement;
  note: HTMLElement;
  help: string;
  /** The user's text does not validate; keep it on screen instead of the config's value. */
  invalid: boolean;
}

export class ControlsArea {
  readonly el: HTMLElement;
  private readonly rows = new Map<ControlName, ControlRow>();
  /** One line per reason that disables several controls, naming them. */
  private readonly disabledNotes: HTMLElement;
  private pending: { chatId: string; patch: ChatConfigPatch } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** What was posted since the last state: the chat's config as the host will have it. */
  private sent: ChatConfigPatch = {};

  constructor() {
    this.el = h('section', { id: 'controls', class: 'controls', 'aria-label': 'Model settings', hidden: true });
    this.disabledNotes = h('div', { class: 'controls-disabled', role: 'note', hidden: true });
    this.el.append(this.disabledNotes, this.systemRow(), h('div', { class: 'controls-grid' }, ...NUMERIC_CONTROLS.map((spec) => this.numericRow(spec))));
    this.el.append(h('div', { class: 'controls-grid' }, this.stopRow(), this.effortRow(), this.formatRow(), this.tierRow(), this.jsonRow()));
    this.el.append(this.schemaRow());
  }

  // ---- building ----

  private makeRow(name: ControlName, label: string, input: ControlRow['input'], help: string, wide = false): HTMLElement {
    const id = `ctl-${name}`;
    input.id = id;
    const error = h('div', { class: 'control-error', id: `${id}-error`, role: 'alert', hidden: true });
    // One line under each control: its range, or why the model does not take it.
    const note = h('div', { class: 'control-note', id: `${id}-note` }, h('span', { class: 'range', id: `${id}-range` }), h('span', { class: 'reason' }));
    const labelEl = h('label', { class: 'field-label', for: id, id: `${id}-label` }, label);
    const row = h('div', { class: `control${wide ? ' wide' : ''}`, 'data-control': name, title: help }, labelEl, input, note, error);
    input.setAttribute('aria-describedby', `${id}-note ${id}-error`);
    this.rows.set(name, { row, input, error, note, help, invalid: false });
    return row;
  }

  private systemRow(): HTMLElement {
    const textarea = h('textarea', { rows: 3, spellcheck: 'true', placeholder: 'Instructions the model follows in this chat', maxlength: MAX_SYSTEM, 'aria-label': 'System message' });
    textarea.addEventListener('input', () => this.queue({ system: textarea.value }));
    textarea.addEventListener('change', () => this.flush());
    return this.makeRow('system', 'System message', textarea, 'Sent before the conversation with every request', true);
  }

  private numericRow(spec: NumericSpec): HTMLElement {
    const field = document.createElement('vscode-textfield');
    field.placeholder = 'default';
    field.label = spec.label;
    field.setAttribute('aria-label', spec.label);
    const check = (commit: boolean) => {
      const result = validateNumber(field.value, spec, state.capabilities?.controls[spec.name] ?? undefined);
      this.showError(spec.name, result.ok ? undefined : result.error);
      if (result.ok) {
        this.queue({ [spec.name]: result.value });
        if (commit) this.flush();
      }
    };
    field.addEventListener('input', () => check(false));
    field.addEventListener('change', () => check(true));
    field.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
      const range = state.capabilities?.controls[spec.name];
      const current = Number(field.value.trim() || (state.chat?.config[spec.name] ?? range?.min ?? 0));
      if (!Number.isFinite(current)) return;
      e.preventDefault();
      const step = range?.step ?? (spec.integer ? 1 : 0.1);
      let next = current + (e.key === 'ArrowUp' ? step : -step);
      if (range) next = Math.min(range.max, Math.max(range.min, next));
      const decimals = (String(step).split('.')[1] ?? '').length;
      field.value = String(Number(next.toFixed(decimals)));
      check(false);
    });
    return this.makeRow(spec.name, spec.label, field, spec.help);
  }

  private stopRow(): HTMLElement {
    const textarea = h('textarea', { rows: 1, spellcheck: 'false', placeholder: 'e.g. END, \\n\\n', 'aria-label': 'Stop sequences' });
    const check = (commit: boolean) => {
      const result = validateStop(textarea.value, state.capabilities?.controls.stop ?? undefined);
      this.showError('stop', result.ok ? undefined : result.error);
      if (result.ok) {
        this.queue({ stop: result.value });
        if (commit) this.flush();
      }
    };
    textarea.addEventListener('input', () => check(false));
    textarea.addEventListener('change', () => check(true));
    return this.makeRow('stop', 'Stop sequences', textarea, 'The reply ends before any of these; separate them with commas or new lines', false);
  }

  private effortRow(): HTMLElement {
    const select = h('select', { 'aria-label': 'Reasoning effort' }, new Option('default', ''), ...EFFORTS.map((e) => new Option(e, e)));
    select.addEventListener('change', () => {
      this.queue({ reasoningEffort: (select.value || null) as ReasoningEffort | null });
      this.flush();
    });
    return this.makeRow('reasoningEffort', 'Reasoning effort', select, 'How much the model reasons before answering');
  }

  private formatRow(): HTMLElement {
    const select = h('select', { 'aria-label': 'Reasoning format' }, new Option('default', ''), ...REASONING_FORMATS.map((f) => new Option(FORMAT_LABEL[f], f)));
    select.addEventListener('change', () => {
      this.queue({ reasoningFormat: (select.value || null) as ReasoningFormat | null });
      this.flush();
    });
    return this.makeRow('reasoningFormat', 'Reasoning format', select, 'How the model’s reasoning comes back: separately, inline in <think> tags, or not at all');
  }

  private tierRow(): HTMLElement {
    const select = h('select', { 'aria-label': 'Service tier' }, new Option('default', ''), ...SERVICE_TIERS.map((t) => new Option(t.replace('_', ' '), t)));
    select.addEventListener('change', () => {
      this.queue({ serviceTier: (select.value || null) as ServiceTier | null });
      this.flush();
    });
    return this.makeRow('serviceTier', 'Service tier', select, 'Groq: on demand, flex (cheaper capacity, may be refused when busy), performance, or auto');
  }

  private schemaRow(): HTMLElement {
    const textarea = h('textarea', { rows: 3, spellcheck: 'false', placeholder: '{"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}', 'aria-label': 'JSON schema' });
    const check = (commit: boolean) => {
      const text = textarea.value.trim();
      const problem = text ? jsonSchemaProblem(text) : undefined;
      this.showError('jsonSchema', problem);
      if (!problem) {
        this.queue({ jsonSchema: text });
        if (commit) this.flush();
      }
    };
    textarea.addEventListener('input', () => check(false));
    textarea.addEventListener('change', () => check(true));
    return this.makeRow('jsonSchema', 'JSON schema (structured output)', textarea, 'The reply must be JSON that follows this schema; checked before it is sent', true);
  }

  /** Only the values the model takes are offered; the others stay listed, disabled, so the choice is visible. */
  private limitOptions(name: 'reasoningEffort' | 'reasoningFormat', allowed: readonly string[] | undefined, blocked?: { value: string; reason: string }): void {
    const select = this.rows.get(name)?.input as HTMLSelectElement | undefined;
    if (!select) return;
    for (const option of Array.from(select.options)) {
      if (!option.value) continue;
      const off = (allowed !== undefined && !allowed.includes(option.value)) || blocked?.value === option.value;
      option.disabled = off;
      option.hidden = allowed !== undefined && !allowed.includes(option.value);
      option.title = blocked?.value === option.value ? blocked.reason : '';
    }
  }

  private jsonRow(): HTMLElement {
    // A native checkbox: vscode-checkbox would cost ~12 KB of the bundle for one switch.
    const box = h('input', { type: 'checkbox', class: 'checkbox' });
    box.addEventListener('change', () => {
      this.queue({ jsonMode: box.checked });
      this.flush();
    });
    const row = this.makeRow('jsonMode', 'JSON mode', box, 'Ask for a reply that is one valid JSON object');
    // The label wraps the box so the text is clickable too.
    const label = row.querySelector('label')!;
    label.classList.add('checkbox-label');
    label.prepend(box);
    return row;
  }

  // ---- validation and sending ----

  private showError(name: ControlName, error: string | undefined): void {
    const row = this.rows.get(name);
    if (!row) return;
    row.invalid = !!error;
    row.error.hidden = !error;
    row.error.textContent = error ?? '';
    row.row.classList.toggle('invalid', !!error);
    row.input.setAttribute('aria-invalid', error ? 'true' : 'false');
    if ('invalid' in row.input) row.input.invalid = !!error;
    this.describe(row, error);
  }

  private queue(patch: ChatConfigPatch): void {
    const chatId = state.chat?.id;
    if (!chatId) return;
    if (this.pending && this.pending.chatId !== chatId) this.flush();
    this.pending = { chatId, patch: { ...this.pending?.patch, ...patch } };
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  /** Posts the edits waiting in the debounce now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (!pending || Object.keys(pending.patch).length === 0) return;
    const config = state.chat?.id === pending.chatId ? { ...state.chat.config, ...this.sent } : undefined;
    // Leave out values that already are the chat's (e.g. typed and typed back, or committed twice).
    const patch = Object.fromEntries(Object.entries(pending.patch).filter(([k, v]) => !config || JSON.stringify(config[k as keyof ChatConfig]) !== JSON.stringify(v)));
    if (Object.keys(patch).length === 0) return;
    this.sent = { ...this.sent, ...patch };
    post({ type: 'setConfig', chatId: pending.chatId, patch });
  }

  /**
   * Sets the control's description (its error, why it is disabled, or its range). A vscode-textfield's real
   * <input> sits in its shadow root, out of reach of aria-describedby, so it gets the text too.
   */
  private describe(row: ControlRow, text?: string): void {
    const description = text || row.error.textContent || row.note.textContent || '';
    const input = row.input;
    if (description) input.setAttribute('aria-description', description);
    else input.removeAttribute('aria-description');
    if (input.tagName === 'VSCODE-TEXTFIELD') {
      const field = input as VscodeTextfield;
      void field.updateComplete.then(() => {
        const inner = field.wrappedElement as HTMLInputElement | undefined;
        if (!inner) return;
        if (description) inner.setAttribute('aria-description', description);
        else inner.removeAttribute('aria-description');
      });
    }
  }

  // ---- rendering ----

  render(): void {
    this.el.hidden = !state.showControls;
    const chat = state.chat;
    if (!chat) return;
    if (this.pending && this.pending.chatId !== chat.id) this.flush();
    this.sent = {};
    const config = chat.config;
    const caps = state.capabilities;
    const effortSelect = this.rows.get('reasoningEffort')?.input as HTMLSelectElement | undefined;
    if (effortSelect && caps?.reasoningEfforts?.includes('default') && !Array.from(effortSelect.options).some((o) => o.value === 'default')) effortSelect.append(new Option('default (the model’s own)', 'default'));
    this.limitOptions('reasoningEffort', caps?.reasoningEfforts ?? EFFORTS);
    const jsonOutput = config.jsonMode || !!config.jsonSchema?.trim();
    this.limitOptions('reasoningFormat', caps?.reasoningFormats, jsonOutput && caps?.rawReasoningWithJson ? { value: 'raw', reason: caps.rawReasoningWithJson } : undefined);
    const shared = this.renderDisabledNotes();
    for (const [name, row] of this.rows) {
      const reason = unsupportedReason(name);
      const disabled = reason !== undefined;
      const input = row.input;
      input.toggleAttribute('disabled', disabled);
      if ('disabled' in input) input.disabled = disabled;
      row.row.classList.toggle('disabled', disabled);
      row.row.title = reason ?? row.help;
      if (disabled && row.invalid) this.showError(name, undefined);
      row.note.querySelector('.reason')!.textContent = reason && !shared.has(reason) ? reason : '';
      const range = state.capabilities?.controls[name];
      row.note.querySelector('.range')!.textContent = disabled || !range ? '' : rangeText(name, range);
      this.describe(row, reason);
      // Leave alone what the user is typing, and text that did not validate.
      const pendingHere = this.pending && name in this.pending.patch;
      if (hasFocus(row.row) || row.invalid || pendingHere) continue;
      this.setValue(name, row, config);
    }
  }

  /** Says each reason shared by several disabled controls once, with the controls' names; returns those reasons. */
  private renderDisabledNotes(): Set<string> {
    const byReason = new Map<string, string[]>();
    for (const [name, row] of this.rows) {
      const reason = unsupportedReason(name);
      if (reason === undefined) continue;
      const label = row.row.querySelector('label')?.textContent?.trim() || name;
      byReason.set(reason, [...(byReason.get(reason) ?? []), label]);
    }
    const shared = [...byReason].filter(([, labels]) => labels.length > 1);
    this.disabledNotes.hidden = shared.length === 0;
    this.disabledNotes.replaceChildren(
      ...shared.map(([reason, labels]) => h('div', { class: 'disabled-reason' }, h('span', { class: 'codicon codicon-circle-slash', 'aria-hidden': 'true' }), h('span', {}, reason.replace(/ this setting\.$/, ' these settings.'), ' ', h('span', { class: 'disabled-names' }, `(${labels.join(', ')})`)))),
    );
    return new Set(shared.map(([reason]) => reason));
  }

  private setValue(name: ControlName, row: ControlRow, config: ChatConfig): void {
    const input = row.input;
    if (name === 'jsonMode') (input as HTMLInputElement).checked = config.jsonMode;
    else if (name === 'reasoningEffort') (input as HTMLSelectElement).value = config.reasoningEffort ?? '';
    else if (name === 'reasoningFormat') (input as HTMLSelectElement).value = config.reasoningFormat ?? '';
    else if (name === 'serviceTier') (input as HTMLSelectElement).value = config.serviceTier ?? '';
    else if (name === 'jsonSchema') (input as HTMLTextAreaElement).value = config.jsonSchema ?? '';
    else if (name === 'system') (input as HTMLTextAreaElement).value = config.system;
    else if (name === 'stop') (input as HTMLTextAreaElement).value = formatStop(config.stop);
    else {
      const value = config[name as NumericControl];
      const text = value === null || value === undefined ? '' : String(value);
      if ((input as VscodeTextfield).value !== text) (input as VscodeTextfield).value = text;
    }
  }
}
