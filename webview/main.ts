import { applyHostMessage } from '../src/panelModel';
import type { FinishReason, HostMessage, ProviderId } from '../src/protocol';
import { Attachments } from './attachments';
import { ChatList } from './chatList';
import { ContextMeter } from './contextMeter';
import { ControlsArea } from './controls';
import { ChatCost } from './cost';
import { h, icon, textButton } from './dom';
import { setupLandmarks } from './landmarks';
import { MessageList } from './messageLog';
import { MESSAGE_KEYS_HINT, MessageNav } from './messageNav';
import { Prompts, usesBuiltins } from './prompts';
import { KeysArea } from './keysArea';
import { approvalOf, disableApprovalButtons } from './toolCard';
import { chatWithToolEvent, isToolEvent } from './toolCalls';
import { ToolPicker } from './toolPicker';
import { ServerToolsRow } from './serverTools';
import { adopt, currentProvider, panelModel, sendBlockedReason, state, streaming } from './store';
import { onHostMessage, post, viewState } from './vscode';
import './styles.css';

interface SavedView {
  drafts?: Record<string, string>;
}

const app = document.getElementById('app')!;
// Lit falls back to <style> elements where adopted stylesheets are missing; give them the page's nonce.
(window as unknown as { litNonce?: string }).litNonce = app.dataset.nonce;

// ---- layout ----

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
app.innerHTML = `
  <header class="topbar">
    <button id="chats-toggle" type="button" class="chat-switcher" aria-expanded="false" aria-controls="chat-list" aria-label="Chats: Chat" title="Chats">
      <span class="codicon codicon-history" aria-hidden="true"></span><span id="chat-title" class="chat-title">Chat</span><span class="codicon codicon-chevron-down" aria-hidden="true"></span>
    </button>
    <span id="demo-badge" class="demo-badge" hidden title="Replies come from Parley's offline demo model, not from an AI">DEMO · offline</span>
    <span class="spacer"></span>
    <button id="new-chat" type="button" class="icon-button" data-action="new-chat" aria-label="New chat" title="New chat"><span class="codicon codicon-add" aria-hidden="true"></span></button>
    <button id="export-chat" type="button" class="icon-button" aria-label="Export chat to Markdown" title="Export chat to Markdown"><span class="codicon codicon-export" aria-hidden="true"></span></button>
    <button id="clear-chat" type="button" class="icon-button" aria-label="Clear chat" title="Clear chat"><span class="codicon codicon-clear-all" aria-hidden="true"></span></button>
    <button id="toggle-controls" type="button" class="icon-button" aria-expanded="false" aria-controls="controls" aria-label="Model settings" title="Show model settings"><span class="codicon codicon-settings" aria-hidden="true"></span></button>
    <button id="toggle-keys" type="button" class="icon-button" aria-expanded="false" aria-controls="keys" aria-label="API keys" title="API keys"><span class="codicon codicon-key" aria-hidden="true"></span></button>
  </header>
  <div id="confirm" class="confirm-bar" role="alertdialog" aria-label="Confirm" hidden></div>
  <div id="chat-list-slot"></div>
  <div class="toolbar" id="toolbar" role="region" aria-label="Provider and model">
    <label class="field"><span class="field-label">Provider</span><select id="provider" aria-label="Provider"></select></label>
    <div class="field grow">
      <label class="field-label" for="model">Model</label>
      <div class="model-row">
        <input id="model" list="models" aria-label="Model" spellcheck="false" autocomplete="off">
        <datalist id="models"></datalist>
        <button id="refresh-models" type="button" class="icon-button" aria-label="Refresh the model list" title="Refresh the model list"><span class="codicon codicon-refresh" aria-hidden="true"></span></button>
      </div>
    </div>
  </div>
  <div id="controls-slot"></div>
  <div id="keys-slot"></div>
  <div id="banner" class="banner" role="note" hidden></div>
  <div class="log-wrap" id="log-wrap" role="main" aria-label="Conversation">
    <div id="log" class="log" role="log" aria-live="off" aria-label="Messages"></div>
    <p id="message-keys-hint" hidden>${MESSAGE_KEYS_HINT}</p>
    <div id="announcer" class="visually-hidden" role="status"></div>
    <button id="jump-latest" type="button" class="jump-latest" hidden aria-label="Jump to latest"><span class="codicon codicon-arrow-down" aria-hidden="true"></span> Jump to latest</button>
  </div>
  <div id="notice" class="notice" role="status" hidden></div>
  <section class="composer" id="composer" aria-label="Message input">
    <div class="input-wrap" id="input-wrap">
      <textarea id="prompt" rows="2" placeholder="Ask anything… (/ for prompts)" aria-label="Message" aria-description="Enter sends, Shift+Enter adds a line, Up on an empty box edits your last message, / lists prompts, Escape stops a reply"></textarea>
    </div>
    <div class="composer-notes"><span id="send-reason" class="send-reason" hidden></span><span id="composer-message" class="composer-message" role="alert"></span></div>
    <div class="composer-bar">
      <button id="send" type="button" class="primary" title="Send (Enter)" aria-label="Send" aria-describedby="send-reason"><span class="codicon codicon-send" aria-hidden="true"></span> Send</button>
      <button id="stop" type="button" class="secondary" title="Stop (Esc)" aria-label="Stop the reply" hidden><span class="codicon codicon-debug-stop" aria-hidden="true"></span> Stop</button>
      <span id="composer-actions-left" class="composer-left"></span>
      <span class="spacer"></span>
    </div>
  </section>`;

const providerSelect = $<HTMLSelectElement>('provider');
const modelInput = $<HTMLInputElement>('model');
const modelList = $<HTMLDataListElement>('models');
const refreshModels = $<HTMLButtonElement>('refresh-models');
const demoBadge = $('demo-badge');
const banner = $('banner');
const log = $('log');
const logWrap = $('log-wrap');
const jumpButton = $<HTMLButtonElement>('jump-latest');
const notice = $('notice');
const prompt = $<HTMLTextAreaElement>('prompt');
const sendButton = $<HTMLButtonElement>('send');
const stopButton = $<HTMLButtonElement>('stop');
const sendReason = $('send-reason');
const composerMessage = $('composer-message');
const chatsToggle = $<HTMLButtonElement>('chats-toggle');
const chatTitle = $('chat-title');
const controlsToggle = $<HTMLButtonElement>('toggle-controls');
const keysToggle = $<HTMLButtonElement>('toggle-keys');
const confirmBar = $('confirm');

const controls = new ControlsArea();
$('controls-slot').replaceWith(controls.el);
const toolPicker = new ToolPicker();
const serverTools = new ServerToolsRow();
controls.el.append(toolPicker.el, serverTools.el);
const keys = new KeysArea();
$('keys-slot').replaceWith(keys.el);
const chatList = new ChatList(() => setChatListOpen(false, true));
$('chat-list-slot').replaceWith(chatList.el);
const meter = new ContextMeter();
const chatCost = new ChatCost();
const attachments = new Attachments({ say });
$('composer').prepend(attachments.chips);
$('composer-actions-left').append(attachments.button, meter.el, chatCost.el);
app.append(attachments.overlay);
attachments.listen(app, prompt);
const prompts = new Prompts({ textarea: prompt, send: sendText, inputChanged });
logWrap.prepend(prompts.emptyState);
$('input-wrap').prepend(prompts.menu);
$('composer').insertBefore(prompts.form, $('input-wrap'));

// ---- screen readers ----
// The log is not a live region: it is virtualized, so messages enter and leave its DOM as it scrolls. A reply
// is announced here once it has finished (like VS Code's own chat), errors as they happen.

const announcer = $('announcer');
const ANNOUNCE_CHARS = 1000;
function announce(text: string): void {
  announcer.textContent = '';
  // A new text node after a frame: read even when it repeats the last announcement.
  requestAnimationFrame(() => (announcer.textContent = text.length > ANNOUNCE_CHARS ? `${text.slice(0, ANNOUNCE_CHARS)}…` : text));
}
const FINISHED: Record<FinishReason, string> = {
  stop: 'Reply',
  length: 'Reply cut off at the token limit',
  'content-filter': "Reply stopped by the provider's content filter",
  stopped: 'Reply stopped',
  interrupted: 'Reply interrupted',
  error: 'Reply failed',
  'tool-calls': 'Reply waiting for tool results',
};
function finishedText(reason: FinishReason): string {
  const text = messages.liveText()?.replace(/\s+/g, ' ').trim();
  return text ? `${FINISHED[reason]}: ${text}` : `${FINISHED[reason]}.`;
}

// ---- scrolling: follow the stream unless the user scrolled up ----

let follow = true;
let lastAutoScrollTop = -1;
function distanceFromEnd(): number {
  return log.scrollHeight - log.scrollTop - log.clientHeight;
}
function scrollToEnd(): void {
  log.scrollTop = log.scrollHeight;
  lastAutoScrollTop = log.scrollTop;
  updateJump();
}
function updateJump(): void {
  jumpButton.hidden = follow || distanceFromEnd() < 24;
}
log.addEventListener('scroll', () => {
  if (distanceFromEnd() < 24) follow = true;
  else if (log.scrollTop !== lastAutoScrollTop) follow = false;
  updateJump();
});
log.addEventListener('wheel', (e) => {
  if (e.deltaY < 0 && log.scrollHeight > log.clientHeight) follow = false;
});
jumpButton.addEventListener('click', () => {
  follow = true;
  scrollToEnd();
});
function afterContentChange(): void {
  if (follow) scrollToEnd();
  else updateJump();
}

const messages = new MessageList(log, afterContentChange);
// The log gets shorter when a notice, the controls or a taller input take room: the end stays in view when followed.
new ResizeObserver(() => afterContentChange()).observe(log);
const messageNav = new MessageNav(log, messages, editMessage);
setupLandmarks(() => [
  { el: app.querySelector('header')! },
  { el: chatList.el },
  { el: $('toolbar') },
  { el: controls.el },
  { el: keys.el },
  { el: logWrap, enter: () => messageNav.enter() },
  { el: $('composer'), enter: () => (prompt.focus(), true) },
]);

// ---- drafts (per chat, kept in the webview's own state) ----

const saved: SavedView = viewState.get<SavedView>();
let draftTimer: ReturnType<typeof setTimeout> | undefined;
function saveDraft(chatId: string | undefined, text: string): void {
  if (!chatId) return;
  const drafts = { ...saved.drafts };
  if (text) drafts[chatId] = text;
  else delete drafts[chatId];
  saved.drafts = drafts;
  viewState.set(saved);
}

function inputChanged(): void {
  renderComposer();
  clearTimeout(draftTimer);
  const chatId = state.chat?.id;
  const text = prompt.value;
  draftTimer = setTimeout(() => saveDraft(chatId, text), 300);
}

// ---- messages to the user ----

function ago(at: number): string {
  const minutes = Math.round((Date.now() - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 36 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

let sayTimer: ReturnType<typeof setTimeout> | undefined;
function say(text: string | undefined): void {
  composerMessage.textContent = text ?? '';
  clearTimeout(sayTimer);
  if (text) sayTimer = setTimeout(() => (composerMessage.textContent = ''), 15_000);
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
function showNotice(level: string, text: string): void {
  notice.hidden = false;
  notice.textContent = text;
  notice.dataset.level = level;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (notice.hidden = true), level === 'error' ? 12_000 : 8000);
}

// ---- rendering ----

function renderChrome(): void {
  const chat = state.chat;
  if (!chat) return;
  chatTitle.textContent = chat.title || 'Untitled chat';
  chatsToggle.title = `Chats — current: ${chat.title}`;
  chatsToggle.setAttribute('aria-label', `Chats: ${chatTitle.textContent}`); // the name holds the title it shows
  providerSelect.replaceChildren(
    ...state.providers.map((p) => {
      const option = new Option(p.needsKey && !p.keySet ? `${p.label} (no key)` : p.label, p.id);
      option.selected = p.id === chat.config.provider;
      return option;
    }),
  );
  const provider = currentProvider();
  if (document.activeElement !== modelInput) modelInput.value = chat.config.model;
  modelList.replaceChildren(...(provider?.models ?? []).map((m) => new Option(m, m)));
  const demo = chat.config.provider === 'demo';
  demoBadge.hidden = !demo;
  modelInput.disabled = demo;
  refreshModels.disabled = demo;
  refreshModels.title = provider?.listedAt ? `Refresh the model list (listed by ${provider.label} ${ago(provider.listedAt)})` : 'Refresh the model list (showing the built-in list)';
  const gone = !demo && state.modelGone;
  banner.hidden = !demo && !gone;
  banner.dataset.kind = demo ? 'demo' : 'model-gone';
  if (gone) {
    banner.replaceChildren(
      icon('warning'),
      h('span', {}, `${gone.provider} no longer lists ${gone.model} (list fetched ${ago(gone.listedAt)}). It may have been retired; your messages are kept. `),
      ...(gone.suggestion ? [textButton(`Switch to ${gone.suggestion}`, { class: 'link-button', 'data-action': 'switch-model', 'data-model': gone.suggestion }, 'arrow-right')] : []),
      textButton('Refresh list', { class: 'link-button', 'data-action': 'refresh-models' }, 'refresh'),
    );
  }
  if (demo) {
    const groq = state.providers.find((p) => p.id === 'groq');
    banner.replaceChildren(
      icon('info'),
      h('span', {}, 'You are chatting with the offline demo model: it echoes your message. ',
        groq?.keySet ? 'A Groq key is set: switch to Groq to chat with a real model.' : chat.fallbackFrom ? `To use a real model, set a ${state.providers.find((p) => p.id === chat.fallbackFrom)?.label ?? 'Groq'} API key: this chat moves there as soon as it is set.` : 'To use a real model, set a Groq API key, then choose Groq as the provider.'),
      groq?.keySet
        ? textButton('Use Groq', { class: 'link-button', 'data-action': 'use-groq' }, 'arrow-right')
        : textButton('Set Groq API key', { class: 'link-button', 'data-action': 'set-key', 'data-provider': 'groq' }, 'key'),
    );
  }
  app.classList.toggle('streaming', streaming());
  // Send and Stop take turns in one place: the focus on the one that hides moves to the other.
  const swapFocus = document.activeElement === (streaming() ? sendButton : stopButton);
  sendButton.hidden = streaming();
  stopButton.hidden = !streaming();
  if (swapFocus) (streaming() ? stopButton : sendButton.disabled ? prompt : sendButton).focus();
  controlsToggle.setAttribute('aria-expanded', String(state.showControls));
  controlsToggle.classList.toggle('active', state.showControls);
  controlsToggle.title = state.showControls ? 'Hide model settings' : 'Show model settings';
}

function renderComposer(): void {
  const blocked = sendBlockedReason();
  sendButton.disabled = !!blocked;
  sendButton.title = blocked ?? 'Send (Enter)';
  sendReason.hidden = !blocked;
  sendReason.textContent = blocked ?? '';
  meter.render(prompt.value);
  chatCost.render();
}

function renderAll(): void {
  renderChrome();
  controls.render();
  toolPicker.render();
  serverTools.render();
  keys.render();
  chatList.render();
  prompts.render();
  attachments.render();
  renderComposer();
}

// ---- host messages ----

let lastHostShowControls: boolean | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** The host's request id for this chat: a new one means a new stream, whose events start again at seq 0. */
function setRequest(requestId: string | undefined, force = false): void {
  if (requestId === state.requestId && !force) return;
  state.requestId = requestId;
  state.lastSeq = -1;
}

function hostUi(ui: { showControls: boolean }): void {
  // Only a change on the host's side moves the toggle: a local toggle not yet echoed stays.
  if (ui.showControls === lastHostShowControls) return;
  lastHostShowControls = ui.showControls;
  state.showControls = ui.showControls;
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'state': {
      const previousChat = state.chat?.id;
      const changedChat = previousChat !== message.chat.id;
      messages.flushNow();
      if (changedChat) {
        controls.flush();
        clearTimeout(draftTimer);
        if (previousChat) saveDraft(previousChat, prompt.value);
        // What was typed while the first chat was loading stays.
        if (previousChat || !prompt.value) prompt.value = saved.drafts?.[message.chat.id] ?? '';
        prompts.closeForm();
        follow = true;
      }
      adopt(applyHostMessage(undefined, message)!);
      toolPicker.stateArrived();
      hostUi(message.ui);
      setRequest(message.activeRequest, changedChat);
      messages.setMessages(message.chat.messages);
      refreshModels.classList.remove('busy');
      clearTimeout(refreshTimer);
      renderAll();
      if (sendWhenLoaded) {
        sendWhenLoaded = false;
        sendFromInput();
      }
      if (changedChat) scrollToEnd();
      else afterContentChange();
      return;
    }
    case 'update': {
      // Sent only to panels the host sees on this chat; one that switched meanwhile gets that chat's state next.
      if (message.chatId !== state.chat?.id) return;
      messages.flushNow();
      adopt(applyHostMessage(panelModel(), message)!);
      if (message.ui) hostUi(message.ui);
      setRequest(message.activeRequest);
      if (message.messages) messages.setMessages(state.chat.messages);
      if (message.providers) {
        refreshModels.classList.remove('busy');
        clearTimeout(refreshTimer);
      }
      renderAll();
      afterContentChange();
      return;
    }
    case 'replyStarted': {
      const model = applyHostMessage(panelModel(), message);
      if (model) adopt(model);
      if (message.chatId !== state.chat?.id) {
        chatList.render();
        return;
      }
      messages.flushNow();
      setRequest(message.requestId, true);
      messages.setMessages(state.chat.messages);
      renderAll();
      afterContentChange();
      return;
    }
    case 'chatListChange': {
      const model = applyHostMessage(panelModel(), message);
      if (model) adopt(model);
      chatList.render();
      return;
    }
    case 'stream': {
      if (message.chatId !== state.chat?.id || message.requestId !== state.requestId) return;
      if (message.seq <= state.lastSeq) return;
      const event = message.event;
      if (state.lastSeq < 0 && event.type !== 'start') {
        // Joined mid-stream (e.g. after a reload): continue from the text the state carried.
        const live = state.chat.messages.find((m) => m.status === 'streaming');
        if (live) messages.startLive(live.id, live.text, live.reasoning, live.toolCalls);
      }
      state.lastSeq = message.seq;
      if (event.type === 'start') {
        // A continued reply already has text: keep it and stream on after it.
        const message = state.chat.messages.find((m) => m.id === event.messageId);
        messages.startLive(event.messageId, message?.text ?? '', message?.reasoning ?? '', message?.toolCalls);
      } else messages.applyDelta(event);
      if (isToolEvent(event)) {
        // The panel's copy of the chat keeps the calls, so a render from it shows the same cards.
        state.chat = chatWithToolEvent(state.chat, event);
        const call = event.type === 'tool-update' && event.update.status === 'approval' && state.chat.messages.findLast((m) => m.status === 'streaming')?.toolCalls?.find((c) => c.id === event.id);
        if (call) {
          announce(`Parley wants to run ${call.name}: waiting for your approval (Shift+F6 from the input goes to it)`);
          // Unless the user is typing somewhere, the focus goes to the question.
          const active = document.activeElement;
          messages.flushNow();
          if (!active || active === document.body || log.contains(active)) messageNav.focusApproval();
        }
      }
      if (event.type === 'error') announce(`Reply failed: ${event.message}`);
      else if (event.type === 'finish' && event.reason !== 'error') announce(`${event.note ? `${event.note.text} ` : ''}${finishedText(event.reason)}`);
      return;
    }
    case 'notice':
      showNotice(message.level, message.text);
      return;
    case 'focus':
      prompt.focus();
      return;
  }
}

// ---- actions ----

function sendText(text: string, fillBuiltins: boolean): boolean {
  const chat = state.chat;
  if (!chat || !text.trim()) return false;
  if (streaming()) {
    say('A reply is still coming: wait for it, or stop it with Esc.');
    return false;
  }
  const blocked = sendBlockedReason();
  if (blocked) {
    say(blocked);
    return false;
  }
  controls.flush(); // settings typed a moment ago apply to this message
  post({ type: 'send', chatId: chat.id, text, ...(fillBuiltins || usesBuiltins(text) ? { fillBuiltins: true } : {}) });
  say(undefined);
  follow = true;
  return true;
}

/** Enter pressed before the first state arrived: the message goes once the chat has loaded. */
let sendWhenLoaded = false;

function sendFromInput(): void {
  if (!state.chat && prompt.value.trim()) {
    sendWhenLoaded = true;
    say('Loading the chat: your message goes as soon as it is ready.');
    return;
  }
  if (!sendText(prompt.value, false)) return;
  prompt.value = '';
  prompts.closeMenu();
  inputChanged();
}

function stop(): void {
  if (state.chat && streaming()) post({ type: 'stop', chatId: state.chat.id });
}

function editMessage(messageId: string): void {
  const chat = state.chat;
  if (!chat || streaming()) return;
  messages.edit(messageId, (text) => {
    controls.flush();
    post({ type: 'editResend', chatId: chat.id, messageId, text });
    follow = true;
  });
}

function setChatListOpen(open: boolean, focusToggle = false): void {
  chatList.open = open;
  chatsToggle.setAttribute('aria-expanded', String(open));
  if (open) chatList.el.querySelector<HTMLElement>('[aria-current="true"], .chat-open')?.focus();
  else if (focusToggle) chatsToggle.focus();
}

function setKeysOpen(open: boolean): void {
  keys.open = open;
  keysToggle.setAttribute('aria-expanded', String(open));
  keysToggle.classList.toggle('active', open);
}

function askConfirm(text: string, confirmLabel: string, onConfirm: () => void): void {
  const yes = textButton(confirmLabel, { class: 'danger' });
  const no = textButton('Cancel', { class: 'secondary' });
  const close = () => {
    confirmBar.hidden = true;
    confirmBar.replaceChildren();
  };
  yes.addEventListener('click', () => {
    close();
    onConfirm();
    prompt.focus();
  });
  no.addEventListener('click', () => {
    close();
    prompt.focus();
  });
  confirmBar.replaceChildren(icon('warning'), h('span', { class: 'confirm-text' }, text), yes, no);
  confirmBar.onkeydown = (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      no.click();
    }
  };
  confirmBar.hidden = false;
  no.focus();
}

function flash(button: HTMLElement, text = 'Copied'): void {
  const iconEl = button.querySelector('.codicon');
  if (!iconEl) return;
  const original = iconEl.className;
  iconEl.className = 'codicon codicon-check';
  button.setAttribute('data-feedback', text);
  setTimeout(() => {
    iconEl.className = original;
    button.removeAttribute('data-feedback');
  }, 1500);
}

// ---- events ----

prompt.addEventListener('keydown', (e) => {
  if (prompts.handleKey(e)) return;
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    sendFromInput();
  } else if (e.key === 'ArrowUp' && prompt.value === '' && !e.shiftKey && !e.altKey) {
    const last = messages.lastUserMessageId();
    if (last && !streaming()) {
      e.preventDefault();
      editMessage(last);
    }
  }
});
prompt.addEventListener('input', inputChanged);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !e.defaultPrevented && streaming()) {
    e.preventDefault();
    stop();
  }
});
sendButton.addEventListener('click', sendFromInput);
stopButton.addEventListener('click', stop);

providerSelect.addEventListener('change', () => {
  controls.flush();
  if (state.chat) post({ type: 'setConfig', chatId: state.chat.id, patch: { provider: providerSelect.value as ProviderId } });
});
modelInput.addEventListener('change', () => {
  const model = modelInput.value.trim();
  if (state.chat && model && model !== state.chat.config.model) post({ type: 'setConfig', chatId: state.chat.id, patch: { model } });
});
modelInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') modelInput.blur();
  else if (e.key === 'Escape' && state.chat) {
    modelInput.value = state.chat.config.model;
    e.stopPropagation();
  }
});
refreshModels.addEventListener('click', () => {
  const provider = state.chat?.config.provider;
  if (!provider) return;
  post({ type: 'refreshModels', provider });
  refreshModels.classList.add('busy');
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refreshModels.classList.remove('busy'), 15_000);
});

chatsToggle.addEventListener('click', () => setChatListOpen(!chatList.open));
controlsToggle.addEventListener('click', () => {
  state.showControls = !state.showControls;
  post({ type: 'setUiState', showControls: state.showControls });
  renderChrome();
  controls.render();
});
keysToggle.addEventListener('click', () => setKeysOpen(!keys.open));
$('export-chat').addEventListener('click', () => {
  if (state.chat) post({ type: 'exportChat', chatId: state.chat.id });
});
$('clear-chat').addEventListener('click', () => {
  const chat = state.chat;
  if (!chat) return;
  if (chat.messages.length === 0) {
    say('This chat is already empty.');
    return;
  }
  askConfirm(`Clear all ${chat.messages.length} messages of “${chat.title}”?`, 'Clear', () => post({ type: 'clearChat', chatId: chat.id }));
});

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
      post({ type: 'copyText', text: messages.get(messageId)?.text ?? '' });
      flash(target);
    } else if (msgAction === 'edit') editMessage(messageId);
    else if (msgAction === 'regenerate' && !streaming()) {
      follow = true;
      controls.flush();
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
      setKeysOpen(true);
      keys.focusProvider(target.dataset.provider || chat?.config.provider);
      return;
    case 'pick-model':
      modelInput.focus();
      modelInput.select();
      return;
    case 'retry':
      if (chat && !streaming()) {
        controls.flush();
        post({ type: 'regenerate', chatId: chat.id });
      }
      return;
    case 'continue':
      if (chat && !streaming()) {
        follow = true;
        controls.flush();
        post({ type: 'continue', chatId: chat.id });
      }
      return;
    case 'new-chat':
      controls.flush();
      post({ type: 'newChat' });
      setChatListOpen(false);
      prompt.focus();
      return;
    case 'use-groq':
      if (chat) post({ type: 'setConfig', chatId: chat.id, patch: { provider: 'groq' } });
      return;
    case 'switch-model':
      if (chat && target.dataset.model) post({ type: 'setConfig', chatId: chat.id, patch: { model: target.dataset.model } });
      return;
    case 'refresh-models':
      refreshModels.click();
      return;
  }
});

window.addEventListener('blur', () => controls.flush());

onHostMessage(handle);
post({ type: 'ready' });
prompt.focus();
