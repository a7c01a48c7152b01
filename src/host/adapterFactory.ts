// Creates a provider's adapter with the user's key and settings: the one place a key leaves the key store for
// an SDK (used by the chat panel and by the VS Code language-model provider).
import type { ProviderId } from '../protocol';
import { ParleyError } from '../providers/errors';
import type { AdapterOptions, ProviderAdapter, ProviderDefinition } from '../providers/types';
import type { KeyStore } from './keys';

export interface AdapterSettings {
  baseUrl(provider: ProviderId): string | undefined;
  requestTimeoutSeconds: number;
  maxRetries: number;
}

export async function createAdapterFor(definition: ProviderDefinition, keys: KeyStore, settings: AdapterSettings, onRetryWait?: AdapterOptions['onRetryWait']): Promise<ProviderAdapter> {
  const apiKey = await keys.get(definition.id);
  if (definition.needsKey && !apiKey) {
    throw new ParleyError('no-key', `Set ${/^[AEIOU]/i.test(definition.label) ? 'an' : 'a'} ${definition.label} API key to chat with ${definition.label}, or switch to the demo model.`, 'set-key');
  }
  return definition.createAdapter({
    apiKey,
    baseUrl: settings.baseUrl(definition.id),
    timeoutMs: settings.requestTimeoutSeconds * 1000,
    maxRetries: settings.maxRetries,
    onRetryWait,
  });
}
