import { ParleyError } from '../providers/errors';
import type { AdapterOptions, ProviderAdapter, ProviderDefinition } from '../providers/types';
import type { KeyStore } from './keys';
import type { ServiceHost } from './serviceHost';

/** Builds a provider's adapter from its key and the settings as they are now (holds no state). */
export async function adapterFor(host: ServiceHost, keys: KeyStore, definition: ProviderDefinition, onRetryWait: AdapterOptions['onRetryWait']): Promise<ProviderAdapter> {
  const apiKey = await keys.get(definition.id);
  if (definition.needsKey && !apiKey) {
    throw new ParleyError('no-key', `Set a ${definition.label} API key to chat with ${definition.label}, or switch to the demo model.`, 'set-key');
  }
  const settings = host.settings();
  const options: AdapterOptions = {
    apiKey,
    baseUrl: settings.baseUrl(definition.id),
    timeoutMs: settings.requestTimeoutSeconds * 1000,
    maxRetries: settings.maxRetries,
    onRetryWait,
  };
  return definition.createAdapter(options);
}
