import { toolIsOn, type Chat, type ChatMessage, type ProviderId } from '../protocol';
import { applyCapabilities } from '../providers/capabilities';
import { costOf } from '../providers/catalog';
import { classifyError, isStreamCutOff, redactKeys, streamCutOff } from '../providers/errors';
import { providerById, providers } from '../providers/registry';
import type { Turn } from '../providers/types';
import type { OfferedTool, Toolbox } from '../tools/toolbox';
import { createAdapterFor } from './adapterFactory';
import type { DeltaChannel } from './deltaChannel';
import { IdleTimer } from './idleTimer';
import type { KeyStore } from './keys';
import type { ModelDirectory } from './modelDirectory';
import { replyTurns } from './replyTurns';
import { streamStep, type StepContext } from './replyStream';
import type { ServiceHost } from './serviceHost';
import { DEFAULT_TOOL_SETTINGS } from './serviceSettings';
import type { ToolRunner } from './toolRunner';

/** A reply in flight, as the reply runner tracks it. */
export interface ActiveRequest {
  requestId: string;
  controller: AbortController;
  stopped: boolean;
  /** Settles when the reply is finished, saved and its final state posted. */
  done?: Promise<void>;
}

export interface ReplyLoopDeps {
  host: ServiceHost;
  keys: KeyStore;
  models: ModelDirectory;
  /** The tools a reply may offer; absent: none. */
  toolbox?: Toolbox;
  tools: ToolRunner;
  /** Saves the whole chat (the reply object is part of it). */
  save(chat: Chat): Promise<void>;
  /** Saves only the reply in flight. */
  saveReply(chat: Chat, reply: ChatMessage): Promise<void>;
  /** The provider said the model is unknown: its list is stale. */
  modelGone(provider: ProviderId): void;
}

/**
 * One reply, start to end: model → tool calls → results → model again, until a final answer, Stop, an error or
 * the step limit (said in the reply). Owns the idle timeout, error classification and pricing. Never throws:
 * every failure ends as an `error` + `finish` on the channel and a status on the reply, earlier steps kept.
 */
export async function runReply(deps: ReplyLoopDeps, chat: Chat, reply: ChatMessage, request: ActiveRequest, history: Turn[], channel: DeltaChannel): Promise<void> {
  const { host, keys, models } = deps;
  const send = channel.send.bind(channel);
  const definition = providerById(chat.config.provider) ?? providers[0];
  const settings = host.settings();
  const toolSettings = settings.tools ?? DEFAULT_TOOL_SETTINGS;
  const idleMs = settings.requestTimeoutSeconds * 1000;
  let timedOut = false;
  const idleTimer = new IdleTimer(idleMs, () => {
    timedOut = true;
    request.controller.abort();
  });
  send({ type: 'start', messageId: reply.id, provider: reply.provider ?? definition.id, model: reply.model ?? '' });
  try {
    const adapter = await createAdapterFor(definition, keys, host.settings(), (seconds, status) => {
      idleTimer.arm(seconds * 1000);
      const why = status === 429 ? `Rate limited by ${definition.label}` : `${definition.label} answered ${status}`;
      send({ type: 'status', text: `${why}; retrying in ${Math.ceil(seconds)} s…` });
    });
    await models.loadCatalog();
    const capabilities = models.capabilities(definition.id, chat.config.model);
    const offered = capabilities.toolCalls === false || !toolSettings.enabled ? [] : await offeredTools(deps.toolbox, chat);
    const context: StepContext = {
      adapter,
      config: applyCapabilities(chat.config, capabilities),
      reply,
      signal: request.controller.signal,
      send,
      armIdleTimer: () => idleTimer.arm(),
      touchIdleTimer: () => idleTimer.touch(),
      priceUsage: (usage) => {
        if (capabilities.price) reply.cost = costOf(usage, capabilities.price);
        else if (models.isBilled(definition.id)) reply.cost = null;
      },
      save: () => deps.save(chat),
      saveReply: () => deps.saveReply(chat, reply),
    };
    // A continued reply already has steps: go on after them.
    const firstStep = Math.max(0, ...(reply.toolCalls ?? []).map((c) => c.step)) + 1;
    const from = { step: firstStep, text: reply.text.length };
    let turns = history;
    for (let step = firstStep; ; step++) {
      const { finish, calls } = await streamStep(context, step, turns, offered.map((t) => t.spec));
      idleTimer.disarm();
      if (timedOut) throw Object.assign(new Error('stalled'), { name: 'TimeoutError' });
      if (request.stopped) break;
      if (!finish) throw streamCutOff();
      if (!calls.length || finish.reason !== 'tool-calls') {
        if (reply.status !== 'done') throw streamCutOff();
        return;
      }
      if (step - firstStep + 1 >= toolSettings.maxSteps) {
        for (const call of calls) {
          Object.assign(call, { status: 'cancelled', isError: true, result: `Not run: the reply reached its limit of ${toolSettings.maxSteps} model calls.` });
          send({ type: 'tool-update', id: call.id, update: { status: 'cancelled', isError: true, result: call.result } });
        }
        reply.status = 'done';
        reply.note = { text: `Parley stopped after ${toolSettings.maxSteps} model calls in one reply (parley.tools.maxSteps); the last tool calls did not run. Continue to let the model go on.`, action: 'continue' };
        await deps.save(chat);
        send({ type: 'finish', reason: 'stop', note: reply.note });
        return;
      }
      await deps.tools.runStep({ chat, reply, calls, tools: offered, signal: request.controller.signal, send, save: () => deps.save(chat) });
      void deps.saveReply(chat, reply);
      if (request.stopped) break;
      turns = [...history, ...replyTurns(reply, from)];
    }
    reply.status = 'stopped';
    send({ type: 'finish', reason: 'stopped' });
  } catch (err) {
    cancelUnfinished(reply, send);
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
    idleTimer.disarm();
    cancelUnfinished(reply, send);
  }
}

/** The tools this chat has on (with none on, their code is not loaded). */
async function offeredTools(toolbox: Toolbox | undefined, chat: Chat): Promise<OfferedTool[]> {
  if (!toolbox?.infos().some((info) => toolIsOn(info, chat.config))) return [];
  return (await toolbox.tools()).filter((t) => toolIsOn(t.info, chat.config));
}

/** Calls the reply ended in the middle of (still streaming their arguments, or never run) are cancelled. */
function cancelUnfinished(reply: ChatMessage, send: DeltaChannel['send']): void {
  for (const call of reply.toolCalls ?? []) {
    if (call.status !== 'streaming' && call.status !== 'approval' && call.status !== 'running') continue;
    Object.assign(call, { status: 'cancelled', isError: true, result: call.result ?? 'The reply ended before this call ran.' });
    send({ type: 'tool-update', id: call.id, update: { status: 'cancelled', isError: true, result: call.result } });
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
