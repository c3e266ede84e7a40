import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { API } from '../../shared/http.js';
import type { Colleague, DirectoryEntry, Me } from '../../shared/schemas/index.js';
import { call } from './support/http-client.js';
import { PEOPLE, startTestApp, TEST_PASSWORD, type TestApp } from './support/test-app.js';

type Failure = { error: ErrorBody };

/** Every way a number's digits could show up: the national part with or without the country code. */
function digitsOf(mobile: string): string[] {
  const digits = mobile.replace(/\D/g, '');
  return [digits, digits.replace(/^48/, '')].filter((d) => d.length >= 4);
}

describe('employee directory over HTTP', () => {
  let t: TestApp;
  let admin: string;
  let employee: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.signIn('anna');
    employee = await t.signIn('bartek');
  });
  afterAll(async () => t.stop({ remove: true }));

  describe('GET /api/employees', () => {
    it('lists active colleagues with whether an SMS reaches them, and no phone number at all', async () => {
      const answer = await call<Colleague[]>(t.url, 'GET', API.employees, { cookie: employee });
      expect(answer.status).toBe(200);
      expect(answer.body.map((c) => c.login).sort()).toEqual(PEOPLE.map((p) => p.login).sort());
      const byLogin = new Map(answer.body.map((c) => [c.login, c]));
      expect(byLogin.get('anna')).toMatchObject({ name: 'Anna Kowalska', role: 'admin', smsReachable: true });
      expect(byLogin.get('celina')?.smsReachable).toBe(false); // private
      expect(byLogin.get('ewa')?.smsReachable).toBe(false); // none
      expect(byLogin.get('filip')?.smsReachable).toBe(false); // invalid

      // Ids are random hex: Filip's "12 34" may turn up inside one by chance, so digits are looked for elsewhere.
      const withoutIds = JSON.stringify(answer.body.map(({ id: _id, ...rest }) => rest));
      for (const person of PEOPLE) {
        if (!person.mobile) continue;
        for (const digits of digitsOf(person.mobile)) expect(withoutIds).not.toContain(digits);
        expect(answer.text).not.toContain(person.mobile);
      }
      expect(answer.text).not.toMatch(/"mobile/);
      expect(answer.text).not.toMatch(/passwordHash|scrypt/);
      for (const colleague of answer.body) {
        expect(Object.keys(colleague).sort()).toEqual(['id', 'login', 'name', 'role', 'smsReachable', 'title']);
      }
    });

    it('leaves out deactivated employees', async () => {
      const created = await call<DirectoryEntry>(t.url, 'POST', API.adminEmployees, {
        cookie: admin,
        body: { login: 'gosia', name: 'Gosia Kamińska', password: TEST_PASSWORD },
      });
      expect(created.status).toBe(201);
      const listed = async () => (await call<Colleague[]>(t.url, 'GET', API.employees, { cookie: employee })).body.map((c) => c.login);
      expect(await listed()).toContain('gosia');
      await call(t.url, 'PATCH', API.adminEmployee(created.body.id), { cookie: admin, body: { active: false } });
      expect(await listed()).not.toContain('gosia');
    });

    it('needs a session', async () => {
      const answer = await call<Failure>(t.url, 'GET', API.employees);
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('admin routes', () => {
    const adminCalls = (id: string): Array<[string, string, unknown]> => [
      ['GET', API.adminEmployees, undefined],
      ['POST', API.adminEmployees, { login: 'intruder', name: 'Intruder', password: TEST_PASSWORD, role: 'admin' }],
      ['PATCH', API.adminEmployee(id), { role: 'admin' }],
    ];

    it('refuse a plain employee with 403 FORBIDDEN and change nothing', async () => {
      const bartekId = await t.idOf('bartek');
      for (const [method, path, body] of adminCalls(bartekId)) {
        const answer = await call<Failure>(t.url, method, path, { cookie: employee, ...(body === undefined ? {} : { body }) });
        expect(answer.status, `${method} ${path}`).toBe(403);
        expect(answer.body.error.code).toBe('FORBIDDEN');
      }
      expect(await t.store.employees.findByLogin('intruder')).toBeNull();
      expect((await t.store.employees.findById(bartekId))?.role).toBe('employee');
    });

    it('refuse a caller without a session with 401', async () => {
      for (const [method, path, body] of adminCalls(await t.idOf('bartek'))) {
        const answer = await call<Failure>(t.url, method, path, body === undefined ? {} : { body });
        expect(answer.status, `${method} ${path}`).toBe(401);
        expect(answer.body.error.code).toBe('UNAUTHENTICATED');
      }
    });

    it('list everyone, hiding a private number even from admins', async () => {
      const answer = await call<DirectoryEntry[]>(t.url, 'GET', API.adminEmployees, { cookie: admin });
      expect(answer.status).toBe(200);
      const byLogin = new Map(answer.body.map((e) => [e.login, e]));
      expect(byLogin.get('bartek')).toMatchObject({ mobile: '512 345 678', hasMobile: true, mobilePrivate: false, mobileStatus: 'ok', active: true });
      expect(byLogin.get('celina')).toMatchObject({ mobile: null, hasMobile: true, mobilePrivate: true, mobileStatus: 'private' });
      expect(byLogin.get('ewa')).toMatchObject({ mobile: null, hasMobile: false, mobileStatus: 'missing' });
      expect(byLogin.get('filip')).toMatchObject({ mobile: '12 34', hasMobile: true, mobileStatus: 'invalid' });
      for (const digits of digitsOf('+48 601 222 333')) expect(answer.text).not.toContain(digits);
      expect(answer.text).not.toMatch(/passwordHash|scrypt/);
    });

    it('create an employee who can then sign in', async () => {
      const answer = await call<DirectoryEntry>(t.url, 'POST', API.adminEmployees, {
        cookie: admin,
        body: { login: 'henryk', name: '  Henryk Mazur ', password: 'henryk-pass-1', title: 'Driver', mobile: '+48 790 100 200' },
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        login: 'henryk',
        name: 'Henryk Mazur',
        title: 'Driver',
        role: 'employee',
        active: true,
        mobile: '+48 790 100 200',
        mobileStatus: 'ok',
      });
      expect((await t.store.employees.findByLogin('henryk'))?.mobileE164).toBe('+48790100200');
      const me = await call<Me>(t.url, 'GET', API.me, { cookie: await t.signIn('henryk', 'henryk-pass-1') });
      expect(me.body.login).toBe('henryk');
    });

    it('refuse a login that differs only in case with 409 CONFLICT', async () => {
      const answer = await call<Failure>(t.url, 'POST', API.adminEmployees, {
        cookie: admin,
        body: { login: 'BARTEK', name: 'Another Bartek', password: TEST_PASSWORD },
      });
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('CONFLICT');
      expect((await t.store.employees.list({ includeInactive: true })).filter((e) => e.login.toLowerCase() === 'bartek')).toHaveLength(1);
    });

    it('refuse a bad new employee with 400 naming the field', async () => {
      const cases: Array<[unknown, string]> = [
        [{ login: 'x y', name: 'X', password: TEST_PASSWORD }, 'login'],
        [{ login: 'short', name: 'Short', password: 'short' }, 'password'],
        [{ login: 'ivo', name: 'Ivo', password: TEST_PASSWORD, role: 'boss' }, 'role'],
        [{ login: 'ivo', name: 'Ivo', password: TEST_PASSWORD, mobilePrivate: 'yes' }, 'mobilePrivate'],
        [{ login: 'ivo', name: 'Ivo', password: TEST_PASSWORD, phone: '1' }, 'phone'],
      ];
      for (const [body, field] of cases) {
        const answer = await call<Failure>(t.url, 'POST', API.adminEmployees, { cookie: admin, body });
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body.error.code).toBe('VALIDATION_FAILED');
        expect(answer.body.error.message).toContain(field);
      }
      expect(await t.store.employees.findByLogin('ivo')).toBeNull();
    });

    it('update name, title, role, number and private flag', async () => {
      const id = await t.idOf('darek');
      const answer = await call<DirectoryEntry>(t.url, 'PATCH', API.adminEmployee(id), {
        cookie: admin,
        body: { name: 'Dariusz Zieliński', title: 'Warehouse lead', role: 'admin', mobile: '600 100 200', mobilePrivate: false },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ name: 'Dariusz Zieliński', title: 'Warehouse lead', role: 'admin', mobile: '600 100 200', mobileStatus: 'ok' });
      expect((await t.store.employees.findById(id))?.mobileE164).toBe('+48600100200');

      const hidden = await call<DirectoryEntry>(t.url, 'PATCH', API.adminEmployee(id), { cookie: admin, body: { mobilePrivate: true, role: 'employee' } });
      expect(hidden.body).toMatchObject({ mobile: null, hasMobile: true, mobilePrivate: true, mobileStatus: 'private', role: 'employee' });

      const removed = await call<DirectoryEntry>(t.url, 'PATCH', API.adminEmployee(id), { cookie: admin, body: { mobile: null, mobilePrivate: false } });
      expect(removed.body).toMatchObject({ mobile: null, hasMobile: false, mobileStatus: 'missing' });
    });

    it('set a new password for an employee', async () => {
      const id = await t.idOf('ewa');
      expect((await call(t.url, 'PATCH', API.adminEmployee(id), { cookie: admin, body: { password: 'ewa-new-pass-1' } })).status).toBe(200);
      expect((await call(t.url, 'POST', API.session, { body: { login: 'ewa', password: TEST_PASSWORD } })).status).toBe(401);
      expect((await call(t.url, 'POST', API.session, { body: { login: 'ewa', password: 'ewa-new-pass-1' } })).status).toBe(200);
    });

    it('deactivate an employee, ending their sessions', async () => {
      const cookie = await t.signIn('celina');
      const answer = await call<DirectoryEntry>(t.url, 'PATCH', API.adminEmployee(await t.idOf('celina')), { cookie: admin, body: { active: false } });
      expect(answer.status).toBe(200);
      expect(answer.body.active).toBe(false);
      expect((await call(t.url, 'GET', API.me, { cookie })).status).toBe(401);
      const listing = await call<DirectoryEntry[]>(t.url, 'GET', API.adminEmployees, { cookie: admin });
      expect(listing.body.find((e) => e.login === 'celina')?.active).toBe(false);
    });

    it('do not let an admin deactivate or demote themselves', async () => {
      const id = await t.idOf('anna');
      for (const body of [{ active: false }, { role: 'employee' }]) {
        const answer = await call<Failure>(t.url, 'PATCH', API.adminEmployee(id), { cookie: admin, body });
        expect(answer.status).toBe(400);
        expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      }
      expect((await t.store.employees.findById(id))).toMatchObject({ active: true, role: 'admin' });
    });

    it('answer 404 for an unknown employee', async () => {
      const answer = await call<Failure>(t.url, 'PATCH', API.adminEmployee('no-such-id'), { cookie: admin, body: { name: 'X' } });
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('NOT_FOUND');
    });
  });

  describe('own profile', () => {
    it('an employee changes their own number and private flag', async () => {
      const cookie = await t.signIn('filip');
      const fixed = await call<Me>(t.url, 'PATCH', API.myProfile, { cookie, body: { mobile: '+48 733 444 555' } });
      expect(fixed.status).toBe(200);
      expect(fixed.body).toMatchObject({ login: 'filip', mobile: '+48 733 444 555', mobilePrivate: false, mobileStatus: 'ok' });
      expect((await t.store.employees.findByLogin('filip'))?.mobileE164).toBe('+48733444555');

      const hidden = await call<Me>(t.url, 'PATCH', API.myProfile, { cookie, body: { mobilePrivate: true } });
      expect(hidden.body).toMatchObject({ mobile: '+48 733 444 555', mobilePrivate: true, mobileStatus: 'private' });
      expect((await call<Me>(t.url, 'GET', API.me, { cookie })).body.mobilePrivate).toBe(true);

      // Colleagues see only that an SMS cannot reach filip any more.
      const colleagues = await call<Colleague[]>(t.url, 'GET', API.employees, { cookie: employee });
      expect(colleagues.body.find((c) => c.login === 'filip')?.smsReachable).toBe(false);
      expect(colleagues.text).not.toContain('733444555');

      const cleared = await call<Me>(t.url, 'PATCH', API.myProfile, { cookie, body: { mobile: null, mobilePrivate: false } });
      expect(cleared.body).toMatchObject({ mobile: null, mobileStatus: 'missing' });
    });

    it('cannot change anything else about themselves through the profile', async () => {
      const cookie = await t.signIn('bartek');
      for (const body of [{ role: 'admin' }, { name: 'Boss' }, { mobile: 48512345678 }]) {
        const answer = await call<Failure>(t.url, 'PATCH', API.myProfile, { cookie, body });
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      }
      expect(await t.store.employees.findByLogin('bartek')).toMatchObject({ role: 'employee', name: 'Bartek Nowak', mobileRaw: '512 345 678' });
    });

    it('needs a session', async () => {
      expect((await call(t.url, 'PATCH', API.myProfile, { body: { mobilePrivate: true } })).status).toBe(401);
      expect((await call(t.url, 'PUT', API.myPassword, { body: { currentPassword: TEST_PASSWORD, newPassword: 'whatever-1' } })).status).toBe(401);
    });

    it('an employee changes their own password, with the current one', async () => {
      const cookie = await t.signIn('bartek');
      const wrong = await call<Failure>(t.url, 'PUT', API.myPassword, { cookie, body: { currentPassword: 'not-it-at-all', newPassword: 'bartek-new-1' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
      expect((await call(t.url, 'GET', API.me, { cookie })).status).toBe(200); // a wrong guess does not end the session

      const tooShort = await call<Failure>(t.url, 'PUT', API.myPassword, { cookie, body: { currentPassword: TEST_PASSWORD, newPassword: 'short' } });
      expect(tooShort.status).toBe(400);
      expect(tooShort.body.error.message).toContain('newPassword');

      const changed = await call(t.url, 'PUT', API.myPassword, { cookie, body: { currentPassword: TEST_PASSWORD, newPassword: 'bartek-new-1' } });
      expect(changed.status).toBe(204);
      expect((await call(t.url, 'POST', API.session, { body: { login: 'bartek', password: TEST_PASSWORD } })).status).toBe(401);
      expect((await call(t.url, 'POST', API.session, { body: { login: 'bartek', password: 'bartek-new-1' } })).status).toBe(200);
    });
  });
});
