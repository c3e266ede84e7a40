/**
 * "Request acknowledgement": recipients acknowledge once, every member sees who did live, and reminders go every
 * ACK_REMINDER_MINUTES until acknowledged, for at most an hour. Time is the Clock port, moved by the test.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AckReminderEvent, AckUpdate, Message } from '../../shared/schemas/index.js';
import { FakeClock, MINUTE } from './support/http-client.js';
import { request, requestUnchecked, startTestApp, type TestApp } from './support/test-app.js';
import { createGroup, employee, ok, type Person } from './support/sms.js';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.stop({ remove: true });
  t = null;
});

async function setup() {
  const clock = new FakeClock();
  t = await startTestApp({ deps: { clock, smsDispatcher: { pollMs: 200 } } });
  const [anna, bartek, darek] = [await employee(t, 'anna'), await employee(t, 'bartek'), await employee(t, 'darek')];
  const groupId = await createGroup(anna.socket, 'Inwentaryzacja', [bartek.id, darek.id]);
  const message: Message = ok(
    await request(anna.socket, 'message:send', { conversationId: groupId, clientId: randomUUID(), text: 'Potwierdźcie obecność', requestAck: true }),
  );
  return { clock, app: t, anna, bartek, darek, groupId, message };
}

const reminders = (p: Person) => p.log.of<AckReminderEvent>('ack:reminder');

/** Moves the clock by `ms` and waits until the reminder worker has finished what came due. */
async function move(app: TestApp, clock: FakeClock, ms: number, ...people: Person[]): Promise<void> {
  clock.advance(ms);
  await new Promise((resolve) => setImmediate(resolve));
  await app.app.services.reminders.drain();
  for (const p of people) await p.log.settle();
}

describe('acknowledgement', () => {
  it('counts who acknowledged, live for everyone, once per person', async () => {
    const { anna, bartek, darek, message } = await setup();
    expect(message.ack).toEqual({ total: 2, by: [] });
    expect((await bartek.log.waitFor<Message>('message:new')).ack).toEqual({ total: 2, by: [] });

    const answer = ok(await request(bartek.socket, 'message:acknowledge', { messageId: message.id }));
    expect(answer.by.map((a) => a.employeeId)).toEqual([bartek.id]);
    const live = await anna.log.waitFor<AckUpdate>('ack:update');
    expect(live).toMatchObject({ messageId: message.id, total: 2, by: [{ employeeId: bartek.id }] });
    await darek.log.waitFor<AckUpdate>('ack:update');
    // A repeat changes nothing and tells nobody again.
    ok(await request(bartek.socket, 'message:acknowledge', { messageId: message.id }));
    await anna.log.settle();
    expect(anna.log.of('ack:update')).toHaveLength(1);

    const history = ok(await request(anna.socket, 'message:history', { conversationId: message.conversationId }));
    expect(history.messages[0]?.ack?.by.map((a) => a.employeeId)).toEqual([bartek.id]);
  });

  it('refuses the sender, messages that did not ask, and outsiders alike', async () => {
    const { anna, groupId, app } = await setup();
    const own = await requestUnchecked(anna.socket, 'message:acknowledge', { messageId: (await app.store.messages.listBefore(groupId, null, 1))[0]!.id });
    expect(JSON.stringify(own)).toContain('does not acknowledge their own');
    const plain: Message = ok(await request(anna.socket, 'message:send', { conversationId: groupId, clientId: randomUUID(), text: 'zwykła' }));
    const bartek = await employee(app, 'bartek');
    expect(JSON.stringify(await requestUnchecked(bartek.socket, 'message:acknowledge', { messageId: plain.id }))).toContain('did not ask');
    const ewa = await employee(app, 'ewa');
    expect(await requestUnchecked(ewa.socket, 'message:acknowledge', { messageId: plain.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('reminds every 5 minutes until acknowledged; the reminders stop at the acknowledgement', async () => {
    const { clock, app, anna, bartek, darek, message } = await setup();
    await move(app, clock, 5 * MINUTE - 1, bartek, darek);
    expect([reminders(bartek).length, reminders(darek).length]).toEqual([0, 0]);
    await move(app, clock, 1, bartek, darek);
    expect([reminders(bartek).length, reminders(darek).length]).toEqual([1, 1]);
    expect(reminders(bartek)[0]).toEqual({ messageId: message.id, conversationId: message.conversationId, senderId: anna.id, senderName: 'Anna Kowalska' });

    ok(await request(bartek.socket, 'message:acknowledge', { messageId: message.id }));
    await move(app, clock, 5 * MINUTE, bartek, darek);
    expect([reminders(bartek).length, reminders(darek).length]).toEqual([1, 2]);
    ok(await request(darek.socket, 'message:acknowledge', { messageId: message.id }));
    await move(app, clock, 60 * MINUTE, bartek, darek);
    expect([reminders(bartek).length, reminders(darek).length]).toEqual([1, 2]);
    expect(reminders(anna)).toEqual([]);
  });

  it('without an acknowledgement reminds for at most an hour: 12 reminders at 5-minute steps', async () => {
    const { clock, app, bartek } = await setup();
    for (let i = 0; i < 14; i++) await move(app, clock, 5 * MINUTE, bartek);
    expect(reminders(bartek)).toHaveLength(12);
  });
});
