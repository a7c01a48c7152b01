// Which elements the keyboard can reach: the focusable ones (buttons, links, fields, summaries, anything with a
// tabindex) that are shown and enabled, in document order; the tabbable ones are those of them Tab stops on.

const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable="true"]';

function reachable(el: HTMLElement): boolean {
  if ((el as HTMLButtonElement).disabled || el.closest('[inert]')) return false;
  if (el instanceof HTMLInputElement && el.type === 'hidden') return false;
  // A summary only takes the focus as its details' first summary.
  if (el.tagName === 'SUMMARY' && el.parentElement?.tagName === 'DETAILS' && el.parentElement.querySelector('summary') !== el) return false;
  return el.checkVisibility({ visibilityProperty: true });
}

/** The focusable elements inside `root` (tabindex -1 included), in document order. */
export function focusables(root: Element): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(reachable);
}

/** The elements inside `root` that Tab stops on, in document order (no positive tabindex is used in the panel). */
export function tabbables(root: Element): HTMLElement[] {
  return focusables(root).filter((el) => el.tabIndex >= 0);
}
