import type { ChatConfig, PromptInfo, ProviderId } from '../protocol';
import type { AttachmentPolicy } from './attachments';

/** Settings the service reads each time it needs them (so changes apply at once). Pure type: no `vscode` here. */
export interface ServiceSettings {
  defaultProvider: ProviderId;
  defaultModel: string;
  defaultConfig: Omit<ChatConfig, 'provider' | 'model'>;
  baseUrl(provider: ProviderId): string | undefined;
  requestTimeoutSeconds: number;
  maxRetries: number;
  /** `parley.prompts`, valid entries only (the built-ins are added by the panel). */
  prompts?: PromptInfo[];
  attachments?: Omit<AttachmentPolicy, 'roots'>;
  showConfigurationControls?: boolean;
  /** Where a newer models.dev catalog is fetched from (empty: only the packaged copy). */
  modelCatalogUrl?: string;
  tools?: ToolSettings;
}

export interface ToolSettings {
  /** Offer tools to models that can call them. */
  enabled: boolean;
  /** Model calls one reply may make; the last one's tool calls are not run, and the reply says so. */
  maxSteps: number;
  /** `readOnly`: tools that only read run without asking; `always`: every call waits for Allow. */
  approval: 'readOnly' | 'always';
  timeoutSeconds: number;
}

export const DEFAULT_TOOL_SETTINGS: ToolSettings = { enabled: true, maxSteps: 10, approval: 'readOnly', timeoutSeconds: 30 };
