import { PROVIDER_IDS, type ProviderId } from '../protocol';
import { providerById } from '../providers/registry';

/** The slice of vscode.SecretStorage Parley uses. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

const secretKey = (provider: ProviderId) => `parley.apiKey.${provider}`;

/** API keys: SecretStorage first, then the provider's environment variables. Nothing else ever holds one. */
export class KeyStore {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly secrets: SecretStore, private readonly env: NodeJS.ProcessEnv = process.env) {}

  async get(provider: ProviderId): Promise<string | undefined> {
    const stored = await this.secrets.get(secretKey(provider));
    if (stored) return stored;
    for (const name of providerById(provider)?.keyEnv ?? []) {
      const value = this.env[name]?.trim();
      if (value) return value;
    }
    return undefined;
  }

  /** Where the key comes from, if there is one; never the key itself. */
  async source(provider: ProviderId): Promise<'secret-storage' | 'environment' | undefined> {
    if (await this.secrets.get(secretKey(provider))) return 'secret-storage';
    return (providerById(provider)?.keyEnv ?? []).some((name) => this.env[name]?.trim()) ? 'environment' : undefined;
  }

  async has(provider: ProviderId): Promise<boolean> {
    return (await this.get(provider)) !== undefined;
  }

  async set(provider: ProviderId, key: string): Promise<void> {
    await this.secrets.store(secretKey(provider), key.trim());
    this.changed();
  }

  async clear(provider: ProviderId): Promise<void> {
    await this.secrets.delete(secretKey(provider));
    this.changed();
  }

  /** Every key currently known, for redacting them out of anything shown or logged. */
  async all(): Promise<string[]> {
    const keys = await Promise.all(PROVIDER_IDS.map((id) => this.get(id)));
    return keys.filter((k): k is string => !!k);
  }

  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call when SecretStorage changed from outside (another window). */
  changed(): void {
    for (const listener of this.listeners) listener();
  }
}
