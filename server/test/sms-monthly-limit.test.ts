/**
 * SMS_MONTHLY_LIMIT: the company's SMS per calendar month. It is checked and reserved with the other caps in the
 * append's transaction, so two senders with several tabs firing at once never get more SMS through than the limit;
 * every refused SMS says why; the next month starts afresh (the Clock port is moved, not slept).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmsDispatchView } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import { FakeClock } from './support/http-client.js';
import { ok, openDirect, startSmsApp, type SmsTestApp } from './support/sms.js';
import { request, type ClientSocket } from './support/test-app.js';

let fake: FakeSmsapi;
let t: SmsTestApp | undefined;
beforeAll(async () => {
  fake = await startFakeSmsapi();
});
afterAll(async () => {
  await t?.stop({ remove: true });
  await fake.close();
});

function urgent(socket: ClientSocket, conversationId: string, i: number): Promise<SmsDispatchView[]> {
  return request(socket, 'message:send', { conversationId, clientId: randomUUID(), text: `Pilne ${i}`, notifySms: true }).then(
    (ack) => ok(ack).sms ?? [],
  );
}

describe('monthly SMS limit', () => {
  it('holds for two senders with several tabs sending at once, says why, and starts afresh next month', async () => {
    const clock = new FakeClock(Date.parse('2025-03-31T06:00:00Z'));
    t = await startSmsApp(fake, { env: { SMS_MONTHLY_LIMIT: '5' }, deps: { clock } });
    const annaTabs = await t.tabsOf('anna', 3);
    const darekTabs = await t.tabsOf('darek', 3);
    const bartekId = await t.idOf('bartek');
    const fromAnna = await openDirect(annaTabs[0] as ClientSocket, bartekId);
    const fromDarek = await openDirect(darekTabs[0] as ClientSocket, bartekId);

    const chips = (
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          i % 2 === 0 ? urgent(annaTabs[i % 3] as ClientSocket, fromAnna, i) : urgent(darekTabs[i % 3] as ClientSocket, fromDarek, i),
        ),
      )
    ).flat();
    await t.app.services.dispatcher?.drain();

    expect(chips).toHaveLength(12);
    expect(chips.filter((c) => c.status === 'queued')).toHaveLength(5);
    for (const chip of chips.filter((c) => c.status !== 'queued')) {
      expect(chip).toMatchObject({ status: 'not_sent', reason: { code: 'monthly_limit', limit: 5 } });
    }
    expect(fake.accepted).toHaveLength(5);

    // The preview tells the sender before they try.
    const preview = ok(await request(annaTabs[0] as ClientSocket, 'sms:preview', { conversationId: fromAnna }));
    expect(preview.recipients[0]).toMatchObject({ canReceive: false, reason: { code: 'monthly_limit', limit: 5 } });

    clock.advance(48 * 3_600_000); // April in every time zone the server may run in
    const next = await urgent(annaTabs[0] as ClientSocket, fromAnna, 99);
    expect(next).toEqual([expect.objectContaining({ status: 'queued', reason: null })]);
  });
});
