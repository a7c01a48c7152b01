// The panel's chrome drawn from the state: the chat's title, the provider and model row, the demo and
// retired-model banner, Send or Stop, and the settings toggle.
import { h, icon, textButton } from './dom';
import { $ } from './layout';
import { currentProvider, state, streaming } from './store';

function ago(at: number): string {
  const minutes = Math.round((Date.now() - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 36 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

export function renderChrome(): void {
  const [chatTitle, chatsToggle, providerSelect, modelInput, modelList] = [$('chat-title'), $<HTMLButtonElement>('chats-toggle'), $<HTMLSelectElement>('provider'), $<HTMLInputElement>('model'), $<HTMLDataListElement>('models')];
  const [demoBadge, refreshModels, banner, app, sendButton, stopButton, controlsToggle] = [$('demo-badge'), $<HTMLButtonElement>('refresh-models'), $('banner'), $('app'), $<HTMLButtonElement>('send'), $<HTMLButtonElement>('stop'), $<HTMLButtonElement>('toggle-controls')];
  const prompt = $<HTMLTextAreaElement>('prompt');
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
