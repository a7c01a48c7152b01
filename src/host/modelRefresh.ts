import type { ProviderId } from '../protocol';
import { classifyError, ParleyError } from '../providers/errors';
import { providerById } from '../providers/registry';
import { createAdapterFor } from './adapterFactory';
import type { KeyStore } from './keys';
import type { ModelDirectory } from './modelDirectory';
import type { ServiceHost } from './serviceHost';

/**
 * Owns when model lists and the catalog are fetched in this session: which providers were asked already (a panel
 * opening asks once per provider) and the one catalog refresh. What was fetched lives in the ModelDirectory.
 */
export class ModelRefresh {
  private readonly listed = new Set<ProviderId>();
  private catalogRefresh: Promise<void> | undefined;

  /** `changed` is called when a list or the catalog changed on its own (not on a forced fetch, whose caller reports). */
  constructor(private readonly host: ServiceHost, private readonly keys: KeyStore, private readonly models: ModelDirectory, private readonly changed: () => Promise<void>) {}

  isListed(provider: ProviderId): boolean {
    return this.listed.has(provider);
  }

  /** The provider's key was cleared: its list is asked for again once a key is back. */
  forget(provider: ProviderId): void {
    this.listed.delete(provider);
  }

  /**
   * Asks the provider's models endpoint what it serves now (once per session when a panel opens, again when a
   * key is set or the user refreshes). The answer is kept with its age; a failure keeps the last list.
   */
  async fetch(provider: ProviderId, force: boolean): Promise<void> {
    if (!force && this.listed.has(provider)) return;
    const definition = providerById(provider);
    if (!definition || (definition.needsKey && !(await this.keys.has(provider)))) return;
    this.listed.add(provider);
    try {
      const adapter = await createAdapterFor(definition, this.keys, this.host.settings(), () => undefined);
      if (!adapter.listModels) return;
      await this.models.setList(provider, await adapter.listModels(AbortSignal.timeout(15_000)));
      if (!force) await this.changed();
    } catch (err) {
      const reason = classifyError(err, { provider: definition.label, model: '', host: definition.defaultBaseUrl ?? '', keys: await this.keys.all() });
      this.host.log(`Could not list ${definition.label} models: ${reason.message}`);
      if (force) throw new ParleyError(reason.kind, `Could not list ${definition.label} models: ${reason.message}`);
    }
  }

  /** The catalog is fetched at most once per session (and only when the copy in use is a day old). */
  refreshCatalogOnce(): void {
    this.catalogRefresh ??= this.refreshCatalog();
  }

  private async refreshCatalog(): Promise<void> {
    const url = this.host.settings().modelCatalogUrl ?? '';
    try {
      if (await this.models.refreshCatalog(url)) await this.changed();
    } catch (err) {
      this.host.log(`Could not fetch the model catalog (prices, limits) from ${url}; using the last copy: ${(err as Error).message}`);
    }
  }
}
