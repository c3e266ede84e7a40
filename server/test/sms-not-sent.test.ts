/**
 * Every "not sent" rule of issue 4 over the whole app: the sender is told why, the gateway is never called, and no
 * digit of a number leaves the server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationList } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import {
  PHONE_DIGITS,
  employee,
  expectNoPhoneDigits,
  ok,
  onlyDispatch,
  openDirect,
  sendWithSms,
  startSmsApp,
  type Person,
  type SmsTestApp,
  outcomeLine,
} from './support/sms.js';
import { request } from './support/test-app.js';

let fake: FakeSmsapi;
beforeAll(async () => {
  fake = await startFakeSmsapi();
});
afterEach(() => fake.reset());
afterAll(async () => fake.close());

/** Sends with SMS to `login` and checks the immediate "not sent" outcome: chip, notification, no gateway call. */
async function expectNotSent(t: SmsTestApp, sender: Person, login: string, text: string, notice: string) {
  const conversationId = await openDirect(sender.socket, await t.idOf(login));
  const acked = await sendWithSms(sender.socket, conversationId, text);
  const chip = onlyDispatch(acked);
  // The chip carries the same status and reason data as the notification.
  expect(outcomeLine(chip)).toBe(notice);
  const notification = await sender.log.waitForNotification(notice);
  expect(notification).toMatchObject({ messageId: acked.id, conversationId });
  expect(sender.log.smsUpdates().filter((d) => d.id === chip.id).map(outcomeLine)).toContain(notice);
  // Whatever was queued has been tried once drain() resolves: a refused recipient must not be among it.
  await t.app.services.dispatcher?.drain();
  expect(fake.requests).toEqual([]);
  expectNoPhoneDigits(acked, 'ack');
  for (const { event, payload } of sender.log.events) expectNoPhoneDigits(payload, event);
  return chip;
}

describe('SMS not sent: directory rules', () => {
  let t: SmsTestApp;
  beforeAll(async () => {
    t = await startSmsApp(fake);
  });
  afterAll(async () => t.stop({ remove: true }));

  it('no mobile number', async () => {
    const anna = await employee(t, 'anna');
    await expectNotSent(
      t, anna, 'ewa', 'Pilne',
      'Ewa Lewandowska: not_sent no_mobile',
    );
  });

  it('private number: the fake never sees it and the notice has no digits', async () => {
    const anna = await employee(t, 'anna');
    await expectNotSent(
      t, anna, 'celina', 'Pilne',
      'Celina Wiśniewska: not_sent mobile_private',
    );
    expect(JSON.stringify(fake.requests)).not.toContain(PHONE_DIGITS.celina);
    const list = ok(await request(anna.socket, 'notification:list', {}));
    const texts = list.notifications.map(outcomeLine).filter((text) => text.includes('Celina'));
    expect(texts).not.toHaveLength(0);
    for (const text of texts) expect(text).not.toMatch(/\d/);
  });

  it('invalid number', async () => {
    const anna = await employee(t, 'anna');
    await expectNotSent(
      t, anna, 'filip', 'Pilne',
      'Filip Wójcik: not_sent mobile_invalid',
    );
  });
});

describe('SMS not sent: configuration and limits', () => {
  it('not configured: no SMSAPI_TOKEN', async () => {
    const t = await startSmsApp(fake, { env: { SMSAPI_TOKEN: '' } });
    try {
      expect(t.app.services.dispatcher).toBeNull();
      const anna = await employee(t, 'anna');
      await expectNotSent(
        t, anna, 'bartek', 'Pilne',
        'Bartek Nowak: not_sent not_configured',
      );
      const config = (await (await fetch(`${t.url}/api/config`)).json()) as { smsEnabled: boolean };
      expect(config.smsEnabled).toBe(false);
    } finally {
      await t.stop({ remove: true });
    }
  });

  it('sender limit (SMS_LIMIT_SENDER_PER_HOUR=1): the second SMS within the hour is refused', async () => {
    const t = await startSmsApp(fake, { env: { SMS_LIMIT_SENDER_PER_HOUR: '1' } });
    try {
      const anna = await employee(t, 'anna');
      const first = onlyDispatch(await sendWithSms(anna.socket, await openDirect(anna.socket, await t.idOf('bartek')), 'Pierwszy'));
      expect(first.status).toBe('queued');
      await anna.log.waitForStatus(first.id, 'sent');
      fake.reset();
      await expectNotSent(
        t, anna, 'darek', 'Drugi',
        'Darek Zieliński: not_sent sender_hour_limit limit=1',
      );
      // Another sender is not affected by Anna's limit.
      const bartek = await employee(t, 'bartek');
      const other = onlyDispatch(await sendWithSms(bartek.socket, await openDirect(bartek.socket, await t.idOf('darek')), 'Od Bartka'));
      await bartek.log.waitForStatus(other.id, 'sent');
    } finally {
      await t.stop({ remove: true });
    }
  });

  it('sender limit counts the recipients of one group message', async () => {
    const t = await startSmsApp(fake, { env: { SMS_LIMIT_SENDER_PER_HOUR: '1' } });
    try {
      const anna = await employee(t, 'anna');
      const ids = await Promise.all(['bartek', 'darek'].map((login) => t.idOf(login)));
      const groupId = ok(
        await request(anna.socket, 'conversation:createGroup', { name: 'Dwoje', memberIds: ids }),
      ).id;
      const chips = (await sendWithSms(anna.socket, groupId, 'Do obu')).sms ?? [];
      expect(chips.map((c) => c.status).sort()).toEqual(['not_sent', 'queued']);
      expect(chips.find((c) => c.status === 'not_sent')?.reason).toEqual({ code: 'sender_hour_limit', limit: 1 });
      await t.app.services.dispatcher?.drain();
      expect(fake.requests).toHaveLength(1);
    } finally {
      await t.stop({ remove: true });
    }
  });

  it('recipient limit (SMS_LIMIT_RECIPIENT=1): a second SMS to the same person is refused, whoever sends it', async () => {
    const t = await startSmsApp(fake, { env: { SMS_LIMIT_RECIPIENT: '1', SMS_LIMIT_RECIPIENT_WINDOW_MINUTES: '10' } });
    try {
      const anna = await employee(t, 'anna');
      const first = onlyDispatch(await sendWithSms(anna.socket, await openDirect(anna.socket, await t.idOf('bartek')), 'Raz'));
      await anna.log.waitForStatus(first.id, 'sent');
      fake.reset();
      const darek = await employee(t, 'darek');
      await expectNotSent(
        t, darek, 'bartek', 'Dwa',
        'Bartek Nowak: not_sent recipient_limit limit=1 windowMinutes=10',
      );
    } finally {
      await t.stop({ remove: true });
    }
  });

  it('too long (SMS_MAX_PARTS=1): a Polish text over 70 characters', async () => {
    const t = await startSmsApp(fake, { env: { SMS_MAX_PARTS: '1' } });
    try {
      const anna = await employee(t, 'anna');
      const text = 'Proszę pilnie oddzwonić w sprawie awarii chłodni w magazynie przy ulicy Żółkiewskiego';
      expect(text.length).toBeGreaterThan(70);
      expect(text.length).toBeLessThanOrEqual(134);
      await expectNotSent(
        t, anna, 'bartek', text,
        'Bartek Nowak: not_sent too_long parts=2 maxParts=1',
      );
      // The same length without Polish letters fits one GSM-7 part and goes out.
      const ascii = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ł/g, 'l');
      const chip = onlyDispatch(await sendWithSms(anna.socket, await openDirect(anna.socket, await t.idOf('bartek')), ascii));
      expect(chip.status).toBe('queued');
      await anna.log.waitForStatus(chip.id, 'sent');
      expect(fake.requests).toHaveLength(1);
    } finally {
      await t.stop({ remove: true });
    }
  });
});
