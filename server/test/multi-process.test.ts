/**
 * Several Depesza processes behind one address. Runs here without MongoDB: Debian's redis-server on a free
 * loopback port, two real `tsx server/src/main.ts` processes sharing one SQLite file (WAL) and the Redis adapter,
 * a real socket.io-client on each, and the fake SMSAPI both processes send through. With MONGODB_URI set (a
 * replica set), the same checks run on two processes over MongoDB and the MongoDB adapter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceEntry } from '../../shared/protocol.js';
import type { ConversationSummary, Message, SmsReportPage } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import { DEMO_PASSWORD } from '../src/services/demo-directory.js';
import { freePort } from './support/free-port.js';
import { collect, connectWithCookie, nextEvent, request, type ClientSocket } from './support/test-app.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const REDIS_SERVER = '/usr/bin/redis-server';
const HAVE_REDIS = existsSync(REDIS_SERVER);
const MONGODB_URI = process.env.MONGODB_URI?.trim() || undefined;
if (!HAVE_REDIS) console.warn(`Multi-process tests over Redis skipped: ${REDIS_SERVER} is missing (apt-get install redis-server)`);
if (!MONGODB_URI) console.warn('Multi-process tests over MongoDB skipped: set MONGODB_URI=mongodb://... to run them');

const START_TIMEOUT_MS = 90_000;
/** Above what the outbox test sends one person (12), low enough for the cap test to hit it. */
const RECIPIENT_CAP = 15;
/** Above what any other test here sends as one person in a minute (darek: 40). */
const MESSAGES_PER_MINUTE = 60;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A child process of this test, in its own process group so that it and its children stop together. */
class Child {
  readonly process: ChildProcess;
  private output = '';
  private exited: Promise<number | null>;
  exitCode: number | null | undefined = undefined;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.process = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      });
      this.process.once('error', (error) => {
        this.output += `\nspawn error: ${error.message}`;
        this.exitCode = null;
        resolve(null);
      });
    });
  }

  get log(): string {
    return `--- ${this.name} (last output) ---\n${this.output.slice(-4_000)}`;
  }

  async stop(): Promise<void> {
    if (this.exitCode !== undefined || this.process.pid === undefined) return;
    const group = -this.process.pid;
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(group, name);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const stopped = await Promise.race([this.exited.then(() => true), sleep(12_000).then(() => false)]);
    if (!stopped) {
      signal('SIGKILL');
      await this.exited;
    }
  }
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, children: Child[] = []): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    const dead = children.find((c) => c.exitCode !== undefined);
    if (dead) throw new Error(`${dead.name} exited (code ${dead.exitCode}) while waiting for ${what}\n${dead.log}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${children.map((c) => c.log).join('\n')}`);
    await sleep(150);
  }
}

interface Node {
  child: Child;
  url: string;
}

async function startDepesza(name: string, env: Record<string, string>): Promise<Node> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, MONGODB_URI: '', REDIS_URL: '', ...env, PORT: String(port), HOST: '127.0.0.1' };
  // One process, tsx as a loader: tsx's CLI would run the server as its child and, when the child is slow to confirm
  // a SIGTERM within 30 ms (a busy shutdown on loaded cores), kill it and exit 143 — not the graceful stop measured here.
  const child = new Child(name, process.execPath, ['--import', 'tsx', 'server/src/main.ts'], childEnv);
  await waitFor(`${name} /readyz`, async () => (await fetch(`${url}/readyz`)).status === 200, START_TIMEOUT_MS, [child]);
  return { child, url };
}

async function signIn(node: Node, login: string): Promise<{ cookie: string; id: string }> {
  const response = await fetch(`${node.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: DEMO_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${login} on ${node.child.name}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { id: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '', id: body.id };
}

interface Cluster {
  a: Node;
  b: Node;
  fake: FakeSmsapi;
}

/** The checks every two-process set-up must pass. */
function clusterTests(cluster: () => Cluster): void {
  const sockets: ClientSocket[] = [];
  afterAll(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  const connect = async (node: Node, login: string) => {
    const { cookie, id } = await signIn(node, login);
    const socket = await connectWithCookie(node.url, cookie, undefined, sockets);
    return { socket, id };
  };

  it('delivers a message sent through process A to a client connected to process B, and back', async () => {
    const { a, b } = cluster();
    const anna = await connect(a, 'anna');
    const bartek = await connect(b, 'bartek');

    const opened = await request(anna.socket, 'conversation:openDirect', { employeeId: bartek.id });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;

    // The colleague hears of a direct conversation with its first message (an empty one is listed only for its opener).
    const upsert = nextEvent<ConversationSummary>(bartek.socket, 'conversation:upsert', (c) => c.id === opened.data.id, 10_000);
    const text = `Cześć z procesu A ${randomUUID()}`;
    const arrival = nextEvent<Message>(bartek.socket, 'message:new', (m) => m.text === text, 10_000);
    const sent = await request(anna.socket, 'message:send', { conversationId: opened.data.id, clientId: randomUUID(), text });
    expect(sent.ok).toBe(true);
    expect((await upsert).lastMessage?.preview).toBe(text);
    const received = await arrival;
    expect(received).toMatchObject({ conversationId: opened.data.id, senderId: anna.id, text });
    if (sent.ok) expect(received.seq).toBe(sent.data.seq);

    const reply = `Odpowiedź z procesu B ${randomUUID()}`;
    const back = nextEvent<Message>(anna.socket, 'message:new', (m) => m.text === reply, 10_000);
    const answered = await request(bartek.socket, 'message:send', { conversationId: opened.data.id, clientId: randomUUID(), text: reply });
    expect(answered.ok).toBe(true);
    expect((await back).senderId).toBe(bartek.id);
   }, 60_000);

  it('holds one message flood limit for a person sending through both processes at once', async () => {
    const { a, b } = cluster();
    const ewa = await signIn(a, 'ewa');
    const filipOnA = await connect(a, 'filip');
    const filipOnB = await connect(b, 'filip');
    const direct = await request(filipOnA.socket, 'conversation:openDirect', { employeeId: ewa.id });
    expect(direct.ok).toBe(true);
    if (!direct.ok) return;

    const started = Date.now();
    const acks = await Promise.all(
      Array.from({ length: 2 * MESSAGES_PER_MINUTE }, (_, i) =>
        request(i % 2 ? filipOnB.socket : filipOnA.socket, 'message:send', { conversationId: direct.data.id, clientId: randomUUID(), text: `Flood ${i}` }),
      ),
    );
    // The bucket refills at its rate per minute while the sends run: that much more may pass, no more.
    const refill = Math.ceil(((Date.now() - started) / 60_000) * MESSAGES_PER_MINUTE);
    const accepted = acks.filter((ack) => ack.ok).length;
    expect(accepted).toBeGreaterThanOrEqual(MESSAGES_PER_MINUTE);
    expect(accepted).toBeLessThanOrEqual(MESSAGES_PER_MINUTE + refill);
    for (const ack of acks) if (!ack.ok) expect(ack.error.code).toBe('RATE_LIMITED');
  }, 60_000);

  it('keeps someone online while a process still has one of their devices, tells watchers on either process, and answers subscriptions from both', async () => {
    const { a, b } = cluster();
    const observer = await connect(a, 'ewa');
    const [celinaId = '', darekId = '', filipId = ''] = await Promise.all(['celina', 'darek', 'filip'].map(async (login) => (await signIn(a, login)).id));
    const watched = await request(observer.socket, 'presence:watch', { employeeIds: [celinaId, darekId, observer.id] });
    expect(watched.ok && watched.data.entries.find((e) => e.employeeId === celinaId)?.state).toBe('offline');
    const heard = collect<{ entries: PresenceEntry[] }>(observer.socket, 'presence:update');
    const celinaOnA = await connect(a, 'celina');
    const celinaOnB = await connect(b, 'celina');
    const statesOf = (id: string) => heard.flatMap((u) => u.entries.filter((e) => e.employeeId === id).map((e) => e.state));
    await waitFor('celina to be announced online', () => statesOf(celinaId).includes('online'), 10_000, [a.child, b.child]);

    // Someone connected only through B reaches a watcher on A; someone unwatched does not.
    await connect(b, 'filip');
    const darekOnline = nextEvent<{ entries: PresenceEntry[] }>(observer.socket, 'presence:update', (u) =>
      u.entries.some((e) => e.employeeId === darekId && e.state === 'online'),
    10_000);
    await connect(b, 'darek');
    await darekOnline;

    celinaOnA.socket.disconnect();
    // A marker after it through process A: once the observer hears it, A has said whatever it had to say about
    // celina's closed tab (A announces in order, batch after batch).
    const marked = nextEvent<{ entries: PresenceEntry[] }>(observer.socket, 'presence:update', (u) =>
      u.entries.some((e) => e.employeeId === observer.id && e.state === 'away'),
    10_000);
    expect((await request(observer.socket, 'presence:set', { state: 'away' })).ok).toBe(true);
    await marked;
    expect(statesOf(celinaId)).not.toContain('offline');
    expect(statesOf(filipId)).toEqual([]);

    // A newcomer on A subscribing to celina, who is connected only through B, is answered "online".
    const newcomer = await connect(a, 'ewa');
    const answer = await request(newcomer.socket, 'presence:watch', { employeeIds: [celinaId, filipId] });
    expect(answer.ok && answer.data.entries).toEqual([
      { employeeId: celinaId, state: 'online' },
      { employeeId: filipId, state: 'online' },
    ]);

    const offline = nextEvent<{ entries: PresenceEntry[] }>(observer.socket, 'presence:update', (u) =>
      u.entries.some((e) => e.employeeId === celinaId && e.state === 'offline'),
    10_000);
    const newcomerHears = nextEvent<{ entries: PresenceEntry[] }>(newcomer.socket, 'presence:update', (u) =>
      u.entries.some((e) => e.employeeId === celinaId && e.state === 'offline'),
    10_000);
    celinaOnB.socket.disconnect();
    await Promise.all([offline, newcomerHears]);
  }, 60_000);

  it('holds the recipient cap for parallel urgent sends through both processes', async () => {
    const { a, b, fake } = cluster();
    fake.reset();
    const anna = await signIn(a, 'anna');
    const darekOnA = await connect(a, 'darek');
    const darekOnB = await connect(b, 'darek');
    const direct = await request(darekOnA.socket, 'conversation:openDirect', { employeeId: anna.id });
    expect(direct.ok).toBe(true);
    if (!direct.ok) return;

    const SENDS = 40;
    const acks = await Promise.all(
      Array.from({ length: SENDS }, (_, i) =>
        request(i % 2 ? darekOnB.socket : darekOnA.socket, 'message:send', {
          conversationId: direct.data.id,
          clientId: randomUUID(),
          text: `Pilne ${i}`,
          notifySms: true,
        }),
      ),
    );
    const chips = acks.flatMap((ack) => (ack.ok ? (ack.data.sms ?? []) : []));
    expect(chips).toHaveLength(SENDS);
    const queued = chips.filter((chip) => chip.status === 'queued').map((chip) => chip.id);
    expect(queued).toHaveLength(RECIPIENT_CAP);
    for (const chip of chips.filter((c) => c.status !== 'queued')) {
      expect(chip).toMatchObject({ status: 'not_sent', reason: { code: 'recipient_limit', limit: RECIPIENT_CAP, windowMinutes: 10 } });
    }

    const admin = await signIn(b, 'anna');
    await waitFor(
      'the queued SMS to be sent',
      async () => {
        const response = await fetch(`${b.url}/api/sms/report?pageSize=200`, { headers: { cookie: admin.cookie } });
        const rows = ((await response.json()) as SmsReportPage).rows.filter((row) => queued.includes(row.id));
        return rows.length === queued.length && rows.every((row) => row.status === 'sent');
      },
      30_000,
      [a.child, b.child],
    );
    expect(fake.accepted.length).toBeLessThanOrEqual(RECIPIENT_CAP);
    expect(fake.accepted.map((sms) => sms.idx ?? '(none)').sort()).toEqual([...queued].sort());
  }, 60_000);

  // Last: it ends both processes.
  it('sends each SMS dispatch exactly once while both dispatchers race for the outbox', async () => {
    const { a, b, fake } = cluster();
    fake.reset();
    const annaOnA = await connect(a, 'anna');
    const annaOnB = await connect(b, 'anna');
    const bartek = await signIn(b, 'bartek');
    const darek = await signIn(a, 'darek');

    const group = await request(annaOnA.socket, 'conversation:createGroup', {
      name: `Dyżur ${randomUUID().slice(0, 8)}`,
      memberIds: [bartek.id, darek.id],
    });
    expect(group.ok).toBe(true);
    if (!group.ok) return;

    // Half through each process, all at once: both dispatchers are awake and claim from the one outbox.
    const MESSAGES = 12;
    const acks = await Promise.all(
      Array.from({ length: MESSAGES }, (_, i) =>
        request(i % 2 ? annaOnB.socket : annaOnA.socket, 'message:send', {
          conversationId: group.data.id,
          clientId: randomUUID(),
          text: `Pilne ${i}: proszę oddzwonić`,
          notifySms: true,
        }),
      ),
    );
    const dispatchIds: string[] = [];
    for (const ack of acks) {
      expect(ack.ok).toBe(true);
      if (!ack.ok) continue;
      expect(ack.data.sms?.map((s) => s.status)).toEqual(['queued', 'queued']);
      dispatchIds.push(...(ack.data.sms ?? []).map((s) => s.id));
    }
    expect(new Set(dispatchIds).size).toBe(MESSAGES * 2);

    const admin = await signIn(b, 'anna');
    const rowsOf = async () => {
      const response = await fetch(`${b.url}/api/sms/report?pageSize=200`, { headers: { cookie: admin.cookie } });
      return ((await response.json()) as SmsReportPage).rows.filter((row) => dispatchIds.includes(row.id));
    };
    await waitFor(
      'every dispatch to be sent',
      async () => (await rowsOf()).filter((row) => row.status === 'sent').length === dispatchIds.length,
      30_000,
      [a.child, b.child],
    );
    const rows = await rowsOf();
    expect(rows).toHaveLength(dispatchIds.length);
    expect(rows.every((row) => row.status === 'sent' && row.gatewayId !== null)).toBe(true);

    // A late duplicate could still be on its way from a second claimer of the same dispatch. Both processes end
    // gracefully: a stopped dispatcher has waited for its requests in flight and makes no more, so from here on
    // the fake has seen every request either process will ever make.
    await Promise.all([a.child.stop(), b.child.stop()]);
    expect([a.child.exitCode, b.child.exitCode]).toEqual([0, 0]);
    const sentIdx = fake.requests.filter((r) => r.path === '/sms.do').map((r) => r.fields.idx ?? '(none)');
    expect([...sentIdx].sort()).toEqual([...dispatchIds].sort());
    expect(fake.accepted.map((sms) => sms.idx ?? '(none)').sort()).toEqual([...dispatchIds].sort());
    // Two processes started through tsx on 2 shared cores: 20 s of default was just enough on a quiet machine.
  }, 60_000);
}

describe.skipIf(!HAVE_REDIS)('two processes: Redis adapter, one SQLite file in WAL mode', () => {
  let redis: Child | undefined;
  let fake: FakeSmsapi | undefined;
  let a: Node | undefined;
  let b: Node | undefined;
  let dataDir: string | undefined;

  beforeAll(async () => {
    const redisPort = await freePort();
    redis = new Child('redis-server', REDIS_SERVER, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      ...process.env,
    });
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    await waitFor('redis-server to listen', () => canConnect(redisPort), 15_000, [redis]);

    fake = await startFakeSmsapi();
    dataDir = mkdtempSync(path.join(tmpdir(), 'depesza-multi-'));
    const env = {
      DATA_DIR: dataDir,
      REDIS_URL: redisUrl,
      DEMO_DIRECTORY: 'on',
      LOG_LEVEL: 'warn',
      SMSAPI_URL: fake.url,
      SMSAPI_TOKEN: fake.token,
      SMS_LIMIT_RECIPIENT: String(RECIPIENT_CAP),
      SMS_LIMIT_SENDER_PER_HOUR: '1000',
      SMS_LIMIT_SENDER_PER_DAY: '1000',
      RATE_LIMIT_MESSAGES_PER_MINUTE: String(MESSAGES_PER_MINUTE),
    };
    // A first: it finds the store empty and loads the demo directory before it answers /readyz. Only then B,
    // which finds the directory there (two processes seeding an empty store at once would clash on logins).
    a = await startDepesza('depesza A', env);
    b = await startDepesza('depesza B', env);
  }, 4 * START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([a?.child.stop(), b?.child.stop()]);
    await fake?.close();
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  clusterTests(() => ({ a: a!, b: b!, fake: fake! }));
});

describe.skipIf(!MONGODB_URI)('two processes: MongoDB store and MongoDB adapter', () => {
  let fake: FakeSmsapi | undefined;
  let a: Node | undefined;
  let b: Node | undefined;
  const dbName = `depesza_test_multi_${Date.now().toString(36)}_${process.pid}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'depesza-multi-mongo-'));

  beforeAll(async () => {
    fake = await startFakeSmsapi();
    const env = {
      MONGODB_URI: withDatabase(MONGODB_URI as string, dbName),
      DATA_DIR: dataDir,
      DEMO_DIRECTORY: 'on',
      LOG_LEVEL: 'warn',
      SMSAPI_URL: fake.url,
      SMSAPI_TOKEN: fake.token,
      SMS_LIMIT_RECIPIENT: String(RECIPIENT_CAP),
      SMS_LIMIT_SENDER_PER_HOUR: '1000',
      SMS_LIMIT_SENDER_PER_DAY: '1000',
      RATE_LIMIT_MESSAGES_PER_MINUTE: String(MESSAGES_PER_MINUTE),
    };
    a = await startDepesza('depesza A (mongo)', env);
    b = await startDepesza('depesza B (mongo)', env);
  }, 4 * START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([a?.child.stop(), b?.child.stop()]);
    await fake?.close();
    const connection = await mongoose.createConnection(MONGODB_URI as string, { dbName, serverSelectionTimeoutMS: 3_000 }).asPromise();
    await connection.dropDatabase();
    await connection.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  clusterTests(() => ({ a: a!, b: b!, fake: fake! }));
});

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The URI with its database replaced (query string kept). */
function withDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error('unexpected MONGODB_URI form');
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}
