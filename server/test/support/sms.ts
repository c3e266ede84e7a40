/**
 * Helpers for the whole-app SMS tests: the real app wired to the fake SMSAPI over loopback HTTP, a recorder of
 * every socket event an employee receives, and the checks that no phone digits ever leave the server.
 *
 * PUBLIC_URL: the gateway's notify_url is built from PUBLIC_URL when the app is built, before it listens. The tests
 * reserve a free loopback port first and start the app on exactly that port with PUBLIC_URL naming it, so delivery
 * reports from the fake reach the app over the same path SMSAPI would use. (Deriving notify_url from the listening
 * address inside app.ts would be wrong in production, where SMSAPI reaches the app through a proxy.)
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Ack } from '../../../shared/protocol.js';
import type { ConversationSummary, Message, Notification, SmsDispatchView } from '../../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../../src/dev/fake-smsapi.js';
import type { Clock } from '../../src/ports/clock.js';
import { request, startTestApp, type ClientSocket, type StartOptions, type TestApp } from './test-app.js';

export const CALLBACK_SECRET = 'sms-tests-callback-secret-0123456789';
/** Retries come within tens of milliseconds instead of seconds. */
export const FAST_DISPATCHER = { baseBackoffMs: 20, pollMs: 200 };

/** The test directory's mobile numbers (PEOPLE in test-app.ts), national significant digits. */
export const PHONE_DIGITS = {
  anna: '501234567',
  bartek: '512345678',
  celina: '601222333',
  darek: '698765432',
} as const;

export interface SmsTestApp extends TestApp {
  publicUrl: string;
  /** The delivery-report URL SMSAPI is told to call (with the right secret unless another is given). */
  callbackUrl(secret?: string): string;
}

/** A loopback port that was free a moment ago. */
export async function reservePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * The real app with SMS wired to `fake` (token and URL), a fixed callback secret, PUBLIC_URL naming its own port
 * and short retry backoff. `env` overrides anything, e.g. `SMSAPI_TOKEN: ''` for "not configured".
 */
export async function startSmsApp(
  fake: FakeSmsapi | null,
  options: Omit<StartOptions, 'port'> & { port?: number } = {},
): Promise<SmsTestApp> {
  const port = options.port ?? (await reservePort());
  const publicUrl = `http://127.0.0.1:${port}`;
  const t = await startTestApp({
    ...options,
    port,
    env: {
      PUBLIC_URL: publicUrl,
      SMSAPI_CALLBACK_SECRET: CALLBACK_SECRET,
      ...(fake ? { SMSAPI_URL: fake.url, SMSAPI_TOKEN: fake.token } : {}),
      ...options.env,
    },
    deps: { smsDispatcher: FAST_DISPATCHER, ...options.deps },
  });
  return { ...t, publicUrl, callbackUrl: (secret = CALLBACK_SECRET) => `${t.url}/api/sms/callback/${secret}` };
}

/** Copies what `started` holds into `holder`, getters included (the fake's `points` must stay live). */
function fillIn<T extends object>(holder: T, started: T): void {
  Object.defineProperties(holder, Object.getOwnPropertyDescriptors(started));
}

/**
 * One fake SMSAPI and one SMS app for the describe block (or file) this is called in, filled in place once started,
 * so tests use them as started ones; the fake forgets what it received after each test.
 */
export function smsAppPerBlock(): { fake: FakeSmsapi; t: SmsTestApp } {
  const fake = {} as FakeSmsapi;
  const t = {} as SmsTestApp;
  beforeAll(async () => {
    fillIn(fake, await startFakeSmsapi());
    fillIn(t, await startSmsApp(fake));
  });
  afterEach(() => fake.reset?.());
  afterAll(async () => {
    await t.stop?.({ remove: true });
    await fake.close?.();
  });
  return { fake, t };
}

/**
 * SMS apps each test starts on its own clock (with `dataDir`, on an earlier app's file: a restart), stopped after the
 * test together with the fake SMSAPI `fake()` names then. `env` is every app's extra configuration.
 */
export function smsAppsPerTest(fake: () => FakeSmsapi | undefined, env: Record<string, string> = {}) {
  const running: SmsTestApp[] = [];
  afterEach(async () => {
    for (const t of running.splice(0)) await t.stop({ remove: true }).catch(() => undefined);
    await fake()?.close();
  });
  return {
    async start(clock: Clock, options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<SmsTestApp> {
      const t = await startSmsApp(fake() ?? null, {
        ...(options.dataDir ? { dataDir: options.dataDir, people: null } : {}),
        env: { ...env, ...options.env },
        deps: { clock },
      });
      running.push(t);
      return t;
    },
    /** Stops an app now, keeping its file for the next app to start on. */
    async stopKeepingFile(t: SmsTestApp): Promise<void> {
      running.splice(running.indexOf(t), 1);
      await t.stop();
    },
  };
}

/** Every event one socket receives, in order, with waiting that cannot miss an event that already arrived. */
export class EventLog {
  readonly events: Array<{ event: string; payload: unknown }> = [];
  private readonly listeners = new Set<() => void>();

  constructor(readonly socket: ClientSocket) {
    socket.onAny((event: string, payload: unknown) => {
      this.events.push({ event, payload });
      for (const listener of [...this.listeners]) listener();
    });
  }

  of<T>(event: string): T[] {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as T);
  }

  notifications(): string[] {
    return this.of<Notification>('notification:new').map(outcomeLine);
  }

  smsUpdates(): SmsDispatchView[] {
    return this.of<{ dispatch: SmsDispatchView }>('sms:update').map((u) => u.dispatch);
  }

  waitFor<T>(event: string, predicate: (payload: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.of<T>(event).find(predicate);
        if (found === undefined) return false;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(found);
        return true;
      };
      const listener = () => void check();
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no matching ${event} within ${timeoutMs} ms; got: ${JSON.stringify(this.of(event))}`));
      }, timeoutMs);
      this.listeners.add(listener);
      check();
    });
  }

  /** Waits for a notification whose outcomeLine is `line`. */
  waitForNotification(line: string, timeoutMs = 5000): Promise<Notification> {
    return this.waitFor<Notification>('notification:new', (n) => outcomeLine(n) === line, timeoutMs);
  }

  waitForStatus(dispatchId: string, status: SmsDispatchView['status'], timeoutMs = 5000): Promise<SmsDispatchView> {
    return this.waitFor<{ dispatch: SmsDispatchView }>(
      'sms:update',
      (u) => u.dispatch.id === dispatchId && u.dispatch.status === status,
      timeoutMs,
    ).then((u) => u.dispatch);
  }

  /**
   * Resolves once every event the server emitted to this socket before now has arrived: Socket.IO keeps the order
   * of one connection, so the answer to a round trip comes after them. Proves that something did NOT happen.
   */
  async settle(): Promise<void> {
    ok(await request(this.socket, 'notification:list', {}));
  }
}

export interface Person {
  socket: ClientSocket;
  log: EventLog;
  id: string;
  cookie: string;
}

export async function employee(t: TestApp, login: string): Promise<Person> {
  const socket = await t.connectAs(login);
  return { socket, log: new EventLog(socket), id: await t.idOf(login), cookie: await t.signIn(login) };
}

/**
 * A notification (or chip) as one comparable line: "Darek Zieliński: not_sent sender_hour_limit limit=1". The data,
 * not words: the words are the client's.
 */
export function outcomeLine(n: Pick<Notification, 'recipientName' | 'status' | 'reason'>): string {
  const params = n.reason === null ? [] : Object.entries(n.reason).filter(([key]) => key !== 'code').map(([key, value]) => `${key}=${String(value)}`);
  return [`${n.recipientName}: ${n.status}`, n.reason?.code, ...params].filter((part) => part !== undefined).join(' ');
}

export function ok<T>(answer: Ack<T>): T {
  if (!answer.ok) throw new Error(`expected ok, got ${JSON.stringify(answer.error)}`);
  return answer.data;
}

export async function openDirect(socket: ClientSocket, otherId: string): Promise<string> {
  return ok(await request(socket, 'conversation:openDirect', { employeeId: otherId })).id;
}

export async function createGroup(socket: ClientSocket, name: string, memberIds: string[]): Promise<string> {
  return ok(await request(socket, 'conversation:createGroup', { name, memberIds })).id;
}

export async function sendWithSms(socket: ClientSocket, conversationId: string, text: string): Promise<Message> {
  return ok(await request(socket, 'message:send', { conversationId, clientId: randomUUID(), text, notifySms: true }));
}

/** Sends `text` with SMS from `sender` to `login` in their direct conversation; the one dispatch must be queued. */
export async function queuedSmsTo(t: TestApp, sender: Person, login: string, text: string): Promise<SmsDispatchView> {
  const conversationId = await openDirect(sender.socket, await t.idOf(login));
  const chip = onlyDispatch(await sendWithSms(sender.socket, conversationId, text));
  expect(chip.status).toBe('queued');
  return chip;
}

/** The one dispatch of a direct message's ack. */
export function onlyDispatch(message: Message): SmsDispatchView {
  expect(message.sms).toHaveLength(1);
  return (message.sms as SmsDispatchView[])[0] as SmsDispatchView;
}

/** A number's digits with at most one separator (space, dash, dot, slash) between any two of them. */
function digitsPattern(digits: string): RegExp {
  return new RegExp(digits.split('').join('[\\s./-]?'));
}

/** Fails if any directory number appears in `payload` (serialised), in any common spelling. */
export function expectNoPhoneDigits(payload: unknown, what = 'payload'): void {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  for (const [login, digits] of Object.entries(PHONE_DIGITS)) {
    expect(digitsPattern(digits).test(text), `${what} contains ${login}'s number: ${text.slice(0, 500)}`).toBe(false);
  }
}

/** Accepted SMS at the fake per idx, to prove exactly-once. */
export function acceptedByIdx(fake: FakeSmsapi): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sms of fake.accepted) counts.set(sms.idx ?? '', (counts.get(sms.idx ?? '') ?? 0) + 1);
  return counts;
}

/** Each dispatch's status as the store has it now, in the order of `ids`. */
export async function dispatchStatuses(t: SmsTestApp, ids: string[]): Promise<Array<string | undefined>> {
  return (await Promise.all(ids.map((id) => t.store.sms.findById(id)))).map((d) => d?.status);
}

/**
 * A process that died left `ids` leased until `leaseEnds`: `next` (the process started after it) sends each of them,
 * exactly once at SMSAPI, and nothing reached SMSAPI before the lease ended. `fake` was reset when `next` started.
 */
export async function expectSentOnceAfterLease(fake: FakeSmsapi, next: SmsTestApp, ids: string[], leaseEnds: number): Promise<void> {
  await expect.poll(() => dispatchStatuses(next, ids), { timeout: 10_000 }).toEqual(ids.map(() => 'sent'));
  // Whatever it still has in flight lands before the counting.
  await next.app.services.dispatcher?.drain();
  expect(acceptedByIdx(fake)).toEqual(new Map(ids.map((id) => [id, 1])));
  expect(fake.requests).toHaveLength(ids.length);
  for (const received of fake.requests) expect(received.receivedAt.getTime()).toBeGreaterThanOrEqual(leaseEnds);
}

export async function getText(url: string, cookie?: string): Promise<{ status: number; body: string; contentType: string | null }> {
  const response = await fetch(url, cookie ? { headers: { cookie } } : {});
  return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') };
}
