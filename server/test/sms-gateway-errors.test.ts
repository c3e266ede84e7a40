/**
 * What the sender is told when SMSAPI refuses or cannot be reached, over real HTTP to the fake: permanent errors
 * end the dispatch with a refusal code; transient ones are retried with the same idx until one SMS is accepted.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import {
  PHONE_DIGITS,
  acceptedByIdx,
  employee,
  expectNoPhoneDigits,
  queuedSmsTo,
  startSmsApp,
  type Person,
  type SmsTestApp,
} from './support/sms.js';

let fake: FakeSmsapi;
beforeAll(async () => {
  fake = await startFakeSmsapi();
});
afterEach(() => fake.reset());
afterAll(async () => fake.close());

const smsToDarek = (t: SmsTestApp, anna: Person, text: string) => queuedSmsTo(t, anna, 'darek', text);

describe('SMSAPI permanent errors', () => {
  let t: SmsTestApp;
  beforeAll(async () => {
    t = await startSmsApp(fake);
  });
  afterAll(async () => t.stop({ remove: true }));

  it.each([
    [13, 'invalid_number'],
    [57, 'opted_out'],
    [103, 'no_credit'],
    [101, 'bad_credentials'],
    [14, 'bad_sender'],
  ])('error %i ends the dispatch not sent: "%s", with no retry', async (code, refusal) => {
    const anna = await employee(t, 'anna');
    fake.enqueue({ error: code, message: `Fake refusal for 48${PHONE_DIGITS.darek}` });
    const chip = await smsToDarek(t, anna, `Test błędu ${code}`);
    const update = await anna.log.waitForStatus(chip.id, 'not_sent');
    expect(update.reason).toEqual({ code: 'gateway_refused', gatewayCode: code, refusal });
    await anna.log.waitForNotification(`Darek Zieliński: not_sent gateway_refused gatewayCode=${code} refusal=${refusal}`);
    await t.app.services.dispatcher?.drain();
    expect(fake.requests).toHaveLength(1);
    expect(fake.accepted).toEqual([]);
    // SMSAPI's own message (and error 13's invalid_numbers) echo the number: none of it is passed on.
    for (const { event, payload } of anna.log.events) expectNoPhoneDigits(payload, event);
  });

  it('a wrong token is refused by the gateway itself (101)', async () => {
    const wrong = await startSmsApp(fake, { env: { SMSAPI_TOKEN: 'not-the-fake-token' } });
    try {
      const anna = await employee(wrong, 'anna');
      const chip = await smsToDarek(wrong, anna, 'Zły token');
      await anna.log.waitForNotification('Darek Zieliński: not_sent gateway_refused gatewayCode=101 refusal=bad_credentials');
      expect(fake.requests.map((r) => r.authorization)).toEqual(['Bearer not-the-fake-token']);
      expect(fake.accepted).toEqual([]);
      expect(anna.log.smsUpdates().filter((d) => d.id === chip.id).map((d) => d.status)).toEqual(['not_sent']);
    } finally {
      await wrong.stop({ remove: true });
    }
  });
});

describe('SMSAPI transient failures (SMS_MAX_ATTEMPTS=3, SMSAPI_TIMEOUT_MS=1500)', () => {
  let t: SmsTestApp;
  beforeAll(async () => {
    t = await startSmsApp(fake, { env: { SMS_MAX_ATTEMPTS: '3', SMSAPI_TIMEOUT_MS: '1500' } });
  });
  afterAll(async () => t.stop({ remove: true }));

  // A request without an answer may have been accepted: the chip says "not confirmed" until the retry knows.
  it.each([
    ['HTTP 500', { httpStatus: 500 }, ['unconfirmed', 'sent']],
    ['error 8', { error: 8 }, ['sent']],
    ['error 999', { error: 999 }, ['sent']],
    ['a request that never answers', { hang: true as const }, ['unconfirmed', 'sent']],
  ])('%s, then success: exactly one SMS is accepted', async (_, failure, updates) => {
    const anna = await employee(t, 'anna');
    fake.enqueue(failure);
    const chip = await smsToDarek(t, anna, 'Ponawiamy');
    await anna.log.waitForStatus(chip.id, 'sent');
    await anna.log.waitForNotification('Darek Zieliński: sent');
    expect(fake.requests.map((r) => r.fields.idx)).toEqual([chip.id, chip.id]);
    expect([...acceptedByIdx(fake)]).toEqual([[chip.id, 1]]);
    // No "not sent" was ever shown for it, and only one "sent".
    await anna.log.settle();
    expect(anna.log.smsUpdates().filter((d) => d.id === chip.id).map((d) => d.status)).toEqual(updates);
    expect(anna.log.notifications()).toEqual(['Darek Zieliński: sent']);
  });

  it('several different transient failures, then success on the last allowed attempt', async () => {
    const anna = await employee(t, 'anna');
    fake.enqueue({ httpStatus: 503 }, { error: 201 });
    const chip = await smsToDarek(t, anna, 'Trzecia próba');
    await anna.log.waitForStatus(chip.id, 'sent');
    expect(fake.requests).toHaveLength(3);
    expect([...acceptedByIdx(fake)]).toEqual([[chip.id, 1]]);
  });

  it(`gives up after SMS_MAX_ATTEMPTS transient failures, each a known refusal`, async () => {
    const anna = await employee(t, 'anna');
    fake.enqueue({ error: 8 }, { error: 999 }, { error: 8 });
    const chip = await smsToDarek(t, anna, 'Bez szans');
    const update = await anna.log.waitForStatus(chip.id, 'not_sent');
    expect(update.reason).toEqual({ code: 'unreachable', attempts: 3 });
    await anna.log.waitForNotification('Darek Zieliński: not_sent unreachable attempts=3');
    await t.app.services.dispatcher?.drain();
    expect(fake.requests).toHaveLength(3);
    expect(fake.accepted).toEqual([]);
  });

  it('error 53 on a retry means the first attempt was accepted: sent, never sent again', async () => {
    const anna = await employee(t, 'anna');
    fake.enqueue({ httpStatus: 500 }, { error: 53 });
    const chip = await smsToDarek(t, anna, 'Duplikat');
    await anna.log.waitForStatus(chip.id, 'sent');
    await anna.log.waitForNotification('Darek Zieliński: sent');
    await t.app.services.dispatcher?.drain();
    expect(fake.requests.map((r) => r.fields.idx)).toEqual([chip.id, chip.id]);
  });

  it("the fake's own check_idx: a retry after an accepted-but-unanswered send gets 53 and sends nothing twice", async () => {
    const anna = await employee(t, 'anna');
    // The first answer is lost (timeout) although SMSAPI accepted the SMS: record it as accepted at the fake.
    fake.enqueue({ hang: true });
    const chip = await smsToDarek(t, anna, 'Zgubiona odpowiedź');
    await expect.poll(() => fake.requests.length).toBe(1);
    fake.accepted.push({
      id: 'A'.repeat(24), idx: chip.id, to: `48${PHONE_DIGITS.darek}`, submittedTo: `48${PHONE_DIGITS.darek}`,
      message: 'Zgubiona odpowiedź', from: null, parts: 1, points: '0.16', notifyUrl: null, test: false, dateSent: 0,
    });
    await anna.log.waitForStatus(chip.id, 'sent');
    expect(fake.requests).toHaveLength(2);
    expect([...acceptedByIdx(fake)]).toEqual([[chip.id, 1]]);
  });
});

/*
 * SMSAPI accepts an SMS but its answer comes after our timeout. A timed-out attempt is "unconfirmed", not
 * "failed": the retry with the same idx learns the truth (53 = already accepted), and when no attempt gets an
 * answer, a delivery report for the idx still settles it. The sender is told what really happened.
 */
// The unanswered attempts wait out the whole timeout; the answered ones must not, even on a busy machine.
describe('an SMS the gateway accepted after our timeout', () => {
  let t: SmsTestApp;
  afterEach(async () => t.stop({ remove: true }));

  it('the retry learns from error 53 that it was accepted: sent, and a later report makes it delivered', async () => {
    t = await startSmsApp(fake, { env: { SMS_MAX_ATTEMPTS: '3', SMSAPI_TIMEOUT_MS: '1000' } });
    const anna = await employee(t, 'anna');
    fake.enqueue({ processThenHang: true });
    const chip = await smsToDarek(t, anna, 'Odpowiedź po czasie');

    const unconfirmed = await anna.log.waitForStatus(chip.id, 'unconfirmed');
    expect(unconfirmed.reason).toEqual({ code: 'gateway_retrying', attempts: 1, rateLimited: false });
    expect((await anna.log.waitForStatus(chip.id, 'sent')).reason).toBeNull();
    await anna.log.waitForNotification('Darek Zieliński: sent');
    expect(fake.requests.map((r) => r.fields.idx)).toEqual([chip.id, chip.id]);
    expect([...acceptedByIdx(fake)]).toEqual([[chip.id, 1]]);

    expect((await fake.sendDeliveryReport(chip.id, 'DELIVERED')).body).toBe('OK');
    await anna.log.waitForStatus(chip.id, 'delivered');
    await anna.log.waitForNotification('Darek Zieliński: delivered');
    await anna.log.settle();
    expect(anna.log.smsUpdates().filter((d) => d.id === chip.id).map((d) => d.status)).toEqual(['unconfirmed', 'sent', 'delivered']);
    expect(anna.log.notifications()).toEqual(['Darek Zieliński: sent', 'Darek Zieliński: delivered']);
  });

  it('no attempt is answered (SMS_MAX_ATTEMPTS=2): unconfirmed, never "not sent"; delivery reports then settle it', async () => {
    t = await startSmsApp(fake, { env: { SMS_MAX_ATTEMPTS: '2', SMSAPI_TIMEOUT_MS: '200' } });
    const anna = await employee(t, 'anna');
    // The first request is accepted, the retry is refused with 53: neither answer reaches us in time.
    fake.enqueue({ processThenHang: true }, { processThenHang: true });
    const chip = await smsToDarek(t, anna, 'Żadnej odpowiedzi');

    const reason = { code: 'unreachable', attempts: 2 };
    await anna.log.waitForNotification('Darek Zieliński: unconfirmed unreachable attempts=2');
    await t.app.services.dispatcher?.drain();
    expect(fake.requests).toHaveLength(2);
    expect([...acceptedByIdx(fake)]).toEqual([[chip.id, 1]]);
    const stored = await t.store.sms.findById(chip.id);
    expect(stored).toMatchObject({ status: 'unconfirmed', reason, nextAttemptAt: null, gatewayId: null });

    // SMSAPI reports on it: SENT first, then DELIVERED. Each moves it on and tells the sender.
    expect((await fake.sendDeliveryReport(chip.id, 'SENT')).body).toBe('OK');
    await anna.log.waitForStatus(chip.id, 'sent');
    await anna.log.waitForNotification('Darek Zieliński: sent');
    expect((await fake.sendDeliveryReport(chip.id, 'DELIVERED')).body).toBe('OK');
    await anna.log.waitForStatus(chip.id, 'delivered');
    await anna.log.waitForNotification('Darek Zieliński: delivered');

    await anna.log.settle();
    const statuses = anna.log.smsUpdates().filter((d) => d.id === chip.id).map((d) => d.status);
    expect(statuses).toEqual(['unconfirmed', 'unconfirmed', 'sent', 'delivered']);
    expect(anna.log.notifications()).toEqual([
      'Darek Zieliński: unconfirmed unreachable attempts=2',
      'Darek Zieliński: sent',
      'Darek Zieliński: delivered',
    ]);
    expect(await t.store.sms.findById(chip.id)).toMatchObject({ status: 'delivered', reason: null, gatewayId: fake.accepted[0]?.id });
  });
});

/*
 * A refused retry proves nothing about the attempt before it: with no credit left because that attempt used it, or
 * a proxy's refusal, SMSAPI may still have the first SMS. The dispatch stays unconfirmed (never "not sent"), is not
 * retried again, names the refusal, and a later DELIVERED report still counts.
 */
describe('a retry refused after an attempt SMSAPI may have accepted', () => {
  let t: SmsTestApp;
  afterEach(async () => t.stop({ remove: true }));

  it.each([
    ['timed out', { processThenHang: true as const }],
    ['was answered HTTP 502 by a proxy', { httpStatus: 502 }],
  ])('the first attempt %s, the retry gets ERROR:103: unconfirmed, then DELIVERED settles it', async (_, first) => {
    // Long enough that the prompt 103 never times out under load; the hanging first attempt waits it out.
    t = await startSmsApp(fake, { env: { SMS_MAX_ATTEMPTS: '3', SMSAPI_TIMEOUT_MS: '1500' } });
    const anna = await employee(t, 'anna');
    fake.enqueue(first, { error: 103 });
    const chip = await smsToDarek(t, anna, 'Bez środków na drugą próbę');
    const reason = { code: 'gateway_refused', gatewayCode: 103, refusal: 'no_credit' };
    await anna.log.waitForNotification('Darek Zieliński: unconfirmed gateway_refused gatewayCode=103 refusal=no_credit');
    await t.app.services.dispatcher?.drain();
    expect(fake.requests.map((r) => r.fields.idx)).toEqual([chip.id, chip.id]);
    expect(await t.store.sms.findById(chip.id)).toMatchObject({ status: 'unconfirmed', reason, nextAttemptAt: null, attempts: 2 });

    if ('httpStatus' in first) {
      // The load balancer's 502 came after SMSAPI had accepted the SMS.
      const fields = fake.requests[0]!.fields;
      fake.accepted.push({
        id: 'B'.repeat(24), idx: chip.id, to: `48${PHONE_DIGITS.darek}`, submittedTo: fields.to ?? '',
        message: fields.message ?? '', from: null, parts: 1, points: '0.16', notifyUrl: fields.notify_url ?? null, test: false, dateSent: 0,
      });
    }
    expect((await fake.sendDeliveryReport(chip.id, 'DELIVERED')).body).toBe('OK');
    await anna.log.waitForStatus(chip.id, 'delivered');
    await anna.log.waitForNotification('Darek Zieliński: delivered');
    await anna.log.settle();
    expect(anna.log.smsUpdates().filter((d) => d.id === chip.id).map((d) => d.status)).toEqual(['unconfirmed', 'unconfirmed', 'delivered']);
    expect(anna.log.notifications()).toEqual([
      'Darek Zieliński: unconfirmed gateway_refused gatewayCode=103 refusal=no_credit',
      'Darek Zieliński: delivered',
    ]);
    expect(await t.store.sms.findById(chip.id)).toMatchObject({ status: 'delivered', reason: null, gatewayId: fake.accepted[0]?.id });
  });
});
