/**
 * "Notify immediately by SMS", the happy path against the fake SMSAPI over real HTTP: exactly one request with
 * exactly the fields SMSAPI expects, live feedback to the sender only, and groups.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../shared/schemas/index.js';
import { startFakeSmsapi } from '../src/dev/fake-smsapi.js';
import {
  CALLBACK_SECRET,
  PHONE_DIGITS,
  acceptedByIdx,
  createGroup,
  employee,
  expectNoPhoneDigits,
  ok,
  onlyDispatch,
  openDirect,
  sendWithSms,
  smsAppPerBlock,
  startSmsApp,
  outcomeLine,
} from './support/sms.js';
import { request } from './support/test-app.js';

describe('SMS escalation: sending', () => {
  const { fake, t } = smsAppPerBlock();

  it('sends one SMS with exactly the expected fields and tells only the sender', async () => {
    const anna = await employee(t, 'anna');
    const bartek = await employee(t, 'bartek');
    const conversationId = await openDirect(anna.socket, bartek.id);
    const text = 'Awaria serwera, zadzwoń proszę';

    const acked = await sendWithSms(anna.socket, conversationId, text);
    expect(acked.notifySms).toBe(true);
    const chip = onlyDispatch(acked);
    expect(chip).toMatchObject({ recipientId: bartek.id, recipientName: 'Bartek Nowak', status: 'queued', reason: null });

    const sent = await anna.log.waitForStatus(chip.id, 'sent');
    expect(sent).toMatchObject({ recipientName: 'Bartek Nowak', reason: null });
    const notice = await anna.log.waitForNotification('Bartek Nowak: sent');
    expect(notice).toMatchObject({ kind: 'sms_outcome', messageId: acked.id, conversationId, status: 'sent', reason: null, read: false });

    expect(fake.requests).toHaveLength(1);
    const [received] = fake.requests;
    expect(received).toMatchObject({
      method: 'POST',
      path: '/sms.do',
      authorization: `Bearer ${fake.token}`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(received?.fields).toEqual({
      to: `48${PHONE_DIGITS.bartek}`,
      message: text,
      format: 'json',
      encoding: 'utf-8',
      idx: chip.id,
      check_idx: '1',
      notify_url: `${t.publicUrl}/api/sms/callback/${CALLBACK_SECRET}`,
      max_parts: '3',
      details: '1',
    });
    expect([...acceptedByIdx(fake)]).toEqual([[chip.id, 1]]);

    // The sender's history carries the chip in its latest state; the recipient never sees SMS details.
    const annaHistory = ok(await request(anna.socket, 'message:history', { conversationId }));
    expect(annaHistory.messages.at(-1)?.sms).toEqual([expect.objectContaining({ id: chip.id, status: 'sent' })]);
    const bartekCopy = await bartek.log.waitFor<Message>('message:new', (m) => m.id === acked.id);
    expect(bartekCopy).not.toHaveProperty('sms');
    expect(bartekCopy.notifySms).toBe(true);
    const bartekHistory = ok(await request(bartek.socket, 'message:history', { conversationId }));
    expect(bartekHistory.messages.at(-1)).not.toHaveProperty('sms');
    await bartek.log.settle();
    expect(bartek.log.of('sms:update')).toEqual([]);
    expect(bartek.log.of('notification:new')).toEqual([]);

    // The stored notification is listed with its link, unread.
    const list = ok(await request(anna.socket, 'notification:list', {}));
    expect(list.notifications.map(outcomeLine)).toContain('Bartek Nowak: sent');
    expect(list.unread).toBeGreaterThanOrEqual(1);

    for (const { event, payload } of [...anna.log.events, ...bartek.log.events]) expectNoPhoneDigits(payload, event);
    expectNoPhoneDigits(acked, 'ack');
    expectNoPhoneDigits(list, 'notification:list');
  });

  it('does not send an SMS for a message sent without the box ticked', async () => {
    const anna = await employee(t, 'anna');
    const conversationId = await openDirect(anna.socket, await t.idOf('darek'));
    const plain = ok(
      await request(anna.socket, 'message:send', { conversationId, clientId: randomUUID(), text: 'Bez SMS' }),
    );
    expect(plain.notifySms).toBe(false);
    expect(plain).not.toHaveProperty('sms');
    await t.app.services.dispatcher?.drain();
    expect(fake.requests).toEqual([]);
  });

  it('sends the plain text of a formatted message: marks stripped, link address kept, the chat keeps the Markdown', async () => {
    const anna = await employee(t, 'anna');
    const conversationId = await openDirect(anna.socket, await t.idOf('darek'));
    const text = '**pilne**: serwer _leży_, zobacz [status](https://status.example.com) i uruchom `restart **now**`';
    const acked = await sendWithSms(anna.socket, conversationId, text);
    expect(acked.text).toBe(text);
    await anna.log.waitForStatus(onlyDispatch(acked).id, 'sent');
    expect(fake.requests.map((r) => r.fields?.message)).toEqual([
      'pilne: serwer leży, zobacz status (https://status.example.com) i uruchom restart **now**',
    ]);
  });

  it('a repeated send (same clientId) plans no second SMS', async () => {
    const anna = await employee(t, 'anna');
    const conversationId = await openDirect(anna.socket, await t.idOf('darek'));
    const payload = { conversationId, clientId: randomUUID(), text: 'Pilne', notifySms: true };
    const first = ok(await request(anna.socket, 'message:send', payload));
    const chip = onlyDispatch(first);
    await anna.log.waitForStatus(chip.id, 'sent');
    const again = ok(await request(anna.socket, 'message:send', payload));
    expect(again.id).toBe(first.id);
    expect(again.sms).toEqual([expect.objectContaining({ id: chip.id, status: 'sent' })]);
    await t.app.services.dispatcher?.drain();
    expect(fake.requests).toHaveLength(1);
  });

  it('sends to every group member except the sender, and says who cannot be reached', async () => {
    const anna = await employee(t, 'anna');
    const others = await Promise.all(['bartek', 'celina', 'darek', 'ewa', 'filip'].map((login) => t.idOf(login)));
    const groupId = await createGroup(anna.socket, 'Zmiana nocna', others);

    const preview = ok(await request(anna.socket, 'sms:preview', { conversationId: groupId }));
    expectNoPhoneDigits(preview, 'sms:preview');
    const byName = Object.fromEntries(preview.recipients.map((r) => [r.name, { canReceive: r.canReceive, reason: r.reason }]));
    expect(byName).toEqual({
      'Bartek Nowak': { canReceive: true, reason: null },
      'Celina Wiśniewska': { canReceive: false, reason: { code: 'mobile_private' } },
      'Darek Zieliński': { canReceive: true, reason: null },
      'Ewa Lewandowska': { canReceive: false, reason: { code: 'no_mobile' } },
      'Filip Wójcik': { canReceive: false, reason: { code: 'mobile_invalid' } },
    });

    const acked = await sendWithSms(anna.socket, groupId, 'Alarm w magazynie');
    const chips = acked.sms ?? [];
    expect(chips.map((c) => c.recipientId).sort()).toEqual([...others].sort());
    expect(chips.map((c) => c.recipientId)).not.toContain(anna.id);
    const queued = chips.filter((c) => c.status === 'queued');
    expect(queued.map((c) => c.recipientName).sort()).toEqual(['Bartek Nowak', 'Darek Zieliński']);

    await Promise.all(queued.map((c) => anna.log.waitForStatus(c.id, 'sent')));
    await anna.log.waitForNotification('Bartek Nowak: sent');
    await anna.log.waitForNotification('Darek Zieliński: sent');
    expect(anna.log.notifications()).toEqual(
      expect.arrayContaining([
        'Celina Wiśniewska: not_sent mobile_private',
        'Ewa Lewandowska: not_sent no_mobile',
        'Filip Wójcik: not_sent mobile_invalid',
      ]),
    );
    expect(fake.requests.map((r) => r.fields.to).sort()).toEqual([`48${PHONE_DIGITS.bartek}`, `48${PHONE_DIGITS.darek}`]);
    expect(new Map([...acceptedByIdx(fake)])).toEqual(new Map(queued.map((c) => [c.id, 1])));
    for (const { event, payload } of anna.log.events) expectNoPhoneDigits(payload, event);
  });

  it('a member who is not the sender never gets SMS feedback for the group message', async () => {
    const anna = await employee(t, 'anna');
    const darek = await employee(t, 'darek');
    const groupId = await createGroup(anna.socket, 'Tylko Darek', [darek.id]);
    const acked = await sendWithSms(anna.socket, groupId, 'Sprawdź skrzynkę');
    await anna.log.waitForStatus(onlyDispatch(acked).id, 'sent');
    await darek.log.settle();
    expect(darek.log.of('sms:update')).toEqual([]);
    expect(darek.log.of('notification:new')).toEqual([]);
  });
});

describe('SMS escalation: optional request fields', () => {
  it('adds from, normalize and test=1 when SMSAPI_SENDER, SMS_NORMALIZE and SMSAPI_TEST are set', async () => {
    const fake = await startFakeSmsapi();
    const t = await startSmsApp(fake, {
      env: { SMSAPI_SENDER: 'Depesza', SMSAPI_TEST: 'on', SMS_NORMALIZE: 'on', SMS_MAX_PARTS: '2' },
    });
    try {
      const anna = await employee(t, 'anna');
      const conversationId = await openDirect(anna.socket, await t.idOf('bartek'));
      const chip = onlyDispatch(await sendWithSms(anna.socket, conversationId, 'Zażółć gęślą jaźń'));
      await anna.log.waitForStatus(chip.id, 'sent');
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]?.fields).toEqual({
        to: `48${PHONE_DIGITS.bartek}`,
        message: 'Zażółć gęślą jaźń',
        from: 'Depesza',
        format: 'json',
        encoding: 'utf-8',
        idx: chip.id,
        check_idx: '1',
        notify_url: `${t.publicUrl}/api/sms/callback/${CALLBACK_SECRET}`,
        normalize: '1',
        max_parts: '2',
        test: '1',
        details: '1',
      });
      expect(fake.accepted[0]?.test).toBe(true);
    } finally {
      await t.stop({ remove: true });
      await fake.close();
    }
  });

  it('sends no notify_url without PUBLIC_URL', async () => {
    const fake = await startFakeSmsapi();
    const t = await startSmsApp(fake, { env: { PUBLIC_URL: '' } });
    try {
      const anna = await employee(t, 'anna');
      const conversationId = await openDirect(anna.socket, await t.idOf('bartek'));
      const chip = onlyDispatch(await sendWithSms(anna.socket, conversationId, 'Bez raportów'));
      await anna.log.waitForStatus(chip.id, 'sent');
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]?.fields).not.toHaveProperty('notify_url');
    } finally {
      await t.stop({ remove: true });
      await fake.close();
    }
  });
});
