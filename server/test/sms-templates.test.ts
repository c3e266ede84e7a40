/** SMS templates over real HTTP: admins keep them (validated), every employee lists them, nobody else edits them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../shared/http.js';
import type { SmsTemplate } from '../../shared/schemas/index.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('SMS templates', () => {
  let t: TestApp;
  let admin: string;
  let employee: string;

  const call = async (cookie: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${t.url}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { MESSAGE_MAX_LENGTH: '200' } });
    admin = await t.signIn('anna');
    employee = await t.signIn('bartek');
  });
  afterAll(async () => t.stop({ remove: true }));

  it('lets an admin create, rename, edit and delete a template that every employee can list', async () => {
    const created = await call(admin, 'POST', API.adminSmsTemplates, { name: '  Awaria sieci ', text: '{imię}, awaria {usługa} od {godzina}. {nadawca}' });
    expect(created.status).toBe(201);
    const template = created.body as unknown as SmsTemplate;
    expect(template).toMatchObject({ name: 'Awaria sieci', variables: ['usługa'] });

    expect((await call(employee, 'GET', API.smsTemplates)).body).toEqual([template]);

    const edited = await call(admin, 'PATCH', API.adminSmsTemplate(template.id), { text: 'Awaria {usługa} w {miejsce}' });
    expect(edited.body).toMatchObject({ name: 'Awaria sieci', variables: ['usługa', 'miejsce'] });

    expect((await call(admin, 'DELETE', API.adminSmsTemplate(template.id))).status).toBe(204);
    expect((await call(admin, 'DELETE', API.adminSmsTemplate(template.id))).body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await call(employee, 'GET', API.smsTemplates)).body).toEqual([]);
  });

  it('refuses a duplicate name in another case, empty or too long texts, and unknown fields, naming the field', async () => {
    expect((await call(admin, 'POST', API.adminSmsTemplates, { name: 'Spotkanie', text: 'x' })).status).toBe(201);
    const duplicate = await call(admin, 'POST', API.adminSmsTemplates, { name: 'SPOTKANIE', text: 'y' });
    expect(duplicate).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });

    const blank = await call(admin, 'POST', API.adminSmsTemplates, { name: 'Pusty', text: '   ' });
    expect(blank).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', field: 'text', rule: 'required' } } });
    const long = await call(admin, 'POST', API.adminSmsTemplates, { name: 'Długi', text: 'ż'.repeat(201) });
    expect(long).toMatchObject({ status: 400, body: { error: { field: 'text', rule: 'maxLength', limit: 200 } } });
    const extra = await call(admin, 'POST', API.adminSmsTemplates, { name: 'Inny', text: 'x', colour: 'red' });
    expect(extra).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', rule: 'unknown_field' } } });
    const emptyPatch = await call(admin, 'PATCH', API.adminSmsTemplate('whatever'), {});
    expect(emptyPatch.status).toBe(400);
  });

  it('lets employees read but not change templates, and nobody signed out', async () => {
    expect((await call(employee, 'POST', API.adminSmsTemplates, { name: 'Moje', text: 'x' })).status).toBe(403);
    expect((await call('', 'GET', API.smsTemplates)).status).toBe(401);
  });
});
