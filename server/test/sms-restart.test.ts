/**
 * The outbox survives a restart: dispatches queued while SMSAPI hangs or is down are sent by the next process on
 * the same database, each exactly once (counted at the fake by idx).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_SMSAPI_DEFAULT_TOKEN, startFakeSmsapi } from '../src/dev/fake-smsapi.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/sqlite-store.js';
import type { NotificationList } from '../../shared/schemas/index.js';
import { request } from './support/test-app.js';
import {
  acceptedByIdx,
  createGroup,
  employee,
  expectSentOnceAfterLease,
  ok,
  reservePort,
  sendWithSms,
  startSmsApp,
  type SmsTestApp,
  outcomeLine,
} from './support/sms.js';

const RECIPIENTS = ['bartek', 'darek'];

/** Anna sends two SMS messages to a group of Bartek and Darek: four dispatches, all queued. */
async function queueFour(t: SmsTestApp): Promise<string[]> {
  const anna = await employee(t, 'anna');
  const groupId = await createGroup(anna.socket, 'Dyżur', await Promise.all(RECIPIENTS.map((login) => t.idOf(login))));
  const ids: string[] = [];
  for (const text of ['Pierwsza wiadomość', 'Druga wiadomość']) {
    const chips = (await sendWithSms(anna.socket, groupId, text)).sms ?? [];
    expect(chips.map((c) => c.status)).toEqual(['queued', 'queued']);
    ids.push(...chips.map((c) => c.id));
  }
  return ids;
}

describe('SMS outbox across a restart', () => {
  it('while SMSAPI hangs: the next process sends each dispatch exactly once', async () => {
    const fake = await startFakeSmsapi();
    // Every attempt of the first process hangs until its 300 ms timeout; spares cover retries before it stops.
    fake.enqueue(...Array.from({ length: 20 }, () => ({ hang: true as const })));
    const first = await startSmsApp(fake, { env: { SMSAPI_TIMEOUT_MS: '300', SMS_MAX_ATTEMPTS: '20' } });
    let second: SmsTestApp | null = null;
    try {
      const ids = await queueFour(first);
      await expect.poll(() => new Set(fake.requests.map((r) => r.fields.idx)).size).toBe(4);
      await first.stop();
      expect(fake.accepted).toEqual([]);

      fake.reset(); // SMSAPI answers again
      second = await startSmsApp(fake, { dataDir: first.dataDir, people: null });
      const queued = await Promise.all(ids.map((id) => second!.store.sms.findById(id)));
      // Unanswered attempts may have been accepted: unconfirmed, and still retried with the same idx.
      expect(queued.map((d) => d?.status)).toEqual(['unconfirmed', 'unconfirmed', 'unconfirmed', 'unconfirmed']);
      expect(queued.every((d) => (d?.attempts ?? 0) >= 1)).toBe(true);

      await expect.poll(async () => (await Promise.all(ids.map((id) => second!.store.sms.findById(id)))).map((d) => d?.status), {
        timeout: 10_000,
      }).toEqual(['sent', 'sent', 'sent', 'sent']);
      await second.app.services.dispatcher?.drain();
      expect(acceptedByIdx(fake)).toEqual(new Map(ids.map((id) => [id, 1])));
      expect(fake.requests).toHaveLength(4);
    } finally {
      await second?.stop({ remove: true });
      await fake.close();
    }
  });

  it('while SMSAPI is down: nothing is accepted, then the next process sends each exactly once when it is back', async () => {
    const port = await reservePort(); // nothing listens here yet: connection refused
    const first = await startSmsApp(null, {
      env: { SMSAPI_URL: `http://127.0.0.1:${port}`, SMSAPI_TOKEN: FAKE_SMSAPI_DEFAULT_TOKEN, SMS_MAX_ATTEMPTS: '20' },
      deps: { smsDispatcher: { baseBackoffMs: 100, pollMs: 200 } },
    });
    const ids = await queueFour(first);
    // Every dispatch fails at least once before the process goes away.
    await expect
      .poll(async () => (await Promise.all(ids.map((id) => first.store.sms.findById(id)))).every((d) => (d?.attempts ?? 0) >= 1))
      .toBe(true);
    await first.stop();

    const fake = await startFakeSmsapi({ port }); // SMSAPI is back
    const second = await startSmsApp(fake, { dataDir: first.dataDir, people: null });
    try {
      await expect
        .poll(async () => (await Promise.all(ids.map((id) => second.store.sms.findById(id)))).map((d) => d?.status), {
          timeout: 10_000,
        })
        .toEqual(['sent', 'sent', 'sent', 'sent']);
      await second.app.services.dispatcher?.drain();
      expect(acceptedByIdx(fake)).toEqual(new Map(ids.map((id) => [id, 1])));
      expect(fake.requests).toHaveLength(4);
      // The sender may have been offline meanwhile: the outcomes wait in their Notifications panel.
      const sender = await employee(second, 'anna');
      const stored = ok(await request(sender.socket, 'notification:list', {}));
      expect(stored.notifications.map(outcomeLine).filter((n) => n.endsWith(' sent')).sort()).toEqual([
        'Bartek Nowak: sent',
        'Bartek Nowak: sent',
        'Darek Zieliński: sent',
        'Darek Zieliński: sent',
      ]);
    } finally {
      await second.stop({ remove: true });
      await fake.close();
    }
  });

  it('a dispatch leased by a process that died is sent once its lease runs out', async () => {
    const fake = await startFakeSmsapi();
    fake.enqueue(...Array.from({ length: 20 }, () => ({ hang: true as const })));
    const first = await startSmsApp(fake, { env: { SMSAPI_TIMEOUT_MS: '300', SMS_MAX_ATTEMPTS: '20' } });
    let second: SmsTestApp | null = null;
    try {
      const ids = await queueFour(first);
      await expect.poll(() => new Set(fake.requests.map((r) => r.fields.idx)).size).toBe(4);
      await first.stop();
      fake.reset();
      // A process that crashed mid-send leaves its dispatches leased for a while: lease them as it would have.
      const crashed = await openSqliteStore({ file: path.join(first.dataDir, 'depesza.sqlite') });
      const leaseEnds = Date.now() + 1000;
      const leased = await crashed.sms.claimDue(new Date(Date.now() + 60_000), new Date(leaseEnds), 10);
      await crashed.close();
      expect(leased.map((d) => d.id).sort()).toEqual([...ids].sort());

      second = await startSmsApp(fake, { dataDir: first.dataDir, people: null });
      // Exactly once each, and nobody sent while the dead process's lease held.
      await expectSentOnceAfterLease(fake, second, ids, leaseEnds);
    } finally {
      await second?.stop({ remove: true });
      await fake.close();
    }
  });
});
