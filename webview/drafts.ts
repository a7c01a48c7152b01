// Drafts: what was typed in each chat's input and not sent, kept in the webview's own state (it survives the panel
// being hidden or restored), saved a moment after the typing stops and at once when the panel switches chats.
import { viewState } from './vscode';

interface SavedView {
  drafts?: Record<string, string>;
}

export class Drafts {
  private readonly drafts: Record<string, string> = viewState.get<SavedView>().drafts ?? {};
  private timer: ReturnType<typeof setTimeout> | undefined;

  of(chatId: string): string {
    return this.drafts[chatId] ?? '';
  }

  saveSoon(chatId: string | undefined, text: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.saveNow(chatId, text), 300);
  }

  saveNow(chatId: string | undefined, text: string): void {
    clearTimeout(this.timer);
    if (!chatId) return;
    if (text) this.drafts[chatId] = text;
    else delete this.drafts[chatId];
    viewState.update<SavedView>({ drafts: this.drafts });
  }
}
