import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSmsapi, type FakeSmsapi } from '../../dev/fake-smsapi.js';
import { createSmsapiGateway } from './gateway.js';
import { createSmsapiHttpThread, THREAD_DIED } from './http-thread.js';

const TOKEN = 'thread-token-81c2';

let fake: FakeSmsapi;
let workDir: string;
let hanging: Server;
let hangingUrl: string;
const arrived: Array<() => void> = [];

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'smsapi-thread-'));
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
  rmSync(workDir, { recursive: true, force: true });
});

/** A worker file of the test's own, to make the thread crash or fail to start where the real one would not. */
function workerFile(name: string, source: string): URL {
  const file = path.join(workDir, name);
  writeFileSync(file, source);
  return pathToFileURL(file);
}

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

  it('matches each of 50 parallel sends to its own answer and loses none', async () => {
    const http = createSmsapiHttpThread();
    try {
      const gateway = createSmsapiGateway(options(fake.url), http);
      const idxs = Array.from({ length: 50 }, (_, i) => `parallel-${i}-${Math.random().toString(36).slice(2)}`);
      const results = await Promise.all(idxs.map((idx, i) => gateway.send({ idx, to: '48500600700', text: `wiadomość ${i}` })));
      for (const [i, result] of results.entries()) {
        // The gateway id in each answer is the one the fake gave the SMS with this caller's idx and text.
        const sms = fake.accepted.find((s) => s.idx === idxs[i]);
        expect(sms?.message).toBe(`wiadomość ${i}`);
        expect(result).toMatchObject({ kind: 'accepted', gatewayId: sms?.id });
      }
      expect(new Set(results.map((r) => (r.kind === 'accepted' ? r.gatewayId : null))).size).toBe(50);
    } finally {
      await http.close();
    }
  });

  it('answers every request in flight when the thread crashes, with a code that says so, and restarts on the next request', async () => {
    // Holds what it gets and ends its thread at the tenth request, as an out-of-memory or a native crash would.
    const crashing = workerFile(
      'crashing.mjs',
      `import { parentPort } from 'node:worker_threads';
      let n = 0;
      parentPort.on('message', () => { n += 1; if (n === 10) process.exit(7); });
      parentPort.postMessage('ready');`,
    );
    let started = 0;
    const http = createSmsapiHttpThread({ workerUrl: () => (started++ === 0 ? crashing : undefined) });
    try {
      const gateway = createSmsapiGateway(options(fake.url), http);
      const answers = await Promise.all([
        ...Array.from({ length: 9 }, () => http.request({ method: 'GET', url: fake.url, headers: {}, timeoutMs: 1000 })),
        gateway.send({ idx: 'crash', to: '48500600700', text: 'x' }),
      ]);
      expect(answers.slice(0, 9)).toEqual(Array.from({ length: 9 }, () => ({ ok: false, code: THREAD_DIED })));
      // May have reached SMSAPI before the crash: retried with the same idx, never lost.
      expect(answers[9]).toEqual({ kind: 'transient', outcomeUnknown: true });
      const raw = await http.request({ method: 'GET', url: 'http://127.0.0.1:9/', headers: {}, timeoutMs: 1000 });
      expect(raw).toEqual({ ok: false, code: 'ECONNREFUSED' });
      expect((await gateway.send({ idx: 'after-crash', to: '48500600700', text: 'y' })).kind).toBe('accepted');
      expect(started).toBe(2);
    } finally {
      await http.close();
    }
  });

  it('logs a thread that cannot start, without the request, and answers as if SMSAPI were unreachable', async () => {
    const logged: unknown[] = [];
    let broken = true;
    const http = createSmsapiHttpThread({
      workerUrl: () => (broken ? workerFile('broken.mjs', 'import "./no-such-module.mjs";') : undefined),
      onStartFailed: (error) => logged.push(error),
    });
    try {
      const gateway = createSmsapiGateway(options(fake.url), http);
      const answers = await Promise.all([1, 2, 3].map((i) => gateway.send({ idx: `nostart-${i}`, to: '48500600700', text: 'x' })));
      // Not reached: the dispatcher backs off and retries, and reports the gateway unreachable, as when SMSAPI is down.
      expect(answers).toEqual([1, 2, 3].map(() => ({ kind: 'transient', outcomeUnknown: false })));
      expect(logged).toHaveLength(1);
      expect(String((logged[0] as Error).message)).toMatch(/no-such-module/);
      expect(JSON.stringify(logged, Object.getOwnPropertyNames(logged[0]))).not.toMatch(/500600700|thread-token/);

      broken = false;
      expect((await gateway.send({ idx: 'started-again', to: '48500600700', text: 'y' })).kind).toBe('accepted');
      expect(logged).toHaveLength(1);
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
