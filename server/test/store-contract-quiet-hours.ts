/**
 * Quiet hours' part of the store contract (issue 14): working hours kept with the employee; an SMS held until a
 * due time is claimed then, reserves nothing under the caps until it is decided, is decided by the deadline's
 * compare-and-set (not by a read), and "if not acknowledged" sees the acknowledgement; and the admins' low-balance
 * alert, stored once per fall. Run by `runStoreContract`.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Employee } from '../src/domain/entities.js';
import type { DeadlineDecider, DeadlineFacts, NewDispatch, Store } from '../src/ports/store.js';
import { newDispatch, newEmployee } from './store-contract.js';
import { storePerTest, type MakeStore } from './support/store-per-test.js';

const T0 = Date.parse('2025-03-03T08:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);
const HOUR = 3_600_000;

export function runQuietHoursContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract, quiet hours: ${name}`, () => {
    const store = storePerTest(makeStore);

    const setup = async () => {
      const a = await store.employees.create(newEmployee());
      const b = await store.employees.create(newEmployee());
      const group = await store.conversations.createGroup({ id: randomUUID(), name: 'Awaria', createdBy: a.id, memberIds: [b.id], createdAt: at(0) });
      return { a, b, groupId: group.conversation.id };
    };

    const send = async (groupId: string, sender: Employee, dispatches: NewDispatch[]) =>
      store.messages.append({
        id: randomUUID(),
        conversationId: groupId,
        senderId: sender.id,
        clientId: randomUUID(),
        text: 'Pilne',
        createdAt: at(0),
        notifySms: true,
        dispatches,
      });

    const capQuery = (a: Employee, b: Employee) => ({
      senderId: a.id,
      recipientIds: [b.id],
      senderHourSince: at(-HOUR),
      senderDaySince: at(-24 * HOUR),
      recipientSince: at(-HOUR),
      monthSince: at(-HOUR),
    });

    /** Records the facts it was given and sends the SMS. */
    const recordingDecider = (a: Employee, b: Employee) => {
      const seen: DeadlineFacts[] = [];
      const decider: DeadlineDecider = {
        capQuery: () => capQuery(a, b),
        decide: (facts) => {
          seen.push(facts);
          return { sendIf: null, heldUntil: null, reason: null, nextAttemptAt: at(2 * HOUR) };
        },
      };
      return { seen, decider };
    };

    it('keeps working hours with the employee; null clears them', async () => {
      const e = await store.employees.create(newEmployee());
      expect((await store.employees.findById(e.id))?.workingHours ?? null).toBeNull();
      const hours = { days: [1, 2, 3, 4, 5], start: '07:00', end: '15:00' };
      expect((await store.employees.update(e.id, { workingHours: hours }))?.workingHours).toEqual(hours);
      expect((await store.employees.findByIds([e.id]))[0]?.workingHours).toEqual(hours);
      // Another change leaves them alone.
      expect((await store.employees.update(e.id, { mobilePrivate: true }))?.workingHours).toEqual(hours);
      expect((await store.employees.update(e.id, { workingHours: null }))?.workingHours ?? null).toBeNull();
    });

    it('claims a held SMS at its release, reserving nothing before, and decides it once', async () => {
      const { a, b, groupId } = await setup();
      const held = newDispatch(b.id, {
        nextAttemptAt: at(2 * HOUR),
        heldUntil: at(2 * HOUR),
        ignoreQuietHours: false,
        reason: { code: 'quiet_hours', releaseAt: at(2 * HOUR).toISOString(), localTime: '11:00' },
      });
      const { dispatches } = await send(groupId, a, [held]);
      expect(dispatches[0]).toMatchObject({ heldUntil: at(2 * HOUR), ignoreQuietHours: false, sendIf: null });
      expect(await store.sms.countForCaps(capQuery(a, b))).toMatchObject({ senderLastHour: 0, month: 0 });
      expect(await store.sms.usageSince(at(-HOUR))).toEqual({ sms: 0, points: 0 });
      expect(await store.sms.nextDueAt()).toEqual(at(2 * HOUR));
      expect(await store.sms.claimDue(at(2 * HOUR - 1), at(3 * HOUR), 10)).toEqual([]);

      // A read does not settle a held "SMS now".
      await store.conversations.markReceipt(groupId, b.id, 'read', 1);
      expect(await store.sms.settleRead({ conversationId: groupId, recipientId: b.id, readSeq: 1 }, () => ({ status: 'not_sent' }))).toEqual([]);

      expect((await store.sms.claimDue(at(2 * HOUR), at(3 * HOUR), 10)).map((d) => d.id)).toEqual([held.id]);
      const { seen, decider } = recordingDecider(a, b);
      const decided = await store.sms.settleDeadline(held.id, decider);
      expect(decided).toMatchObject({ status: 'queued', heldUntil: null, sendIf: null, reason: null });
      expect(seen).toHaveLength(1);
      expect(await store.sms.settleDeadline(held.id, decider)).toBeNull();
      expect(seen).toHaveLength(1);
      expect(await store.sms.countForCaps(capQuery(a, b))).toMatchObject({ senderLastHour: 1, month: 1 });
    });

    it('keeps "send anyway" with the SMS', async () => {
      const { a, b, groupId } = await setup();
      const waiting = newDispatch(b.id, { sendIf: 'unread', deadlineAt: at(HOUR), nextAttemptAt: at(HOUR), ignoreQuietHours: true });
      await send(groupId, a, [waiting]);
      expect(await store.sms.findById(waiting.id)).toMatchObject({ ignoreQuietHours: true, heldUntil: null });
    });

    it('"if not acknowledged": a read does not settle it, and the deadline sees the acknowledgement', async () => {
      const { a, b, groupId } = await setup();
      const waiting = newDispatch(b.id, { sendIf: 'unacknowledged', deadlineAt: at(HOUR), nextAttemptAt: at(HOUR) });
      const { message } = await send(groupId, a, [waiting]);
      await store.conversations.markReceipt(groupId, b.id, 'read', 1);
      expect(await store.sms.settleRead({ conversationId: groupId, recipientId: b.id, readSeq: 1 }, () => ({ status: 'not_sent' }))).toEqual([]);

      const { seen, decider } = recordingDecider(a, b);
      const first = newDispatch(b.id, { sendIf: 'unacknowledged', deadlineAt: at(HOUR), nextAttemptAt: at(HOUR) });
      await send(groupId, a, [first]);
      await store.sms.settleDeadline(first.id, decider);
      expect(seen[0]).toMatchObject({ acknowledged: false, readSeq: 1 });

      await store.acks.acknowledge(message.id, b.id, at(HOUR / 2));
      await store.sms.settleDeadline(waiting.id, decider);
      expect(seen[1]).toMatchObject({ acknowledged: true });
    });

    it('stores one low-balance alert per fall, also for readings racing each other, and re-arms above the threshold', async () => {
      const reading = (points: number, minute: number) => ({ id: randomUUID(), points, warnBelow: 1, at: at(minute * 60_000) });
      expect(await store.adminAlerts.recordBalance(reading(5, 0))).toBeNull();
      const racing = await Promise.all([0.5, 0.5, 0.5, 0.5].map((points) => store.adminAlerts.recordBalance(reading(points, 1))));
      expect(racing.filter((a) => a !== null)).toHaveLength(1);
      expect(await store.adminAlerts.recordBalance(reading(0.4, 2))).toBeNull();
      expect(await store.adminAlerts.recordBalance(reading(1, 3))).toBeNull();
      const again = await store.adminAlerts.recordBalance(reading(0.2, 4));
      expect(again).toMatchObject({ kind: 'sms_balance_low', points: 0.2, warnBelow: 1, createdAt: at(4 * 60_000) });
      expect((await store.adminAlerts.list(10)).map((a) => a.points)).toEqual([0.2, 0.5]);
      expect(await store.adminAlerts.list(1)).toHaveLength(1);
    });
  });
}
