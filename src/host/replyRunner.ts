import { randomUUID } from 'node:crypto';
import type { Chat, ChatMessage } from '../protocol';
import { ParleyError } from '../providers/errors';
import { configuredSchema } from '../providers/jsonSchema';
import { providerById, providers } from '../providers/registry';
import type { Turn } from '../providers/types';
import { foldIntoText, info, type Attachment } from './attachments';
import type { ChatStore } from './chatStore';
import { DeltaChannel } from './deltaChannel';
import type { PanelState } from './panelState';
import { fillBuiltins } from './prompts';
import { runReply, type ActiveRequest, type ReplyLoopDeps } from './replyLoop';
import { replyTurns } from './replyTurns';

const CONTINUE_PROMPT = 'Your previous reply was cut off. Continue exactly where it stopped, without repeating anything.';

/**
 * Owns the replies in flight (one per chat at most): starts them for send, edit, regenerate and continue,
 * builds the turns the provider sees, and stops them.
 */
export class ReplyRunner {
  private readonly active = new Map<string, ActiveRequest>();

  constructor(private readonly deps: ReplyLoopDeps, private readonly store: ChatStore, private readonly panels: PanelState) {}

  requestId(chatId: string): string | undefined {
    return this.active.get(chatId)?.requestId;
  }

  isActive(chatId: string): boolean {
    return this.active.has(chatId);
  }

  assertIdle(chat: Chat): void {
    if (this.active.has(chat.id)) throw new ParleyError('bad-request', 'Wait for the reply to finish, or stop it first.');
  }

  /** Marks the chat busy before anything is awaited, so two requests arriving together cannot both start a reply. */
  private claim(chat: Chat): ActiveRequest {
    this.assertIdle(chat);
    const request: ActiveRequest = { requestId: randomUUID(), controller: new AbortController(), stopped: false };
    this.active.set(chat.id, request);
    return request;
  }

  async send(chat: Chat, typed: string, withBuiltins: boolean): Promise<void> {
    this.assertIdle(chat);
    const text = withBuiltins ? fillBuiltins(typed, this.deps.host.editorContext?.()) : typed;
    const attachments = this.store.pendingFor(chat.id);
    if (!text.trim() && !attachments.length) throw new ParleyError('bad-request', 'Type a message first.');
    const definition = providerById(chat.config.provider) ?? providers[0];
    if (attachments.some((a) => a.kind === 'image') && !this.deps.models.capabilities(definition.id, chat.config.model).vision) {
      throw new ParleyError('attachment', `${chat.config.model || definition.label} cannot see images. Remove the image or pick a vision model.`);
    }
    configuredSchema(chat.config, (problem) => new ParleyError('bad-request', problem));
    const request = this.claim(chat);
    try {
      await this.store.takePending(chat.id);
    } catch (err) {
      this.active.delete(chat.id);
      throw err;
    }
    const message: ChatMessage = { id: randomUUID(), role: 'user', text, createdAt: Date.now(), ...(attachments.length && { attachments: attachments.map(info) }) };
    const keep = chat.messages.length;
    chat.messages.push(message);
    if (chat.title === 'New chat') chat.title = titleFrom(text || attachments[0].name);
    this.store.notifyMessage(chat, message);
    await this.reply(chat, keep, undefined, request);
  }

  async editResend(chat: Chat, messageId: string, text: string): Promise<void> {
    this.assertIdle(chat);
    const index = chat.messages.findIndex((m) => m.id === messageId && m.role === 'user');
    if (index < 0) throw new ParleyError('bad-request', 'That message is no longer in the chat.');
    if (!text.trim()) throw new ParleyError('bad-request', 'The edited message is empty.');
    const original = chat.messages[index];
    chat.messages = chat.messages.slice(0, index);
    chat.messages.push({ ...original, id: randomUUID(), text, createdAt: Date.now() });
    await this.reply(chat, index);
  }

  async regenerate(chat: Chat): Promise<void> {
    this.assertIdle(chat);
    if (chat.messages.at(-1)?.role === 'assistant') chat.messages.pop();
    if (chat.messages.at(-1)?.role !== 'user') throw new ParleyError('bad-request', 'There is no message to answer.');
    await this.reply(chat, chat.messages.length);
  }

  async continueReply(chat: Chat): Promise<void> {
    this.assertIdle(chat);
    const last = chat.messages.at(-1);
    if (last?.role !== 'assistant' || (!last.text && !last.toolCalls?.length)) throw new ParleyError('bad-request', 'There is no reply to continue.');
    await this.reply(chat, chat.messages.length - 1, last);
  }

  /**
   * `keep`: how many of the chat's first messages the panels have as they are (the rest is posted to them).
   * `request` is claimed on the call itself (a default parameter is evaluated before the first await).
   */
  private async reply(chat: Chat, keep: number, continuing?: ChatMessage, request: ActiveRequest = this.claim(chat)): Promise<void> {
    const { provider, model } = chat.config;
    let turns: Turn[];
    let reply: ChatMessage;
    try {
      configuredSchema(chat.config, (problem) => new ParleyError('bad-request', problem));
      if (continuing) {
        turns = [...(await this.toTurns(chat)), { role: 'user', text: CONTINUE_PROMPT }];
        reply = continuing;
        reply.status = 'streaming';
        delete reply.error;
        delete reply.note;
      } else {
        turns = await this.toTurns(chat);
        reply = { id: randomUUID(), role: 'assistant', text: '', provider, model, status: 'streaming', createdAt: Date.now() };
        chat.messages.push(reply);
      }
      chat.updatedAt = Date.now();
      // Not waited for: the panel shows the message and the request starts without waiting for the disk. The chat
      // is serialized now and its writes are queued in order, so the reply's own saves land after this one.
      void this.store.save(chat);
      this.panels.replyStarted(chat, request.requestId, keep);
    } catch (err) {
      if (this.active.get(chat.id) === request) this.active.delete(chat.id);
      throw err;
    }
    request.done = this.run(chat, reply, request, turns);
  }

  private async run(chat: Chat, reply: ChatMessage, request: ActiveRequest, turns: Turn[]): Promise<void> {
    const channel = new DeltaChannel((seq, event) => this.panels.emitStream(chat.id, request.requestId, seq, event));
    try {
      await runReply(this.deps, chat, reply, request, turns, channel);
    } finally {
      this.active.delete(chat.id);
      chat.updatedAt = Date.now();
      await this.store.save(chat);
      // The finished reply replaces the panel's live copy; nothing before it is sent again.
      const at = chat.messages.indexOf(reply);
      await this.panels.chatChanged({ chatId: chat.id, ...(at >= 0 && { messagesFrom: at }) });
      this.store.notifyMessage(chat, reply);
    }
  }

  /** The conversation as adapters see it: attachments folded in, failed empty replies left out. */
  private async toTurns(chat: Chat): Promise<Turn[]> {
    const vision = this.deps.models.capabilities(chat.config.provider, chat.config.model).vision;
    const turns: Turn[] = [];
    for (const m of chat.messages) {
      if (m.role === 'assistant' && ((m.text.length === 0 && !m.toolCalls?.length) || m.status === 'streaming')) continue;
      if (m.role === 'assistant') {
        turns.push(...replyTurns(m));
        continue;
      }
      if (!m.attachments?.length) {
        turns.push({ role: m.role, text: m.text });
        continue;
      }
      const loaded = (await Promise.all(m.attachments.map((a) => this.store.loadAttachment(a.id)))).filter((a): a is Attachment => !!a);
      const missing = m.attachments.length - loaded.length;
      const images = loaded.filter((a) => a.kind === 'image' && a.base64);
      let text = foldIntoText(m.text, loaded);
      if (missing) text += `\n\n[${missing} attachment(s) could not be found any more]`;
      if (images.length && !vision) text += `\n\n[${images.length} image(s) left out: ${chat.config.model} cannot see images]`;
      turns.push({
        role: m.role,
        text,
        ...(vision && images.length && { images: images.map((a) => ({ mimeType: a.mimeType, base64: a.base64!, name: a.name })) }),
      });
    }
    return turns;
  }

  stop(chatId: string): void {
    const request = this.active.get(chatId);
    if (!request) return;
    request.stopped = true;
    request.controller.abort();
  }

  stopAll(): void {
    for (const chatId of this.active.keys()) this.stop(chatId);
  }

  /** Stops every reply and resolves once each has finished and been saved. */
  async stopAndWait(): Promise<void> {
    const streaming = [...this.active.values()].map((request) => request.done);
    this.stopAll();
    await Promise.allSettled(streaming);
  }

  /** Resolves when no reply is streaming in `chatId`. */
  async idle(chatId: string): Promise<void> {
    await this.active.get(chatId)?.done;
  }
}

function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0];
  return line.length > 48 ? `${line.slice(0, 47)}…` : line;
}
