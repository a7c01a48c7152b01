import type { Capabilities, Chat, HostMessage, ProviderInfo } from '../src/protocol';
import { MessageList } from './messages';
import { onHostMessage, post } from './vscode';
import './styles.css';

interface State {
  chat?: Chat;
  providers: ProviderInfo[];
  capabilities?: Capabilities;
  /** The request whose events this panel shows; events of any other request are dropped. */
  requestId?: string;
  lastSeq: number;
}

const state: State = { providers: [], lastSeq: -1 };

const app = document.getElementById('app')!;
app.innerHTML = `
  <header class="toolbar">
    <label class="field"><span class="field-label">Provider</span><select id="provider" aria-label="Provider"></select></label>
    <label class="field grow"><span class="field-label">Model</span><input id="model" list="models" aria-label="Model" spellcheck="false"><datalist id="models"></datalist></label>
    <span id="demo-badge" class="demo-badge" hidden title="Replies come from Parley's offline demo model, not from an AI">DEMO · offline</span>
  </header>
  <div id="banner" class="banner" hidden></div>
  <main id="log" class="log" role="log" aria-live="polite" aria-label="Conversation"></main>
  <div id="notice" class="notice" role="status" hidden></div>
  <footer class="composer">
    <textarea id="prompt" rows="2" placeholder="Ask anything… (Enter to send, Shift+Enter for a new line)" aria-label="Message"></textarea>
    <div class="composer-actions">
      <button id="send" type="button" class="primary" title="Send (Enter)"><span class="codicon codicon-send"></span> Send</button>
      <button id="stop" type="button" class="secondary" title="Stop (Esc)" hidden><span class="codicon codicon-debug-stop"></span> Stop</button>
    </div>
  </footer>`;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const providerSelect = $<HTMLSelectElement>('provider');
const modelInput = $<HTMLInputElement>('model');
const modelList = $<HTMLDataListElement>('models');
const demoBadge = $('demo-badge');
const banner = $('banner');
const log = $('log');
const notice = $('notice');
const prompt = $<HTMLTextAreaElement>('prompt');
const sendButton = $<HTMLButtonElement>('send');
const stopButton = $<HTMLButtonElement>('stop');

let followStream = true;
log.addEventListener('scroll', () => {
  followStream = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
});
const messages = new MessageList(log, () => {
  if (followStream) log.scrollTop = log.scrollHeight;
});

function streaming(): boolean {
  return state.requestId !== undefined;
}

function renderChrome(): void {
  const chat = state.chat;
  if (!chat) return;
  providerSelect.replaceChildren(
    ...state.providers.map((p) => {
      const option = new Option(p.needsKey && !p.keySet ? `${p.label} (no key)` : p.label, p.id);
      option.selected = p.id === chat.config.provider;
      return option;
    }),
  );
  const provider = state.providers.find((p) => p.id === chat.config.provider);
  if (document.activeElement !== modelInput) modelInput.value = chat.config.model;
  modelList.replaceChildren(...(provider?.models ?? []).map((m) => new Option(m, m)));
  const demo = chat.config.provider === 'demo';
  demoBadge.hidden = !demo;
  modelInput.disabled = demo;
  banner.hidden = !demo;
  if (demo) {
    const groq = state.providers.find((p) => p.id === 'groq');
    banner.innerHTML = '';
    banner.append(
      'You are chatting with the offline demo model: it echoes your message. ',
      groq?.keySet ? 'A Groq key is set: choose Groq in the provider list to chat with a real model. ' : 'To use Groq, set an API key, then choose Groq as the provider. ',
    );
    if (!groq?.keySet) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'link-button';
      button.dataset.action = 'set-key';
      button.dataset.provider = 'groq';
      button.textContent = 'Set Groq API key';
      banner.append(button);
    }
  }
  sendButton.hidden = streaming();
  stopButton.hidden = !streaming();
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'state': {
      const changedChat = state.chat?.id !== message.chat.id;
      messages.flushNow();
      state.chat = message.chat;
      state.providers = message.providers;
      state.capabilities = message.capabilities;
      if (message.activeRequest !== state.requestId || changedChat) {
        state.requestId = message.activeRequest;
        state.lastSeq = -1;
      }
      messages.setMessages(message.chat.messages);
      renderChrome();
      if (changedChat) log.scrollTop = log.scrollHeight;
      return;
    }
    case 'stream': {
      if (message.chatId !== state.chat?.id || message.requestId !== state.requestId) return;
      if (message.seq <= state.lastSeq) return;
      const event = message.event;
      if (state.lastSeq < 0 && event.type !== 'start') {
        // Joined mid-stream (e.g. after a reload): continue from the text the state carried.
        const live = state.chat.messages.find((m) => m.status === 'streaming');
        if (live) messages.startLive(live.id, live.text, live.reasoning);
      }
      state.lastSeq = message.seq;
      if (event.type === 'start') messages.startLive(event.messageId);
      else messages.applyDelta(event);
      return;
    }
    case 'notice':
      notice.hidden = false;
      notice.textContent = message.text;
      notice.dataset.level = message.level;
      setTimeout(() => (notice.hidden = true), 8000);
      return;
  }
}

function send(): void {
  const text = prompt.value;
  if (!state.chat || !text.trim() || streaming()) return;
  post({ type: 'send', chatId: state.chat.id, text });
  prompt.value = '';
  followStream = true;
}

function stop(): void {
  if (state.chat && streaming()) post({ type: 'stop', chatId: state.chat.id });
}

prompt.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    send();
  }
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && streaming()) {
    e.preventDefault();
    stop();
  }
});
sendButton.addEventListener('click', send);
stopButton.addEventListener('click', stop);
providerSelect.addEventListener('change', () => {
  if (state.chat) post({ type: 'setConfig', chatId: state.chat.id, patch: { provider: providerSelect.value as Chat['config']['provider'] } });
});
modelInput.addEventListener('change', () => {
  const model = modelInput.value.trim();
  if (state.chat && model) post({ type: 'setConfig', chatId: state.chat.id, patch: { model } });
});
document.addEventListener('click', (e) => {
  const target = (e.target as Element).closest<HTMLElement>('[data-action], a[href]');
  if (!target) return;
  if (target instanceof HTMLAnchorElement) {
    e.preventDefault();
    const href = target.getAttribute('href') ?? '';
    if (/^https?:\/\//i.test(href)) post({ type: 'openLink', url: href });
    return;
  }
  if (target.dataset.action === 'set-key') {
    const provider = target.dataset.provider ?? state.chat?.config.provider;
    post({ type: 'runCommand', command: 'setApiKey', provider: provider as Chat['config']['provider'] });
  }
});

onHostMessage(handle);
post({ type: 'ready' });
prompt.focus();
