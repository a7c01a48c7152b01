// What Parley knows of each provider's models, and from where: the live lists from the providers' models
// endpoints (kept with their age in VS Code's globalState), the models.dev catalog, and the providers' rules.
// Owns the cached lists; answers which models to offer, a new chat's model, whether a chat's model is gone,
// and the capabilities the panel shows for a model.
import type { Capabilities, ProviderId } from '../protocol';
import { withFacts } from '../providers/capabilities';
import { canChat, catalogFacts, CATALOG_PROVIDER, mergeFacts, overlayCatalog, packagedCatalog, readCatalog, type CatalogData, type ListedModel, type ModelFacts } from '../providers/catalog';
import { providerById, providers } from '../providers/registry';

export interface ModelList {
  models: ListedModel[];
  /** ms since epoch */
  fetchedAt: number;
}

/** Where the lists are kept between sessions (VS Code's globalState in the extension). */
export interface ModelListStore {
  get(): Partial<Record<ProviderId, ModelList>> | undefined;
  set(lists: Partial<Record<ProviderId, ModelList>>): PromiseLike<void>;
}

/** A newer models.dev catalog than the packaged one, as fetched (kept in globalState too). */
export interface FetchedCatalog {
  url: string;
  fetchedAt: number;
  data: CatalogData;
}

export interface CatalogStore {
  get(): FetchedCatalog | undefined;
  set(catalog: FetchedCatalog): PromiseLike<void>;
}

/** How long a fetched catalog is used before it is fetched again (prices and limits change slowly). */
export const CATALOG_MAX_AGE_MS = 24 * 3600_000;

export interface GoneModel {
  model: string;
  provider: string;
  suggestion?: string;
  listedAt: number;
}

export class ModelDirectory {
  private readonly lists = new Map<ProviderId, ModelList>();
  private catalog: CatalogData | undefined;
  private catalogLoad: Promise<void> | undefined;
  private fetched: FetchedCatalog | undefined;

  constructor(private readonly store?: ModelListStore, private readonly catalogStore?: CatalogStore) {
    const cached = catalogStore?.get();
    if (cached && typeof cached.fetchedAt === 'number' && typeof cached.url === 'string') this.fetched = { ...cached, data: readCatalog(cached.data) ?? {} };
    for (const [provider, list] of Object.entries(store?.get() ?? {}) as [ProviderId, ModelList][]) {
      if (providerById(provider) && Array.isArray(list?.models) && typeof list.fetchedAt === 'number') this.lists.set(provider, list);
    }
  }

  /**
   * Loads the packaged catalog (once), with the last fetched catalog laid over it; facts asked for before then come
   * from the endpoint and the rules only.
   */
  loadCatalog(): Promise<void> {
    this.catalogLoad ??= packagedCatalog().then((data) => {
      this.catalog = overlayCatalog(data, this.fetched?.data);
    });
    return this.catalogLoad;
  }

  /** When the catalog in use was fetched; undefined while it is the packaged copy. */
  catalogFetchedAt(): number | undefined {
    return this.fetched?.fetchedAt;
  }

  /**
   * Fetches models.dev's current catalog when the one in use is older than a day (or came from another URL):
   * models released after Parley's package was built get their prices and limits. Failures leave the catalog as it is.
   */
  async refreshCatalog(url: string, now = Date.now()): Promise<boolean> {
    if (!url || (this.fetched?.url === url && now - this.fetched.fetchedAt < CATALOG_MAX_AGE_MS)) return false;
    const response = await fetch(url, { signal: AbortSignal.timeout(20_000), headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`);
    const data = readCatalog(await response.json());
    if (!data) throw new Error(`${url} does not look like a models.dev catalog (none of Parley's providers in it)`);
    this.fetched = { url, fetchedAt: now, data };
    await this.catalogStore?.set(this.fetched);
    this.catalog = overlayCatalog(await packagedCatalog(), data);
    return true;
  }

  list(provider: ProviderId): ModelList | undefined {
    return this.lists.get(provider);
  }

  /** Stores what the models endpoint answered, keeping only models that can chat. */
  async setList(provider: ProviderId, listed: ListedModel[], now = Date.now()): Promise<void> {
    const unique = new Map(listed.filter((m) => canChat(m.id)).map((m) => [m.id, m]));
    this.lists.set(provider, { models: [...unique.values()].sort((a, b) => a.id.localeCompare(b.id)), fetchedAt: now });
    await this.store?.set(Object.fromEntries(this.lists));
  }

  /** The models the picker offers: the live list (recommended first), or the built-in list until there is one. */
  ids(provider: ProviderId): string[] {
    const definition = providerById(provider);
    const live = this.lists.get(provider)?.models.map((m) => m.id);
    if (!live?.length) return definition?.builtinModels ?? [];
    const recommended = (definition?.recommendedModels ?? []).filter((id) => live.includes(id));
    return [...recommended, ...live.filter((id) => !recommended.includes(id))];
  }

  /** A new chat's model: the configured one, else the first recommended model listed now, else the first listed. */
  defaultModel(provider: ProviderId, configured?: string): string {
    if (configured) return configured;
    const definition = providerById(provider);
    const live = this.lists.get(provider)?.models.map((m) => m.id) ?? [];
    if (!live.length) return definition?.builtinModels[0] ?? '';
    return definition?.recommendedModels?.find((id) => live.includes(id)) ?? this.ids(provider)[0];
  }

  /** The chat's model is not among those the provider listed: say so, with the closest listed model to switch to. */
  gone(provider: ProviderId, model: string): GoneModel | undefined {
    const list = this.lists.get(provider);
    if (!list?.models.length || !model || list.models.some((m) => m.id === model)) return undefined;
    const suggestion = sameFamily(model, list.models.map((m) => m.id)) ?? this.defaultModel(provider);
    return { model, provider: providerById(provider)?.label ?? provider, ...(suggestion && { suggestion }), listedAt: list.fetchedAt };
  }

  facts(provider: ProviderId, model: string): ModelFacts {
    const listed = this.lists.get(provider)?.models.find((m) => m.id === model);
    return mergeFacts(catalogFacts(this.catalog, provider, model), listed, providerById(provider)?.label ?? provider);
  }

  capabilities(provider: ProviderId, model: string): Capabilities {
    const definition = providerById(provider) ?? providers[0];
    const facts = this.facts(provider, model);
    return withFacts(definition.capabilities(model, facts), facts, model);
  }

  /** Whether replies on this provider cost money (cloud providers the catalog covers), so an unknown price is said. */
  isBilled(provider: ProviderId): boolean {
    return provider in CATALOG_PROVIDER;
  }
}

/**
 * The listed model closest to a gone one: the longest shared name prefix, counted in name parts
 * (`qwen/qwen3-32b` → `qwen/qwen3.6-27b`), provided the first word (the family) is the same.
 */
export function sameFamily(model: string, listed: string[]): string | undefined {
  const parts = (id: string) => id.toLowerCase().split(/[-/.:_]/).filter(Boolean);
  const family = (id: string) => parts(id)[0]?.replace(/\d+$/, '');
  const want = parts(model);
  let best: string | undefined;
  let bestScore = 0;
  for (const id of listed) {
    if (family(id) !== family(model)) continue;
    const have = parts(id);
    let score = 0;
    while (score < Math.min(want.length, have.length) && want[score] === have[score]) score++;
    // a partial match of the next part counts for something (qwen3 vs qwen3.6 → "qwen3" shared)
    const next = want[score] && have[score] ? commonPrefix(want[score], have[score]) / 10 : 0;
    if (score + next > bestScore) {
      bestScore = score + next;
      best = id;
    }
  }
  return best;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < Math.min(a.length, b.length) && a[i] === b[i]) i++;
  return i;
}
