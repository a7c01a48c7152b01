import { ParleyError } from '../providers/errors';
import { readWorkspaceFile, type Attachment, type AttachmentPolicy } from './attachments';
import type { ChatStore } from './chatStore';
import type { ServiceHost } from './serviceHost';

const DEFAULT_ATTACHMENT_POLICY: Omit<AttachmentPolicy, 'roots'> = {
  allowedTypes: ['text/*', 'application/json', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'],
  maxBytes: 1024 * 1024,
};

/** Reads what the user attaches into a chat's pending attachments, under the current policy (holds no state). */
export class AttachmentIntake {
  constructor(private readonly host: ServiceHost, private readonly store: ChatStore) {}

  policy(): AttachmentPolicy {
    return { ...DEFAULT_ATTACHMENT_POLICY, ...this.host.settings().attachments, roots: this.host.workspaceRoots?.() ?? [] };
  }

  /** Reads files (paths or file: URIs) into the chat's pending attachments; each refusal is reported. */
  async attachFiles(chatId: string, paths: readonly string[]): Promise<void> {
    const policy = this.policy();
    const added: Attachment[] = [];
    const refused: string[] = [];
    for (const path of paths) {
      try {
        added.push(await readWorkspaceFile(path, policy));
      } catch (err) {
        refused.push(err instanceof ParleyError ? err.message : `Could not read ${path}: ${(err as Error).message}`);
      }
    }
    if (added.length) await this.store.addPending(chatId, added);
    // The caller reports (and logs) the refusal once: as a notice in the panel, or as an error message.
    if (refused.length) throw new ParleyError('attachment', refused.join(' '));
  }
}
