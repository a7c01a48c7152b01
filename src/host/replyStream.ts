import type { Chat, ChatMessage, ProviderId } from '../protocol';
import { applyCapabilities } from '../providers/capabilities';
import { costOf } from '../providers/catalog';
import { classifyError, isStreamCutOff, redactKeys, streamCutOff } from '../providers/errors';
import { providerById, providers } from '../providers/registry';
import type { Turn } from '../providers/types';
import { createAdapterFor } from './adapterFactory';
import type { DeltaChannel } from './deltaChannel';
import type { KeyStore } from './keys';
import type { ModelDirectory } from './modelDirectory';
import type { ServiceHost } from './serviceHost';

const PERSIST_INTERVAL_MS = 1000;

/** A reply in flight, as the reply runner tracks it. */
export interface ActiveRequest {
  requestId: string;
  controller: AbortController;
  stopped: boolean;
  /** Settles when the reply is finished, saved and its final state posted. */
  done?: Promise<void>;
}

export interface ReplyStreamDeps {
  host: ServiceHost;
  keys: KeyStore;
  models: ModelDirectory;
  /** Saves the whole chat (the reply object is part of it). */
  save(chat: Chat): Promise<void>;
  /** Saves only the reply in flight. */
  saveReply(chat: Chat, reply: ChatMessage): Promise<void>;
  /** The provider said the model is unknown: its list is stale. */
  modelGone(provider: ProviderId): void;
}

/**
 * Turns one provider stream into a finished message: the adapter's events go into `reply` and out through
 * `channel`; owns the idle timeout, error classification, and pricing with the model directory. Never throws:
 * every failure ends as an `error` + `finish` on the channel and a status on the reply.
 */
export async function streamReply(deps: ReplyStreamDeps, chat: Chat, reply: ChatMessage, request: ActiveRequest, turns: Turn[], channel: DeltaChannel): Promise<void> {
  const { host, keys, models } = deps;
  const send = channel.send.bind(channel);
  const definition = providerById(chat.config.provider) ?? providers[0];
  const settings = host.settings();
  const idleMs = settings.requestTimeoutSeconds * 1000;
  let timedOut = false;
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdleTimer = (ms = idleMs) => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      timedOut = true;
      request.controller.abort();
    }, ms);
  };
  let lastPersist = Date.now();
  send({ type: 'start', messageId: reply.id, provider: reply.provider ?? definition.id, model: reply.model ?? '' });
  try {
    const adapter = await createAdapterFor(definition, keys, host.settings(), (seconds, status) => {
      armIdleTimer(idleMs + seconds * 1000);
      const why = status === 429 ? `Rate limited by ${definition.label}` : `${definition.label} answered ${status}`;
      send({ type: 'status', text: `${why}; retrying in ${Math.ceil(seconds)} s…` });
    });
    await models.loadCatalog();
    const capabilities = models.capabilities(definition.id, chat.config.model);
    const config = applyCapabilities(chat.config, capabilities);
    const priceUsage = (usage: NonNullable<ChatMessage['usage']>) => {
      if (capabilities.price) reply.cost = costOf(usage, capabilities.price);
      else if (models.isBilled(definition.id)) reply.cost = null;
    };
    armIdleTimer();
    for await (const event of adapter.stream(turns, config, request.controller.signal)) {
      armIdleTimer();
      if (request.controller.signal.aborted) break;
      if (event.type === 'text-delta') reply.text += event.text;
      else if (event.type === 'reasoning-delta') reply.reasoning = (reply.reasoning ?? '') + event.text;
      else if (event.type === 'usage') {
        reply.usage = { ...reply.usage, ...event.usage };
        priceUsage(reply.usage);
      } else if (event.type === 'citation') {
        // What CitationSchema takes: an http(s) URL of at most 8192 characters, a title of at most 1000.
        const citation = { url: event.citation.url, ...(event.citation.title && { title: event.citation.title.slice(0, 1000) }) };
        if (!/^https?:\/\//i.test(citation.url) || citation.url.length > 8192 || reply.citations?.some((c) => c.url === citation.url)) continue;
        (reply.citations ??= []).push(citation);
        send({ type: 'citation', citation });
        continue;
      } else if (event.type === 'finish') {
        reply.status = event.reason === 'stop' || event.reason === 'length' || event.reason === 'content-filter' ? 'done' : reply.status;
        if (event.note) reply.note = event.note;
        // Saved before the panel shows it finished: the SDK may take a while to close the stream, and a reply
        // shown as done must survive a reload or crash in that time.
        lastPersist = Date.now();
        await deps.save(chat);
        send(event);
        continue;
      }
      // No tools are offered to the model yet (the reply loop comes with the tools issue), so none are called.
      if (event.type === 'tool-call-start' || event.type === 'tool-call-delta' || event.type === 'tool-call-end') continue;
      send(event);
      if (Date.now() - lastPersist > PERSIST_INTERVAL_MS) {
        lastPersist = Date.now();
        void deps.saveReply(chat, reply);
      }
    }
    if (timedOut) throw Object.assign(new Error('stalled'), { name: 'TimeoutError' });
    if (request.stopped) {
      reply.status = 'stopped';
      send({ type: 'finish', reason: 'stopped' });
    } else if (reply.status !== 'done') {
      throw streamCutOff();
    }
  } catch (err) {
    if (request.stopped && !timedOut) {
      reply.status = 'stopped';
      send({ type: 'finish', reason: 'stopped' });
    } else {
      const allKeys = await keys.all();
      let error = timedOut
        ? { kind: 'timeout' as const, message: `${definition.label} sent nothing for ${settings.requestTimeoutSeconds} s, so Parley stopped waiting. The partial reply is kept.`, action: 'retry' as const }
        : classifyError(err, { provider: definition.label, model: chat.config.model, host: hostOf(settings.baseUrl(definition.id) ?? definition.defaultBaseUrl), keys: allKeys });
      if (isStreamCutOff(err) && !timedOut) {
        error = { kind: 'cut-off', message: `The reply from ${definition.label} was cut off before it finished. The partial reply is kept.`, action: reply.text ? 'continue' : 'retry' };
      }
      host.log(`${definition.label} request failed (${error.kind}): ${redactKeys(String((err as Error)?.message ?? err), allKeys)}`);
      reply.status = 'error';
      reply.error = error;
      if (error.kind === 'model') deps.modelGone(definition.id);
      send({ type: 'error', ...error });
      send({ type: 'finish', reason: 'error' });
    }
  } finally {
    clearTimeout(idleTimer);
  }
}

function hostOf(url: string | undefined): string {
  if (!url) return 'the provider';
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
