import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSmsapi, type FakeSmsapi } from '../../dev/fake-smsapi.js';
import { createSmsapiGateway } from './gateway.js';
import { createSmsapiHttpThread } from './http-thread.js';

const TOKEN = 'thread-token-81c2';

let fake: FakeSmsapi;
let hanging: Server;
let hangingUrl: string;
const arrived: Array<() => void> = [];

beforeAll(async () => {
  fake = await startFakeSmsapi({ token: TOKEN });
  // Takes every request and never answers: a request stays in flight until its thread goes away.
  hanging = createServer((request: IncomingMessage) => {
    request.resume();
    arrived.shift()?.();
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
});
afterAll(async () => {
  hanging.closeAllConnections();
  await new Promise((resolve) => hanging.close(resolve));
  await fake.close();
});

const options = (baseUrl: string) => ({ baseUrl, token: TOKEN, sender: null, test: false, normalize: false, maxParts: 3, notifyUrl: null, timeoutMs: 10_000 });

describe('the SMSAPI HTTP thread', () => {
  it('answers many requests at once, each with its own answer', async () => {
    const http = createSmsapiHttpThread();
    try {
      const gateway = createSmsapiGateway(options(fake.url), http);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => gateway.send({ idx: `thread-${i}`, to: '48500600700', text: `nr ${i}` })));
      expect(results.every((r) => r.kind === 'accepted')).toBe(true);
      expect(new Set(results.map((r) => (r.kind === 'accepted' ? r.gatewayId : null))).size).toBe(20);
      // A second send of the same idx is refused by SMSAPI (check_idx): the answer reached the right caller.
      expect(await gateway.send({ idx: 'thread-3', to: '48500600700', text: 'nr 3' })).toEqual({ kind: 'duplicate' });
    } finally {
      await http.close();
    }
  });

  it('a send in flight when the thread dies may have arrived: transient with outcome unknown; the next request starts a new thread', async () => {
    const http = createSmsapiHttpThread();
    try {
      const reached = new Promise<void>((resolve) => arrived.push(resolve));
      const inFlight = createSmsapiGateway(options(hangingUrl), http).send({ idx: 'dies-1', to: '48500600700', text: 'x' });
      await reached;
      await http.close();
      expect(await inFlight).toEqual({ kind: 'transient', outcomeUnknown: true });

      const again = await createSmsapiGateway(options(fake.url), http).send({ idx: 'after-death', to: '48500600700', text: 'y' });
      expect(again.kind).toBe('accepted');
    } finally {
      await http.close();
    }
  });

  it('a refused connection comes back as its code only (the request did not reach SMSAPI)', async () => {
    const http = createSmsapiHttpThread();
    try {
      const answer = await http.request({ method: 'POST', url: 'http://127.0.0.1:9/sms.do', headers: { Authorization: `Bearer ${TOKEN}` }, body: 'to=48500600700', timeoutMs: 5_000 });
      expect(answer).toEqual({ ok: false, code: 'ECONNREFUSED' });
      expect(await createSmsapiGateway(options('http://127.0.0.1:9'), http).send({ idx: 'refused', to: '48500600700', text: 'z' })).toEqual({
        kind: 'transient',
        outcomeUnknown: false,
      });
    } finally {
      await http.close();
    }
  });
});
