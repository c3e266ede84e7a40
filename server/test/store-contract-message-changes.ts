/**
 * Issue 11's part of the store contract: message changes with a per-conversation rev, the log read by rev, and SMS
 * corrections stored once. Run by `runStoreContract` for every adapter (MongoDB with MONGODB_URI only).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../src/domain/entities.js';
import { DomainError } from '../src/domain/errors.js';
import { decideDelete, decideEdit, decideReaction } from '../src/domain/message-rules.js';
import type { AppendMessageInput, DispatchPlanner, NewDispatch, Store } from '../src/ports/store.js';
import { storePerTest, twoInAGroup, type MakeStore } from './support/store-per-test.js';

const T0 = Date.parse('2025-03-03T08:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);

export function runMessageChangesContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract, message changes: ${name}`, () => {
    const store = storePerTest(makeStore);

    const setUp = () => twoInAGroup(store, at(0));

    const append = async (conversationId: string, senderId: string, overrides: Partial<AppendMessageInput> = {}): Promise<StoredMessage> =>
      (
        await store.messages.append({
          id: randomUUID(),
          conversationId,
          senderId,
          clientId: randomUUID(),
          text: 'hello',
          createdAt: at(0),
          notifySms: false,
          dispatches: [],
          ...overrides,
        })
      ).message;

    it('gives every write of a message the next rev of its conversation, and reads the log by rev', async () => {
      const { a, b, conversationId } = await setUp();
      const first = await append(conversationId, a.id, { mentions: [b.id], mentionsAll: true });
      const second = await append(conversationId, b.id, { replyToId: first.id });
      expect([first.rev, second.rev]).toEqual([1, 2]);
      expect(first).toMatchObject({ textRev: 1, editedAt: null, deletedAt: null, reactions: [], mentions: [b.id], mentionsAll: true });
      expect(second.replyToId).toBe(first.id);

      const edited = await store.messages.change(conversationId, first.id, decideEdit(a.id, { text: 'hello!', mentions: [], mentionsAll: false, at: at(5) }));
      expect(edited).toMatchObject({ changed: true, message: { rev: 3, textRev: 3, text: 'hello!', mentions: [], mentionsAll: false } });
      expect(edited?.message.editedAt?.toISOString()).toBe(at(5).toISOString());
      const reacted = await store.messages.change(conversationId, second.id, decideReaction(a.id, '👍', true));
      expect(reacted).toMatchObject({ changed: true, message: { rev: 4, textRev: 2, reactions: [{ emoji: '👍', employeeIds: [a.id] }] } });
      // Idempotent: nothing written, no rev taken.
      const again = await store.messages.change(conversationId, second.id, decideReaction(a.id, '👍', true));
      expect(again).toMatchObject({ changed: false, message: { rev: 4 } });

      const log = await store.messages.listAfterRev(conversationId, 0, 10);
      expect(log.map((m) => [m.id, m.rev])).toEqual([
        [first.id, 3],
        [second.id, 4],
      ]);
      expect(await store.messages.listAfterRev(conversationId, 3, 10)).toHaveLength(1);
      expect(await store.messages.listAfterRev(conversationId, 4, 10)).toEqual([]);
      expect((await store.conversations.findForMember(conversationId, a.id))?.conversation).toMatchObject({ lastSeq: 2, lastRev: 4 });
      expect(await store.messages.findById(first.id)).toEqual(edited?.message);
      expect((await store.messages.findByIds([first.id, second.id])).map((m) => m.id).sort()).toEqual([first.id, second.id].sort());
    });

    it('deletes to a tombstone whose text is gone, also from the SMS dispatches that were sent', async () => {
      const { a, b, conversationId } = await setUp();
      const planned: NewDispatch = {
        id: randomUUID(),
        recipientId: b.id,
        status: 'queued',
        reason: null,
        toE164: '+48500100200',
        text: 'tajny tekst',
        parts: 1,
        points: null,
        gatewayId: null,
        attempts: 0,
        nextAttemptAt: at(0),
        lockedUntil: null,
      };
      const sent = await append(conversationId, a.id, { text: 'tajny tekst', notifySms: true, dispatches: [planned] });
      await store.sms.update(planned.id, { status: 'sent', gatewayId: 'g-1' });
      const deleted = await store.messages.change(conversationId, sent.id, decideDelete({ id: b.id, isAdmin: true }, at(9)));
      expect(deleted).toMatchObject({ changed: true, message: { text: '', deletedBy: b.id, rev: 2 } });
      expect(await store.messages.findById(sent.id)).toMatchObject({ text: '', deletedBy: b.id });
      expect((await store.sms.findById(planned.id))?.text).toBe('');
      // A deleted message refuses an edit inside the write, and a second delete changes nothing.
      await expect(store.messages.change(conversationId, sent.id, decideEdit(a.id, { text: 'x', mentions: [], mentionsAll: false, at: at(10) }))).rejects.toBeInstanceOf(
        DomainError,
      );
      expect(await store.messages.change(conversationId, sent.id, decideDelete({ id: a.id, isAdmin: false }, at(11)))).toMatchObject({ changed: false });
      expect(await store.messages.change(randomUUID(), sent.id, decideDelete({ id: a.id, isAdmin: false }, at(11)))).toBeNull();
    });

    it('gives concurrent changes distinct, gap-free revs; the log holds each message once, at its latest rev', async () => {
      const { a, b, conversationId } = await setUp();
      const messages = [];
      for (let i = 0; i < 5; i++) messages.push(await append(conversationId, a.id, { text: `m${i}` }));
      const emoji = ['👍', '✅', '❤️', '😂'];
      const results = await Promise.all([
        ...messages.flatMap((m) => emoji.map((e) => store.messages.change(conversationId, m.id, decideReaction(b.id, e, true)))),
        ...messages.map((m, i) => store.messages.change(conversationId, m.id, decideEdit(a.id, { text: `m${i} edited`, mentions: [], mentionsAll: false, at: at(1) }))),
        append(conversationId, b.id, { text: 'in between' }),
      ]);
      const revs = results.map((r) => (r && 'rev' in r ? r.rev : (r as { message: StoredMessage }).message.rev));
      expect(new Set(revs).size).toBe(revs.length);
      expect([...revs].sort((x, y) => x - y)).toEqual(Array.from({ length: revs.length }, (_, i) => 6 + i));
      const log = await store.messages.listAfterRev(conversationId, 0, 100);
      expect(log).toHaveLength(6);
      expect(log.map((m) => m.rev)).toEqual([...log.map((m) => m.rev)].sort((x, y) => x - y));
      for (const m of log.filter((x) => x.senderId === a.id)) {
        expect(m.text).toMatch(/ edited$/);
        expect(m.reactions.map((r) => r.emoji).sort()).toEqual([...emoji].sort());
      }
    });

    it('stores an SMS correction once per (message, text rev), planning it inside the transaction', async () => {
      const { a, b, conversationId } = await setUp();
      const sent = await append(conversationId, a.id, { notifySms: true });
      const planner = (): DispatchPlanner => {
        const id = randomUUID();
        return {
          capQuery: { senderId: a.id, recipientIds: [b.id], senderHourSince: at(-3_600_000), senderDaySince: at(-86_400_000), recipientSince: at(-3_600_000) },
          plan: () => [
            { id, recipientId: b.id, status: 'queued', reason: null, toE164: '+48500100200', text: 'poprawka', parts: 1, points: null, gatewayId: null, attempts: 0, nextAttemptAt: at(1), lockedUntil: null },
          ],
        };
      };
      const input = { messageId: sent.id, conversationId, senderId: a.id, textRev: 3, createdAt: at(1) };
      const both = await Promise.all([store.messages.storeCorrection({ ...input, dispatches: planner() }), store.messages.storeCorrection({ ...input, dispatches: planner() })]);
      expect(both.map((r) => r.created).sort()).toEqual([false, true]);
      expect((await store.sms.listForMessages([sent.id])).map((d) => d.text)).toEqual(['poprawka']);
      const later = await store.messages.storeCorrection({ ...input, textRev: 5, dispatches: planner() });
      expect(later.created).toBe(true);
      expect(await store.sms.listForMessages([sent.id])).toHaveLength(2);
    });
  });
}
