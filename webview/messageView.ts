import { hasBaseUrlSetting, type ChatMessage, type Citation, type ErrorAction, type ErrorKind, type StreamEvent, type Usage } from '../src/protocol';
import { costText } from './cost';
import { h, humanSize, icon, iconButton, textButton } from './dom';
import { enhance, renderMarkdown } from './markdown';
import { ReplyBody } from './replyBody';
import { state } from './store';
import { StreamingMarkdown } from './streamingMarkdown';
import { applyToolEvent, isToolEvent } from './toolCalls';

const STATUS_LABEL: Record<string, string> = {
  stopped: 'Stopped',
  error: 'Failed',
  interrupted: 'Interrupted',
};

const ERROR_ACTION_LABEL: Record<ErrorAction, { text: string; icon: string; title: string }> = {
  'set-key': { text: 'Set API key', icon: 'key', title: 'Store an API key for this provider' },
  'pick-model': { text: 'Choose a model', icon: 'symbol-enum', title: 'Pick another model in the model field' },
  retry: { text: 'Retry', icon: 'refresh', title: 'Ask for this reply again' },
  continue: { text: 'Continue', icon: 'debug-continue', title: 'Ask the model to continue where it stopped' },
};

// One formatter: Number#toLocaleString builds a new one per call (~0.1 ms; thousands on opening a long chat).
const COUNT = new Intl.NumberFormat('en-US');

const ERROR_ICON: Partial<Record<ErrorKind, string>> = { quota: 'credit-card' };

function usageText(usage: Usage | undefined): string {
  if (!usage) return '';
  const parts = [];
  if (usage.inputTokens !== undefined) {
    const cache = [usage.cachedInputTokens ? `${COUNT.format(usage.cachedInputTokens)} cached` : '', usage.cacheWriteTokens ? `${COUNT.format(usage.cacheWriteTokens)} written to cache` : ''].filter(Boolean);
    parts.push(`${COUNT.format(usage.inputTokens)} in${cache.length ? ` (${cache.join(', ')})` : ''}`);
  }
  if (usage.outputTokens !== undefined) parts.push(`${COUNT.format(usage.outputTokens)} out`);
  if (usage.reasoningTokens) parts.push(`${COUNT.format(usage.reasoningTokens)} reasoning`);
  return parts.length ? `${parts.join(' · ')} tokens` : '';
}

/** What of its tool calls changes how a reply looks (not their full texts, which may be long). */
function toolCallsVersion(m: ChatMessage): string {
  return (m.toolCalls ?? []).map((c) => `${c.id}:${c.textOffset}:${c.status}:${c.arguments.length}:${c.result?.length ?? -1}:${c.isError ? 1 : 0}:${c.summary ?? ''}:${c.durationMs ?? ''}:${c.byProvider ? 1 : 0}`).join(',');
}

/** An error that asked for a key which has been set since (the state says so): it offers Retry instead. */
function keySetSince(m: ChatMessage): boolean {
  return m.error?.kind === 'no-key' && m.error.action === 'set-key' && !!state.providers.find((p) => p.id === m.provider)?.keySet;
}

/** An error that points at the provider's base URL: it offers that setting. */
function pointsAtBaseUrl(m: ChatMessage): boolean {
  return !!m.error && !!m.provider && hasBaseUrlSetting(m.provider) && (m.error.kind === 'network' || /\bbase URL\b/i.test(m.error.message));
}

/** Everything but the texts (compared as strings) that changes how a message looks. */
function versionOf(m: ChatMessage): string {
  return `${keySetSince(m) ? 'key-set|' : ''}${toolCallsVersion(m)}|${m.status ?? ''}|${m.error?.kind ?? ''}|${m.error?.message ?? ''}|${m.error?.action ?? ''}|${m.note?.text ?? ''}|${usageText(m.usage)}|${m.cost}|${m.attachments?.length ?? 0}|${m.citations?.length ?? 0}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

let viewCount = 0;

/** One rendered message; its DOM is only rebuilt when its content changed. */
export class MessageView {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly reasoning: HTMLDetailsElement;
  private readonly reasoningState: HTMLElement;
  private readonly reasoningBody: HTMLElement;
  private readonly attachments: HTMLElement;
  private readonly sources: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly reply: ReplyBody;
  private live?: { reasoning: StreamingMarkdown; dirty: boolean };
  private editor?: HTMLElement;
  private version = '';
  private renderedText = '';
  private renderedReasoning = '';

  constructor(public message: ChatMessage) {
    const user = message.role === 'user';
    // Named by who wrote it and what it says; its keys are described once for all messages (messageNav.ts).
    const uid = `msg${++viewCount}`;
    this.el = h('article', { class: `message ${message.role}`, 'data-id': message.id, 'aria-labelledby': `${uid}-who ${uid}-body`, 'aria-describedby': 'message-keys-hint' });
    const actions = h(
      'span',
      { class: 'message-actions', role: 'toolbar', 'aria-label': 'Message actions' },
      iconButton('copy', user ? 'Copy message' : 'Copy reply', { 'data-msg-action': 'copy' }),
      user ? iconButton('edit', 'Edit and resend', { 'data-msg-action': 'edit', class: 'when-idle' }) : null,
      user ? null : iconButton('refresh', 'Regenerate reply', { 'data-msg-action': 'regenerate', class: 'when-idle when-last' }),
      iconButton('trash', 'Delete message', { 'data-msg-action': 'delete', class: 'when-idle' }),
    );
    const who = h('span', { class: 'message-role', id: `${uid}-who` }, user ? 'You' : message.model || 'Assistant');
    const header = h('div', { class: 'message-header' }, icon(user ? 'account' : 'sparkle'), who, actions);
    this.reasoningState = h('span', { class: 'reasoning-state' });
    this.reasoningBody = h('div', { class: 'reasoning-body markdown' });
    this.reasoning = h('details', { class: 'reasoning', hidden: true }, h('summary', {}, 'Reasoning', this.reasoningState), this.reasoningBody);
    this.attachments = h('div', { class: 'message-attachments', hidden: true });
    this.body = h('div', { class: user ? 'message-body user-text' : 'message-body markdown', id: `${uid}-body` });
    this.sources = h('nav', { class: 'message-sources', 'aria-label': 'Sources', hidden: true });
    this.footer = h('div', { class: 'message-footer' });
    this.reply = new ReplyBody(this.body);
    this.el.append(header, this.reasoning, this.attachments, this.body, this.sources, this.footer);
    this.update(message);
  }

  update(message: ChatMessage): void {
    this.message = message;
    const version = versionOf(message);
    const sameText = message.text === this.renderedText && (message.reasoning ?? '') === this.renderedReasoning;
    if (version === this.version && sameText && !this.live && this.version) return;
    this.version = version;
    this.renderedText = message.text;
    this.renderedReasoning = message.reasoning ?? '';
    // A reply that just finished streaming keeps its streamed DOM (and any selection in it).
    const ended = !!this.live && message.status !== 'streaming';
    if (ended) this.endLive(message);
    if (!this.live && !ended) {
      this.reasoning.hidden = !message.reasoning;
      this.reasoningState.textContent = '';
      if (message.role === 'user') {
        if (!this.editor) this.body.textContent = message.text;
      } else {
        this.reply.render(message.text, message.toolCalls);
        this.reasoningBody.innerHTML = message.reasoning ? renderMarkdown(message.reasoning) : '';
        enhance(this.reasoningBody);
      }
    }
    this.renderAttachments(message);
    this.renderSources(message.citations);
    this.renderFooter(message);
  }

  /** The sources a reply cited, numbered in order of first appearance; links open through the host. */
  private renderSources(citations: Citation[] | undefined): void {
    const list = citations ?? [];
    this.sources.hidden = list.length === 0;
    if (!list.length) return this.sources.replaceChildren();
    this.sources.replaceChildren(
      h('span', { class: 'sources-label' }, 'Sources'),
      h('ol', {}, ...list.map((c) => h('li', {}, h('a', { href: c.url, title: c.url }, c.title || hostOf(c.url)), c.title ? h('span', { class: 'source-host' }, hostOf(c.url)) : null))),
    );
  }

  private renderAttachments(message: ChatMessage): void {
    const list = message.attachments ?? [];
    this.attachments.hidden = list.length === 0;
    this.attachments.replaceChildren(
      ...list.map((a) =>
        h('span', { class: 'attachment-chip static', title: a.source }, icon(a.kind === 'image' ? 'file-media' : 'file'), h('span', { class: 'chip-name' }, a.name), h('span', { class: 'chip-size' }, humanSize(a.size))),
      ),
    );
  }

  private renderFooter(message: ChatMessage): void {
    this.el.dataset.status = message.status ?? 'done';
    this.footer.replaceChildren();
    const status = message.status && STATUS_LABEL[message.status];
    if (status) this.footer.append(h('span', { class: `status-badge ${message.status}` }, status));
    if (message.error) {
      const error = h('div', { class: 'message-error', 'data-kind': message.error.kind }, icon(ERROR_ICON[message.error.kind] ?? 'error'), h('span', { class: 'error-text' }, message.error.message));
      const action = message.error.action;
      if (keySetSince(message)) {
        // The error text stays; its Set API key does not (the key is set). Retry only on the last reply: it asks again for that one.
        const label = state.providers.find((p) => p.id === message.provider)?.label ?? 'The';
        error.append(textButton('Retry', { class: 'link-button when-last', 'data-action': 'retry', title: `${label} key is set now: ask for this reply again` }, 'refresh'));
      } else if (action) {
        const { text, icon: iconName, title } = ERROR_ACTION_LABEL[action];
        error.append(textButton(text, { class: 'link-button', 'data-action': action, title, 'data-provider': message.provider }, iconName));
        if (action === 'set-key') error.append(textButton('Open key settings', { class: 'link-button', 'data-action': 'open-keys', 'data-provider': message.provider }, 'settings'));
      }
      if (pointsAtBaseUrl(message)) {
        error.append(textButton('Base URL setting', { class: 'link-button', 'data-action': 'open-base-url', 'data-provider': message.provider, title: `Open the setting parley.${message.provider}.baseUrl` }, 'settings'));
      }
      this.footer.append(error);
    }
    if (message.note) {
      const note = h('div', { class: 'message-note', role: 'note' }, icon('info'), h('span', { class: 'note-text' }, message.note.text));
      const action = message.note.action;
      if (action) {
        const { text, icon: iconName, title } = ERROR_ACTION_LABEL[action];
        note.append(textButton(text, { class: 'link-button', 'data-action': action, title, 'data-provider': message.provider }, iconName));
      }
      this.footer.append(note);
    }
    const usage = usageText(message.usage);
    if (usage) this.footer.append(h('span', { class: 'usage', title: 'Tokens used by this reply' }, usage));
    const cost = costText(message);
    if (cost) this.footer.append(h('span', { class: 'cost', title: message.cost === null ? 'The catalog (models.dev) has no price for this model' : 'Cost of this reply at the catalog’s (models.dev) prices' }, cost));
  }

  // ---- inline editing of a user message ----

  get editing(): boolean {
    return !!this.editor;
  }

  get streaming(): boolean {
    return !!this.live;
  }

  /** The reply's text as shown (code blocks' labels included, markdown syntax not; tool cards left out). */
  get shownText(): string {
    return this.message.role === 'user' ? (this.body.textContent ?? '') : this.reply.shownText;
  }

  startEdit(onSubmit: (text: string) => void): void {
    if (this.message.role !== 'user') return;
    if (this.editor) {
      this.editor.querySelector('textarea')?.focus();
      return;
    }
    const textarea = h('textarea', { class: 'edit-input', rows: Math.min(12, Math.max(2, this.message.text.split('\n').length)), 'aria-label': 'Edit message' });
    textarea.value = this.message.text;
    const save = textButton('Save & resend', { class: 'primary', 'data-edit': 'save' }, 'send');
    const cancel = textButton('Cancel', { class: 'secondary', 'data-edit': 'cancel' });
    const submit = () => {
      const text = textarea.value;
      if (!text.trim()) return;
      this.stopEdit();
      onSubmit(text);
    };
    save.addEventListener('click', submit);
    cancel.addEventListener('click', () => this.stopEdit());
    textarea.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        submit();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.stopEdit();
      }
    });
    this.editor = h('div', { class: 'message-editor' }, textarea, h('div', { class: 'editor-actions' }, h('span', { class: 'hint' }, 'Enter to resend · Esc to cancel · later messages are replaced'), save, cancel));
    this.body.replaceChildren(this.editor);
    this.el.classList.add('editing');
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  stopEdit(): void {
    if (!this.editor) return;
    const hadFocus = this.editor.contains(document.activeElement);
    this.editor = undefined;
    this.el.classList.remove('editing');
    this.body.textContent = this.message.text;
    if (hadFocus) document.getElementById('prompt')?.focus();
  }

  // ---- streaming ----

  /** Starts rendering a reply as it streams. */
  beginLive(text = '', reasoning = '', toolCalls?: ChatMessage['toolCalls']): void {
    this.reasoningBody.replaceChildren();
    this.reply.beginLive(text, toolCalls);
    this.live = { reasoning: new StreamingMarkdown(this.reasoningBody), dirty: true };
    if (toolCalls?.length) this.message = { ...this.message, toolCalls };
    this.live.reasoning.append(reasoning);
    this.reasoning.hidden = !reasoning;
    this.el.dataset.status = 'streaming';
    this.flushLive();
  }

  /** Applies one event; returns true when the DOM needs a (batched) flush. */
  applyDelta(event: StreamEvent): boolean {
    if (!this.live) return false;
    if (isToolEvent(event)) {
      this.message = { ...this.message, toolCalls: applyToolEvent(this.message.toolCalls, event) };
      if (!this.reply.applyTool(event)) return false;
      this.live.dirty = true;
      return true;
    }
    switch (event.type) {
      case 'text-delta':
        this.reply.appendText(event.text);
        break;
      case 'reasoning-delta':
        this.live.reasoning.append(event.text);
        if (this.reasoning.hidden) {
          this.reasoning.hidden = false;
          this.reasoningState.textContent = ' (thinking…)';
        }
        break;
      case 'status':
        this.footer.replaceChildren(h('span', { class: 'stream-status', role: 'status' }, icon('loading', 'codicon-modifier-spin'), event.text));
        return false;
      case 'usage':
        this.message = { ...this.message, usage: { ...this.message.usage, ...event.usage } };
        this.renderFooter({ ...this.message, status: 'streaming' });
        return false;
      case 'citation':
        if (this.message.citations?.some((c) => c.url === event.citation.url)) return false;
        this.message = { ...this.message, citations: [...(this.message.citations ?? []), event.citation] };
        this.renderSources(this.message.citations);
        return false;
      case 'error':
        this.message = { ...this.message, status: 'error', error: { kind: event.kind, message: event.message, action: event.action } };
        this.renderFooter(this.message);
        return false;
      case 'finish': {
        // The model stopped to have tools run: the reply goes on after their results.
        if (event.reason === 'tool-calls') return true;
        const status = event.reason === 'stopped' ? 'stopped' : event.reason === 'error' ? 'error' : event.reason === 'interrupted' ? 'interrupted' : 'done';
        this.message = { ...this.message, status, ...(event.note && { note: event.note }) };
        this.renderFooter(this.message);
        this.reasoningState.textContent = '';
        return true;
      }
      default:
        return false;
    }
    if (this.reasoningState.textContent && event.type === 'text-delta') this.reasoningState.textContent = '';
    // Text flows again: a "retrying in n s" status is over.
    this.footer.querySelector('.stream-status')?.remove();
    this.live.dirty = true;
    return true;
  }

  flushLive(): void {
    if (!this.live?.dirty) return;
    this.live.dirty = false;
    this.reply.flush();
    this.live.reasoning.flush();
  }

  private endLive(message: ChatMessage): void {
    if (!this.live) return;
    const { reasoning } = this.live;
    this.live = undefined;
    // The host's final text is authoritative; if it matches what streamed, keep the streamed DOM as it is.
    this.reply.end(message.text, message.toolCalls);
    if ((message.reasoning ?? '') === reasoning.value) reasoning.flush(true);
    else {
      this.reasoningBody.innerHTML = renderMarkdown(message.reasoning ?? '');
      enhance(this.reasoningBody);
    }
    this.reasoning.hidden = !message.reasoning;
    this.reasoningState.textContent = '';
  }
}
