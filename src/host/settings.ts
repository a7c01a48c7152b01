import * as vscode from 'vscode';
import { PROVIDER_IDS, type ProviderId } from '../protocol';
import { DEFAULT_ALLOWED_TYPES } from './attachments';
import { parsePromptSetting } from './promptList';
import { DEFAULT_TOOL_SETTINGS, type ServiceSettings } from './serviceSettings';

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Warnings already shown: settings are read often, and each bad entry is reported once. */
const warned = new Set<string>();

/** Reads `parley.*` settings; called whenever the service needs them, so edits apply to the next request. */
export function readSettings(): ServiceSettings {
  const c = vscode.workspace.getConfiguration('parley');
  const provider = c.get<string>('defaultProvider', 'groq');
  return {
    defaultProvider: (PROVIDER_IDS as readonly string[]).includes(provider) ? (provider as ProviderId) : 'groq',
    defaultModel: c.get<string>('defaultModel', ''),
    defaultConfig: {
      system: c.get<string>('systemMessage', ''),
      maxTokens: num(c.get('config.maxTokens', 4096)),
      temperature: num(c.get('config.temperature', 0.5)),
      topP: num(c.get('config.topP', 1)),
      topK: num(c.get('config.topK', 40)),
      frequencyPenalty: num(c.get('config.frequencyPenalty', 0)),
      presencePenalty: num(c.get('config.presencePenalty', 0)),
      stop: [],
      seed: null,
      jsonMode: false,
      reasoningEffort: null,
      thinkingBudget: null,
    },
    baseUrl: (id) => c.get<string>(`${id}.baseUrl`, '').trim() || undefined,
    requestTimeoutSeconds: Math.max(1, c.get<number>('requestTimeoutSeconds', 60)),
    maxRetries: Math.max(0, Math.min(10, c.get<number>('maxRetries', 2))),
    prompts: userPrompts(c.get<unknown>('prompts', [])),
    attachments: {
      allowedTypes: c.get<string[]>('attachments.allowedTypes', DEFAULT_ALLOWED_TYPES).filter((t) => typeof t === 'string'),
      maxBytes: Math.max(1, c.get<number>('attachments.maxBytes', 1024 * 1024)),
    },
    showConfigurationControls: c.get<boolean>('showConfigurationControls', false),
    modelCatalogUrl: c.get<string>('modelCatalogUrl', 'https://models.dev/api.json').trim(),
    tools: {
      enabled: c.get<boolean>('tools.enabled', DEFAULT_TOOL_SETTINGS.enabled),
      maxSteps: Math.max(1, Math.min(100, Math.round(c.get<number>('tools.maxSteps', DEFAULT_TOOL_SETTINGS.maxSteps)))),
      approval: c.get<string>('tools.approval') === 'always' ? 'always' : 'readOnly',
      timeoutSeconds: Math.max(1, c.get<number>('tools.timeoutSeconds', DEFAULT_TOOL_SETTINGS.timeoutSeconds)),
    },
  };
}

/** `parley.prompts`, its bad entries skipped with a warning each (shown once per session). */
function userPrompts(raw: unknown): NonNullable<ServiceSettings['prompts']> {
  const { prompts, warnings } = parsePromptSetting(raw);
  for (const warning of warnings) {
    if (warned.has(warning)) continue;
    warned.add(warning);
    void vscode.window.showWarningMessage(`Parley: ${warning}`);
  }
  return prompts;
}
