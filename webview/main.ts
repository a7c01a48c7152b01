import { applyHostMessage } from '../src/panelModel';
import type { HostMessage, ProviderId } from '../src/protocol';
import { announce, finishedText } from './announcer';
import { Attachments } from './attachments';
import { ChatList } from './chatList';
import { renderChrome } from './chrome';
import { listenForClicks } from './clickActions';
import { askConfirm, say, showNotice } from './feedback';
import { ContextMeter } from './contextMeter';
import { Drafts } from './drafts';
import { ControlsArea } from './controls';
import { ChatCost } from './cost';
import { setupLandmarks } from './landmarks';
import { $, renderLayout } from './layout';
import { MessageList } from './messageLog';
import { MessageNav } from './messageNav';
import { Prompts, usesBuiltins } from './prompts';
import { KeysArea } from './keysArea';
import { chatWithToolEvent, isToolEvent } from './toolCalls';
import { ToolPicker } from './toolPicker';
import { fromHost, hostAnswered, showSavedState } from './savedState';
import { ScrollFollow } from './scrollFollow';
import { ServerToolsRow } from './serverTools';
import { adopt, panelModel, sendBlockedReason, state, streaming } from './store';
import { onHostMessage, post } from './vscode';
import './styles.css';
import './toolCards.css';

const app = document.getElementById('app')!;
// Lit falls back to <style> elements where adopted stylesheets are missing; give them the page's nonce.
(window as unknown as { litNonce?: string }).litNonce = app.dataset.nonce;

// ---- layout ----

renderLayout(app);

const providerSelect = $<HTMLSelectElement>('provider');
const modelInput = $<HTMLInputElement>('model');
const refreshModels = $<HTMLButtonElement>('refresh-models');
const log = $('log');
const logWrap = $('log-wrap');
const jumpButton = $<HTMLButtonElement>('jump-latest');
const prompt = $<HTMLTextAreaElement>('prompt');
const sendButton = $<HTMLButtonElement>('send');
const stopButton = $<HTMLButtonElement>('stop');
const sendReason = $('send-reason');
const chatsToggle = $<HTMLButtonElement>('chats-toggle');
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

const scroll = new ScrollFollow(log, jumpButton);
const afterContentChange = () => scroll.contentChanged();
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

// ---- drafts ----

const drafts = new Drafts();

function inputChanged(): void {
  renderComposer();
  drafts.saveSoon(state.chat?.id, prompt.value);
}

// ---- rendering ----

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
        if (previousChat) drafts.saveNow(previousChat, prompt.value);
        // What was typed while the first chat was loading stays.
        if (previousChat || !prompt.value) prompt.value = drafts.of(message.chat.id);
        prompts.closeForm();
        scroll.follow = true;
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
      if (changedChat) scroll.toEnd();
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
      else if (event.type === 'finish' && event.reason !== 'error') announce(`${event.note ? `${event.note.text} ` : ''}${finishedText(event.reason, messages.liveText())}`);
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
  scroll.follow = true;
  return true;
}

/** Enter pressed before the first state arrived: the message goes once the chat has loaded. */
let sendWhenLoaded = false;

function sendFromInput(): void {
  if (!hostAnswered && prompt.value.trim()) {
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
    scroll.follow = true;
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
  askConfirm(confirmBar, prompt, `Clear all ${chat.messages.length} messages of “${chat.title}”?`, 'Clear', () => post({ type: 'clearChat', chatId: chat.id }));
});

listenForClicks({
  messages, controls, keys, modelInput, refreshModels, prompt, editMessage, setChatListOpen, setKeysOpen,
  followReply: () => (scroll.follow = true),
});

window.addEventListener('blur', () => controls.flush());

onHostMessage((message) => fromHost(message, handle));
post({ type: 'ready' });
// Stamps the bench reads for the restore's timeline (bench/lib/restoreTimeline.ts), with parley:snapshot and :state.
performance.mark('parley:ready');
// A panel restored after a reload: its chat as it was, while the host answers `ready`.
showSavedState(handle);
prompt.focus();
