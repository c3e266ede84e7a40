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
    expect(warning).toEqual({ points: 0.88, warnBelow: 1 });
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
  });
});
