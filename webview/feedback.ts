// Small pieces of feedback in the panel: a line under the input, a notice bar, the bar that asks before a
// destructive action, and the check mark a button shows for a moment after it copied.
import { h, icon, textButton } from './dom';

let sayTimer: ReturnType<typeof setTimeout> | undefined;
/** A short message under the input (why a send did not go, …), gone after 15 s; undefined clears it. */
export function say(text: string | undefined): void {
  const line = document.getElementById('composer-message')!;
  line.textContent = text ?? '';
  clearTimeout(sayTimer);
  if (text) sayTimer = setTimeout(() => (line.textContent = ''), 15_000);
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
/** The host's notice, in its bar between the conversation and the input, for 8 s (12 s for an error). */
export function showNotice(level: string, text: string): void {
  const notice = document.getElementById('notice')!;
  notice.hidden = false;
  notice.textContent = text;
  notice.dataset.level = level;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (notice.hidden = true), level === 'error' ? 12_000 : 8000);
}

/** Shows `text` in `bar` with a confirm and a Cancel button; focus goes back to `after` when it closes. */
export function askConfirm(bar: HTMLElement, after: HTMLElement, text: string, confirmLabel: string, onConfirm: () => void): void {
  const yes = textButton(confirmLabel, { class: 'danger' });
  const no = textButton('Cancel', { class: 'secondary' });
  const close = () => {
    bar.hidden = true;
    bar.replaceChildren();
  };
  yes.addEventListener('click', () => {
    close();
    onConfirm();
    after.focus();
  });
  no.addEventListener('click', () => {
    close();
    after.focus();
  });
  bar.replaceChildren(icon('warning'), h('span', { class: 'confirm-text' }, text), yes, no);
  bar.onkeydown = (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      no.click();
    }
  };
  bar.hidden = false;
  no.focus();
}

/** The button's icon turns into a check mark for a moment, with `text` for its tooltip. */
export function flash(button: HTMLElement, text = 'Copied'): void {
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
