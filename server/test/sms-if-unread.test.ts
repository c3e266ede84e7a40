/**
 * "SMS if unread after N min": the SMS waits with its message in the store and goes at the deadline only to whoever
 * has not read it — decided exactly once, across a restart and with two app instances on one SQLite file. Time is
 * the Clock port, moved by the test: nothing here sleeps.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message, SmsDispatchView } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import { FakeClock, MINUTE } from './support/http-client.js';
import { requestUnchecked, request, type ClientSocket } from './support/test-app.js';
import {
  acceptedByIdx,
  createGroup,
  employee,
  ok,
  outcomeLine,
  smsAppsPerTest,
  type Person,
  type SmsTestApp,
} from './support/sms.js';

let fake: FakeSmsapi;
const { start, stopKeepingFile } = smsAppsPerTest(() => fake, { SMS_IF_UNREAD_MINUTES: '5,15' });

function sendIfUnread(socket: ClientSocket, conversationId: string, text: string, minutes: number): Promise<Message> {
  return request(socket, 'message:send', { conversationId, clientId: randomUUID(), text, notifySms: true, smsIfUnreadMinutes: minutes }).then(ok);
}

async function read(person: Person, conversationId: string, seq: number): Promise<void> {
  ok(await request(person.socket, 'receipt:mark', { conversationId, seq, kind: 'read' }));
}

/** Anna's group with Bartek and Darek, and one message to both with "SMS if unread after 5 min". */
async function waitingToBoth(t: SmsTestApp) {
  const [anna, bartek, darek] = [await employee(t, 'anna'), await employee(t, 'bartek'), await employee(t, 'darek')];
  const groupId = await createGroup(anna.socket, 'Awaria', [bartek.id, darek.id]);
  const message = await sendIfUnread(anna.socket, groupId, 'Serwer leży, odezwij się', 5);
  const chips = message.sms ?? [];
  const chipOf = (p: Person) => chips.find((c) => c.recipientId === p.id) as SmsDispatchView;
  return { anna, bartek, darek, groupId, message, chipOf };
}

describe('SMS if unread', () => {
  it('waits for the deadline; who read in time gets no SMS (and the sender is told why), the other gets exactly one', async () => {
    fake = await startFakeSmsapi();
    const clock = new FakeClock();
    const t = await start(clock);
    const { anna, bartek, darek, groupId, message, chipOf } = await waitingToBoth(t);
    const deadline = new Date(clock.now().getTime() + 5 * MINUTE).toISOString();
    expect(chipOf(bartek)).toMatchObject({ status: 'queued', reason: null, ifUnreadBy: deadline });
    expect(chipOf(darek)).toMatchObject({ status: 'queued', reason: null, ifUnreadBy: deadline });

    clock.advance(3 * MINUTE);
    await read(bartek, groupId, message.seq);
    const settled = await anna.log.waitForStatus(chipOf(bartek).id, 'not_sent');
    expect(settled.reason).toEqual({ code: 'read_in_time', afterSeconds: 180 });
    expect(settled.ifUnreadBy).toBeUndefined();
    await anna.log.waitForNotification('Bartek Nowak: not_sent read_in_time afterSeconds=180');
    // Reading again (another tab) changes nothing.
    await read(bartek, groupId, message.seq);

    clock.advance(2 * MINUTE - 1);
    await anna.log.settle();
    await t.app.services.dispatcher?.drain();
    expect(fake.requests).toHaveLength(0);

    clock.advance(1);
    const sent = await anna.log.waitForStatus(chipOf(darek).id, 'sent');
    expect(sent.ifUnreadBy).toBeUndefined();
    await t.app.services.dispatcher?.drain();
    expect(acceptedByIdx(fake)).toEqual(new Map([[chipOf(darek).id, 1]]));
    expect(fake.accepted[0]?.message).toBe('Serwer leży, odezwij się');
    // A read after the SMS went does not take it back.
    await read(darek, groupId, message.seq);
    await anna.log.settle();
    expect((await t.store.sms.findById(chipOf(darek).id))?.status).toBe('sent');
    expect(anna.log.notifications().filter((line) => line.startsWith('Darek'))).toEqual(['Darek Zieliński: sent']);
  });

  it('checks the rules again at the deadline: a number made private meanwhile gets no SMS, and the sender hears why', async () => {
    fake = await startFakeSmsapi();
    const clock = new FakeClock();
    const t = await start(clock);
    const { anna, darek, chipOf } = await waitingToBoth(t);
    await t.store.employees.update(darek.id, { mobilePrivate: true });
    clock.advance(5 * MINUTE);
    await anna.log.waitForNotification('Darek Zieliński: not_sent mobile_private');
    await anna.log.waitForNotification('Bartek Nowak: sent');
    await t.app.services.dispatcher?.drain();
    expect([...acceptedByIdx(fake).keys()]).toEqual([chipOf((await employee(t, 'bartek'))).id]);
  });

  it('reserves under the caps at the deadline, not before: waiting SMS do not use up the recipient cap', async () => {
    fake = await startFakeSmsapi();
    const clock = new FakeClock();
    const t = await start(clock, { env: { SMS_LIMIT_RECIPIENT: '1', SMS_LIMIT_RECIPIENT_WINDOW_MINUTES: '60' } });
    const { anna, bartek, darek, groupId, message, chipOf } = await waitingToBoth(t);
    // Bartek reads the first one in time; a second waiting one to both is still allowed (nothing was reserved).
    await read(bartek, groupId, message.seq);
    const second = await sendIfUnread(anna.socket, groupId, 'Nadal leży', 5);
    expect((second.sms ?? []).map((c) => c.status)).toEqual(['queued', 'queued']);
    clock.advance(5 * MINUTE);
    // Darek: two unread at one deadline, a cap of one an hour: one is sent, the other refused by the cap.
    await anna.log.waitForNotification('Darek Zieliński: not_sent recipient_limit limit=1 windowMinutes=60');
    await anna.log.waitForNotification('Darek Zieliński: sent');
    await anna.log.waitForNotification('Bartek Nowak: sent');
    await t.app.services.dispatcher?.drain();
    const darekIds = [chipOf(darek).id, ...(second.sms ?? []).filter((c) => c.recipientId === darek.id).map((c) => c.id)];
    const accepted = acceptedByIdx(fake);
    expect(darekIds.filter((id) => accepted.has(id))).toHaveLength(1);
    expect(accepted.size).toBe(2);
  });

  it('refuses a deadline that is not one of the configured choices, naming the field', async () => {
    fake = await startFakeSmsapi();
    const t = await start(new FakeClock());
    const anna = await employee(t, 'anna');
    const groupId = await createGroup(anna.socket, 'Awaria', [await t.idOf('bartek')]);
    const answer = await requestUnchecked(anna.socket, 'message:send', {
      conversationId: groupId, clientId: randomUUID(), text: 'x', notifySms: true, smsIfUnreadMinutes: 7,
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(answer)).toContain('smsIfUnreadMinutes must be one of 5, 15');
    const withoutSms = await requestUnchecked(anna.socket, 'message:send', { conversationId: groupId, clientId: randomUUID(), text: 'x', smsIfUnreadMinutes: 5 });
    expect(JSON.stringify(withoutSms)).toContain('smsIfUnreadMinutes needs notifySms');
  });

  it('survives a restart between the send and the deadline: the next process sends exactly once, and a read there still counts', async () => {
    fake = await startFakeSmsapi();
    const clock = new FakeClock();
    const first = await start(clock);
    const { groupId, message, chipOf, bartek, darek } = await waitingToBoth(first);
    await stopKeepingFile(first);

    const second = await start(clock, { dataDir: first.dataDir });
    const bartekAgain = await employee(second, 'bartek');
    clock.advance(MINUTE);
    await read(bartekAgain, groupId, message.seq);
    await expect.poll(async () => (await second.store.sms.findById(chipOf(bartek).id))?.reason).toEqual({ code: 'read_in_time', afterSeconds: 60 });
    clock.advance(4 * MINUTE);
    await expect.poll(async () => (await second.store.sms.findById(chipOf(darek).id))?.status).toBe('sent');
    await second.app.services.dispatcher?.drain();
    expect(acceptedByIdx(fake)).toEqual(new Map([[chipOf(darek).id, 1]]));
    const sender = await employee(second, 'anna');
    const stored = ok(await request(sender.socket, 'notification:list', {}));
    expect(stored.notifications.map(outcomeLine).sort()).toEqual([
      'Bartek Nowak: not_sent read_in_time afterSeconds=60',
      'Darek Zieliński: sent',
    ]);
  });

  it('with two app instances on one SQLite file, each deadline sends exactly one SMS', async () => {
    fake = await startFakeSmsapi();
    const clock = new FakeClock();
    const one = await start(clock);
    const two = await start(clock, { dataDir: one.dataDir });
    const anna = await employee(one, 'anna');
    const groupId = await createGroup(anna.socket, 'Awaria', [await one.idOf('bartek'), await one.idOf('darek')]);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(...((await sendIfUnread(anna.socket, groupId, `Alarm ${i}`, 5)).sms ?? []).map((c) => c.id));
    expect(ids).toHaveLength(16);
    // Both instances learn of the deadline (the second by its poll, as another process would).
    await two.app.services.dispatcher?.drain();
    clock.advance(5 * MINUTE);
    await expect
      .poll(async () => (await Promise.all(ids.map((id) => one.store.sms.findById(id)))).filter((d) => d?.status === 'sent').length, { timeout: 10_000 })
      .toBe(16);
    await Promise.all([one.app.services.dispatcher?.drain(), two.app.services.dispatcher?.drain()]);
    expect(acceptedByIdx(fake)).toEqual(new Map(ids.map((id) => [id, 1])));
    expect(fake.requests).toHaveLength(16);
  });
});
