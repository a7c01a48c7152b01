// The panel's regions for the keyboard: F6 / Shift+F6 moves to the next / previous region (VS Code's own keys for
// moving between its parts), landing on the region's natural place (the input's textarea, the conversation's
// current message, a region's first control). Tab and Shift+Tab wrap around inside the panel instead of leaving
// it. The handlers stop the keys here, so VS Code (which also hears a webview's keys) does not move to another part.
import { tabbables } from './focusables';

export interface Region {
  el: HTMLElement;
  /** Where the focus lands in the region; by default its first control, or the region itself. */
  enter?: () => boolean;
}

/** Wires F6 / Shift+F6 between `regions` (in order; hidden ones are skipped) and Tab wrapping around the panel. */
export function setupLandmarks(regions: () => Region[]): void {
  const visible = () => regions().filter((r) => !r.el.hidden && r.el.getClientRects().length > 0);

  function enter(region: Region): void {
    if (region.enter?.()) return;
    const first = tabbables(region.el)[0];
    if (first) first.focus();
    else {
      if (!region.el.hasAttribute('tabindex')) region.el.tabIndex = -1;
      region.el.focus();
    }
  }

  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'F6') {
      const list = visible();
      if (!list.length) return;
      e.preventDefault();
      e.stopPropagation();
      const active = document.activeElement;
      const at = list.findIndex((r) => r.el.contains(active));
      const step = e.shiftKey ? -1 : 1;
      // From outside every region, F6 goes to the first and Shift+F6 to the last.
      const next = at < 0 ? (e.shiftKey ? list.length - 1 : 0) : (at + step + list.length) % list.length;
      enter(list[next]);
    } else if (e.key === 'Tab') {
      const all = tabbables(document.body);
      if (!all.length) return;
      const active = document.activeElement;
      const wrapTo = e.shiftKey ? (active === all[0] ? all[all.length - 1] : undefined) : active === all[all.length - 1] ? all[0] : undefined;
      if (!wrapTo) return;
      e.preventDefault();
      e.stopPropagation();
      wrapTo.focus();
    }
  });
}
