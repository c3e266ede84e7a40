/**
 * The SMS caps are a cost guard against a runaway script, so they must hold for any interleaving: one employee
 * with several tabs firing urgent messages in parallel never gets more SMS to the gateway than a cap allows, and
 * every SMS a cap refused tells the sender which limit it was.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message, SmsDispatchView } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import { createGroup, ok, openDirect, startSmsApp, type SmsTestApp } from './support/sms.js';
import { request, type ClientSocket } from './support/test-app.js';

let fake: FakeSmsapi;
beforeAll(async () => {
  fake = await startFakeSmsapi();
});
afterEach(() => fake.reset());
afterAll(async () => fake.close());

/** `count` urgent messages at once, spread over the sockets (tabs) round robin; every ack must be ok. */
async function burst(sockets: ClientSocket[], conversationId: string, count: number): Promise<SmsDispatchView[]> {
  const acks = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      request(sockets[i % sockets.length] as ClientSocket, 'message:send', {
        conversationId,
        clientId: randomUUID(),
        text: `Pilne ${i}`,
        notifySms: true,
      }),
    ),
  );
  return acks.flatMap((ack) => ok(ack).sms ?? []);
}

describe('SMS caps under parallel sends', () => {
  let t: SmsTestApp;
  afterEach(async () => t.stop({ remove: true }));

  it('the recipient cap (default 10 per 10 minutes) holds for 100 parallel sends from 4 tabs', async () => {
    t = await startSmsApp(fake);
    const tabs = await t.tabsOf('anna', 4);
    const conversationId = await openDirect(tabs[0] as ClientSocket, await t.idOf('bartek'));

    const chips = await burst(tabs, conversationId, 100);
    await t.app.services.dispatcher?.drain();

    expect(chips).toHaveLength(100);
    expect(fake.accepted.length).toBeLessThanOrEqual(10);
    expect(chips.filter((c) => c.status === 'queued')).toHaveLength(10);
    const refused = chips.filter((c) => c.status !== 'queued');
    expect(refused).toHaveLength(90);
    for (const chip of refused) expect(chip).toMatchObject({ status: 'not_sent', reason: { code: 'recipient_limit', limit: 10, windowMinutes: 10 } });
    // The store agrees with the acks: exactly the cap is on its way, the rest is recorded as refused.
    const report = await t.store.sms.report({ offset: 0, limit: 1000 });
    expect(report.rows.filter((r) => r.status !== 'not_sent')).toHaveLength(10);
  });

  it('the sender cap (default 30 per hour) holds for a group burst over 3 tabs', async () => {
    t = await startSmsApp(fake, { env: { SMS_LIMIT_RECIPIENT: '1000' } });
    const tabs = await t.tabsOf('anna', 3);
    const members = await Promise.all(['bartek', 'darek'].map((login) => t.idOf(login)));
    const groupId = await createGroup(tabs[0] as ClientSocket, 'Dyżur', members);

    const chips = await burst(tabs, groupId, 40);
    await t.app.services.dispatcher?.drain();

    expect(chips).toHaveLength(80);
    expect(fake.accepted.length).toBeLessThanOrEqual(30);
    expect(chips.filter((c) => c.status === 'queued')).toHaveLength(30);
    for (const chip of chips.filter((c) => c.status !== 'queued')) {
      expect(chip).toMatchObject({ status: 'not_sent', reason: { code: 'sender_hour_limit', limit: 30 } });
    }
  });
});
