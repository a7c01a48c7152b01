import type { ChatConfig, ProviderId } from '../protocol';
import type { AttachmentPolicy } from './attachments';

/** Settings the service reads each time it needs them (so changes apply at once). Pure type: no `vscode` here. */
export interface ServiceSettings {
  defaultProvider: ProviderId;
  defaultModel: string;
  defaultConfig: Omit<ChatConfig, 'provider' | 'model'>;
  baseUrl(provider: ProviderId): string | undefined;
  requestTimeoutSeconds: number;
  maxRetries: number;
  prompts?: string[];
  attachments?: Omit<AttachmentPolicy, 'roots'>;
  showConfigurationControls?: boolean;
  /** Where a newer models.dev catalog is fetched from (empty: only the packaged copy). */
  modelCatalogUrl?: string;
}
