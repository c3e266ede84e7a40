/**
 * Integrations' other recipients and SMS timing (issue 13) against the fake SMSAPI: a department, the members of a
 * group conversation, and "SMS if unread after N minutes" through the same waiting dispatches as the composer's —
 * with any N the API allows, not only the composer's choices. Time is the Clock port: nothing here sleeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { API } from '../../shared/http.js';
import type { CreatedIntegration, ImportRow, NotificationResult } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import { FakeClock, MINUTE } from './support/http-client.js';
import { createGroup, employee, ok, startSmsApp, type SmsTestApp } from './support/sms.js';
import { PEOPLE, request } from './support/test-app.js';

const DEPARTMENTS: Record<string, string> = { bartek: 'Sprzedaż', darek: 'Magazyn', ewa: 'sprzedaż ' };
const PEOPLE_WITH_DEPARTMENTS: ImportRow[] = PEOPLE.map((p) => ({ ...p, department: DEPARTMENTS[p.login] ?? null }));

let fake: FakeSmsapi;
let t: SmsTestApp;

afterEach(async () => {
  await t?.stop({ remove: true });
  await fake?.close();
});

async function call<T>(method: string, path: string, options: { cookie?: string; token?: string; body?: unknown }): Promise<{ status: number; body: T }> {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const parsed = (await response.json()) as { error?: unknown };
  return { status: response.status, body: (response.status >= 400 && parsed.error ? parsed.error : parsed) as T };
}

async function start(clock?: FakeClock): Promise<string> {
  fake = await startFakeSmsapi();
  t = await startSmsApp(fake, { people: PEOPLE_WITH_DEPARTMENTS, env: { SMS_IF_UNREAD_MINUTES: '5,15' }, ...(clock ? { deps: { clock } } : {}) });
  const created = await call<CreatedIntegration>('POST', API.adminIntegrations, { cookie: await t.signIn('anna'), body: { name: 'Zabbix' } });
  return created.body.token;
}

const names = (result: NotificationResult) => result.recipients.map((r) => r.name).sort();

describe('integrations: recipients and SMS timing', () => {
  it('notifies a department (any letter case and spacing) and the members of a group, each person once', async () => {
    const token = await start();
    const byDepartment = await call<NotificationResult>('POST', API.v1Notifications, {
      token,
      body: { recipients: { departments: ['SPRZEDAŻ'], logins: ['bartek'] }, text: 'Awaria VPN', sms: 'never' },
    });
    expect(byDepartment.status).toBe(201);
    expect(names(byDepartment.body)).toEqual(['Bartek Nowak', 'Ewa Lewandowska']);
    expect(byDepartment.body.recipients.every((r) => r.messageId !== null && r.sms === null)).toBe(true);

    const anna = await employee(t, 'anna');
    const groupId = await createGroup(anna.socket, 'Dyżur', [await t.idOf('darek'), await t.idOf('filip')]);
    const byGroup = await call<NotificationResult>('POST', API.v1Notifications, {
      token,
      body: { recipients: { groups: [groupId] }, text: 'Dyżur: awaria', sms: 'now' },
    });
    expect(byGroup.status).toBe(201);
    expect(names(byGroup.body)).toEqual(['Anna Kowalska', 'Darek Zieliński', 'Filip Wójcik']);
  });

  it('names unknown departments and groups, refuses a direct conversation as a group, and sends nothing then', async () => {
    const token = await start();
    const anna = await employee(t, 'anna');
    const direct = ok(await request(anna.socket, 'conversation:openDirect', { employeeId: await t.idOf('bartek') })).id;
    const cases: Array<[unknown, Record<string, unknown>]> = [
      [{ departments: ['Sprzedaż', 'Kadry'] }, { field: 'recipients/departments', unknownRecipients: ['Kadry'] }],
      [{ groups: [direct, 'nope'] }, { field: 'recipients/groups', unknownRecipients: [direct, 'nope'] }],
      [{}, { field: 'recipients', rule: 'required' }],
    ];
    for (const [recipients, expected] of cases) {
      const answer = await call<Record<string, unknown>>('POST', API.v1Notifications, { token, body: { recipients, text: 'x', sms: 'now' } });
      expect(answer.status, JSON.stringify(recipients)).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', ...expected });
    }
    expect((await t.store.sms.report({ offset: 0, limit: 10 })).total).toBe(0);
  });

  it('sends the SMS only to whoever has not read the message after N minutes, for any N the API allows', async () => {
    const clock = new FakeClock();
    const token = await start(clock);
    const bartek = await employee(t, 'bartek');
    const answer = await call<NotificationResult>('POST', API.v1Notifications, {
      token,
      // 2 minutes is none of the composer's choices (5, 15): those are for people, not for other systems.
      body: { recipients: { logins: ['bartek', 'darek'] }, text: 'Serwer leży', sms: { ifUnreadAfterMinutes: 2 } },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.sms).toEqual({ ifUnreadAfterMinutes: 2 });
    expect(answer.body.recipients.map((r) => r.sms?.status)).toEqual(['queued', 'queued']);

    const toBartek = answer.body.recipients.find((r) => r.login === 'bartek')!;
    const seq = (await t.store.messages.findById(toBartek.messageId!))!.seq;
    clock.advance(MINUTE);
    ok(await request(bartek.socket, 'receipt:mark', { conversationId: toBartek.conversationId!, seq, kind: 'read' }));
    clock.advance(MINUTE);
    await t.app.services.dispatcher?.drain();
    const status = await call<NotificationResult>('GET', `${API.v1Notifications}/${answer.body.id}`, { token });
    const byLogin = new Map(status.body.recipients.map((r) => [r.login, r.sms]));
    expect(byLogin.get('bartek')).toMatchObject({ status: 'not_sent', reason: { code: 'read_in_time', afterSeconds: 60 } });
    expect(byLogin.get('darek')).toMatchObject({ status: 'sent' });
    expect(fake.accepted.map((s) => [s.to, s.message])).toEqual([['48698765432', 'Serwer leży']]);
  });
});
