/**
 * The SMS cost card: the SMSAPI balance (the fake's GET /profile) read at start, after sends and every
 * SMS_BALANCE_REFRESH_MINUTES (the Clock port is moved, not slept); this month's use; a warning to admins when the
 * balance falls below SMS_BALANCE_WARN_POINTS, once per fall. Admins only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { API } from '../../shared/http.js';
import type { SmsBalanceLowEvent, SmsBalanceView } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import { FakeClock, MINUTE } from './support/http-client.js';
import { employee, expectNoPhoneDigits, getText, openDirect, sendWithSms, startSmsApp, type Person, type SmsTestApp } from './support/sms.js';

let fake: FakeSmsapi | undefined;
let t: SmsTestApp | undefined;
afterEach(async () => {
  await t?.stop({ remove: true });
  await fake?.close();
});

async function card(app: SmsTestApp, who: Person): Promise<SmsBalanceView> {
  await app.app.services.balance?.drain();
  const answer = await getText(`${app.url}${API.adminSmsBalance}`, who.cookie);
  expect(answer.status).toBe(200);
  expectNoPhoneDigits(answer.body, 'balance card');
  return JSON.parse(answer.body) as SmsBalanceView;
}

describe('SMS balance and cost', () => {
  it('reads the balance at start, after sends and periodically; warns admins once per fall below the threshold', async () => {
    fake = await startFakeSmsapi({ points: 1.2 });
    const clock = new FakeClock();
    t = await startSmsApp(fake, {
      env: { SMS_BALANCE_WARN_POINTS: '1', SMS_BALANCE_REFRESH_MINUTES: '15', SMS_MONTHLY_LIMIT: '100' },
      deps: { clock },
    });
    const [anna, bartek] = [await employee(t, 'anna'), await employee(t, 'bartek')];
    expect(await card(t, anna)).toMatchObject({ points: 1.2, paymentType: 'prepaid', stale: false, month: { sms: 0, points: 0 }, monthlyLimit: 100, warnBelow: 1 });
    expect((await getText(`${t.url}${API.adminSmsBalance}`, bartek.cookie)).status).toBe(403);

    const conversationId = await openDirect(anna.socket, bartek.id);
    for (const text of ['Pierwszy', 'Drugi']) {
      const chip = (await sendWithSms(anna.socket, conversationId, text)).sms?.[0];
      await anna.log.waitForStatus(chip?.id ?? '', 'sent');
    }
    await t.app.services.dispatcher?.drain();
    // 0.16 points each at the fake: 1.2 → 0.88.
    const after = await card(t, anna);
    expect(after).toMatchObject({ points: 0.88, month: { sms: 2, points: 0.32 } });
    // 1.04 after the first send is still above the threshold; 0.88 after the second is not.
    const warning = await anna.log.waitFor<SmsBalanceLowEvent>('sms:balanceLow');
    expect(warning).toMatchObject({ points: 0.88, warnBelow: 1 });
    expect(bartek.log.of('sms:balanceLow')).toEqual([]);

    fake.setPoints(50);
    clock.advance(15 * MINUTE);
    expect((await card(t, anna)).points).toBe(50);
    fake.setPoints(0.5);
    clock.advance(15 * MINUTE);
    expect((await card(t, anna)).points).toBe(0.5);
    await anna.log.settle();
    // Once per fall: below (warned), still below (not again), back up, below again (warned again).
    expect(anna.log.of<SmsBalanceLowEvent>('sms:balanceLow').map((w) => w.points)).toEqual([0.88, 0.5]);
    // Stored: an admin who signs in later sees both warnings on the card, newest first, as sent live.
    const later = await card(t, anna);
    expect(later.warnings).toEqual([...anna.log.of<SmsBalanceLowEvent>('sms:balanceLow')].reverse());
  });

  it('reads after a burst of sends once at its start and once after its end, not once per SMS', async () => {
    fake = await startFakeSmsapi({ points: 10 });
    const clock = new FakeClock();
    t = await startSmsApp(fake, { env: { SMS_BALANCE_REFRESH_MINUTES: '15' }, deps: { clock } });
    const [anna, bartek] = [await employee(t, 'anna'), await employee(t, 'bartek')];
    await t.app.services.balance?.drain();
    const atStart = fake.profileReads;
    const conversationId = await openDirect(anna.socket, bartek.id);
    for (let i = 1; i <= 6; i++) {
      const chip = (await sendWithSms(anna.socket, conversationId, `Pilne ${i}`)).sms?.[0];
      await anna.log.waitForStatus(chip?.id ?? '', 'sent');
    }
    await t.app.services.dispatcher?.drain();
    // The reading after the last send is still to come: the card waits for it and shows every SMS paid for.
    expect((await card(t, anna)).points).toBe(9.04);
    expect(fake.profileReads - atStart).toBe(2);
  });

  it('stores one warning per fall for every process together, also across a restart', async () => {
    fake = await startFakeSmsapi({ points: 0.5 });
    const clock = new FakeClock();
    const env = { SMS_BALANCE_WARN_POINTS: '1', SMS_BALANCE_REFRESH_MINUTES: '15' };
    t = await startSmsApp(fake, { env, deps: { clock } });
    const two = await startSmsApp(fake, { env, deps: { clock }, dataDir: t.dataDir, people: null });
    try {
      const anna = await employee(t, 'anna');
      // Both read 0.5 at start and at every refresh: still one warning.
      clock.advance(15 * MINUTE);
      await Promise.all([t.app.services.balance?.drain(), two.app.services.balance?.drain()]);
      expect((await card(t, anna)).warnings.map((w) => w.points)).toEqual([0.5]);
      await two.stop();
      const three = await startSmsApp(fake, { env, deps: { clock }, dataDir: t.dataDir, people: null });
      await three.app.services.balance?.drain();
      await three.stop();
      expect((await card(t, anna)).warnings).toHaveLength(1);

      // Back up, then down again: a second warning.
      fake.setPoints(5);
      clock.advance(15 * MINUTE);
      await t.app.services.balance?.drain();
      fake.setPoints(0.25);
      clock.advance(15 * MINUTE);
      expect((await card(t, anna)).warnings.map((w) => w.points)).toEqual([0.25, 0.5]);
    } finally {
      await two.stop().catch(() => undefined);
    }
  });
});
