/**
 * Integrations over real HTTP against the fake SMSAPI on loopback: a token creates messages and SMS, a revoked or
 * wrong token creates nothing, an Idempotency-Key sends once (also when identical calls race), the status endpoint
 * agrees with what the fake received, and each integration's rate limit holds under parallel requests.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { API } from '../../shared/http.js';
import type { CreatedIntegration, NotificationResult } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import type { SmsReportPage } from '../../shared/schemas/index.js';
import { employee, expectNoPhoneDigits, openDirect, sendWithSms, startSmsApp, type SmsTestApp } from './support/sms.js';

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

describe('integrations: POST /api/v1/notifications', () => {
  let fake: FakeSmsapi;
  let t: SmsTestApp;
  let admin: string;

  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { cookie?: string; token?: string; key?: string; body?: unknown } = {},
  ): Promise<Answer<T>> => {
    const response = await fetch(`${t.url}${path}`, {
      method,
      headers: {
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.key ? { 'idempotency-key': options.key } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
  };

  const createIntegration = async (name: string, perMinute = 100): Promise<CreatedIntegration> => {
    const created = await call<CreatedIntegration>('POST', API.adminIntegrations, { cookie: admin, body: { name, perMinute } });
    expect(created.status).toBe(201);
    return created.body;
  };

  const notify = (token: string, body: unknown, key?: string) =>
    call<NotificationResult>('POST', API.v1Notifications, { token, body, ...(key ? { key } : {}) });

  /** Waits (by asking the status endpoint again) until no SMS of the notification is still on its way. */
  const settled = (token: string, id: string) =>
    vi.waitFor(
      async () => {
        const answer = await call<NotificationResult>('GET', `${API.v1Notifications}/${id}`, { token });
        expect(answer.body.recipients.every((r) => r.sms === null || !['queued', 'unconfirmed'].includes(r.sms.status))).toBe(true);
        return answer.body;
      },
      { timeout: 10_000, interval: 50 },
    );

  const messagesFrom = async (senderId: string) =>
    (await t.store.sms.report({ senderId, offset: 0, limit: 100 })).total;

  beforeAll(async () => {
    fake = await startFakeSmsapi();
    t = await startSmsApp(fake);
    admin = await t.signIn('anna');
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await t.stop({ remove: true });
    await fake.close();
  });

  it('shows the token once, keeps only its hash, and lets only admins manage integrations', async () => {
    const { integration, token } = await createIntegration('Zabbix', 30);
    expect(token).toMatch(/^dpz_[A-Za-z0-9_-]{40,}$/);
    const stored = await t.store.integrations.findById(integration.id);
    expect(stored?.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    const listed = await call('GET', API.adminIntegrations, { cookie: admin });
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(listed.body).toContainEqual({ ...integration });

    const bartek = await t.signIn('bartek');
    expect((await call('POST', API.adminIntegrations, { cookie: bartek, body: { name: 'Mine' } })).status).toBe(403);
    // The integration's account is nobody's colleague and no entry of the Directory.
    const directory = await call<Array<{ name: string }>>('GET', API.adminEmployees, { cookie: admin });
    expect(directory.body.map((e) => e.name)).not.toContain('Zabbix');
    const colleagues = await call<Array<{ name: string }>>('GET', API.employees, { cookie: bartek });
    expect(colleagues.body.map((e) => e.name)).not.toContain('Zabbix');
  });

  it('creates a message from the integration and an SMS per reachable recipient; the status matches the fake', async () => {
    const { integration, token } = await createIntegration('Zabbix');
    const bartek = await employee(t, 'bartek');
    const text = 'Dysk na db-1 zapełniony w 95%';

    const answer = await notify(token, { recipients: { logins: ['bartek', 'darek', 'celina', 'ewa'] }, text, sms: 'now' });
    expect(answer.status).toBe(201);
    expectNoPhoneDigits(answer.body, 'the API answer');
    // The dispatcher may already have sent them by the time the answer is written.
    const onItsWay = (status: string | undefined) => (status === 'queued' || status === 'sent' ? 'on its way' : status);
    expect(answer.body.recipients.map((r) => [r.login, onItsWay(r.sms?.status), r.sms?.reason?.code ?? null])).toEqual([
      ['bartek', 'on its way', null],
      ['darek', 'on its way', null],
      ['celina', 'not_sent', 'mobile_private'],
      ['ewa', 'not_sent', 'no_mobile'],
    ]);

    // Bartek sees it live, from "Zabbix", in his conversation with it.
    const arrived = await bartek.log.waitFor<{ text: string; conversationId: string; senderId: string }>('message:new', (m) => m.text === text);
    const account = (await t.store.integrations.findById(integration.id))?.employeeId;
    expect(arrived.senderId).toBe(account);
    const conversation = await bartek.log.waitFor<{ id: string; members: Array<{ name: string }> }>(
      'conversation:upsert',
      (c) => c.id === arrived.conversationId,
    );
    expect(conversation.members.map((m) => m.name).sort()).toEqual(['Bartek Nowak', 'Zabbix']);

    const status = await settled(token, answer.body.id);
    expect(status.recipients.map((r) => [r.login, r.sms?.status])).toEqual([
      ['bartek', 'sent'],
      ['darek', 'sent'],
      ['celina', 'not_sent'],
      ['ewa', 'not_sent'],
    ]);
    expect(fake.accepted.map((s) => [s.to, s.message]).sort()).toEqual([
      ['48512345678', text],
      ['48698765432', text],
    ]);
    expect(fake.accepted.map((s) => s.parts)).toEqual([1, 1]);
    expect(status.recipients.filter((r) => r.sms?.status === 'sent').map((r) => r.sms?.parts)).toEqual([1, 1]);
  });

  it('renders a template per recipient, Polish letters and part counts included, and names wrong variables', async () => {
    const { token } = await createIntegration('Monitoring');
    const template = await call('POST', API.adminSmsTemplates, {
      cookie: admin,
      body: { name: 'Awaria usługi', text: '{imię} {nazwisko}: awaria {usługa}, {nadawca}.' },
    });
    expect(template.status).toBe(201);

    const missing = await notify(token, { recipients: { logins: ['bartek'] }, template: 'awaria usługi', variables: { usluga: 'x' }, sms: 'now' });
    expect(missing).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', variables: { missing: ['usługa'], unexpected: ['usluga'] } } },
    });
    expect(missing.body).toMatchObject({ error: { message: expect.stringContaining('usługa') } });
    expect(fake.requests).toHaveLength(0);

    const variables = { usługa: 'serwera poczty w budynku B przy ul. Długiej' };
    const answer = await notify(token, { recipients: { logins: ['bartek', 'darek'] }, template: 'Awaria usługi', variables, sms: 'now' });
    expect(answer.status).toBe(201);
    const status = await settled(token, answer.body.id);

    const toBartek = 'Bartek Nowak: awaria serwera poczty w budynku B przy ul. Długiej, Monitoring.';
    const toDarek = 'Darek Zieliński: awaria serwera poczty w budynku B przy ul. Długiej, Monitoring.';
    const received = new Map(fake.accepted.map((s) => [s.to, s]));
    expect(received.get('48512345678')).toMatchObject({ message: toBartek, parts: 2 });
    expect(received.get('48698765432')).toMatchObject({ message: toDarek, parts: 2 });
    // "Długiej" makes both UCS-2 (70 per single SMS); the parts the status reports are the ones SMSAPI counted.
    expect(status.recipients.map((r) => r.sms?.parts)).toEqual([2, 2]);

    const short = await notify(token, { recipients: { logins: ['bartek', 'darek'] }, template: 'Awaria usługi', variables: { usługa: 'VPN w biurze w Krakowie od rana, brak polaczenia z siecia' }, sms: 'now' });
    await settled(token, short.body.id);
    const parts = new Map(fake.accepted.slice(2).map((s) => [s.to, s.parts]));
    // Only Darek's surname has a Polish letter: his text is UCS-2 and 2 parts, Bartek's stays GSM-7 and 1.
    expect(Object.fromEntries(parts)).toEqual({ '48512345678': 1, '48698765432': 2 });
  });

  it('answers a wrong, missing or revoked token with 401 and creates nothing', async () => {
    const { integration, token } = await createIntegration('CRM');
    const account = (await t.store.integrations.findById(integration.id))?.employeeId as string;
    const body = { recipients: { logins: ['bartek'] }, text: 'Nowy klient', sms: 'now' };

    const wrong = await notify(`${token}x`, body);
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect((await call('POST', API.v1Notifications, { body })).status).toBe(401);

    const revoked = await call('DELETE', API.adminIntegration(integration.id), { cookie: admin });
    expect(revoked.body).toMatchObject({ id: integration.id, revokedAt: expect.any(String) });
    expect((await notify(token, body)).status).toBe(401);
    expect((await call('GET', `${API.v1Notifications}/anything`, { token })).status).toBe(401);

    expect(await messagesFrom(account)).toBe(0);
    expect(await t.store.conversations.listForEmployee(account)).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it('sends once for one Idempotency-Key, retried or racing, and refuses the key for another request', async () => {
    const { integration, token } = await createIntegration('HR');
    const account = (await t.store.integrations.findById(integration.id))?.employeeId as string;
    const body = { recipients: { logins: ['bartek', 'darek'] }, text: 'Przypomnienie: szkolenie BHP', sms: 'now' };

    const first = await notify(token, body, 'key-retried');
    const again = await notify(token, { sms: 'now', text: body.text, recipients: body.recipients }, 'key-retried');
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.recipients.map((r) => r.messageId)).toEqual(first.body.recipients.map((r) => r.messageId));

    const racing = await Promise.all(Array.from({ length: 6 }, () => notify(token, { ...body, text: 'Szkolenie przeniesione' }, 'key-raced')));
    expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(racing.map((r) => r.body.id)).size).toBe(1);
    await settled(token, first.body.id);
    await settled(token, racing[0]?.body.id as string);

    expect(await messagesFrom(account)).toBe(4);
    expect(fake.accepted.map((s) => s.message).sort()).toEqual([
      'Przypomnienie: szkolenie BHP',
      'Przypomnienie: szkolenie BHP',
      'Szkolenie przeniesione',
      'Szkolenie przeniesione',
    ]);

    const other = await notify(token, { ...body, text: 'Coś innego' }, 'key-retried');
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
    expect(await messagesFrom(account)).toBe(4);
  });

  it("holds each integration's own rate limit under parallel requests", async () => {
    const { token } = await createIntegration('Burst', 3);
    const { token: otherToken } = await createIntegration('Calm', 3);
    const body = { recipients: { logins: ['ewa'] }, text: 'Test', sms: 'never' };

    const answers = await Promise.all(Array.from({ length: 12 }, () => notify(token, body)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(9);
    expect(refused[0]?.body).toMatchObject({ error: { code: 'RATE_LIMITED', retryAfterMs: 20_000 } });
    expect(refused[0]?.headers.get('retry-after')).toBe('20');
    // Another integration has its own budget.
    expect((await notify(otherToken, body)).status).toBe(201);
  });

  it('the SMS report shows and filters the source: chat, any integration, one integration; the CSV carries it', async () => {
    const { integration, token } = await createIntegration('Źródło');
    const { integration: other, token: otherToken } = await createIntegration('Inne');
    await notify(token, { recipients: { logins: ['darek'] }, text: 'Z integracji', sms: 'now' });
    await notify(otherToken, { recipients: { logins: ['darek'] }, text: 'Z innej', sms: 'now' });
    const anna = await employee(t, 'anna');
    await sendWithSms(anna.socket, await openDirect(anna.socket, await t.idOf('darek')), 'Z czatu');

    const report = async (source?: string) =>
      (await call<SmsReportPage>('GET', `/api/sms/report?pageSize=200${source ? `&source=${source}` : ''}`, { cookie: admin })).body.rows;
    const one = await report(`integration:${integration.id}`);
    expect(one.map((r) => [r.senderName, r.source])).toEqual([['Źródło', { kind: 'integration', integrationId: integration.id }]]);
    const integrations = await report('integration');
    expect(new Set(integrations.map((r) => r.source.kind))).toEqual(new Set(['integration']));
    expect(integrations.map((r) => r.senderName)).toEqual(expect.arrayContaining(['Źródło', 'Inne']));
    expect(integrations.some((r) => r.source.kind === 'integration' && r.source.integrationId === other.id)).toBe(true);
    const chat = await report('chat');
    expect(chat.every((r) => r.source.kind === 'chat')).toBe(true);
    expect(chat.map((r) => r.senderName)).toContain('Anna Kowalska');
    expect((await report()).length).toBe(chat.length + integrations.length);

    const csv = await fetch(`${t.url}/api/sms/report.csv?source=integration:${integration.id}`, { headers: { cookie: admin } });
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]?.endsWith(',source')).toBe(true);
    expect(lines.slice(1).map((line) => line.split(',').at(-1))).toEqual(['"integration"']);
    expect((await call('GET', '/api/sms/report?source=elsewhere', { cookie: admin })).status).toBe(400);
  });

  it('validates the body and the recipients, naming what is wrong, before anything is stored', async () => {
    const { token } = await createIntegration('Checks');
    const unknown = await notify(token, { recipients: { logins: ['bartek', 'nikt', 'zabbix'] }, text: 'x', sms: 'now' });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', unknownRecipients: ['nikt', 'zabbix'] } } });
    const both = await notify(token, { recipients: { logins: ['bartek'] }, text: 'x', template: 'y', sms: 'now' });
    expect(both.status).toBe(400);
    const badSms = await notify(token, { recipients: { logins: ['bartek'] }, text: 'x', sms: 'later' });
    expect(badSms).toMatchObject({ status: 400, body: { error: { field: 'sms' } } });
    expect(fake.requests).toHaveLength(0);
  });
});
