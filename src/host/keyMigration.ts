import * as vscode from 'vscode';
import type { ProviderId } from '../protocol';
import type { KeyStore } from './keys';

export const KEY_SETTING_PROVIDERS: ProviderId[] = ['groq', 'openai', 'anthropic', 'google', 'cerebras', 'xai', 'openrouter', 'ollama', 'lmstudio', 'custom'];

/**
 * A key typed into settings.json under `parley.<provider>.apiKey` (or `parley.apiKey`) does not belong there:
 * move it into SecretStorage, remove it from every settings scope, and say so.
 */
export async function migrateKeysFromSettings(keys: KeyStore, log: (line: string) => void): Promise<number> {
  const config = vscode.workspace.getConfiguration('parley');
  let moved = 0;
  // These settings are declared in package.json only so that they can be removed again.
  const candidates = KEY_SETTING_PROVIDERS.map((provider) => ({ setting: `${provider}.apiKey`, provider }));
  for (const { setting, provider } of candidates) {
    const inspected = config.inspect<unknown>(setting);
    if (!inspected) continue;
    const scopes: Array<[unknown, vscode.ConfigurationTarget]> = [
      [inspected.globalValue, vscode.ConfigurationTarget.Global],
      [inspected.workspaceValue, vscode.ConfigurationTarget.Workspace],
      [inspected.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
    ];
    for (const [value, target] of scopes) {
      if (typeof value !== 'string' || !value.trim()) continue;
      await keys.set(provider, value.trim());
      await config.update(setting, undefined, target);
      moved++;
      log(`Moved the key found in setting parley.${setting} into secret storage and removed it from settings.`);
      void vscode.window.showWarningMessage(
        `Parley moved the API key you put in settings (parley.${setting}) into VS Code's secret storage and removed it from settings.json. Keys in settings files can leak through sync, backups and screenshots.`,
      );
    }
  }
  return moved;
}
