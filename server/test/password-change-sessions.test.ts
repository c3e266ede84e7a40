/**
 * A changed or reset password ends the employee's other sessions: their cookies get 401 and their sockets are
 * told why and dropped. Changing your own password keeps the session you changed it from.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../shared/http.js';
import { call } from './support/http-client.js';
import { closeAll, watch } from './support/messaging.js';
import { beforeStoreCall, connectWithCookie, nextEvent, startTestApp, TEST_PASSWORD, type ClientSocket, type TestApp } from './support/test-app.js';

describe('password change and reset end the other sessions', () => {
  let t: TestApp;
  const tabs: ClientSocket[] = [];
  const open = (cookie: string) => connectWithCookie(t.url, cookie, undefined, tabs);
  const endOf = (socket: ClientSocket) =>
    Promise.all([nextEvent<{ reason: string }>(socket, 'session:ended'), nextEvent<string>(socket, 'disconnect')]);
  const me = async (cookie: string) => (await call(t.url, 'GET', API.me, { cookie })).status;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterEach(() => closeAll(tabs));
  afterAll(async () => t.stop({ remove: true }));

  it('changing my own password signs out my other browsers and keeps this one', async () => {
    const here = await t.signIn('bartek');
    const elsewhere = await t.signIn('bartek');
    const [hereTab, elsewhereTab] = [await open(here), await open(elsewhere)];
    const otherPerson = await open(await t.signIn('darek'));
    const ended = endOf(elsewhereTab);
    const survivors = watch([hereTab, otherPerson], 'disconnect');

    const changed = await call(t.url, 'PUT', API.myPassword, {
      cookie: here,
      body: { currentPassword: TEST_PASSWORD, newPassword: 'a-new-password-2' },
    });
    expect(changed.status).toBe(204);

    const [event, reason] = await ended;
    expect(event).toEqual({ reason: 'password-changed' });
    expect(reason).toBe('io server disconnect');
    expect(await me(elsewhere)).toBe(401);
    expect(await me(here)).toBe(200);
    expect((await survivors.settle()).map((list) => list.length)).toEqual([0, 0]);
    expect(hereTab.connected).toBe(true);
  });

  it('an admin reset signs out every session of that employee', async () => {
    const admin = await t.signIn('anna');
    const [first, second] = [await t.signIn('celina'), await t.signIn('celina')];
    const tabs = [await open(first), await open(second)];
    const ends = tabs.map(endOf);

    const reset = await call(t.url, 'PATCH', API.adminEmployee(await t.idOf('celina')), {
      cookie: admin,
      body: { password: 'reset-by-admin-3' },
    });
    expect(reset.status).toBe(200);

    for (const [event, reason] of await Promise.all(ends)) {
      expect(event).toEqual({ reason: 'password-changed' });
      expect(reason).toBe('io server disconnect');
    }
    expect(await me(first)).toBe(401);
    expect(await me(second)).toBe(401);
    expect(await me(admin)).toBe(200);
    expect((await call(t.url, 'POST', API.session, { body: { login: 'celina', password: 'reset-by-admin-3' } })).status).toBe(200);
  });

  it('an admin editing anything but the password ends no session', async () => {
    const admin = await t.signIn('anna');
    const cookie = await t.signIn('ewa');
    const tab = await open(cookie);
    const quiet = watch([tab], 'disconnect');
    expect((await call(t.url, 'PATCH', API.adminEmployee(await t.idOf('ewa')), { cookie: admin, body: { title: 'Support lead' } })).status).toBe(200);
    expect((await quiet.settle())[0]).toEqual([]);
    expect(await me(cookie)).toBe(200);
  });
});

describe('a sign-in overlapping a password change', () => {
  it('gets no session made with the old password, even when the change ends sessions between its check and its create', async () => {
    // Runs once, exactly between the sign-in's password check and its session's creation.
    let between: (() => Promise<void>) | null = null;
    const t = await startTestApp({
      wrapStore: (store) =>
        beforeStoreCall(store, 'sessions', 'create', async () => {
          const run = between;
          between = null;
          await run?.();
        }),
    });
    try {
      const here = await t.signIn('bartek');
      between = async () => {
        const changed = await call(t.url, 'PUT', API.myPassword, {
          cookie: here,
          body: { currentPassword: TEST_PASSWORD, newPassword: 'a-new-password-2' },
        });
        expect(changed.status).toBe(204);
      };
      const late = await call<{ error: { code: string } }>(t.url, 'POST', API.session, { body: { login: 'bartek', password: TEST_PASSWORD } });
      expect(between).toBeNull();
      expect(late.status).toBe(401);
      expect(late.body.error.code).toBe('INVALID_CREDENTIALS');
      expect(late.headers.get('set-cookie')).toBeNull();
      // The new password works; the session the change came from stands.
      expect((await call(t.url, 'GET', API.me, { cookie: here })).status).toBe(200);
      await expect(t.signIn('bartek', 'a-new-password-2')).resolves.toBeTruthy();
    } finally {
      await t.stop({ remove: true });
    }
  });
});
