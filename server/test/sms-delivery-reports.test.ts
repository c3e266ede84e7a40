/**
 * Delivery reports over real HTTP: the fake SMSAPI calls the notify_url it was given (GET, secret in the path),
 * and tests call the endpoint directly for what the fake would never send (wrong secret, garbage, forged ids).
 */
import { describe, expect, it } from 'vitest';
import type { SmsDispatchView } from '../../shared/schemas/index.js';
import { createSmsapiGateway } from '../src/sms/smsapi/gateway.js';
import { startFakeSmsapi } from '../src/dev/fake-smsapi.js';
import type { SmsGateway } from '../src/ports/sms-gateway.js';
import {
  CALLBACK_SECRET,
  employee,
  expectNoPhoneDigits,
  getText,
  ok,
  onlyDispatch,
  openDirect,
  reservePort,
  sendWithSms,
  smsAppPerBlock,
  startSmsApp,
  type Person,
  outcomeLine,
} from './support/sms.js';
import { beforeStoreCall, request } from './support/test-app.js';

const { fake, t } = smsAppPerBlock();
let anna: Person;

/** Sends an SMS to `login` (fresh session for Anna each time) and waits until the gateway accepted it. */
async function sentSms(login = 'bartek', text = 'Pilne: oddzwoń') {
  anna = await employee(t, 'anna');
  const conversationId = await openDirect(anna.socket, await t.idOf(login));
  const acked = await sendWithSms(anna.socket, conversationId, text);
  const chip = onlyDispatch(acked);
  await anna.log.waitForStatus(chip.id, 'sent');
  const accepted = fake.accepted.find((sms) => sms.idx === chip.id);
  if (!accepted) throw new Error('the fake did not accept the SMS');
  return { chip, conversationId, messageId: acked.id, gatewayId: accepted.id };
}

async function statusOf(dispatchId: string): Promise<SmsDispatchView['status'] | undefined> {
  return (await t.store.sms.findById(dispatchId))?.status;
}

async function chipInHistory(conversationId: string, dispatchId: string): Promise<SmsDispatchView | undefined> {
  const page = ok(await request(anna.socket, 'message:history', { conversationId }));
  return page.messages.flatMap((m) => m.sms ?? []).find((d) => d.id === dispatchId);
}

function callbackQuery(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

describe('delivery reports', () => {
  it('a single report from the fake: delivered, told to the sender, answered plain OK', async () => {
    const { chip, conversationId, messageId } = await sentSms();
    const callback = await fake.sendDeliveryReport(chip.id, 'DELIVERED');
    expect(callback).toMatchObject({ httpStatus: 200, body: 'OK', error: null });
    expect(callback.url.startsWith(`${t.publicUrl}/api/sms/callback/${CALLBACK_SECRET}?`)).toBe(true);

    const notice = await anna.log.waitForNotification('Bartek Nowak: delivered');
    expect(notice).toMatchObject({ messageId, conversationId });
    expect((await anna.log.waitForStatus(chip.id, 'delivered')).reason).toBeNull();
    expect(await chipInHistory(conversationId, chip.id)).toMatchObject({ status: 'delivered' });
    const report = (await t.store.sms.findById(chip.id))!;
    expect(report.points).toBe(0.16);
    for (const { event, payload } of anna.log.events) expectNoPhoneDigits(payload, event);
  });

  it('a repeated report changes nothing and notifies nobody again', async () => {
    const { chip } = await sentSms();
    await fake.sendDeliveryReport(chip.id, 'DELIVERED');
    await anna.log.waitForNotification('Bartek Nowak: delivered');
    const again = await fake.sendDeliveryReport(chip.id, 'DELIVERED');
    expect(again).toMatchObject({ httpStatus: 200, body: 'OK' });
    await anna.log.settle();
    expect(anna.log.notifications().filter((n) => n.endsWith('delivered'))).toHaveLength(1);
    expect(anna.log.smsUpdates().filter((d) => d.status === 'delivered')).toHaveLength(1);
    const stored = ok(await request(anna.socket, 'notification:list', {}));
    expect(stored.notifications.filter((n) => outcomeLine(n) === 'Bartek Nowak: delivered').length).toBeGreaterThanOrEqual(1);
  });

  it('out of order: DELIVERED then a late SENT stays delivered', async () => {
    const { chip } = await sentSms();
    await fake.sendDeliveryReport(chip.id, 'DELIVERED');
    await anna.log.waitForStatus(chip.id, 'delivered');
    const late = await fake.sendDeliveryReport(chip.id, 'SENT');
    expect(late.body).toBe('OK');
    await anna.log.settle();
    expect(await statusOf(chip.id)).toBe('delivered');
    expect(anna.log.smsUpdates().filter((d) => d.id === chip.id).map((d) => d.status)).toEqual(['sent', 'delivered']);
  });

  it('out of order: UNDELIVERED is final, a later DELIVERED does not change it', async () => {
    const { chip } = await sentSms('darek');
    await fake.sendDeliveryReport(chip.id, 'UNDELIVERED');
    const update = await anna.log.waitForStatus(chip.id, 'undelivered');
    expect(update.reason).toEqual({ code: 'delivery_failed', gatewayStatus: 'UNDELIVERED' });
    await anna.log.waitForNotification('Darek Zieliński: undelivered delivery_failed gatewayStatus=UNDELIVERED');
    await fake.sendDeliveryReport(chip.id, 'DELIVERED');
    await anna.log.settle();
    expect(await statusOf(chip.id)).toBe('undelivered');
  });

  it('a batched report (comma-separated lists) updates every SMS in it', async () => {
    const first = await sentSms('bartek', 'Pierwsza');
    const firstLog = anna.log;
    const second = await sentSms('darek', 'Druga');
    const [callback, ...more] = await fake.sendDeliveryReports([
      { msgIdOrIdx: first.chip.id, status: 'DELIVERED' },
      { msgIdOrIdx: second.chip.id, status: 404 },
    ]);
    expect(more).toEqual([]);
    expect(callback).toMatchObject({ httpStatus: 200, body: 'OK' });
    expect(new URL(callback!.url).searchParams.get('MsgId')).toBe(`${first.gatewayId},${second.gatewayId}`);
    await firstLog.waitForNotification('Bartek Nowak: delivered');
    await anna.log.waitForNotification('Darek Zieliński: delivered');
    expect(await statusOf(first.chip.id)).toBe('delivered');
    expect(await statusOf(second.chip.id)).toBe('delivered');
  });

  it('a wrong secret gets 404 and changes nothing', async () => {
    const { chip, gatewayId } = await sentSms();
    const query = callbackQuery({ MsgId: gatewayId, status: '404', status_name: 'DELIVERED', idx: chip.id });
    for (const secret of ['wrong-secret-wrong-secret-0000000', CALLBACK_SECRET.slice(0, -1), `${CALLBACK_SECRET}x`]) {
      const answer = await getText(`${t.callbackUrl(secret)}?${query}`);
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain('OK');
    }
    expect((await getText(`${t.url}/api/sms/callback/?${query}`)).status).toBe(404);
    await anna.log.settle();
    expect(await statusOf(chip.id)).toBe('sent');
    expect(anna.log.notifications()).toEqual(['Bartek Nowak: sent']);
    // The right secret with the same query works, so the 404s above were about the secret alone.
    const right = await getText(`${t.callbackUrl()}?${query}`);
    expect(right).toMatchObject({ status: 200, body: 'OK' });
    expect(right.contentType).toMatch(/^text\/plain/);
    await anna.log.waitForStatus(chip.id, 'delivered');
  });

  it('garbage and unknown ids are answered OK and change nothing', async () => {
    const { chip, gatewayId } = await sentSms();
    const garbage = [
      '',
      '?foo=bar',
      '?MsgId=&status=',
      `?MsgId=${gatewayId}`,
      `?MsgId=${gatewayId}&status=banana&idx=${chip.id}`,
      `?MsgId=${gatewayId},${gatewayId}&status=404&idx=${chip.id}`,
      `?MsgId=%00%01&status=404`,
      `?MsgId=${'A'.repeat(300)}&status=404`,
      `?status=404&idx=${chip.id}`,
      // Unknown ids: nothing of ours.
      `?${callbackQuery({ MsgId: 'FFFFFFFFFFFFFFFFFFFFFFFF', status: '404', idx: 'no-such-dispatch' })}`,
      `?${callbackQuery({ MsgId: 'FFFFFFFFFFFFFFFFFFFFFFFF', status: '404' })}`,
      // Our idx with somebody else's MsgId: a forged or misrouted report.
      `?${callbackQuery({ MsgId: 'EEEEEEEEEEEEEEEEEEEEEEEE', status: '404', idx: chip.id })}`,
    ];
    for (const query of garbage) {
      const answer = await getText(`${t.callbackUrl()}${query}`);
      expect(answer, query).toMatchObject({ status: 200, body: 'OK' });
      expect(answer.contentType).toMatch(/^text\/plain/);
    }
    await anna.log.settle();
    expect(await statusOf(chip.id)).toBe('sent');
    expect(anna.log.notifications()).toEqual(['Bartek Nowak: sent']);
  });

  it('a batch mixing unknown ids with a known one applies only the known one', async () => {
    const { chip, gatewayId } = await sentSms();
    const query = callbackQuery({
      MsgId: ['FFFFFFFFFFFFFFFFFFFFFFFF', gatewayId, 'DDDDDDDDDDDDDDDDDDDDDDDD'].join(','),
      status: '404,404,404',
      idx: ['nope', chip.id, ''].join(','),
    });
    expect(await getText(`${t.callbackUrl()}?${query}`)).toMatchObject({ status: 200, body: 'OK' });
    await anna.log.waitForStatus(chip.id, 'delivered');
    await anna.log.settle();
    expect(anna.log.notifications()).toEqual(['Bartek Nowak: sent', 'Bartek Nowak: delivered']);
  });
});

describe('delivery reports sent by the fake on its own', () => {
  it('autoDeliverMs: the sender sees "delivered" without anyone acting', async () => {
    const auto = await startFakeSmsapi({ autoDeliverMs: 50 });
    const app = await startSmsApp(auto);
    try {
      const sender = await employee(app, 'anna');
      const chip = onlyDispatch(await sendWithSms(sender.socket, await openDirect(sender.socket, await app.idOf('bartek')), 'Auto'));
      await sender.log.waitForStatus(chip.id, 'delivered');
      await sender.log.waitForNotification('Bartek Nowak: delivered');
      await expect.poll(() => auto.callbacks.length).toBe(1);
      expect(auto.callbacks[0]).toMatchObject({ httpStatus: 200, body: 'OK' });
    } finally {
      await app.stop({ remove: true });
      await auto.close();
    }
  });
});

describe('a delivery report that overtakes the answer to sms.do', () => {
  it('is not undone when the answer is recorded afterwards', async () => {
    const racing = await startFakeSmsapi();
    const port = await reservePort();
    const real = createSmsapiGateway({
      baseUrl: racing.url,
      token: racing.token,
      test: false,
      normalize: false,
      maxParts: 3,
      notifyUrl: `http://127.0.0.1:${port}/api/sms/callback/${CALLBACK_SECRET}`,
      timeoutMs: 5000,
    });
    // SMSAPI's report reaches the app before the dispatcher has written down SMSAPI's answer.
    const overtaken: SmsGateway = {
      async send(smsRequest) {
        const result = await real.send(smsRequest);
        const callback = await racing.sendDeliveryReport(smsRequest.idx, 'DELIVERED');
        expect(callback.body).toBe('OK');
        return result;
      },
    };
    const app = await startSmsApp(racing, { port, deps: { smsGateway: overtaken } });
    try {
      const sender = await employee(app, 'anna');
      const chip = onlyDispatch(await sendWithSms(sender.socket, await openDirect(sender.socket, await app.idOf('bartek')), 'Szybki raport'));
      await sender.log.waitForStatus(chip.id, 'delivered');
      await app.app.services.dispatcher?.drain();
      await sender.log.settle();
      const stored = await app.store.sms.findById(chip.id);
      expect(stored).toMatchObject({ status: 'delivered', gatewayId: racing.accepted[0]?.id, attempts: 1 });
      expect(sender.log.smsUpdates().at(-1)?.status).toBe('delivered');
      expect(sender.log.notifications().at(-1)).toBe('Bartek Nowak: delivered');
      expect(racing.requests).toHaveLength(1);
    } finally {
      await app.stop({ remove: true });
      await racing.close();
    }
  });
});

/*
 * SMSAPI's DELIVERED report can land between the dispatcher's look at the status and its write of SMSAPI's answer
 * (several processes on one SQLite file, MongoDB). The write is a compare-and-set, so the answer never moves the
 * dispatch back to "sent", and the sender is not told "sent" after "delivered".
 */
describe('a delivery report that overtakes the dispatcher', () => {
  it("lands just before the dispatcher writes SMSAPI's answer: delivered stays, the answer adds only its gateway data", async () => {
    let overtaken = false;
    const race = await startSmsApp(fake, {
      // The dispatcher writes SMSAPI's answer (with the sender's notification) through updateAndNotify: the report
      // goes first.
      wrapStore: (store) =>
        beforeStoreCall(store, 'sms', 'updateAndNotify', async () => {
          if (overtaken) return;
          overtaken = true;
          expect((await fake.sendDeliveryReport(fake.accepted[0]!.id, 'DELIVERED')).body).toBe('OK');
        }),
    });
    try {
      const sender = await employee(race, 'anna');
      const darek = (await race.store.employees.findByLogin('darek'))!;
      const chip = onlyDispatch(await sendWithSms(sender.socket, await openDirect(sender.socket, darek.id), 'Wyścig z raportem'));
      await sender.log.waitForStatus(chip.id, 'delivered');
      await race.app.services.dispatcher?.drain();
      await sender.log.settle();
      expect(overtaken).toBe(true);
      expect(sender.log.smsUpdates().filter((d) => d.id === chip.id).map((d) => d.status)).toEqual(['delivered']);
      expect(sender.log.notifications()).toEqual(['Darek Zieliński: delivered']);
      expect(await race.store.sms.findById(chip.id)).toMatchObject({
        status: 'delivered',
        gatewayId: fake.accepted[0]!.id,
        points: 0.16,
        parts: 1,
        attempts: 1,
        nextAttemptAt: null,
      });
    } finally {
      await race.stop({ remove: true });
    }
  });
});
