import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { API } from '../../shared/http.js';
import type { DirectoryEntry, Me } from '../../shared/schemas/index.js';
import { call, cookieOf, FakeClock, MINUTE } from './support/http-client.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from './support/test-app.js';

type Failure = { error: ErrorBody };

describe('sign-in over http://', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.stop({ remove: true }));

  it('sets an HttpOnly, SameSite=Lax session cookie without Secure and answers with the employee', async () => {
    const answer = await call<Me>(t.url, 'POST', API.session, { body: { login: 'bartek', password: TEST_PASSWORD } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ login: 'bartek', name: 'Bartek Nowak', role: 'employee', mobileStatus: 'ok' });
    expect(answer.text).not.toContain('passwordHash');
    const setCookie = answer.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^depesza_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);
    expect(setCookie).not.toMatch(/;\s*Secure/i);
  });

  it('accepts the login in any case', async () => {
    const answer = await call<Me>(t.url, 'POST', API.session, { body: { login: 'BarTek', password: TEST_PASSWORD } });
    expect(answer.status).toBe(200);
    expect(answer.body.login).toBe('bartek');
  });

  it('GET /api/me answers the signed-in employee, with their own number', async () => {
    const cookie = await t.signIn('darek');
    const me = await call<Me>(t.url, 'GET', API.me, { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: await t.idOf('darek'),
      login: 'darek',
      name: 'Darek Zieliński',
      title: null,
      role: 'employee',
      mobile: '+48 698 765 432',
      mobilePrivate: false,
      mobileStatus: 'ok',
      workingHours: null,
    });
  });

  it('GET /api/me without a session or with a made-up one is 401 UNAUTHENTICATED', async () => {
    for (const cookie of [undefined, 'depesza_session=made-up-token']) {
      const answer = await call<Failure>(t.url, 'GET', API.me, cookie ? { cookie } : {});
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('gives an unknown login and a wrong password the identical answer', async () => {
    const unknown = await call(t.url, 'POST', API.session, { body: { login: 'nobody', password: TEST_PASSWORD } });
    const wrong = await call(t.url, 'POST', API.session, { body: { login: 'ewa', password: 'not-her-password' } });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.text).toBe(unknown.text);
    expect(wrong.body).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: 'Wrong login or password' } });
    expect(unknown.headers.get('set-cookie')).toBeNull();
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('signing out ends the session', async () => {
    const cookie = await t.signIn('ewa');
    expect((await call(t.url, 'GET', API.me, { cookie })).status).toBe(200);
    const out = await call(t.url, 'DELETE', API.session, { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^depesza_session=;/);
    // The old cookie is dead on the server, not only cleared in the browser.
    const after = await call<Failure>(t.url, 'GET', API.me, { cookie });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('signing out without a session is harmless', async () => {
    expect((await call(t.url, 'DELETE', API.session)).status).toBe(204);
  });

  it('a deactivated employee loses their session and cannot sign in again', async () => {
    const admin = await t.signIn('anna');
    const filip = await t.signIn('filip');
    expect((await call(t.url, 'GET', API.me, { cookie: filip })).status).toBe(200);

    const deactivated = await call<DirectoryEntry>(t.url, 'PATCH', API.adminEmployee(await t.idOf('filip')), {
      cookie: admin,
      body: { active: false },
    });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);

    expect((await call(t.url, 'GET', API.me, { cookie: filip })).status).toBe(401);
    expect((await call(t.url, 'GET', API.employees, { cookie: filip })).status).toBe(401);
    const again = await call(t.url, 'POST', API.session, { body: { login: 'filip', password: TEST_PASSWORD } });
    expect(again.status).toBe(401);
    expect(again.body).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: 'Wrong login or password' } });

    // Reactivated, the same password works again.
    await call(t.url, 'PATCH', API.adminEmployee(await t.idOf('filip')), { cookie: admin, body: { active: true } });
    expect((await call(t.url, 'POST', API.session, { body: { login: 'filip', password: TEST_PASSWORD } })).status).toBe(200);
  });

  describe('refuses a bad body with 400 VALIDATION_FAILED naming the field', () => {
    async function refused(options: { body: unknown; headers?: Record<string, string> }): Promise<string> {
      const answer = await call<Failure>(t.url, 'POST', API.session, options);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      expect(answer.headers.get('set-cookie')).toBeNull();
      return answer.body.error.message;
    }

    it('a missing field', async () => {
      expect(await refused({ body: { login: 'anna' } })).toContain('password');
    });

    it('an extra field', async () => {
      expect(await refused({ body: { login: 'anna', password: TEST_PASSWORD, remember: true } })).toContain('remember');
    });

    it('a field of the wrong type', async () => {
      expect(await refused({ body: { login: 'anna', password: 12345678 } })).toContain('password');
      expect(await refused({ body: { login: ['anna'], password: TEST_PASSWORD } })).toContain('login');
    });

    it('an empty field', async () => {
      expect(await refused({ body: { login: '', password: TEST_PASSWORD } })).toContain('login');
    });

    it('a body that is not JSON', async () => {
      const message = await refused({ body: '{"login": "anna", "password": ' });
      expect(message).toMatch(/JSON/);
      expect(await refused({ body: '[1, 2]' })).toMatch(/body/);
    });

    it('no body at all', async () => {
      const answer = await call<Failure>(t.url, 'POST', API.session);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  it('/healthz answers that the process is alive', async () => {
    const answer = await call(t.url, 'GET', '/healthz');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
  });

  it('/readyz answers that the store answers', async () => {
    const answer = await call(t.url, 'GET', '/readyz');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ready', store: 'sqlite' });
  });

  it('sends security headers', async () => {
    const answer = await call(t.url, 'GET', '/healthz');
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    // Plain http: no HSTS, which would lock browsers out of an http-only installation.
    expect(answer.headers.get('strict-transport-security')).toBeNull();
  });

  it('answers an unknown API route with 404 NOT_FOUND', async () => {
    const answer = await call<Failure>(t.url, 'GET', '/api/nothing-here');
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('NOT_FOUND');
  });
});

describe('sign-in behind PUBLIC_URL https://', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://chat.example.pl' } });
  });
  afterAll(async () => t.stop({ remove: true }));

  it('marks the session cookie Secure', async () => {
    const answer = await call(t.url, 'POST', API.session, { body: { login: 'anna', password: TEST_PASSWORD } });
    expect(answer.status).toBe(200);
    const setCookie = answer.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(answer.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });
});

describe('sign-in throttling', () => {
  let t: TestApp;
  let clock: FakeClock;
  beforeAll(async () => {
    clock = new FakeClock();
    t = await startTestApp({ deps: { clock } });
  });
  afterAll(async () => t.stop({ remove: true }));

  const attempt = (login: string, password: string) => call<Failure>(t.url, 'POST', API.session, { body: { login, password } });

  it('blocks a login after repeated failures, even with the right password, until the window passes', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await attempt('bartek', `wrong-guess-${i}`)).status).toBe(401);
    }
    const blocked = await attempt('bartek', 'wrong-guess-5');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(blocked.body.error.message).toMatch(/too many attempts, try again in 15 minutes/i);

    // The right password does not get through either: the throttle answers before the password is checked.
    const right = await attempt('bartek', TEST_PASSWORD);
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    // In another case the login is the same login.
    expect((await attempt('BARTEK', TEST_PASSWORD)).status).toBe(429);

    // Other logins are not affected.
    expect((await attempt('darek', TEST_PASSWORD)).status).toBe(200);

    clock.advance(10 * MINUTE);
    const later = await attempt('bartek', TEST_PASSWORD);
    expect(later.status).toBe(429);
    expect(later.body.error.message).toMatch(/try again in 5 minutes/);

    clock.advance(4 * MINUTE + 30_000);
    expect((await attempt('bartek', TEST_PASSWORD)).body.error.message).toMatch(/try again in 1 minute\b/);

    clock.advance(31_000);
    const open = await attempt('bartek', TEST_PASSWORD);
    expect(open.status).toBe(200);
    expect(cookieOf(open)).toMatch(/^depesza_session=/);
  });

  it('a successful sign-in clears the login\'s failures', async () => {
    for (let i = 0; i < 4; i += 1) expect((await attempt('ewa', `wrong-${i}`)).status).toBe(401);
    expect((await attempt('ewa', TEST_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i += 1) expect((await attempt('ewa', `wrong-again-${i}`)).status).toBe(401);
    expect((await attempt('ewa', TEST_PASSWORD)).status).toBe(200);
  });

  it('also throttles per address: many logins guessed from one address', async () => {
    clock.advance(20 * MINUTE);
    // 30 failures from 127.0.0.1 spread over logins that each stay below the per-login limit.
    for (let i = 0; i < 30; i += 1) {
      expect((await attempt(`guess-${i % 10}`, 'whatever-1')).status).toBe(401);
    }
    const blocked = await attempt('celina', TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(/try again in 15 minutes/);
    clock.advance(15 * MINUTE);
    expect((await attempt('celina', TEST_PASSWORD)).status).toBe(200);
  });
});
