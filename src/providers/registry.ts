import type { ProviderId } from '../protocol';
import { anthropic } from './anthropic';
import { compatibleProviders } from './compatible';
import { demo } from './demo';
import { extensionModels } from './extensionModels';
import { google } from './google';
import { groq } from './groq';
import { openai } from './openai';
import type { ProviderDefinition } from './types';

/** Every provider Parley knows, in the order the panel lists them: OpenAI-compatible presets, then models of other extensions. */
export const providers: readonly ProviderDefinition[] = [demo, groq, openai, anthropic, google, ...compatibleProviders, extensionModels];

export function providerById(id: ProviderId): ProviderDefinition | undefined {
  return providers.find((p) => p.id === id);
}
