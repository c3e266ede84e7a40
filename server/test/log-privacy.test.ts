import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../shared/http.js';
import { loggerOptions } from '../src/transport/http/logger-options.js';
import { call, cookieOf } from './support/http-client.js';
import { PEOPLE, startTestApp, TEST_PASSWORD, type TestApp } from './support/test-app.js';

/** Every digit run of a number long enough to identify it, with and without the country code. */
function digitRuns(mobile: string): string[] {
  const digits = mobile.replace(/\D/g, '');
  return [digits, digits.replace(/^48/, ''), digits.slice(-6)].filter((d) => d.length >= 6);
}

describe('logs never contain a password or a phone number', () => {
  let t: TestApp;
  let logs = '';
  const secrets: string[] = [TEST_PASSWORD];
  const numbers: string[] = PEOPLE.flatMap((p) => (p.mobile ? [p.mobile] : []));

  beforeAll(async () => {
    // The production logger options at the most verbose level, written into memory.
    const production = loggerOptions('trace');
    if (typeof production !== 'object') throw new Error('loggerOptions must return options');
    t = await startTestApp({ deps: { logger: { ...production, stream: { write: (line: string) => void (logs += line) } } } });
  });
  afterAll(async () => t.stop({ remove: true }));

  it('through sign-ins, profile and directory changes, bad bodies and delivery-report URLs', async () => {
    const wrongPassword = 'Zgadnij-To-Haslo-7';
    const newPassword = 'Nowe-Haslo-Bartka-9';
    const adminSetPassword = 'Haslo-Od-Admina-3';
    const myNumber = '+48 777 888 999';
    const adminNumber = '+48 721 654 987';
    const pastedNumber = '+48 733 222 111';
    secrets.push(wrongPassword, newPassword, adminSetPassword);
    numbers.push(myNumber, adminNumber, pastedNumber);

    const good = await call(t.url, 'POST', API.session, { body: { login: 'bartek', password: TEST_PASSWORD } });
    expect(good.status).toBe(200);
    const bartek = cookieOf(good);
    const token = bartek.split('=')[1] ?? '';
    expect(token.length).toBeGreaterThan(20);
    secrets.push(token);

    expect((await call(t.url, 'POST', API.session, { body: { login: 'bartek', password: wrongPassword } })).status).toBe(401);
    expect((await call(t.url, 'POST', API.session, { body: { login: 'nobody', password: wrongPassword } })).status).toBe(401);
    // Malformed and invalid bodies that carry a password and a number.
    expect((await call(t.url, 'POST', API.session, { body: `{"login":"bartek","password":"${wrongPassword}",` })).status).toBe(400);
    expect((await call(t.url, 'POST', API.session, { body: { login: 'bartek', password: wrongPassword, phone: pastedNumber } })).status).toBe(400);

    const profile = await call(t.url, 'PATCH', API.myProfile, { cookie: bartek, body: { mobile: myNumber, mobilePrivate: true } });
    expect(profile.status).toBe(200);
    const tooLong = await call(t.url, 'PATCH', API.myProfile, { cookie: bartek, body: { mobile: `${pastedNumber} ${pastedNumber} ${pastedNumber}` } });
    expect(tooLong.status).toBe(400);
    expect((await call(t.url, 'PUT', API.myPassword, { cookie: bartek, body: { currentPassword: wrongPassword, newPassword } })).status).toBe(401);
    expect((await call(t.url, 'PUT', API.myPassword, { cookie: bartek, body: { currentPassword: TEST_PASSWORD, newPassword } })).status).toBe(204);

    const anna = await t.signIn('anna');
    const created = await call<{ id: string }>(t.url, 'POST', API.adminEmployees, {
      cookie: anna,
      body: { login: 'gosia', name: 'Gosia', password: adminSetPassword, mobile: adminNumber },
    });
    expect(created.status).toBe(201);
    expect((await call(t.url, 'PATCH', API.adminEmployee(created.body.id), { cookie: anna, body: { mobile: pastedNumber } })).status).toBe(200);
    expect((await call(t.url, 'POST', API.adminEmployees, { cookie: anna, body: { login: 'BARTEK', name: 'B', password: adminSetPassword, mobile: adminNumber } })).status).toBe(409);

    // SMSAPI puts the recipient's number in the delivery-report query string; numbers also end up in other URLs.
    await call(t.url, 'GET', `/api/sms/callback/not-the-secret?MsgId=1&to=${pastedNumber.replace(/\D/g, '')}&status=403`);
    await call(t.url, 'GET', `/api/employees?phone=${encodeURIComponent(myNumber)}&password=${wrongPassword}`, { cookie: anna });
    await call(t.url, 'GET', `/no-such-page?to=${encodeURIComponent(adminNumber)}`);
    expect((await call(t.url, 'DELETE', API.session, { cookie: bartek })).status).toBe(204);

    await t.app.fastify.close(); // flush: every response has been logged
    // The capture works: requests and responses were logged at all, with their paths.
    expect(logs).toContain('incoming request');
    expect(logs).toContain('/api/me/profile');
    expect(logs).toContain('/api/session');

    for (const secret of secrets) expect(logs, `a password or token: ${secret}`).not.toContain(secret);
    for (const mobile of numbers) {
      for (const run of digitRuns(mobile)) expect(logs, `digits of ${mobile}`).not.toContain(run);
      expect(logs).not.toContain(mobile);
    }
    expect(logs).not.toMatch(/depesza_session=/);
    expect(logs).not.toMatch(/scrypt\$/);
  });
});
