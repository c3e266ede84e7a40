/**
 * Every refused body says which field broke which rule (and the bound), flat on the ErrorBody, so the client can
 * word it in the user's language ("Podaj login", "Hasło musi mieć co najmniej 8 znaków") without parsing English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../shared/http.js';
import { request, startTestApp, type TestApp } from './support/test-app.js';

describe('validation errors carry field, rule and limit', () => {
  let t: TestApp;
  let cookie: string;

  beforeAll(async () => {
    t = await startTestApp();
    cookie = await t.signIn('anna');
  });
  afterAll(async () => t.stop({ remove: true }));

  async function send(method: string, path: string, body: unknown, withCookie = true) {
    const response = await fetch(`${t.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(withCookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, error: ((await response.json()) as { error: Record<string, unknown> }).error };
  }

  it('sign-in: an empty login is a missing value; an unknown field is named', async () => {
    const empty = await send('POST', API.session, { login: '', password: 'x' }, false);
    expect(empty.status).toBe(400);
    expect(empty.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'login', rule: 'required' });
    const missing = await send('POST', API.session, { login: 'anna' }, false);
    expect(missing.error).toMatchObject({ field: 'password', rule: 'required' });
    const extra = await send('POST', API.session, { login: 'anna', password: 'x', remember: true }, false);
    expect(extra.error).toMatchObject({ field: 'remember', rule: 'unknown_field' });
  });

  it('password: too short names the limit', async () => {
    const short = await send('PUT', API.myPassword, { currentPassword: 'whatever', newPassword: 'short' });
    expect(short.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'newPassword', rule: 'minLength', limit: 8 });
  });

  it('profile: a wrong type and a too long number', async () => {
    expect((await send('PATCH', API.myProfile, { mobilePrivate: 'yes' })).error).toMatchObject({ field: 'mobilePrivate', rule: 'type' });
    expect((await send('PATCH', API.myProfile, { mobile: '5'.repeat(41) })).error).toMatchObject({ field: 'mobile', rule: 'maxLength', limit: 40 });
  });

  it('directory: login pattern, name length', async () => {
    const base = { login: 'nowy', name: 'Nowy Pracownik', password: 'długie-hasło' };
    expect((await send('POST', API.adminEmployees, { ...base, login: 'zły login' })).error).toMatchObject({ field: 'login', rule: 'pattern' });
    expect((await send('POST', API.adminEmployees, { ...base, login: 'a' })).error).toMatchObject({ field: 'login', rule: 'minLength', limit: 2 });
    expect((await send('POST', API.adminEmployees, { ...base, password: '1234567' })).error).toMatchObject({ field: 'password', rule: 'minLength', limit: 8 });
  });

  it('group dialog over the socket: the same fields in the error ack', async () => {
    const socket = await t.connectAs('anna');
    const noName = await request(socket, 'conversation:createGroup', { name: '', memberIds: [await t.idOf('bartek')] });
    expect(noName).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'name', rule: 'required' } });
    const nobody = await request(socket, 'conversation:createGroup', { name: 'Zespół', memberIds: [] });
    expect(nobody).toMatchObject({ ok: false, error: { field: 'memberIds', rule: 'range', limit: 1 } });
    socket.disconnect();
  });
});
