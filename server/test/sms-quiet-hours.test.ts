/**
 * Quiet hours (issue 14): an SMS that would reach someone outside their working hours is held until they start —
 * a stored due time decided once, across a restart and with two app instances — unless the sender chose "send
 * anyway"; and "SMS if not acknowledged". The clock is the Clock port, moved by the test: nothing here sleeps.
 * The FakeClock starts on Monday 3 March 2025, 09:00 UTC = 10:00 in Europe/Warsaw (the default TIME_ZONE).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { API } from '../../shared/http.js';
import type { Me, Message, SendMessageRequest, SmsDispatchView, WorkingHours } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import { call, FakeClock, MINUTE } from './support/http-client.js';
import { request, requestUnchecked, type ClientSocket } from './support/test-app.js';
import { acceptedByIdx, createGroup, employee, ok, outcomeLine, smsAppsPerTest, type Person, type SmsTestApp } from './support/sms.js';

let fake: FakeSmsapi;
const { start, stopKeepingFile } = smsAppsPerTest(() => fake, { SMS_IF_UNREAD_MINUTES: '5,15' });
const HOUR = 60 * MINUTE;

/** Weekdays from 12:00 Warsaw: at the clock's start (Monday 10:00) quiet until 12:00 = 11:00 UTC, two hours on. */
const FROM_NOON: WorkingHours = { days: [1, 2, 3, 4, 5], start: '12:00', end: '16:00' };
const NOON_UTC = '2025-03-03T11:00:00.000Z';

async function setHours(person: Person, t: SmsTestApp, hours: WorkingHours | null): Promise<Me> {
  const answer = await call<Me>(t.url, 'PATCH', API.myProfile, { cookie: person.cookie, body: { workingHours: hours } });
  expect(answer.status).toBe(200);
  return answer.body;
}

function send(socket: ClientSocket, conversationId: string, text: string, extra: Partial<SendMessageRequest> = {}): Promise<Message> {
  return request(socket, 'message:send', { conversationId, clientId: randomUUID(), text, notifySms: true, ...extra }).then(ok);
}

/** Anna's group with Bartek (quiet until noon) and Darek (no working hours: always reachable). */
async function group(t: SmsTestApp, hours: WorkingHours = FROM_NOON) {
  const [anna, bartek, darek] = [await employee(t, 'anna'), await employee(t, 'bartek'), await employee(t, 'darek')];
  await setHours(bartek, t, hours);
  const groupId = await createGroup(anna.socket, 'Awaria', [bartek.id, darek.id]);
  const chipOf = (message: Message, p: Person) => (message.sms ?? []).find((c) => c.recipientId === p.id) as SmsDispatchView;
  return { anna, bartek, darek, groupId, chipOf };
}

describe('quiet hours', () => {
  it('holds the SMS until the hours start, tells the sender why and when, and sends exactly once then — not before', async () => {
    fake = await startFakeSmsapi();
    const clock = new FakeClock();
    const t = await start(clock);
    const { anna, bartek, darek, groupId, chipOf } = await group(t);

    // The preview already says who is in quiet hours.
    const preview = ok(await request(anna.socket, 'sms:preview', { conversationId: groupId }));
    expect(preview.recipients.find((r) => r.employeeId === bartek.id)).toMatchObject({
      canReceive: true,
      reason: { code: 'quiet_hours', releaseAt: NOON_UTC, localTime: '12:00' },
    });
    expect(preview.recipients.find((r) => r.employeeId === darek.id)).toMatchObject({ canReceive: true, reason: null });

    const message = await send(anna.socket, groupId, 'Serwer leży');
    expect(chipOf(message, bartek)).toMatchObject({ status: 'queued', reason: { code: 'quiet_hours', releaseAt: NOON_UTC, localTime: '12:00' } });
    await anna.log.waitForNotification(`Bartek Nowak: queued quiet_hours releaseAt=${NOON_UTC} localTime=12:00`);
    await anna.log.waitForStatus(chipOf(message, darek).id, 'sent');

    clock.advance(2 * HOUR - 1);
    await t.app.services.dispatcher?.drain();
    await anna.log.settle();
    expect([...acceptedByIdx(fake).keys()]).toEqual([chipOf(message, darek).id]);

    clock.advance(1);
    const sent = await anna.log.waitForStatus(chipOf(message, bartek).id, 'sent');
    expect(sent.reason).toBeNull();
    await t.app.services.dispatcher?.drain();
    expect(acceptedByIdx(fake)).toEqual(new Map([[chipOf(message, darek).id, 1], [chipOf(message, bartek).id, 1]]));
  });

  it('"send anyway" sends now, and is refused without an SMS', async () => {
    fake = await startFakeSmsapi();
    const t = await start(new FakeClock());
    const { anna, bartek, groupId, chipOf } = await group(t);
    const message = await send(anna.socket, groupId, 'Pilne mimo wszystko', { smsIgnoreQuietHours: true });
    expect(chipOf(message, bartek)).toMatchObject({ status: 'queued', reason: null });
    await anna.log.waitForStatus(chipOf(message, bartek).id, 'sent');
    const refused = await requestUnchecked(anna.socket, 'message:send', { conversationId: groupId, clientId: randomUUID(), text: 'x', smsIgnoreQuietHours: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(refused)).toContain('smsIgnoreQuietHours needs notifySms');
  });

  it('checks the rules again at release: a number made private meanwhile gets no SMS, and the sender hears why', async () => {
    fake = await startFakeSmsapi();
    const clock = new FakeClock();
    const t = await start(clock);
    const { anna, bartek, groupId } = await group(t);
    await send(anna.socket, groupId, 'Serwer leży');
    await t.store.employees.update(bartek.id, { mobilePrivate: true });
    clock.advance(2 * HOUR);
    await anna.log.waitForNotification('Bartek Nowak: not_sent mobile_private');
    await t.app.services.dispatcher?.drain();
    expect(fake.accepted.map((a) => a.message)).toEqual(['Serwer leży']); // Darek's only
  });

  it('an "if unread" SMS whose deadline falls in quiet hours is held; read before the release, it never goes', async () => {
    fake = await startFakeSmsapi();
    const clock = new FakeClock();
    const t = await start(clock);
    // Bartek's hours start at 10:30 Warsaw; the deadline is 10:05.
    const { anna, bartek, darek, groupId, chipOf } = await group(t, { days: [1, 2, 3, 4, 5], start: '10:30', end: '16:00' });
    const message = await send(anna.socket, groupId, 'Odezwij się', { smsIfUnreadMinutes: 5 });
    expect(chipOf(message, bartek)).toMatchObject({ status: 'queued', reason: null });

    clock.advance(5 * MINUTE);
    await anna.log.waitForNotification('Bartek Nowak: queued quiet_hours releaseAt=2025-03-03T09:30:00.000Z localTime=10:30');
    await anna.log.waitForStatus(chipOf(message, darek).id, 'sent');

    clock.advance(15 * MINUTE);
    ok(await request(bartek.socket, 'receipt:mark', { conversationId: groupId, seq: message.seq, kind: 'read' }));
    await anna.log.waitForNotification('Bartek Nowak: not_sent read_in_time afterSeconds=1200');
    clock.advance(10 * MINUTE);
    await t.app.services.dispatcher?.drain();
    await anna.log.settle();
    expect([...acceptedByIdx(fake).keys()]).toEqual([chipOf(message, darek).id]);
  });

  it('a bulk SMS held by quiet hours keeps its exemption from the sender\'s caps when it is released', async () => {
    fake = await startFakeSmsapi();
    const clock = new FakeClock();
    // The sender may trigger one SMS a day: the bulk's SMS to Darek (sent at once) uses it up.
    const t = await start(clock, { env: { SMS_LIMIT_SENDER_PER_DAY: '1' } });
    const [anna, bartek, darek] = [await employee(t, 'anna'), await employee(t, 'bartek'), await employee(t, 'darek')];
    await setHours(bartek, t, FROM_NOON);
    const bulk = await call<{ id: string }>(t.url, 'POST', API.adminBulkSms, {
      cookie: anna.cookie,
      body: { id: randomUUID(), recipients: { employeeIds: [bartek.id, darek.id] }, text: 'Zebranie o 12:30' },
    });
    expect(bulk.status).toBeLessThan(300);
    await anna.log.waitForNotification(`Bartek Nowak: queued quiet_hours releaseAt=${NOON_UTC} localTime=12:00`);
    await anna.log.waitForNotification('Darek Zieliński: sent');

    clock.advance(2 * HOUR);
    await anna.log.waitForNotification('Bartek Nowak: sent');
    await t.app.services.dispatcher?.drain();
    expect(fake.accepted.map((a) => a.message)).toEqual(['Zebranie o 12:30', 'Zebranie o 12:30']);
    // The cap itself holds for an ordinary SMS of the same sender.
    const direct = ok(await request(anna.socket, 'conversation:openDirect', { employeeId: darek.id }));
    const chat = await send(anna.socket, direct.id, 'Jeszcze jedno');
    expect(chat.sms?.[0]).toMatchObject({ status: 'not_sent', reason: { code: 'sender_day_limit', limit: 1 } });
  });

  it('survives a restart between the send and the release: the next process sends exactly once', async () => {
    fake = await startFakeSmsapi();
    const clock = new FakeClock();
    const first = await start(clock);
    const { anna, bartek, groupId, chipOf } = await group(first);
    const message = await send(anna.socket, groupId, 'Serwer leży');
    await first.app.services.dispatcher?.drain();
    await stopKeepingFile(first);

    const second = await start(clock, { dataDir: first.dataDir });
    clock.advance(2 * HOUR);
    await expect.poll(async () => (await second.store.sms.findById(chipOf(message, bartek).id))?.status).toBe('sent');
    await second.app.services.dispatcher?.drain();
    expect(acceptedByIdx(fake).get(chipOf(message, bartek).id)).toBe(1);
    expect(fake.requests).toHaveLength(2);
    const sender = await employee(second, 'anna');
    const stored = ok(await request(sender.socket, 'notification:list', {}));
    expect(stored.notifications.map(outcomeLine).filter((line) => line.startsWith('Bartek')).sort()).toEqual([
      'Bartek Nowak: queued quiet_hours releaseAt=2025-03-03T11:00:00.000Z localTime=12:00',
      'Bartek Nowak: sent',
    ]);
  });

  it('with two app instances on one SQLite file, each held SMS goes exactly once', async () => {
    fake = await startFakeSmsapi();
    const clock = new FakeClock();
    const one = await start(clock);
    const two = await start(clock, { dataDir: one.dataDir });
    const { anna, bartek, groupId, chipOf } = await group(one);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(chipOf(await send(anna.socket, groupId, `Alarm ${i}`), bartek).id);
    await Promise.all([one.app.services.dispatcher?.drain(), two.app.services.dispatcher?.drain()]);
    clock.advance(2 * HOUR);
    await expect
      .poll(async () => (await Promise.all(ids.map((id) => one.store.sms.findById(id)))).filter((d) => d?.status === 'sent').length, { timeout: 10_000 })
      .toBe(8);
    await Promise.all([one.app.services.dispatcher?.drain(), two.app.services.dispatcher?.drain()]);
    const accepted = acceptedByIdx(fake);
    expect(ids.map((id) => accepted.get(id))).toEqual(ids.map(() => 1));
    expect(fake.requests).toHaveLength(16); // 8 to Darek at once, 8 to Bartek at noon
  });

  it('validates working hours, naming the field; null clears them', async () => {
    fake = await startFakeSmsapi();
    const t = await start(new FakeClock());
    const bartek = await employee(t, 'bartek');
    const bad = async (workingHours: unknown) =>
      call<{ message: string }>(t.url, 'PATCH', API.myProfile, { cookie: bartek.cookie, body: { workingHours } });
    const late = await bad({ days: [1], start: '25:00', end: '16:00' });
    expect(late.status).toBe(400);
    expect(JSON.stringify(late.body)).toContain('workingHours/start');
    const noDays = await bad({ days: [], start: '07:00', end: '16:00' });
    expect(noDays.status).toBe(400);
    expect(JSON.stringify(noDays.body)).toContain('workingHours/days');
    const same = await bad({ days: [1], start: '07:00', end: '07:00' });
    expect(same.status).toBe(400);
    expect(JSON.stringify(same.body)).toContain('workingHours/end');
    expect((await setHours(bartek, t, { days: [5, 1], start: '07:00', end: '15:00' })).workingHours).toEqual({ days: [1, 5], start: '07:00', end: '15:00' });
    expect((await setHours(bartek, t, null)).workingHours).toBeNull();
  });
});

describe('SMS if not acknowledged', () => {
  it('at the deadline only who has not acknowledged gets one SMS (reading is not enough); the acknowledger none, and the sender hears so', async () => {
    fake = await startFakeSmsapi();
    const clock = new FakeClock();
    const t = await start(clock);
    const [anna, bartek, darek] = [await employee(t, 'anna'), await employee(t, 'bartek'), await employee(t, 'darek')];
    const groupId = await createGroup(anna.socket, 'Awaria', [bartek.id, darek.id]);
    const message = await send(anna.socket, groupId, 'Potwierdźcie', { smsIfUnreadMinutes: 5, requestAck: true, smsIfUnacknowledged: true });
    const chipOf = (p: Person) => (message.sms ?? []).find((c) => c.recipientId === p.id) as SmsDispatchView;
    expect(chipOf(bartek)).toMatchObject({ status: 'queued', ifNotAcknowledged: true });

    clock.advance(MINUTE);
    ok(await request(bartek.socket, 'receipt:mark', { conversationId: groupId, seq: message.seq, kind: 'read' }));
    ok(await request(darek.socket, 'receipt:mark', { conversationId: groupId, seq: message.seq, kind: 'read' }));
    ok(await request(darek.socket, 'message:acknowledge', { messageId: message.id }));
    await anna.log.settle();
    expect(anna.log.notifications()).toEqual([]);

    clock.advance(4 * MINUTE);
    await anna.log.waitForNotification('Darek Zieliński: not_sent acknowledged_in_time');
    await anna.log.waitForStatus(chipOf(bartek).id, 'sent');
    await t.app.services.dispatcher?.drain();
    expect(acceptedByIdx(fake)).toEqual(new Map([[chipOf(bartek).id, 1]]));
  });

  it('needs a deadline and a request for acknowledgement', async () => {
    fake = await startFakeSmsapi();
    const t = await start(new FakeClock());
    const anna = await employee(t, 'anna');
    const groupId = await createGroup(anna.socket, 'Awaria', [await t.idOf('bartek')]);
    const answer = await requestUnchecked(anna.socket, 'message:send', {
      conversationId: groupId, clientId: randomUUID(), text: 'x', notifySms: true, smsIfUnreadMinutes: 5, smsIfUnacknowledged: true,
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(answer)).toContain('smsIfUnacknowledged needs smsIfUnreadMinutes and requestAck');
  });
});
