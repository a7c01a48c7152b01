import type { ProviderId } from '../protocol';
import { demo } from './demo';
import { groq } from './groq';
import type { ProviderDefinition } from './types';

/** Every provider Parley knows, in the order the panel lists them. */
export const providers: readonly ProviderDefinition[] = [demo, groq];

export function providerById(id: ProviderId): ProviderDefinition | undefined {
  return providers.find((p) => p.id === id);
}
