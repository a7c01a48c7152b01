// The panel's layout: the static skeleton every part of the panel is mounted into (main.ts fills the slots).
import { MESSAGE_KEYS_HINT } from './messageNav';
/** Writes the skeleton into `app`. */
export function renderLayout(app: HTMLElement): void {
  app.innerHTML = `
    <header class="topbar">
      <h1 class="visually-hidden">Parley chat</h1>
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
}

/** An element of the layout by id. */
export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
