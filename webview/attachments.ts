// Attachments: the paperclip (the host shows a file picker), files dragged from the VS Code explorer (their URIs
// go to the host, which reads them), pasted or dropped images (sent as base64, size-checked here first), and
// chips for what waits to go with the next message.
import { h, humanSize, icon, iconButton } from './dom';
import { state } from './store';
import { post } from './vscode';
import { MAX_IMAGE_BYTES } from '../src/protocol';

const MAX_URIS = 50;
const URI_TYPES = ['application/vnd.code.uri-list', 'text/uri-list', 'resourceurls'];

/** URIs from a drop: `text/uri-list` lines (comments skipped) or a JSON array of URI strings. */
export function parseUriList(data: string): string[] {
  const text = data.trim();
  if (!text) return [];
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.filter((u): u is string => typeof u === 'string' && u.length > 0);
    } catch {
      // fall through to the line format
    }
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(file);
  });
}

export interface AttachmentHost {
  /** Shows a problem next to the input (undefined clears it). */
  say(text: string | undefined): void;
}

export class Attachments {
  readonly chips: HTMLElement;
  readonly button: HTMLButtonElement;
  readonly overlay: HTMLElement;
  private dragDepth = 0;

  constructor(private readonly host: AttachmentHost) {
    this.chips = h('div', { id: 'attachments', class: 'attachment-chips', role: 'list', 'aria-label': 'Attachments for the next message', hidden: true });
    this.button = iconButton('attach', 'Attach files (or drag them here from the Explorer with Shift, or paste an image)', { id: 'attach' });
    this.overlay = h('div', { id: 'drop-overlay', class: 'drop-overlay', hidden: true, 'aria-hidden': 'true' }, h('div', { class: 'drop-box' }, icon('attach'), 'Drop to attach'));
    this.button.addEventListener('click', () => {
      if (state.chat) post({ type: 'pickAttachment', chatId: state.chat.id });
    });
    this.chips.addEventListener('click', (e) => {
      const button = (e.target as Element).closest<HTMLElement>('[data-remove]');
      if (button && state.chat) post({ type: 'removeAttachment', chatId: state.chat.id, attachmentId: button.dataset.remove! });
    });
  }

  /** Wires drag & drop on the whole panel and image paste on `input`. */
  listen(root: HTMLElement, input: HTMLTextAreaElement): void {
    const accepts = (dt: DataTransfer | null) => !!dt && [...dt.types].some((t) => URI_TYPES.includes(t.toLowerCase()) || t === 'Files');
    root.addEventListener('dragenter', (e) => {
      if (!accepts(e.dataTransfer)) return;
      e.preventDefault();
      this.dragDepth++;
      this.overlay.hidden = false;
    });
    root.addEventListener('dragover', (e) => {
      if (!accepts(e.dataTransfer)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    });
    root.addEventListener('dragleave', () => {
      this.dragDepth = Math.max(0, this.dragDepth - 1);
      if (this.dragDepth === 0) this.overlay.hidden = true;
    });
    root.addEventListener('drop', (e) => {
      this.dragDepth = 0;
      this.overlay.hidden = true;
      if (!accepts(e.dataTransfer)) return;
      e.preventDefault();
      void this.drop(e.dataTransfer!);
    });
    input.addEventListener('paste', (e) => {
      const files = [...(e.clipboardData?.items ?? [])].filter((i) => i.kind === 'file' && i.type.startsWith('image/')).map((i) => i.getAsFile()).filter((f): f is File => !!f);
      if (files.length === 0) return;
      e.preventDefault();
      void this.attachImages(files);
    });
  }

  async drop(dt: DataTransfer): Promise<void> {
    const chat = state.chat;
    if (!chat) return;
    let uris: string[] = [];
    for (const type of URI_TYPES) {
      const data = dt.getData(type);
      if (data) {
        uris = parseUriList(data);
        if (uris.length) break;
      }
    }
    if (uris.length) {
      if (uris.length > MAX_URIS) this.host.say(`Only the first ${MAX_URIS} of ${uris.length} files are attached.`);
      else this.host.say(undefined);
      post({ type: 'attachUris', chatId: chat.id, uris: uris.slice(0, MAX_URIS) });
      return;
    }
    // Files from outside VS Code carry no path the host may read; images can still come as data.
    const files = [...dt.files];
    const images = files.filter((f) => f.type.startsWith('image/'));
    if (images.length) await this.attachImages(images);
    if (images.length < files.length) {
      this.host.say('Only images can be dropped from outside VS Code. Drag other files from the Explorer (hold Shift), or use the paperclip.');
    }
  }

  async attachImages(files: File[]): Promise<void> {
    const chat = state.chat;
    if (!chat) return;
    const problems: string[] = [];
    for (const file of files) {
      const name = file.name || `pasted-image.${file.type.split('/')[1] || 'png'}`;
      if (file.size > MAX_IMAGE_BYTES) {
        problems.push(`“${name}” is ${humanSize(file.size)}; images can be at most ${humanSize(MAX_IMAGE_BYTES)}.`);
        continue;
      }
      try {
        const base64 = await readBase64(file);
        post({ type: 'attachImage', chatId: chat.id, name, mimeType: file.type || 'image/png', base64 });
      } catch (err) {
        problems.push(`Could not read “${name}”: ${(err as Error).message}`);
      }
    }
    this.host.say(problems.length ? problems.join(' ') : undefined);
  }

  render(): void {
    const list = state.pendingAttachments;
    this.chips.hidden = list.length === 0;
    const blind = state.capabilities && !state.capabilities.vision;
    this.chips.replaceChildren(
      ...list.map((a) => {
        const warn = a.kind === 'image' && blind;
        return h(
          'span',
          { class: `attachment-chip${warn ? ' warn' : ''}`, role: 'listitem', 'data-id': a.id, title: `${a.source}${warn ? ' — this model cannot see images' : ''}` },
          icon(warn ? 'warning' : a.kind === 'image' ? 'file-media' : 'file'),
          h('span', { class: 'chip-name' }, a.name),
          h('span', { class: 'chip-size' }, humanSize(a.size)),
          iconButton('close', `Remove ${a.name}`, { 'data-remove': a.id, class: 'chip-remove' }),
        );
      }),
    );
  }
}
