import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseDeliveryReports } from '../sms/smsapi/delivery-callback.js';
import { startFakeSmsapi, type FakeSmsapi } from './fake-smsapi.js';

const TOKEN = 'fake-test-token';

/** A loopback receiver standing in for Depesza's delivery-report endpoint. */
let receiver: Server;
let receiverUrl: string;
const received: URL[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    received.push(new URL(req.url ?? '/', 'http://receiver'));
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('OK');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sms/reports/s3cret`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const fakes: FakeSmsapi[] = [];
async function start(options: Parameters<typeof startFakeSmsapi>[0] = {}) {
  const fake = await startFakeSmsapi({ token: TOKEN, ...options });
  fakes.push(fake);
  return fake;
}
afterEach(async () => {
  received.length = 0;
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function post(fake: FakeSmsapi, fields: Record<string, string>, token = TOKEN) {
  const response = await fetch(`${fake.url}/sms.do`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ format: 'json', ...fields }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('fake SMSAPI sms.do', () => {
  it('accepts an SMS with the documented JSON shape and records the request', async () => {
    const fake = await start();
    const { status, body } = await post(fake, { to: '500600700', message: 'Hello', idx: 'd1', details: '1' });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      count: 1,
      list: [
        {
          points: '0.16',
          number: '48500600700',
          submitted_number: '500600700',
          status: 'QUEUE',
          idx: 'd1',
          error: null,
          parts: 1,
        },
      ],
      message: 'Hello',
      length: 5,
      parts: 1,
    });
    const [entry] = body.list as Array<{ id: string; date_sent: number }>;
    expect(entry?.id).toMatch(/^[0-9A-F]{24}$/);
    expect(typeof entry?.date_sent).toBe('number');
    expect(fake.requests[0]).toMatchObject({ authorization: `Bearer ${TOKEN}`, fields: { to: '500600700', idx: 'd1' } });
    expect(fake.accepted[0]).toMatchObject({ to: '48500600700', message: 'Hello', idx: 'd1', parts: 1 });
  });

  it('enforces the bearer token with error 101', async () => {
    const fake = await start();
    expect((await post(fake, { to: '48500600700', message: 'x' }, 'nope')).body).toMatchObject({ error: 101 });
    expect(fake.accepted).toHaveLength(0);
  });

  it('refuses a repeated idx with 53 only when check_idx=1', async () => {
    const fake = await start();
    const fields = { to: '48500600700', message: 'x', idx: 'same', check_idx: '1' };
    expect((await post(fake, fields)).body).toMatchObject({ count: 1 });
    expect((await post(fake, fields)).body).toMatchObject({ error: 53 });
    expect((await post(fake, { ...fields, check_idx: '0' })).body).toMatchObject({ count: 1 });
    expect(fake.accepted).toHaveLength(2);
  });

  it('validates the number, the text, the sender name and max_parts', async () => {
    const fake = await start();
    expect((await post(fake, { to: '12', message: 'x' })).body).toMatchObject({
      error: 13,
      invalid_numbers: [{ number: '12' }],
    });
    expect((await post(fake, { to: '48500600700', message: '' })).body).toMatchObject({ error: 11 });
    expect((await post(fake, { to: '48500600700', message: 'x', from: 'Far too long name' })).body).toMatchObject({
      error: 14,
    });
    expect((await post(fake, { to: '48500600700', message: 'ą'.repeat(71), max_parts: '1' })).body).toMatchObject({
      error: 12,
    });
    expect(
      (await post(fake, { to: '48500600700', message: 'ą'.repeat(71), max_parts: '1', normalize: '1' })).body,
    ).toMatchObject({ count: 1, list: [{ parts: 1 }] });
    expect(fake.accepted).toHaveLength(1);
  });

  it('plays queued answers in order, then behaves normally', async () => {
    const fake = await start();
    fake.enqueue({ error: 103, message: 'Not enough points' }, { httpStatus: 502 }, { success: true });
    const fields = { to: '48500600700', message: 'x' };
    expect((await post(fake, fields)).body).toEqual({ error: 103, message: 'Not enough points' });
    expect((await fetch(`${fake.url}/sms.do`, { method: 'POST', body: 'a=b' })).status).toBe(502);
    expect((await post(fake, fields)).body).toMatchObject({ count: 1 });
    expect((await post(fake, fields)).body).toMatchObject({ count: 1 });
    expect(fake.requests).toHaveLength(4);
  });

  it('hangs on request and still closes promptly', async () => {
    const fake = await start();
    fake.enqueue({ hang: true });
    const pending = fetch(`${fake.url}/sms.do`, { method: 'POST', body: 'to=1' }).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.requests).toHaveLength(1);
    await fake.close();
    expect(await pending).toBe('dropped');
  });

  it('accepts a JSON body as well', async () => {
    const fake = await start();
    const response = await fetch(`${fake.url}/sms.do`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: '48500600700', message: 'json', format: 'json' }),
    });
    expect(await response.json()).toMatchObject({ count: 1 });
  });
});

describe('fake SMSAPI delivery reports', () => {
  it('reports one SMS to its notify_url with GET, by gateway id or idx', async () => {
    const fake = await start();
    await post(fake, { to: '48500600700', message: 'x', idx: 'd1', notify_url: receiverUrl });
    const id = fake.accepted[0]!.id;

    const callback = await fake.sendDeliveryReport('d1');
    expect(callback).toMatchObject({ httpStatus: 200, body: 'OK', error: null });
    await fake.sendDeliveryReport(id, 'UNDELIVERED');
    await fake.sendDeliveryReport(id, 402);

    expect(received).toHaveLength(3);
    expect(received[0]?.pathname).toBe('/sms/reports/s3cret');
    expect(Object.fromEntries(received[0]!.searchParams)).toMatchObject({
      MsgId: id,
      status: '404',
      status_name: 'DELIVERED',
      idx: 'd1',
      points: '0.16',
      to: '48500600700',
    });
    expect(received.map((url) => parseDeliveryReports(Object.fromEntries(url.searchParams))[0]?.status)).toEqual([
      'delivered',
      'undelivered',
      'expired',
    ]);
    expect(fake.callbacks).toHaveLength(3);
  });

  it('batches several reports into one call with comma-separated parameters', async () => {
    const fake = await start();
    for (const idx of ['a', 'b', 'c']) await post(fake, { to: '48500600700', message: idx, idx, notify_url: receiverUrl });
    await fake.sendDeliveryReports([{ msgIdOrIdx: 'a' }, { msgIdOrIdx: 'b', status: 'FAILED' }, { msgIdOrIdx: 'c', status: 403 }]);

    expect(received).toHaveLength(1);
    const query = Object.fromEntries(received[0]!.searchParams);
    expect(query.idx).toBe('a,b,c');
    expect(query.status).toBe('404,406,403');
    const reports = parseDeliveryReports(query);
    expect(reports.map((r) => [r.idx, r.status])).toEqual([
      ['a', 'delivered'],
      ['b', 'failed'],
      ['c', 'sent'],
    ]);
    expect(reports.map((r) => r.msgId)).toEqual(fake.accepted.map((sms) => sms.id));
  });

  it('delivers automatically after autoDeliverMs', async () => {
    const fake = await start({ autoDeliverMs: 20 });
    await post(fake, { to: '48500600700', message: 'x', idx: 'auto', notify_url: receiverUrl });
    await post(fake, { to: '48500600700', message: 'no callback', idx: 'silent' });
    await expect.poll(() => received.length, { timeout: 2_000 }).toBe(1);
    expect(received[0]?.searchParams.get('idx')).toBe('auto');
    expect(received[0]?.searchParams.get('status_name')).toBe('DELIVERED');
  });

  it('only calls back loopback URLs and refuses unknown ids', async () => {
    const fake = await start();
    await post(fake, { to: '48500600700', message: 'x', idx: 'far', notify_url: 'http://example.com/reports' });
    await expect(fake.sendDeliveryReport('far')).rejects.toThrow(/loopback/);
    await expect(fake.sendDeliveryReport('nobody')).rejects.toThrow(/no accepted SMS/);
    await post(fake, { to: '48500600700', message: 'x', idx: 'none' });
    await expect(fake.sendDeliveryReport('none')).rejects.toThrow(/notify_url/);
  });
});

describe('two-way replies and the balance', () => {
  it('texts back to the inbound callback when asked over HTTP (as SMSAPI would), and refuses a bad request', async () => {
    const fake = await start({ inboundUrl: receiverUrl });
    const answer = await fetch(`${fake.url}/__fake/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '48500600700', text: 'Tak', msgId: 'M1', method: 'GET' }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ httpStatus: 200, body: 'OK', msgId: 'M1' });
    const call = received.at(-1) as URL;
    expect(call.pathname).toBe('/sms/reports/s3cret');
    expect(Object.fromEntries(['sms_from', 'sms_text', 'MsgId'].map((k) => [k, call.searchParams.get(k)]))).toEqual({
      sms_from: '48500600700',
      sms_text: 'Tak',
      MsgId: 'M1',
    });
    const bad = await fetch(`${fake.url}/__fake/reply`, { method: 'POST', body: JSON.stringify({ text: 'no sender' }) });
    expect(bad.status).toBe(400);
  });

  it('answers /profile with the balance, which each accepted SMS lowers; a wrong token learns nothing', async () => {
    const fake = await start({ points: 10 });
    const profile = async (token = TOKEN) => fetch(`${fake.url}/profile`, { headers: { authorization: `Bearer ${token}` } });
    expect(await (await profile()).json()).toMatchObject({ points: '10.0000', payment_type: 'prepaid' });
    await post(fake, { to: '500600700', message: 'Awaria', format: 'json' });
    expect(await (await profile()).json()).toMatchObject({ points: '9.8400' });
    expect((await profile('wrong')).status).toBe(401);
  });
});
