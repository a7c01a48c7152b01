// The last state the panel showed, kept in the webview's own state (vscode.setState survives a window reload and is
// read back synchronously), so that a panel VS Code restores shows its chat as soon as the bundle runs instead of
// after the extension host has started, activated Parley and answered `ready`. The host's state replaces it when it
// arrives; until then a message typed is held and goes once the chat is the host's (sending needs the host).
import type { HostMessage } from '../src/protocol';
import { parseHostMessage } from '../src/protocol';
import { panelModel, streaming } from './store';
import { viewState } from './vscode';

type StateMessage = Extract<HostMessage, { type: 'state' }>;

interface SavedView {
  lastState?: unknown;
}

/** The newest messages kept: the end of the chat is what a restored panel shows first. */
export const SAVED_MESSAGES = 40;
/** Beyond this much JSON the saved chat keeps no messages (setState copies it on every save). */
const MAX_CHARS = 256 * 1024;

/** False from the saved state shown until the host's first state: sending waits for it. */
export let hostAnswered = false;
let timer: ReturnType<typeof setTimeout> | undefined;

/**
 * Shows the state saved before the reload, if there is one this version can read (another version's, or a damaged
 * one, is ignored: the host's state comes anyway, and is saved over it).
 */
export function showSavedState(apply: (message: StateMessage) => void): void {
  const saved = viewState.get<SavedView>().lastState;
  const parsed = saved !== undefined && parseHostMessage(saved);
  if (parsed && parsed.ok && parsed.value.type === 'state') {
    apply(parsed.value);
    performance.mark('parley:snapshot');
  }
}

/** Each host message goes through here to `handle`; what the panel then shows is saved a moment later. */
export function fromHost(message: HostMessage, handle: (message: HostMessage) => void): void {
  const first = message.type === 'state' && !hostAnswered;
  // Before `handle`: a message held for the host's state goes out of it.
  if (first) hostAnswered = true;
  handle(message);
  if (first) performance.mark('parley:state');
  if (!hostAnswered || message.type === 'stream') return;
  clearTimeout(timer);
  timer = setTimeout(save, 500);
}

/** Saves the panel's state as a `state` message; not while a reply streams (the message that ends it saves). */
function save(): void {
  const model = panelModel();
  if (!model || streaming()) return;
  const { activeRequest: _, ...rest } = model;
  const lastState: StateMessage = { type: 'state', ...rest, chat: { ...model.chat, messages: model.chat.messages.slice(-SAVED_MESSAGES) } };
  if (JSON.stringify(lastState).length > MAX_CHARS) lastState.chat = { ...lastState.chat, messages: [] };
  viewState.update<SavedView>({ lastState });
}
