// Tiny DOM helpers: build elements without innerHTML (so nothing from a chat is ever parsed as HTML here).

export type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

/** Creates `<tag>` with attributes (`class` → className; `true` → empty attribute; nullish/false → left out). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

/** A codicon, hidden from assistive technology (the button around it carries the label). */
export function icon(name: string, extraClass = ''): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}`, 'aria-hidden': 'true' });
}

/** A toolbar-style button showing only an icon; `label` is both its accessible name and its tooltip. */
export function iconButton(iconName: string, label: string, attrs: Attrs = {}): HTMLButtonElement {
  const { class: extra, ...rest } = attrs;
  return h('button', { type: 'button', class: `icon-button${extra ? ` ${extra}` : ''}`, 'aria-label': label, title: label, ...rest }, icon(iconName));
}

/** A text button with an optional leading icon. */
export function textButton(text: string, attrs: Attrs = {}, iconName?: string): HTMLButtonElement {
  return h('button', { type: 'button', 'aria-label': text, ...attrs }, iconName ? icon(iconName) : null, text);
}

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** 1234 → "1.2k", 131072 → "131k". */
export function compactNumber(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)}M`;
}

export function relativeTime(timestamp: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - timestamp) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 30) return `${days} d ago`;
  return new Date(timestamp).toLocaleDateString();
}

/** Whether the element (or something inside it) has keyboard focus. */
export function hasFocus(el: Element): boolean {
  const active = document.activeElement;
  return !!active && (el === active || el.contains(active));
}
