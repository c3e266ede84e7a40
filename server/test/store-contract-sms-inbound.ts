/**
 * Two-way SMS's part of the store contract (issue 14): replies marked via SMS, the newest SMS that went to a
 * number, admins' replies stored once per SMSAPI MsgId, and the monthly count of the SMS limit. Run by `runStoreContract` for every adapter.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Employee, InboundSms } from '../src/domain/entities.js';
import type { NewDispatch, Store } from '../src/ports/store.js';
import { newDispatch } from './store-contract.js';
import { storePerTest, type MakeStore } from './support/store-per-test.js';

const T0 = Date.parse('2025-03-03T08:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);
const NUMBER = '+48500100200';

export function runSmsInboundContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract, two-way SMS: ${name}`, () => {
    const store = storePerTest(makeStore);

    const employee = (): Promise<Employee> => {
      const id = randomUUID();
      return store.employees.create({
        id,
        login: `u-${id.slice(0, 8)}`,
        name: id.slice(0, 4),
        title: null,
        role: 'employee',
        active: true,
        mobileRaw: NUMBER,
        mobileE164: NUMBER,
        mobilePrivate: false,
        passwordHash: 'scrypt$hash',
      });
    };

    const group = async (members: Employee[]) =>
      (
        await store.conversations.createGroup({
          id: randomUUID(),
          name: 'Awaria',
          createdBy: members[0]!.id,
          memberIds: members.slice(1).map((e) => e.id),
          createdAt: at(0),
        })
      ).conversation.id;

    const dispatch = (recipientId: string, toE164: string | null = NUMBER): NewDispatch => newDispatch(recipientId, { toE164 });

    const send = (conversationId: string, senderId: string, minute: number, dispatches: NewDispatch[]) =>
      store.messages.append({
        id: randomUUID(),
        conversationId,
        senderId,
        clientId: randomUUID(),
        text: 'Pilne',
        createdAt: at(minute * 60_000),
        notifySms: true,
        dispatches,
      });

    it('keeps the via-SMS mark of a reply, and only of a reply', async () => {
      const [a, b] = [await employee(), await employee()];
      const conversationId = await group([a, b]);
      const reply = await store.messages.append({
        id: randomUUID(),
        conversationId,
        senderId: b.id,
        clientId: 'sms:MSG1',
        text: 'TAK',
        createdAt: at(0),
        notifySms: false,
        dispatches: [],
        viaSms: true,
      });
      const plain = await send(conversationId, a.id, 1, []);
      expect(reply.message.viaSms).toBe(true);
      expect((await store.messages.findById(reply.message.id))?.viaSms).toBe(true);
      expect((await store.messages.listBefore(conversationId, null, 10)).map((m) => m.viaSms ?? false)).toEqual([false, true]);
      expect('viaSms' in (await store.messages.findById(plain.message.id))!).toBe(false);
    });

    it('finds the newest SMS the gateway took for that person at that number', async () => {
      const [a, b, c] = [await employee(), await employee(), await employee()];
      const conversationId = await group([a, b, c]);
      const older = await send(conversationId, a.id, 1, [dispatch(b.id)]);
      const newer = await send(conversationId, a.id, 2, [dispatch(b.id), dispatch(c.id)]);
      const notSent = await send(conversationId, a.id, 3, [{ ...dispatch(b.id), status: 'not_sent', reason: { code: 'no_mobile' } }]);
      const otherNumber = await send(conversationId, a.id, 4, [dispatch(b.id, '+48600700800')]);
      expect(await store.sms.latestSentTo(b.id, NUMBER)).toBeNull();

      for (const sent of [older, newer, otherNumber]) {
        for (const d of sent.dispatches) await store.sms.update(d.id, { status: 'sent', gatewayId: randomUUID() });
      }
      await store.sms.update(older.dispatches[0]!.id, { status: 'delivered' });
      expect((await store.sms.latestSentTo(b.id, NUMBER))?.messageId).toBe(newer.message.id);
      expect(notSent.dispatches[0]?.status).toBe('not_sent');
      await store.sms.update(newer.dispatches[0]!.id, { status: 'undelivered' });
      expect((await store.sms.latestSentTo(b.id, NUMBER))?.messageId).toBe(older.message.id);
      expect((await store.sms.latestSentTo(c.id, NUMBER))?.messageId).toBe(newer.message.id);
      expect(await store.sms.latestSentTo(a.id, NUMBER)).toBeNull();
    });

    it('counts everyone\'s SMS since the month began only when asked (the monthly limit)', async () => {
      const [a, b, c] = [await employee(), await employee(), await employee()];
      const conversationId = await group([a, b, c]);
      await send(conversationId, a.id, 0, [dispatch(b.id)]);
      await send(conversationId, c.id, 10, [dispatch(b.id), { ...dispatch(a.id), status: 'not_sent', reason: { code: 'no_mobile' } }]);
      await send(conversationId, b.id, 20, [dispatch(a.id), dispatch(c.id)]);
      const query = { senderId: a.id, recipientIds: [], senderHourSince: at(0), senderDaySince: at(0), recipientSince: at(0) };
      expect((await store.sms.countForCaps(query)).month).toBe(0);
      expect((await store.sms.countForCaps({ ...query, monthSince: at(5 * 60_000) })).month).toBe(3);
      expect((await store.sms.countForCaps({ ...query, monthSince: at(0) })).month).toBe(4);
    });

    it('sums this month\'s SMS and the points the gateway charged for them (the cost card)', async () => {
      const [a, b] = [await employee(), await employee()];
      const conversationId = await group([a, b]);
      const early = await send(conversationId, a.id, 0, [dispatch(b.id)]);
      const late = await send(conversationId, a.id, 10, [dispatch(b.id), { ...dispatch(b.id), status: 'not_sent', reason: { code: 'no_mobile' } }]);
      await send(conversationId, a.id, 20, [dispatch(b.id)]);
      await store.sms.update(early.dispatches[0]!.id, { status: 'sent', points: 0.16 });
      await store.sms.update(late.dispatches[0]!.id, { status: 'delivered', points: 0.32 });
      const all = await store.sms.usageSince(at(0));
      expect(all.sms).toBe(3);
      expect(all.points).toBeCloseTo(0.48, 10);
      expect(await store.sms.usageSince(at(5 * 60_000))).toEqual({ sms: 2, points: 0.32 });
      expect(await store.sms.usageSince(at(60 * 60_000))).toEqual({ sms: 0, points: 0 });
    });

    it('stores an inbound reply once per gateway id, however many callbacks race', async () => {
      const inbound = (gatewayId: string, minute: number): InboundSms => ({
        gatewayId,
        senderKey: 'abc123',
        reason: 'unknown_number',
        text: minute === 0 ? '' : `reply ${minute}`,
        sentAt: at(minute * 60_000),
        receivedAt: at(minute * 60_000 + 1000),
      });
      const results = await Promise.all([1, 1, 1, 1, 1].map((m) => store.inboundSms.record(inbound('MSG-A', m))));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.inboundSms.record(inbound('MSG-B', 2))).toBe(true);
      expect(await store.inboundSms.record(inbound('MSG-C', 0))).toBe(true);
      expect((await store.inboundSms.list(10)).map((i) => [i.gatewayId, i.text])).toEqual([
        ['MSG-B', 'reply 2'],
        ['MSG-A', 'reply 1'],
        ['MSG-C', ''],
      ]);
      expect(await store.inboundSms.list(1)).toEqual([inbound('MSG-B', 2)]);
    });
  });
}
