// Item 6: no data lost. A corrupted history is moved aside, never dropped; a reply in flight when the host dies
// comes back with everything before it and its partial text, marked interrupted; three chats streaming at once
// from three providers to three clients never cross, and stopping one leaves the others running.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatService } from '../../src/host/chatService';
import { HistoryStore } from '../../src/host/history';
import type { Chat, HostMessage } from '../../src/protocol';
import { FakeServer } from '../fakes/server';
import { makeRig, RecordingClient, sendAndWait, sleep, within, wireFor, type Rig } from './helpers';

const figures: string[] = [];

describe('hardening: no data lost', function () {
  this.timeout(60_000);
  after(() => console.log(`\n    Durability: ${figures.join('; ')}\n`));

  describe('a history file that cannot be read is moved aside with a warning, byte for byte', () => {
    const validChat = (): Chat => ({
      id: 'c1', title: 'kept', createdAt: 1, updatedAt: 1, messages: [{ id: 'm1', role: 'user', text: 'hello', createdAt: 1 }],
      config: { provider: 'demo', model: 'parley-demo (offline)', system: '', stop: [], jsonMode: false },
    });
    const CORRUPTIONS: Array<[string, () => string]> = [
      ['not JSON', () => '{not json'],
      ['empty file', () => ''],
      ['truncated mid-write', () => JSON.stringify({ version: 1, chats: [validChat()] }).slice(0, 60)],
      ['a newer version', () => JSON.stringify({ version: 2, chats: [validChat()] })],
      ['one chat that fails the schema', () => JSON.stringify({ version: 1, chats: [validChat(), { ...validChat(), id: 'bad id with spaces' }] })],
      ['JSON null', () => 'null'],
      ['binary garbage', () => '\u0000\u0001\uFFFD\u0007'.repeat(100)],
    ];
    for (const [name, content] of CORRUPTIONS) {
      it(name, async () => {
        const rig = makeRig();
        try {
          const original = content();
          writeFileSync(join(rig.history.path, 'chats.json'), original);
          const client = await rig.client();
          assert.equal(client.state.chat.messages.length, 0);
          const warning = rig.logs.find((l) => /could not read its chat history; the file was moved to/.test(l));
          assert.ok(warning, rig.logs.join('\n'));
          const aside = readdirSync(rig.history.path).filter((f) => f.startsWith('chats.json.corrupt-'));
          assert.equal(aside.length, 1);
          assert.equal(readFileSync(join(rig.history.path, aside[0]), 'utf8'), original, 'moved aside unchanged');
          assert.ok(warning.includes(aside[0]), 'the warning names the file');
          // The new history works and survives a restart; the file moved aside stays where it is.
          await rig.service.handle(client, { type: 'renameChat', chatId: client.chatId!, title: 'a fresh start' });
          rig.restart();
          const again = await rig.client();
          assert.equal(again.state.chat.title, 'a fresh start');
          assert.ok(existsSync(join(rig.history.path, aside[0])));
        } finally {
          rig.dispose();
        }
      });
    }
    after(() => figures.push(`${CORRUPTIONS.length} corrupted history files moved aside intact`));
  });

  describe('the host dies while a reply streams', () => {
    const server = new FakeServer('groq');
    before(() => server.start());
    after(() => server.stop());

    it('a new host over the same history dir shows every earlier message and the partial reply, marked interrupted', async () => {
      const rig = makeRig();
      const wire = wireFor('groq');
      try {
        rig.urls.groq = server.url;
        server.route(/models$/, () => ({ kind: 'json', body: { object: 'list', data: [] } }));
        await rig.keys.set('groq', 'gsk_durability_key_0123456789');
        // The host that will die: once `dead`, nothing it does reaches the disk any more.
        let dead = false;
        const dyingStore = new HistoryStore(rig.history.path);
        for (const method of ['saveChat', 'saveReply', 'saveIndex', 'deleteChat'] as const) {
          const write = dyingStore[method].bind(dyingStore) as (...args: unknown[]) => Promise<void>;
          (dyingStore as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => (dead ? Promise.resolve() : write(...args));
        }
        const first = new ChatService(rig.host, rig.keys, dyingStore);
        rig.service = first;
        const client = await rig.client();
        await first.handle(client, { type: 'setConfig', chatId: client.chatId!, patch: { provider: 'groq', model: wire.model } });
        for (const [q, a] of [['first question', 'first answer'], ['second question', 'second answer']]) {
          server.enqueue(wire.stream([a]));
          assert.equal((await sendAndWait(rig, client, q)).text, a);
        }
        const words = Array.from({ length: 400 }, (_, i) => `word${i} `);
        server.enqueue(wire.stream(words, { delayMs: 25 }));
        const mark = client.messages.length;
        const streamed = () => client.messages.slice(mark).flatMap((m) => (m.type === 'stream' && m.event.type === 'text-delta' ? [m.event.text] : []));
        await first.handle(client, { type: 'send', chatId: client.chatId!, text: 'a long answer please' });
        // Until the service has saved part of the reply (on its own, at most once a second) and 60 deltas streamed.
        const replyFile = join(rig.history.path, 'chats', `${client.chatId}.reply.json`);
        const savedText = () => (existsSync(replyFile) ? (JSON.parse(readFileSync(replyFile, 'utf8')) as { message: { text: string } }).message.text : '');
        const deadline = Date.now() + 20_000;
        while ((streamed().length < 60 || !savedText()) && Date.now() < deadline) await sleep(20);
        dead = true;
        const streamedBeforeDeath = streamed().join('');

        // A new host over the same directory.
        const second = rig.restart();
        const revived = await rig.client();
        const chat = revived.state.chat;
        assert.equal(chat.id, client.chatId);
        assert.deepEqual(chat.messages.slice(0, 5).map((m) => [m.role, m.text]), [
          ['user', 'first question'], ['assistant', 'first answer'], ['user', 'second question'], ['assistant', 'second answer'], ['user', 'a long answer please'],
        ]);
        const partial = chat.messages[5];
        assert.equal(chat.messages.length, 6);
        assert.equal(partial.status, 'interrupted');
        assert.ok(partial.text.length > 0, 'the partial reply has text');
        assert.ok(streamedBeforeDeath.startsWith(partial.text), 'the saved text is what had streamed');
        assert.equal(revived.state.activeRequest, undefined);
        figures.push(`host death: 5 earlier messages kept, partial reply of ${partial.text.length} of ${streamedBeforeDeath.length} streamed characters kept, marked interrupted`);

        // The new host carries on: the interrupted reply can be continued.
        first.stopAll();
        server.reset();
        server.route(/models$/, () => ({ kind: 'json', body: { object: 'list', data: [] } }));
        server.enqueue(wire.stream([' and the rest.']));
        await second.handle(revived, { type: 'continue', chatId: chat.id });
        await within(10_000, second.idle(chat.id), 'continue');
        const continued = revived.state.chat.messages.at(-1)!;
        assert.equal(continued.status, 'done');
        assert.equal(continued.text, `${partial.text} and the rest.`);
        assert.equal(server.last.body.messages.at(-2).content, partial.text, 'the provider saw the partial reply');
      } finally {
        rig.dispose();
      }
    });
  });

  describe('three chats streaming at once from three providers to three clients', () => {
    const providers = ['groq', 'anthropic', 'google'] as const;
    const servers = providers.map((p) => new FakeServer(p));
    let rig: Rig;
    before(async () => {
      await Promise.all(servers.map((s) => s.start()));
      rig = makeRig();
      for (const [i, p] of providers.entries()) {
        rig.urls[p] = wireFor(p).base(servers[i].url);
        servers[i].route(/models$/, () => ({ kind: 'json', body: { object: 'list', data: [], models: [] } }));
        await rig.keys.set(p, `key-for-${p}-0123456789`);
      }
    });
    after(async () => {
      rig.dispose();
      await Promise.all(servers.map((s) => s.stop()));
    });

    it('every delta lands in its own chat; stopping one leaves the other two streaming to the end', async () => {
      const clients: RecordingClient[] = [];
      for (const p of providers) {
        const client = new RecordingClient();
        rig.service.connect(client);
        await rig.service.handle(client, clients.length ? { type: 'newChat' } : { type: 'ready' });
        await rig.service.handle(client, { type: 'setConfig', chatId: client.chatId!, patch: { provider: p, model: wireFor(p).model } });
        clients.push(client);
      }
      assert.equal(new Set(clients.map((c) => c.chatId)).size, 3);
      const texts = providers.map((p) => Array.from({ length: 80 }, (_, i) => `${p}-${i} `));
      providers.forEach((p, i) => servers[i].enqueue(wireFor(p).stream(texts[i], { delayMs: 12 })));
      const marks = clients.map((c) => c.messages.length);
      await Promise.all(clients.map((c, i) => rig.service.handle(c, { type: 'send', chatId: c.chatId!, text: `go ${providers[i]}` })));
      // Stop the middle one after a few deltas.
      const stopped = 1;
      while (clients[stopped].events().filter((e) => e.type === 'text-delta').length < 5) await sleep(5);
      await rig.service.handle(clients[stopped], { type: 'stop', chatId: clients[stopped].chatId! });
      await within(30_000, Promise.all(clients.map((c) => rig.service.idle(c.chatId!))), 'three replies');

      let crossTalk = 0;
      let deltas = 0;
      for (const [i, client] of clients.entries()) {
        const stream = client.messages.slice(marks[i]).filter((m): m is Extract<HostMessage, { type: 'stream' }> => m.type === 'stream');
        const requestIds = new Set(stream.map((m) => m.requestId));
        assert.equal(requestIds.size, 1, `client ${i} saw ${requestIds.size} request ids`);
        crossTalk += stream.filter((m) => m.chatId !== client.chatId).length;
        assert.deepEqual(stream.map((m) => m.seq), stream.map((_, n) => n), 'sequence numbers 0, 1, 2, … per request');
        const streamed = stream.flatMap((m) => (m.event.type === 'text-delta' ? [m.event.text] : [])).join('');
        deltas += stream.filter((m) => m.event.type === 'text-delta').length;
        for (const [j, p] of providers.entries()) if (j !== i) crossTalk += streamed.split(`${p}-`).length - 1;
        const reply = client.state.chat.messages.at(-1)!;
        assert.equal(reply.text, streamed, 'the saved reply is exactly what streamed to this client');
        // States and updates too only ever show this client's chat.
        crossTalk += client.messages.slice(marks[i]).filter((m) => (m.type === 'state' && m.chat.id !== client.chatId) || ((m.type === 'update' || m.type === 'replyStarted') && m.chatId !== client.chatId)).length;
        if (i === stopped) {
          assert.equal(reply.status, 'stopped');
          assert.ok(texts[i].join('').startsWith(reply.text) && reply.text.length < texts[i].join('').length);
        } else {
          assert.equal(reply.status, 'done', JSON.stringify(reply.error));
          assert.equal(reply.text, texts[i].join(''));
        }
      }
      assert.equal(crossTalk, 0);
      figures.push(`3 concurrent streams (${providers.join(', ')}): ${deltas} deltas, ${crossTalk} cross-talk, 1 stopped, 2 finished`);
    });
  });

  describe('two requests for one chat at the same moment', () => {
    it('two sends arriving together start one reply; the other is refused and leaves no trace', async () => {
      const rig = makeRig();
      try {
        const client = await rig.client();
        const chatId = client.chatId!;
        await Promise.all([rig.service.handle(client, { type: 'send', chatId, text: 'one' }), rig.service.handle(client, { type: 'send', chatId, text: 'two' })]);
        await within(20_000, rig.service.idle(chatId), 'the reply');
        await sleep(100);
        await within(20_000, rig.service.idle(chatId), 'any second reply');
        const messages = client.state.chat.messages;
        assert.deepEqual(messages.map((m) => [m.role, m.status ?? '', m.role === 'user' ? m.text : '']), [['user', '', 'one'], ['assistant', 'done', '']]);
        assert.deepEqual(client.notices(), ['Wait for the reply to finish, or stop it first.']);
        assert.equal(new Set(client.messages.flatMap((m) => (m.type === 'stream' ? [m.requestId] : []))).size, 1);
      } finally {
        rig.dispose();
      }
    });

    it('send, regenerate, continue and edit racing each other: at most one reply streams, and stop reaches it', async () => {
      const rig = makeRig();
      try {
        const client = await rig.client();
        const chatId = client.chatId!;
        await sendAndWait(rig, client, 'first');
        const userId = client.state.chat.messages[0].id;
        const mark = client.messages.length;
        const notices = client.notices().length;
        await Promise.all([
          rig.service.handle(client, { type: 'regenerate', chatId }),
          rig.service.handle(client, { type: 'continue', chatId }),
          rig.service.handle(client, { type: 'editResend', chatId, messageId: userId, text: 'edited' }),
          rig.service.handle(client, { type: 'send', chatId, text: 'another' }),
        ]);
        await rig.service.handle(client, { type: 'stop', chatId });
        await within(20_000, rig.service.idle(chatId), 'the reply');
        await sleep(300);
        const messages = client.state.chat.messages;
        assert.equal(messages.filter((m) => m.status === 'streaming').length, 0);
        assert.equal(client.messages.slice(mark).filter((m) => m.type === 'stream' && m.event.type === 'start').length, 1, 'one reply started');
        assert.deepEqual(client.notices().slice(notices), Array(3).fill('Wait for the reply to finish, or stop it first.'));
        assert.equal(messages.at(-1)!.status, 'stopped', 'stop reached the reply that was streaming');
      } finally {
        rig.dispose();
      }
    });
  });
});
