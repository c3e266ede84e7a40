/**
 * An SMS that can go at once is stored already leased to the process that stored it and handed to its dispatcher
 * after the commit, without a claim (issue 17: fewer transactions on the chat's thread). The lease is a real one:
 * no other process sends it while it holds, a process that dies before sending leaves it to the next once it runs
 * out, and a stopping dispatcher lets go of it so the next process need not wait.
 */
import { describe, expect, it } from 'vitest';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import type { NotificationList } from '../../shared/schemas/index.js';
import { request } from './support/test-app.js';
import {
  acceptedByIdx,
  createGroup,
  dispatchStatuses,
  employee,
  expectSentOnceAfterLease,
  ok,
  sendWithSms,
  startSmsApp,
  type SmsTestApp,
} from './support/sms.js';

// Celina keeps her mobile number private: no SMS reaches her.
const LOGINS = ['anna', 'bartek', 'darek'];

describe('SMS handed to the dispatcher at the commit', () => {
  it('urgent sends at once from every member: each SMS reaches SMSAPI exactly once, without waiting for a poll', async () => {
    const fake = await startFakeSmsapi();
    // The outbox is looked at once a minute: only the hand-off, or a wake, can send within the test.
    const t = await startSmsApp(fake, {
      env: { SMS_LIMIT_RECIPIENT: '1000', SMS_LIMIT_SENDER_PER_HOUR: '1000', SMS_LIMIT_SENDER_PER_DAY: '1000' },
      deps: { smsDispatcher: { baseBackoffMs: 20, pollMs: 60_000 } },
    });
    try {
      const people = await Promise.all(LOGINS.map((login) => employee(t, login)));
      const groupId = await createGroup(people[0]!.socket, 'Dyżur', people.slice(1).map((p) => p.id));
      // More SMS than the dispatcher sends at once (20): the rest go through its loop.
      const perPerson = [1, 2, 3, 4, 5, 6, 7];
      const sent = await Promise.all(
        people.flatMap((person) => perPerson.map((n) => sendWithSms(person.socket, groupId, `${person.id} pilne ${n}`))),
      );
      const ids = sent.flatMap((message) => (message.sms ?? []).map((chip) => chip.id));
      expect(ids).toHaveLength(LOGINS.length * perPerson.length * (LOGINS.length - 1));
      expect(new Set(sent.flatMap((m) => (m.sms ?? []).map((chip) => `${chip.status} ${chip.reason?.code ?? ''}`)))).toEqual(new Set(['queued ']));
      await expect.poll(() => dispatchStatuses(t, ids), { timeout: 10_000 }).toEqual(ids.map(() => 'sent'));
      await t.app.services.dispatcher?.drain();
      expect(acceptedByIdx(fake)).toEqual(new Map(ids.map((id) => [id, 1])));
      expect(fake.requests.filter((r) => r.path === '/sms.do')).toHaveLength(ids.length);
      // Every sender is told of each of their SMS once.
      for (const person of people) {
        const list: NotificationList = ok(await request(person.socket, 'notification:list', {}));
        expect(list.notifications.filter((n) => n.kind === 'sms_outcome' && n.status === 'sent')).toHaveLength(perPerson.length * (LOGINS.length - 1));
      }
    } finally {
      await t.stop({ remove: true });
      await fake.close();
    }
  });

  it('a process that died between the commit and the hand-off: its SMS goes once its lease runs out, not before', async () => {
    const fake = await startFakeSmsapi();
    const leaseMs = 1500;
    const first = await startSmsApp(fake, { deps: { smsDispatcher: { baseBackoffMs: 20, pollMs: 100, leaseMs } } });
    let second: SmsTestApp | null = null;
    try {
      const dispatcher = first.app.services.dispatcher;
      if (!dispatcher) throw new Error('SMS is configured: a dispatcher runs');
      // The crash: the commit happened, the hand-off never does.
      dispatcher.sendLeased = () => undefined;
      const anna = await employee(first, 'anna');
      const groupId = await createGroup(anna.socket, 'Dyżur', [await first.idOf('bartek'), await first.idOf('darek')]);
      const before = Date.now();
      const ids = ((await sendWithSms(anna.socket, groupId, 'Serwer leży')).sms ?? []).map((chip) => chip.id);
      expect(ids).toHaveLength(2);
      const stored = await Promise.all(ids.map((id) => first.store.sms.findById(id)));
      // Leased from the moment it was stored, for the dispatcher's lease.
      for (const d of stored) expect(d?.lockedUntil?.getTime()).toBeGreaterThanOrEqual(before + leaseMs - 50);
      const leaseEnds = Math.max(...stored.map((d) => d?.lockedUntil?.getTime() ?? 0));
      // This process's own loop, polling every 100 ms, must not take it while the lease holds either.
      await first.stop();

      second = await startSmsApp(fake, { dataDir: first.dataDir, people: null, deps: { smsDispatcher: { baseBackoffMs: 20, pollMs: 100 } } });
      await expectSentOnceAfterLease(fake, second, ids, leaseEnds);
    } finally {
      await second?.stop({ remove: true });
      await fake.close();
    }
  });

  it('a stopping dispatcher lets go of what it is handed: the next process sends it at once, exactly once', async () => {
    const fake: FakeSmsapi = await startFakeSmsapi();
    // A lease far longer than the test: only letting go of it lets the next process send.
    const first = await startSmsApp(fake, { deps: { smsDispatcher: { baseBackoffMs: 20, pollMs: 100, leaseMs: 10 * 60_000 } } });
    let second: SmsTestApp | null = null;
    try {
      await first.app.services.dispatcher?.stop();
      const anna = await employee(first, 'anna');
      const groupId = await createGroup(anna.socket, 'Dyżur', [await first.idOf('bartek'), await first.idOf('darek')]);
      const ids = ((await sendWithSms(anna.socket, groupId, 'Serwer leży')).sms ?? []).map((chip) => chip.id);
      expect(ids).toHaveLength(2);
      await first.app.services.dispatcher?.stop(); // waits for what it was handed
      const released = await Promise.all(ids.map((id) => first.store.sms.findById(id)));
      expect(released.map((d) => [d?.status, d?.lockedUntil])).toEqual([
        ['queued', null],
        ['queued', null],
      ]);
      expect(fake.requests).toHaveLength(0);
      await first.stop();

      second = await startSmsApp(fake, { dataDir: first.dataDir, people: null });
      await expect.poll(() => dispatchStatuses(second!, ids), { timeout: 10_000 }).toEqual(['sent', 'sent']);
      await second.app.services.dispatcher?.drain();
      expect(acceptedByIdx(fake)).toEqual(new Map(ids.map((id) => [id, 1])));
      expect(fake.requests).toHaveLength(2);
    } finally {
      await second?.stop({ remove: true });
      await fake.close();
    }
  });
});
