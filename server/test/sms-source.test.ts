/**
 * Issue 13: an SMS asked for from the colleague's card or the start page's widget is an ordinary message with SMS,
 * recorded with its source; the SMS report filters by it and the CSV carries it. The hint is validated.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmsReportPage } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import { employee, getText, ok, openDirect, startSmsApp, type Person, type SmsTestApp } from './support/sms.js';
import { request, requestUnchecked } from './support/test-app.js';

let fake: FakeSmsapi;
let t: SmsTestApp;
let anna: Person;
const sent: Record<'chat' | 'card' | 'widget', string> = { chat: '', card: '', widget: '' };

async function report(source?: string): Promise<SmsReportPage> {
  const answer = await getText(`${t.url}/api/sms/report?pageSize=200${source ? `&source=${source}` : ''}`, anna.cookie);
  expect(answer.status, answer.body).toBe(200);
  return JSON.parse(answer.body) as SmsReportPage;
}

beforeAll(async () => {
  fake = await startFakeSmsapi();
  t = await startSmsApp(fake);
  anna = await employee(t, 'anna');
  const direct = await openDirect(anna.socket, await t.idOf('bartek'));
  for (const source of ['chat', 'card', 'widget'] as const) {
    const message = ok(
      await request(anna.socket, 'message:send', {
        conversationId: direct,
        clientId: randomUUID(),
        text: `Z: ${source}`,
        notifySms: true,
        // The plain chat sends no hint: the default is the chat.
        ...(source === 'chat' ? {} : { smsSource: source }),
      }),
    );
    sent[source] = message.sms?.[0]?.id ?? '';
  }
});

afterAll(async () => {
  await t.stop({ remove: true });
  await fake.close();
});

describe('the SMS source', () => {
  it('is recorded per send and the report filters by it', async () => {
    const all = await report();
    expect(new Map(all.rows.map((r) => [r.id, r.source.kind]))).toEqual(
      new Map([
        [sent.chat, 'chat'],
        [sent.card, 'card'],
        [sent.widget, 'widget'],
      ]),
    );
    for (const source of ['chat', 'card', 'widget'] as const) {
      expect((await report(source)).rows.map((r) => r.id)).toEqual([sent[source]]);
    }
    expect((await report('bulk')).rows).toEqual([]);
  });

  it('is a column of the CSV', async () => {
    const csv = await getText(`${t.url}/api/sms/report.csv?source=card`, anna.cookie);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines.slice(1).map((line) => line.split(',').at(-1))).toEqual(['"card"']);
  });

  it('refuses a hint that is not one of the app\'s paths, storing nothing', async () => {
    const before = (await report()).total;
    const direct = await openDirect(anna.socket, await t.idOf('bartek'));
    const answer = await requestUnchecked(anna.socket, 'message:send', {
      conversationId: direct,
      clientId: randomUUID(),
      text: 'Z integracji?',
      notifySms: true,
      smsSource: 'integration',
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect((await report()).total).toBe(before);
  });
});
