import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSmsapi, type FakeSmsapi } from '../../dev/fake-smsapi.js';
import type { SmsSendResult } from '../../ports/sms-gateway.js';
import { createSmsapiGateway, type SmsapiGatewayOptions } from './gateway.js';

const TOKEN = 'secret-token-5f3a9c';
const NUMBER = '48500600700';

let fake: FakeSmsapi;

beforeAll(async () => {
  fake = await startFakeSmsapi({ token: TOKEN });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

function gateway(overrides: Partial<SmsapiGatewayOptions> = {}) {
  return createSmsapiGateway({
    baseUrl: fake.url,
    token: TOKEN,
    sender: null,
    test: false,
    normalize: false,
    maxParts: 3,
    notifyUrl: null,
    timeoutMs: 2_000,
    ...overrides,
  });
}

function expectNoSecrets(result: SmsSendResult) {
  const text = JSON.stringify(result);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain('500600700');
  expect(text).not.toContain('600700');
}

describe('smsapi gateway against the fake SMSAPI', () => {
  it('sends exactly the expected request and reads the answer', async () => {
    const notifyUrl = 'http://127.0.0.1:9/sms/reports/s3cret';
    const result = await gateway({ sender: 'Depesza', test: true, normalize: true, maxParts: 4, notifyUrl }).send({
      idx: 'dispatch-1',
      to: NUMBER,
      text: 'Awaria w Łodzi: zadzwoń',
    });

    expect(result).toMatchObject({ kind: 'accepted', points: 0.16, parts: 1 });
    expect(result.kind === 'accepted' && result.gatewayId).toMatch(/^[0-9A-F]{24}$/);
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/sms.do');
    expect(request.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request.fields).toEqual({
      to: NUMBER,
      message: 'Awaria w Łodzi: zadzwoń',
      from: 'Depesza',
      format: 'json',
      encoding: 'utf-8',
      idx: 'dispatch-1',
      check_idx: '1',
      notify_url: notifyUrl,
      normalize: '1',
      max_parts: '4',
      test: '1',
      details: '1',
    });
    expect(fake.accepted).toHaveLength(1);
    expect(fake.accepted[0]).toMatchObject({ to: NUMBER, idx: 'dispatch-1' });
  });

  it('leaves out the optional fields when they are off', async () => {
    const result = await gateway().send({ idx: 'dispatch-2', to: `+${NUMBER}`, text: 'Hello' });
    expect(result.kind).toBe('accepted');
    expect(fake.requests[0]?.fields).toEqual({
      to: NUMBER,
      message: 'Hello',
      format: 'json',
      encoding: 'utf-8',
      idx: 'dispatch-2',
      check_idx: '1',
      max_parts: '3',
      details: '1',
    });
  });

  it('reads the part count the gateway computed', async () => {
    const result = await gateway().send({ idx: 'dispatch-3', to: NUMBER, text: 'ż'.repeat(71) });
    expect(result).toMatchObject({ kind: 'accepted', parts: 2, points: 0.32 });
  });

  it('answers 53 for a repeated idx: the first attempt was accepted', async () => {
    const sms = gateway();
    expect((await sms.send({ idx: 'dispatch-4', to: NUMBER, text: 'x' })).kind).toBe('accepted');
    expect(await sms.send({ idx: 'dispatch-4', to: NUMBER, text: 'x' })).toEqual({ kind: 'duplicate' });
    expect(fake.accepted).toHaveLength(1);
  });

  // One code per kind of refusal: the whole table is error-codes.test.ts's; here the answer's path through HTTP.
  it.each([
    [12, 'bad_message'],
    [59, 'opted_out'],
    [103, 'no_credit'],
  ])('refuses error %i for good as "%s"', async (code, refusal) => {
    fake.enqueue({ error: code, message: `Refused for ${NUMBER}` });
    const result = await gateway().send({ idx: `dispatch-e${code}`, to: NUMBER, text: 'x' });
    expect(result).toEqual({ kind: 'permanent', reason: { code: 'gateway_refused', gatewayCode: code, refusal } });
    expectNoSecrets(result);
    expect(fake.accepted).toHaveLength(0);
  });

  it('does not repeat the number that the gateway echoes with error 13', async () => {
    const result = await gateway().send({ idx: 'dispatch-13', to: '1234567', text: 'x' });
    expect(result).toEqual({ kind: 'permanent', reason: { code: 'gateway_refused', gatewayCode: 13, refusal: 'invalid_number' } });
    expect(JSON.stringify(result)).not.toContain('1234567');
  });

  it.each([8, 200, 201, 202, 666, 999])('retries gateway error %i', async (code) => {
    fake.enqueue({ error: code });
    expect(await gateway().send({ idx: `dispatch-t${code}`, to: NUMBER, text: 'x' })).toEqual({
      kind: 'transient',
    });
  });

  it('waits longer after error 52', async () => {
    fake.enqueue({ error: 52 });
    const result = await gateway().send({ idx: 'dispatch-52', to: NUMBER, text: 'x' });
    expect(result).toEqual({ kind: 'transient', rateLimited: true, retryAfterMs: 60_000 });
  });

  it('treats HTTP 5xx as transient with an unknown outcome (a proxy may answer after SMSAPI accepted), then one SMS', async () => {
    fake.enqueue({ httpStatus: 500 }, { httpStatus: 503, body: `{"to":"${NUMBER}"}` });
    const sms = gateway();
    const request = { idx: 'dispatch-5xx', to: NUMBER, text: 'x' };
    expect(await sms.send(request)).toEqual({ kind: 'transient', outcomeUnknown: true });
    const second = await sms.send(request);
    expect(second).toEqual({ kind: 'transient', outcomeUnknown: true });
    expectNoSecrets(second);
    expect((await sms.send(request)).kind).toBe('accepted');
    expect(fake.accepted).toHaveLength(1);
  });

  it('treats other non-2xx answers as permanent, naming the HTTP status', async () => {
    fake.enqueue({ httpStatus: 404 });
    const result = await gateway().send({ idx: 'dispatch-404', to: NUMBER, text: 'x' });
    expect(result).toEqual({ kind: 'permanent', reason: { code: 'gateway_refused', gatewayCode: 404, refusal: 'other' } });
  });

  it('prefers a known SMSAPI error code carried by a 4xx answer', async () => {
    fake.enqueue({ httpStatus: 401, body: '{"error":101,"message":"Authorization failed"}' });
    expect(await gateway().send({ idx: 'dispatch-401', to: NUMBER, text: 'x' })).toEqual({
      kind: 'permanent',
      reason: { code: 'gateway_refused', gatewayCode: 101, refusal: 'bad_credentials' },
    });
  });

  it('gives up on a hanging request after the timeout, as transient with an unknown outcome', async () => {
    fake.enqueue({ hang: true });
    const started = Date.now();
    const result = await gateway({ timeoutMs: 200 }).send({ idx: 'dispatch-hang', to: NUMBER, text: 'x' });
    expect(result).toEqual({ kind: 'transient', outcomeUnknown: true });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('treats an unreadable 200 answer as transient: a retry is safe thanks to check_idx', async () => {
    fake.enqueue({ httpStatus: 200, body: '<html>maintenance</html>' });
    expect(await gateway().send({ idx: 'dispatch-html', to: NUMBER, text: 'x' })).toEqual({
      kind: 'transient',
      outcomeUnknown: true,
    });
  });

  it('reads the plain-text answers too', async () => {
    fake.enqueue({ httpStatus: 200, body: 'OK:6124CC3C3463351AD569127F:0.16' }, { httpStatus: 200, body: 'ERROR:103' });
    expect(await gateway().send({ idx: 'dispatch-ok', to: NUMBER, text: 'x' })).toEqual({
      kind: 'accepted',
      gatewayId: '6124CC3C3463351AD569127F',
      points: 0.16,
      parts: null,
    });
    expect(await gateway().send({ idx: 'dispatch-err', to: NUMBER, text: 'x' })).toEqual({
      kind: 'permanent',
      reason: { code: 'gateway_refused', gatewayCode: 103, refusal: 'no_credit' },
    });
  });

  it('reports a wrong token as a configuration problem without revealing either token', async () => {
    const wrongToken = 'wrong-token-77aa';
    const result = await gateway({ token: wrongToken }).send({ idx: 'dispatch-tok', to: NUMBER, text: 'x' });
    expect(result).toEqual({ kind: 'permanent', reason: { code: 'gateway_refused', gatewayCode: 101, refusal: 'bad_credentials' } });
    expect(JSON.stringify(result)).not.toContain(wrongToken);
    expectNoSecrets(result);
  });

  it('refuses a number that is not E.164 digits without calling SMSAPI', async () => {
    const result = await gateway().send({ idx: 'dispatch-bad', to: '0048 500 600 700', text: 'x' });
    expect(result).toEqual({ kind: 'permanent', reason: { code: 'mobile_invalid' } });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('smsapi gateway when SMSAPI cannot be reached', () => {
  let closedPortServer: Server;
  let closedUrl: string;

  beforeAll(async () => {
    // Take a free port, then release it, so nothing listens there.
    closedPortServer = createServer();
    await new Promise<void>((resolve) => closedPortServer.listen(0, '127.0.0.1', resolve));
    closedUrl = `http://127.0.0.1:${(closedPortServer.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closedPortServer.close(() => resolve()));
  });

  it('treats a refused connection as transient, known not sent, and keeps token and number out of the reason', async () => {
    const result = await gateway({ baseUrl: closedUrl }).send({ idx: 'dispatch-net', to: NUMBER, text: 'x' });
    expect(result).toEqual({ kind: 'transient', outcomeUnknown: false });
    expectNoSecrets(result);
  });
});
