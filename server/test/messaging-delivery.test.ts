/**
 * Live delivery, exactly-once storage of a repeated client id, gap-free sequence numbers under concurrent
 * senders, and history paging — over real sockets on a real port against a real SQLite file.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Message } from '../../shared/schemas/index.js';
import { nextEvent, request, type ClientSocket } from './support/test-app.js';
import { appPerBlock, HIGH_LIMITS } from './support/app-lifecycle.js';
import { call, catchUpAll, collectN, history, openDirect, watch, send, unwrap } from './support/messaging.js';

const sameMessage = (m: Message) => ({ id: m.id, seq: m.seq, senderId: m.senderId, clientId: m.clientId, text: m.text, conversationId: m.conversationId });

describe('messaging: delivery', () => {
  const { t, tab } = appPerBlock({ env: HIGH_LIMITS });

  it('delivers a message live to both tabs of the recipient and to every tab of the sender, and to nobody else', async () => {
    const annaA = await tab('anna');
    const annaB = await tab('anna');
    const bartekA = await tab('bartek');
    const bartekB = await tab('bartek');
    const celina = await tab('celina');
    const conversation = await openDirect(t, annaA, 'bartek');

    const arrivals = [bartekA, bartekB, annaB, annaA].map((s) => nextEvent<Message>(s, 'message:new', (m) => m.conversationId === conversation.id));
    const outsider = watch<Message>([celina], 'message:new');
    const sent = await send(annaA, conversation.id, 'Line one\r\nline two  ');

    expect(sent.text).toBe('Line one\nline two');
    expect(sent.seq).toBe(conversation.lastSeq + 1);
    expect(sent.senderId).toBe(await t.idOf('anna'));
    for (const received of await Promise.all(arrivals)) expect(sameMessage(received)).toEqual(sameMessage(sent));
    expect(await outsider.settle()).toEqual([[]]);
  });

  it('stores a clientId sent twice in a row once, and both acks carry the same message', async () => {
    const anna = await tab('anna');
    const bartek = await tab('bartek');
    const conversation = await openDirect(t, anna, 'bartek');
    const received: Message[] = [];
    bartek.on('message:new', (m) => received.push(m));
    const clientId = randomUUID();

    const first = await send(anna, conversation.id, 'Only once', clientId);
    // A retry after a lost ack may carry what the client has now; the stored message wins.
    const second = await send(anna, conversation.id, 'Only once (edited?)', clientId);

    expect(second).toEqual(first);
    expect(first.seq).toBe(conversation.lastSeq + 1);
    await watch([bartek], 'message:new').settle();
    expect(received.map((m) => m.id)).toEqual([first.id]);
    const page = await history(bartek, conversation.id);
    expect(page.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
    expect(page.messages.at(-1)?.id).toBe(first.id);
  });

  it('stores a clientId sent concurrently from two tabs once, and every ack carries the same id and seq', async () => {
    const annaA = await tab('anna');
    const annaB = await tab('anna');
    const bartek = await tab('bartek');
    const conversation = await openDirect(t, annaA, 'bartek');
    const before = conversation.lastSeq;
    const received: Message[] = [];
    bartek.on('message:new', (m) => received.push(m));
    const clientId = randomUUID();

    const payload = { conversationId: conversation.id, clientId, text: 'Racing retries' };
    const acks = await Promise.all([annaA, annaB, annaA, annaB, annaA, annaB].map((s) => request(s, 'message:send', payload)));
    const messages = acks.map(unwrap);

    expect(new Set(messages.map((m) => m.id)).size).toBe(1);
    expect(new Set(messages.map((m) => m.seq))).toEqual(new Set([before + 1]));
    await watch([bartek], 'message:new').settle();
    expect(received).toHaveLength(1);
    const after = await catchUpAll(bartek, conversation.id, before);
    expect(after.messages.map((m) => m.clientId)).toEqual([clientId]);
    const list = await call(bartek, 'conversation:list', {});
    expect(list.find((c) => c.id === conversation.id)?.lastSeq).toBe(before + 1);
  });

  it('keys exactly-once storage by sender: the same clientId from another employee is another message', async () => {
    const anna = await tab('anna');
    const bartek = await tab('bartek');
    const conversation = await openDirect(t, anna, 'bartek');
    const clientId = randomUUID();
    const fromAnna = await send(anna, conversation.id, 'From Anna', clientId);
    const fromBartek = await send(bartek, conversation.id, 'From Bartek', clientId);
    expect(fromBartek.id).not.toBe(fromAnna.id);
    expect(fromBartek.seq).toBe(fromAnna.seq + 1);
    expect(fromBartek.text).toBe('From Bartek');
  });

  it('numbers messages 1, 2, 3… without gaps or repeats under concurrent senders, in the order every tab sees them', async () => {
    const senders = await Promise.all(['anna', 'anna', 'bartek', 'bartek', 'celina', 'celina'].map(tab));
    const [annaA] = senders as [ClientSocket];
    const group = await call(annaA, 'conversation:createGroup', {
      name: 'Concurrency',
      memberIds: [await t.idOf('bartek'), await t.idOf('celina')],
    });
    const perTab = 15;
    const total = senders.length * perTab;
    const live = senders.map((s) => collectN<Message>(s, 'message:new', total, 15_000, (m) => m.conversationId === group.id));

    const acks = await Promise.all(
      senders.flatMap((s, tabIndex) =>
        Array.from({ length: perTab }, (_, i) => send(s, group.id, `tab ${tabIndex} message ${i}`)),
      ),
    );

    const seqs = acks.map((m) => m.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(new Set(acks.map((m) => m.id)).size).toBe(total);
    const stored = await catchUpAll(annaA, group.id, 0, 500);
    expect(stored.messages.map((m) => m.seq)).toEqual(seqs);
    const ackById = new Map(acks.map((m) => [m.id, m]));
    for (const message of stored.messages) expect(sameMessage(message)).toEqual(sameMessage(ackById.get(message.id) as Message));
    for (const seen of await Promise.all(live)) {
      // Every tab got every message once, in sequence order.
      expect(seen.map((m) => m.seq)).toEqual(seqs);
    }
  });

  describe('history', () => {
    it('opens on the newest 50, pages older ones by beforeSeq, and says when there are no more', async () => {
      const darek = await tab('darek');
      const ewa = await tab('ewa');
      const conversation = await openDirect(t, darek, 'ewa');
      expect(await history(ewa, conversation.id)).toEqual({ messages: [], hasMore: false });

      const sent: Message[] = [];
      for (let i = 1; i <= 100; i += 1) sent.push(await send(i % 3 === 0 ? ewa : darek, conversation.id, `message ${i}`));
      expect(sent.map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

      const newest = await history(ewa, conversation.id);
      expect(newest.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 51));
      expect(newest.messages.map((m) => m.text)).toEqual(sent.slice(50).map((m) => m.text));
      expect(newest.hasMore).toBe(true);

      // Exactly one page is left: it comes whole and hasMore turns false.
      const older = await history(ewa, conversation.id, { beforeSeq: 51 });
      expect(older.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(older.hasMore).toBe(false);

      const small = await history(darek, conversation.id, { beforeSeq: 51, limit: 10 });
      expect(small.messages.map((m) => m.seq)).toEqual([41, 42, 43, 44, 45, 46, 47, 48, 49, 50]);
      expect(small.hasMore).toBe(true);
      const first = await history(darek, conversation.id, { beforeSeq: 3, limit: 10 });
      expect(first.messages.map((m) => m.seq)).toEqual([1, 2]);
      expect(first.hasMore).toBe(false);
      expect(first.messages.map(sameMessage)).toEqual(sent.slice(0, 2).map(sameMessage));
    });
  });
});
