/**
 * Two-way SMS (issue 14): the fake SMSAPI texts back to the app's inbound endpoint over HTTP, as SMSAPI's sms_mo
 * callback would. A reply lands once in the conversation of the newest urgent SMS to that number, as a message
 * from its owner marked via SMS; an ack word also acknowledges; anything from an unknown or private number goes
 * to no conversation, only to the admins' list, and never with its digits.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { API } from '../../shared/http.js';
import type { AckUpdate, InboundSmsList, Message } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import { isAckWord } from '../src/sms/inbound.js';
import { loggerOptions } from '../src/transport/http/logger-options.js';
import { request } from './support/test-app.js';
import {
  createGroup,
  employee,
  expectNoPhoneDigits,
  getText,
  ok,
  openDirect,
  CALLBACK_SECRET,
  startSmsApp,
  type Person,
  type SmsTestApp,
} from './support/sms.js';

const BARTEK_FROM = '48512345678';
const CELINA_FROM = '48601222333';
const STRANGER_FROM = '48799111222';

let fake: FakeSmsapi | null = null;
let t: SmsTestApp | null = null;
afterEach(async () => {
  await t?.stop({ remove: true });
  await fake?.close();
  t = null;
  fake = null;
});

/** The production logger options at the most verbose level, written into `sink`. */
function capturedLogger(sink: { text: string }) {
  const production = loggerOptions('trace');
  if (typeof production !== 'object') throw new Error('loggerOptions must return options');
  return { ...production, stream: { write: (line: string) => void (sink.text += line) } };
}

async function setup(logs?: { text: string }, env: Record<string, string> = {}) {
  fake = await startFakeSmsapi();
  t = await startSmsApp(fake, { env, ...(logs ? { deps: { logger: capturedLogger(logs) } } : {}) });
  fake.setInboundCallback(`${t.callbackUrl()}/inbound`);
  const [anna, bartek, darek] = [await employee(t, 'anna'), await employee(t, 'bartek'), await employee(t, 'darek')];
  return { fake, t, anna, bartek, darek };
}

/** An urgent message (SMS now) that the gateway has taken for every recipient. */
async function urgent(sender: Person, conversationId: string, text: string, requestAck = false): Promise<Message> {
  const message = ok(
    await request(sender.socket, 'message:send', { conversationId, clientId: randomUUID(), text, notifySms: true, requestAck }),
  );
  for (const chip of message.sms ?? []) await sender.log.waitForStatus(chip.id, 'sent');
  return message;
}

async function history(p: Person, conversationId: string): Promise<Message[]> {
  return ok(await request(p.socket, 'message:history', { conversationId })).messages;
}

describe('two-way SMS', () => {
  it('a repeated (and concurrent) reply lands once, from its sender, marked via SMS, and TAK acknowledges', async () => {
    const { fake, anna, bartek, darek } = await setup();
    const groupId = await createGroup(anna.socket, 'Awaria', [bartek.id, darek.id]);
    const asked = await urgent(anna, groupId, 'Serwer leży, potwierdź', true);

    const msgId = 'A1B2C3D4E5F6A1B2C3D4E5F6';
    const calls = await Promise.all([1, 2, 3].map(() => fake.sendReply({ from: BARTEK_FROM, text: '  Tak! ', msgId })));
    calls.push(await fake.sendReply({ from: BARTEK_FROM, text: '  Tak! ', msgId, method: 'GET' }));
    for (const call of calls) expect(call).toMatchObject({ httpStatus: 200, body: 'OK', error: null });

    const replies = (await history(anna, groupId)).filter((m) => m.viaSms);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ senderId: bartek.id, text: 'Tak!', viaSms: true, replyTo: { messageId: asked.id } });
    const live = await darek.log.waitFor<Message>('message:new', (m) => m.viaSms === true);
    expect(live.id).toBe(replies[0]?.id);
    const ack = await anna.log.waitFor<AckUpdate>('ack:update');
    expect(ack.by.map((a) => a.employeeId)).toEqual([bartek.id]);

    await anna.log.settle();
    await darek.log.settle();
    expect(darek.log.of<Message>('message:new').filter((m) => m.viaSms)).toHaveLength(1);
    expect(anna.log.of('ack:update')).toHaveLength(1);
    for (const p of [anna, bartek, darek]) expectNoPhoneDigits(p.log.events, 'socket events');
  });

  it('lands in the conversation of the newest urgent SMS to that number; other words do not acknowledge', async () => {
    const { fake, anna, bartek, darek } = await setup(undefined, { MESSAGE_MAX_LENGTH: '40' });
    const groupId = await createGroup(anna.socket, 'Awaria', [bartek.id, darek.id]);
    await urgent(anna, groupId, 'Pierwszy alarm', true);
    const directId = await openDirect(darek.socket, bartek.id);
    const newest = await urgent(darek, directId, 'Gdzie jesteś?', true);

    expect((await fake.sendReply({ from: BARTEK_FROM, text: 'Będę za 10 min' })).body).toBe('OK');
    const direct = await history(darek, directId);
    expect(direct.at(-1)).toMatchObject({ senderId: bartek.id, text: 'Będę za 10 min', viaSms: true, replyTo: { messageId: newest.id } });
    expect(direct.find((m) => m.id === newest.id)?.ack?.by).toEqual([]);
    // Longer than MESSAGE_MAX_LENGTH (set to 40 here): cut there rather than lost.
    await fake.sendReply({ from: BARTEK_FROM, text: `${'x'.repeat(39)}😀 and more` });
    expect((await history(darek, directId)).at(-1)?.text).toBe('x'.repeat(39));
    expect((await history(anna, groupId)).some((m) => m.viaSms)).toBe(false);
  });

  it('an unknown or private number reaches no conversation; admins see it without the digits, logs neither', async () => {
    const logs = { text: '' };
    const { fake, t, anna, bartek } = await setup(logs);
    const groupId = await createGroup(anna.socket, 'Awaria', [bartek.id]);
    await urgent(anna, groupId, 'Alarm');

    await fake.sendReply({ from: STRANGER_FROM, text: 'Kto to?', msgId: 'STRANGER1' });
    await fake.sendReply({ from: STRANGER_FROM, text: 'Kto to?', msgId: 'STRANGER1' });
    await fake.sendReply({ from: CELINA_FROM, text: 'OK', msgId: 'CELINA1', method: 'GET' });
    // A known number that no urgent SMS went to: Darek is not in the group.
    await fake.sendReply({ from: '48698765432', text: 'Halo?', msgId: 'DAREK1' });
    const wrongSecret = await fetch(`${t.callbackUrl('wrong-secret')}/inbound?MsgId=X1&sms_from=${STRANGER_FROM}&sms_text=hi`);
    expect(wrongSecret.status).toBe(404);

    expect((await history(anna, groupId)).some((m) => m.viaSms)).toBe(false);
    const admin = await getText(`${t.url}${API.adminSmsInbound}`, anna.cookie);
    expect(admin.status).toBe(200);
    expectNoPhoneDigits(admin.body, 'admin list');
    expect(admin.body).not.toMatch(/799[\s./-]?111[\s./-]?222/);
    const list = JSON.parse(admin.body) as InboundSmsList;
    expect(list.items.map((i) => [i.id, i.reason, i.text]).sort()).toEqual([
      ['CELINA1', 'private_number', 'OK'],
      ['DAREK1', 'no_conversation', 'Halo?'],
      ['STRANGER1', 'unknown_number', 'Kto to?'],
    ]);
    const keys = new Set(list.items.map((i) => i.senderKey));
    expect(keys.size).toBe(3);
    expect((await getText(`${t.url}${API.adminSmsInbound}`, bartek.cookie)).status).toBe(403);

    await fake.sendReply({ from: BARTEK_FROM, text: 'OK' });
    await t.app.fastify.close(); // flush: every response has been logged
    expect(logs.text).toContain('SMS reply');
    expect(logs.text).not.toContain(CALLBACK_SECRET);
    for (const digits of [STRANGER_FROM, CELINA_FROM, BARTEK_FROM]) expect(logs.text).not.toContain(digits.slice(-6));
  });
});

describe('ack words', () => {
  it('OK, TAK and POTWIERDZAM in any case, with diacritics or punctuation; nothing else', () => {
    for (const word of ['ok', 'OK.', 'Tak!', 'tåk', ' POTWIERDZAM ', 'Potwierdzam.', 'ÓK']) expect(isAckWord(word), word).toBe(true);
    for (const word of ['nie', 'ok ale później', 'takk', '', 'potwierdzam?? nie']) expect(isAckWord(word), word).toBe(false);
  });
});
