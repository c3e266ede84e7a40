/**
 * An SMSAPI-compatible `sms.do` on loopback, for the tests and for `npm run demo`: the real gateway cannot be reached
 * from development or CI machines, and a fake over real HTTP exercises what a mocked axios would hide (form
 * encoding, headers, timeouts, callbacks). It follows docs/smsapi.md; where that says *unconfirmed* it picks one
 * answer and lets a test choose another through `enqueue`.
 *
 * Run on its own: `tsx server/src/dev/fake-smsapi.ts` (FAKE_SMSAPI_PORT, FAKE_SMSAPI_TOKEN,
 * FAKE_SMSAPI_AUTO_DELIVER_MS, FAKE_SMSAPI_INBOUND_URL: where `POST /__fake/reply` texts back to).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { fakePartCount, fakeReportStatus, type FakeReportStatus } from './fake-smsapi-tables.js';

export type FakeSmsapiAnswer =
  | { success: true }
  | { error: number; message?: string }
  | { httpStatus: number; body?: string }
  /** Never answers; the connection is dropped on close(). */
  | { hang: true }
  /**
   * Handles the request like a normal one (the SMS is accepted, or refused with 53 for a used idx) but never
   * answers: SMSAPI accepting an SMS and its answer arriving after the client's timeout.
   */
  | { processThenHang: true };

export interface FakeSmsapiRequest {
  method: string;
  path: string;
  /** The Authorization header as received. */
  authorization: string | undefined;
  contentType: string | undefined;
  fields: Record<string, string>;
  receivedAt: Date;
}

export interface FakeSmsapiAcceptedSms {
  id: string;
  idx: string | null;
  /** Normalised like SMSAPI does: country code first. */
  to: string;
  submittedTo: string;
  message: string;
  from: string | null;
  parts: number;
  points: string;
  notifyUrl: string | null;
  test: boolean;
  dateSent: number;
}

export interface FakeSmsapiCallback {
  url: string;
  httpStatus: number | null;
  body: string | null;
  error: string | null;
}

export interface FakeSmsapi {
  /** Base URL to configure as SMSAPI_URL, e.g. `http://127.0.0.1:3999`. */
  url: string;
  token: string;
  requests: FakeSmsapiRequest[];
  accepted: FakeSmsapiAcceptedSms[];
  /** Every delivery-report call made, with what the receiver answered. */
  callbacks: FakeSmsapiCallback[];
  /** Queues the answers to the next `sms.do` requests, in order; when none is queued the fake behaves normally. */
  enqueue(...answers: FakeSmsapiAnswer[]): void;
  /** Reports on one accepted SMS (by gateway id or idx) to its notify_url. */
  sendDeliveryReport(msgIdOrIdx: string, status?: string | number): Promise<FakeSmsapiCallback>;
  /** Several reports as SMSAPI batches them: one GET per notify_url, each parameter a comma-separated list. */
  sendDeliveryReports(reports: Array<{ msgIdOrIdx: string; status?: string | number }>): Promise<FakeSmsapiCallback[]>;
  /**
   * Two-way SMS: the callback URL for received SMS (type sms_mo), as an account sets it in SMSAPI's panel.
   */
  setInboundCallback(url: string): void;
  /**
   * Someone texts back: calls the inbound callback as SMSAPI would (GET query or POST form) with `sms_from`,
   * `sms_to`, `sms_text`, `sms_date`, `MsgId`, `username`. `msgId` repeats an earlier callback.
   */
  sendReply(reply: FakeSmsapiReply): Promise<FakeSmsapiCallback & { msgId: string }>;
  /** The balance GET /profile answers now. */
  readonly points: number;
  /** How many GET /profile requests came in. */
  readonly profileReads: number;
  /** Tops up (or drains) the account, as a payment in SMSAPI's panel would. */
  setPoints(points: number): void;
  /** Forgets requests, accepted SMS, callbacks and queued answers. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeSmsapiReply {
  /** The sender's number as SMSAPI writes it, e.g. `48512345678`. */
  from: string;
  text: string;
  msgId?: string;
  /** Default POST (a form body). */
  method?: 'GET' | 'POST';
  /** The number that received it (the account's two-way number). */
  to?: string;
}

export interface FakeSmsapiOptions {
  /** 0 or omitted: any free port. */
  port?: number;
  host?: '127.0.0.1';
  token?: string;
  /** When set, each accepted SMS with a notify_url is reported DELIVERED after this many ms. */
  autoDeliverMs?: number | null;
  /** The two-way callback (sms_mo) URL, as set in SMSAPI's panel; also settable later. */
  inboundUrl?: string | null;
  /** The account's starting balance in points (GET /profile); each accepted SMS outside test mode uses its points. */
  points?: number;
}

export const FAKE_SMSAPI_DEFAULT_TOKEN = 'fake-smsapi-token';
const POINTS_PER_PART = 0.16;
const MAX_BODY_BYTES = 1_000_000;
const CALLBACK_TIMEOUT_MS = 5_000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const SENDER_NAME = /^[a-zA-Z0-9 .-]{1,11}$/;

class BodyTooLarge extends Error {}

export async function startFakeSmsapi(options: FakeSmsapiOptions = {}): Promise<FakeSmsapi> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? FAKE_SMSAPI_DEFAULT_TOKEN;
  const autoDeliverMs = options.autoDeliverMs ?? null;

  const requests: FakeSmsapiRequest[] = [];
  const accepted: FakeSmsapiAcceptedSms[] = [];
  const callbacks: FakeSmsapiCallback[] = [];
  const answers: FakeSmsapiAnswer[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const hanging = new Set<ServerResponse>();
  let closed = false;
  let inboundUrl: string | null = options.inboundUrl ?? null;
  let points = options.points ?? 100;
  let profileReads = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 999, message: 'Internal fake error' });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    // Inspection for tests that run the fake in another process (the end-to-end suite).
    if (req.method === 'GET' && url.pathname === '/__fake/requests') {
      sendJson(res, 200, { requests, accepted });
      return;
    }
    // For a fake in another process (the demo, the end-to-end suite): someone texts back. JSON {from, text, msgId?}.
    if (req.method === 'POST' && url.pathname === '/__fake/reply') {
      let body: { from?: unknown; text?: unknown; msgId?: unknown; method?: unknown } = {};
      try {
        body = JSON.parse(await readBody(req)) as typeof body;
      } catch {
        // Answered below as a bad request.
      }
      if (typeof body.from !== 'string' || typeof body.text !== 'string' || (body.msgId !== undefined && typeof body.msgId !== 'string')) {
        sendJson(res, 400, { error: 'from and text (strings) are required; msgId is optional' });
        return;
      }
      try {
        const method = body.method === 'GET' ? ('GET' as const) : ('POST' as const);
        sendJson(res, 200, await sendReply({ from: body.from, text: body.text, method, ...(body.msgId ? { msgId: body.msgId } : {}) }));
      } catch (error) {
        sendJson(res, 409, { error: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    if (req.method === 'GET' && url.pathname === '/profile') {
      profileReads += 1;
      if (req.headers.authorization !== `Bearer ${token}`) {
        sendJson(res, 401, { error: 101, message: 'Authorization failed' });
        return;
      }
      // SMSAPI sends more (name, email, username, phone_number); the messenger reads only these.
      sendJson(res, 200, { name: 'Fake', username: 'fake', points: points.toFixed(4), payment_type: 'prepaid' });
      return;
    }
    if (url.pathname !== '/sms.do') {
      sendJson(res, 404, { error: 404, message: 'Not found' });
      return;
    }
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) sendJson(res, 413, { error: 11, message: 'Request too large' });
      else res.destroy();
      return;
    }
    const fields = parseFields(req.method ?? 'GET', url, req.headers['content-type'], raw);
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      fields,
      receivedAt: new Date(),
    });

    const answer = answers.shift() ?? { success: true };
    if ('hang' in answer || 'processThenHang' in answer) {
      if ('processThenHang' in answer) processSend(req.headers.authorization, fields);
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if ('httpStatus' in answer) {
      res.writeHead(answer.httpStatus, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(answer.body ?? `HTTP ${answer.httpStatus} from the fake SMSAPI`);
      return;
    }
    if ('error' in answer) {
      sendError(res, answer.error, answer.message ?? defaultErrorMessage(answer.error), fields.to);
      return;
    }
    const reply = processSend(req.headers.authorization, fields);
    sendJson(res, 200, reply);
  }

  /** Does what SMSAPI does with one send and returns its answer (always HTTP 200, errors included). */
  function processSend(authorization: string | undefined, fields: Record<string, string>): unknown {
    if (authorization !== `Bearer ${token}`) return errorBody(101, 'Authorization failed');
    const submittedTo = (fields.to ?? '').trim();
    const to = normaliseNumber(submittedTo);
    if (to === null) return errorBody(13, 'No correct phone numbers', submittedTo);
    const message = fields.message ?? '';
    if (message === '') return errorBody(11, 'Message is empty');
    const from = fields.from ?? null;
    if (from !== null && !SENDER_NAME.test(from)) return errorBody(14, 'Invalid sender name');
    const maxParts = clampInt(fields.max_parts, 1, 10, 10);
    const parts = fakePartCount(message, fields.normalize === '1');
    if (parts > maxParts) return errorBody(12, 'Message is too long');
    const idx = fields.idx !== undefined && fields.idx !== '' ? fields.idx : null;
    if (idx !== null && fields.check_idx === '1' && accepted.some((sms) => sms.idx === idx)) {
      return errorBody(53, 'Idx already used');
    }

    const sms: FakeSmsapiAcceptedSms = {
      id: randomBytes(12).toString('hex').toUpperCase(),
      idx,
      to,
      submittedTo,
      message,
      from,
      parts,
      points: (POINTS_PER_PART * parts).toFixed(2),
      notifyUrl: fields.notify_url || null,
      test: fields.test === '1',
      dateSent: Math.floor(Date.now() / 1000),
    };
    accepted.push(sms);
    if (!sms.test) points = Math.round((points - Number(sms.points)) * 10_000) / 10_000;

    const entry = {
      id: sms.id,
      points: sms.points,
      number: sms.to,
      date_sent: sms.dateSent,
      submitted_number: sms.submittedTo,
      status: 'QUEUE',
      idx: sms.idx,
      error: null,
      parts: sms.parts,
    };
    const details = fields.details === '1' ? { message, length: [...message].length, parts } : {};

    if (autoDeliverMs !== null && sms.notifyUrl !== null) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!closed) void deliver([{ sms, status: resolveStatus('DELIVERED') }]);
      }, autoDeliverMs);
      timers.add(timer);
    }
    return { count: 1, list: [entry], ...details };
  }

  function findSms(msgIdOrIdx: string): FakeSmsapiAcceptedSms {
    const sms = accepted.find((item) => item.id === msgIdOrIdx) ?? accepted.find((item) => item.idx === msgIdOrIdx);
    if (sms === undefined) throw new Error(`fake SMSAPI: no accepted SMS with id or idx ${msgIdOrIdx}`);
    return sms;
  }

  async function deliver(
    reports: Array<{ sms: FakeSmsapiAcceptedSms; status: FakeReportStatus }>,
  ): Promise<FakeSmsapiCallback[]> {
    const byUrl = new Map<string, typeof reports>();
    for (const report of reports) {
      const notifyUrl = report.sms.notifyUrl;
      if (notifyUrl === null) throw new Error(`fake SMSAPI: SMS ${report.sms.id} was sent without notify_url`);
      byUrl.set(notifyUrl, [...(byUrl.get(notifyUrl) ?? []), report]);
    }
    const results: FakeSmsapiCallback[] = [];
    for (const [notifyUrl, group] of byUrl) {
      const target = new URL(notifyUrl);
      // Only ever call back this machine: the fake must not become a way to make requests elsewhere.
      if (!LOOPBACK_HOSTS.has(target.hostname)) throw new Error('fake SMSAPI: notify_url is not a loopback URL');
      const list = (pick: (report: (typeof group)[number]) => string) => group.map(pick).join(',');
      target.searchParams.set('MsgId', list((r) => r.sms.id));
      target.searchParams.set('status', list((r) => String(r.status.code)));
      target.searchParams.set('status_name', list((r) => r.status.name));
      target.searchParams.set('idx', list((r) => r.sms.idx ?? ''));
      target.searchParams.set('donedate', list(() => String(Math.floor(Date.now() / 1000))));
      target.searchParams.set('username', list(() => 'fake'));
      target.searchParams.set('points', list((r) => r.sms.points));
      target.searchParams.set('to', list((r) => r.sms.to));
      target.searchParams.set('mcc', list(() => '260'));
      target.searchParams.set('mnc', list(() => '2'));
      const callback: FakeSmsapiCallback = { url: target.toString(), httpStatus: null, body: null, error: null };
      try {
        const response = await fetch(target, { signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS) });
        callback.httpStatus = response.status;
        callback.body = await response.text();
      } catch (error) {
        callback.error = error instanceof Error ? error.message : String(error);
      }
      callbacks.push(callback);
      results.push(callback);
    }
    return results;
  }

  async function sendReply(reply: FakeSmsapiReply): Promise<FakeSmsapiCallback & { msgId: string }> {
    if (inboundUrl === null) throw new Error('fake SMSAPI: no inbound callback set (setInboundCallback)');
    const target = new URL(inboundUrl);
    if (!LOOPBACK_HOSTS.has(target.hostname)) throw new Error('fake SMSAPI: the inbound callback is not a loopback URL');
    const msgId = reply.msgId ?? randomBytes(12).toString('hex').toUpperCase();
    const fields = new URLSearchParams({
      sms_to: reply.to ?? '48799000111',
      sms_from: reply.from,
      sms_text: reply.text,
      sms_date: String(Math.floor(Date.now() / 1000)),
      MsgId: msgId,
      username: 'fake',
    });
    const post = (reply.method ?? 'POST') === 'POST';
    if (!post) for (const [key, value] of fields) target.searchParams.set(key, value);
    const callback: FakeSmsapiCallback = { url: target.toString(), httpStatus: null, body: null, error: null };
    try {
      const response = await fetch(target, {
        method: post ? 'POST' : 'GET',
        ...(post ? { body: fields, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
        signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      });
      callback.httpStatus = response.status;
      callback.body = await response.text();
    } catch (error) {
      callback.error = error instanceof Error ? error.message : String(error);
    }
    callbacks.push(callback);
    return { ...callback, msgId };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    token,
    get points() {
      return points;
    },
    get profileReads() {
      return profileReads;
    },
    setPoints(next) {
      points = next;
    },
    requests,
    accepted,
    callbacks,
    enqueue(...next) {
      answers.push(...next);
    },
    async sendDeliveryReport(msgIdOrIdx, status = 'DELIVERED') {
      const [callback] = await deliver([{ sms: findSms(msgIdOrIdx), status: resolveStatus(status) }]);
      if (callback === undefined) throw new Error('fake SMSAPI: no callback was made');
      return callback;
    },
    async sendDeliveryReports(reports) {
      return deliver(
        reports.map((report) => ({ sms: findSms(report.msgIdOrIdx), status: resolveStatus(report.status ?? 'DELIVERED') })),
      );
    },
    setInboundCallback(url) {
      inboundUrl = url;
    },
    sendReply,
    reset() {
      requests.length = 0;
      accepted.length = 0;
      callbacks.length = 0;
      answers.length = 0;
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const res of hanging) res.destroy();
      hanging.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function resolveStatus(status: string | number): FakeReportStatus {
  const found = fakeReportStatus(status);
  if (found === null) throw new Error(`fake SMSAPI: unknown delivery status ${String(status)}`);
  return found;
}

/** Like SMSAPI: digits with the country code; a bare 9-digit Polish number gets 48 in front. */
function normaliseNumber(submitted: string): string | null {
  const digits = submitted.replace(/^\+/, '');
  if (/^[1-9]\d{8}$/.test(digits)) return `48${digits}`;
  if (/^[1-9]\d{9,14}$/.test(digits)) return digits;
  return null;
}

function clampInt(raw: string | undefined, min: number, max: number, fallback: number): number {
  const value = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : fallback;
  return Math.min(max, Math.max(min, value));
}

function defaultErrorMessage(code: number): string {
  return `Fake SMSAPI error ${code}`;
}

function errorBody(code: number, message: string, submittedTo?: string): unknown {
  // Like the real gateway, error 13 echoes the number: the client under test must not pass it on.
  const extra =
    code === 13 && submittedTo !== undefined
      ? { invalid_numbers: [{ number: submittedTo, submitted_number: submittedTo, message: 'Invalid phone number' }] }
      : {};
  return { error: code, message, ...extra };
}

function sendError(res: ServerResponse, code: number, message: string, submittedTo?: string): void {
  sendJson(res, 200, errorBody(code, message, submittedTo));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** SMSAPI takes form fields in the body (form or JSON) or in the query; the body wins. */
function parseFields(method: string, url: URL, contentType: string | undefined, raw: string): Record<string, string> {
  const fields: Record<string, string> = Object.fromEntries(url.searchParams);
  if (method === 'POST' && raw !== '') {
    if (contentType?.includes('application/json')) {
      try {
        const json: unknown = JSON.parse(raw);
        if (typeof json === 'object' && json !== null) {
          for (const [key, value] of Object.entries(json)) {
            if (value !== null && value !== undefined) fields[key] = String(value);
          }
        }
      } catch {
        // An unreadable body leaves the fields empty; validation then answers like SMSAPI would.
      }
    } else {
      for (const [key, value] of new URLSearchParams(raw)) fields[key] = value;
    }
  }
  return fields;
}

async function runStandalone(): Promise<void> {
  const port = Number(process.env.FAKE_SMSAPI_PORT ?? 3999);
  const autoDeliver = process.env.FAKE_SMSAPI_AUTO_DELIVER_MS;
  const fake = await startFakeSmsapi({
    port,
    token: process.env.FAKE_SMSAPI_TOKEN || FAKE_SMSAPI_DEFAULT_TOKEN,
    // Empty or "off" disables automatic reports, to try reports sent by hand.
    autoDeliverMs: autoDeliver === '' || autoDeliver === 'off' ? null : Number(autoDeliver ?? 2000) || 2000,
    inboundUrl: process.env.FAKE_SMSAPI_INBOUND_URL || null,
  });
  console.log(`fake SMSAPI listening on ${fake.url}`);
  console.log(`SMSAPI_URL=${fake.url} SMSAPI_TOKEN=${fake.token}`);
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runStandalone();
}
