/**
 * Whole-app test harness: the real app on a real port (0 = any free one) over a real SQLite file in a temp
 * folder, real socket.io-client connections, and cheap scrypt parameters so sign-ins are fast.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, CommandName, CommandPayload, CommandResult, ServerToClientEvents } from '../../../shared/protocol.js';
import type { ImportRow } from '../../../shared/schemas/index.js';
import { buildApp, type App, type AppDeps } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Store } from '../../src/ports/store.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import type { ScryptParams } from '../../src/domain/password.js';

export const FAST_SCRYPT: ScryptParams = { N: 1024, r: 8, p: 1 };
export const TEST_PASSWORD = 'test-password-1';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const PEOPLE: ImportRow[] = [
  { login: 'anna', name: 'Anna Kowalska', role: 'admin', mobile: '+48 501 234 567', password: TEST_PASSWORD },
  { login: 'bartek', name: 'Bartek Nowak', mobile: '512 345 678', password: TEST_PASSWORD },
  { login: 'celina', name: 'Celina Wiśniewska', mobile: '+48 601 222 333', mobilePrivate: true, password: TEST_PASSWORD },
  { login: 'darek', name: 'Darek Zieliński', mobile: '+48 698 765 432', password: TEST_PASSWORD },
  { login: 'ewa', name: 'Ewa Lewandowska', password: TEST_PASSWORD },
  { login: 'filip', name: 'Filip Wójcik', mobile: '12 34', password: TEST_PASSWORD },
];

export interface TestApp {
  app: App;
  store: Store;
  config: Config;
  url: string;
  dataDir: string;
  /** Signs in over real HTTP and returns the session cookie header value. */
  signIn(login: string, password?: string): Promise<string>;
  /** A connected socket.io-client for the employee (a new "tab"). */
  connectAs(login: string, options?: { origin?: string }): Promise<ClientSocket>;
  /** Several tabs of one signed-in browser: one sign-in, `count` sockets sharing its cookie. */
  tabsOf(login: string, count: number): Promise<ClientSocket[]>;
  idOf(login: string): Promise<string>;
  /** Stops the app, keeping the database file (for restart tests) unless `remove` is true. */
  stop(options?: { remove?: boolean }): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  dataDir?: string;
  people?: ImportRow[] | null;
  deps?: Partial<Omit<AppDeps, 'config' | 'store'>>;
  /** Port to listen on; 0 (default) takes any free one. A fixed one lets PUBLIC_URL name the app's own address. */
  port?: number;
  /** Wraps the real SQLite store the app gets, to interleave events deterministically (see `beforeStoreCall`). */
  wrapStore?: (store: Store) => Store;
}

/**
 * The store with `hook` awaited before each call of one repository method: lets a test run something (a real HTTP
 * request, say) exactly between two steps of a service.
 */
export function beforeStoreCall<R extends keyof Store>(store: Store, repository: R, method: string, hook: () => Promise<void>): Store {
  const target = store[repository] as object;
  const wrapped = new Proxy(target, {
    get(inner, prop) {
      const value: unknown = Reflect.get(inner, prop);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(inner);
      return prop === method ? async (...args: unknown[]) => (await hook(), bound(...args)) : bound;
    },
  });
  return Object.assign(Object.create(store) as Store, { [repository]: wrapped });
}

export async function startTestApp(options: StartOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'depesza-test-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '3000', ...options.env });
  const store = await openSqliteStore({ file: path.join(dataDir, 'depesza.sqlite') });
  const app = await buildApp({ config, store: options.wrapStore ? options.wrapStore(store) : store, passwordParams: FAST_SCRYPT, clientDir: null, ...options.deps });
  if (options.people !== null && (await store.employees.count()) === 0) {
    await app.services.directory.importRows(options.people ?? PEOPLE);
  }
  await app.fastify.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = app.fastify.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  const sockets: ClientSocket[] = [];

  async function signIn(login: string, password = TEST_PASSWORD): Promise<string> {
    const response = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    if (response.status !== 200) throw new Error(`sign-in of ${login} failed: ${response.status} ${await response.text()}`);
    const cookie = response.headers.get('set-cookie') ?? '';
    return cookie.split(';')[0] ?? '';
  }

  async function connectAs(login: string, opts: { origin?: string } = {}): Promise<ClientSocket> {
    const cookie = await signIn(login);
    return connectWithCookie(url, cookie, opts.origin, sockets);
  }

  return {
    app,
    store,
    config,
    url,
    dataDir,
    signIn,
    connectAs,
    async tabsOf(login, count) {
      const cookie = await signIn(login);
      return Promise.all(Array.from({ length: count }, () => connectWithCookie(url, cookie, undefined, sockets)));
    },
    async idOf(login) {
      const employee = await store.employees.findByLogin(login);
      if (!employee) throw new Error(`no employee ${login}`);
      return employee.id;
    },
    async stop(stopOptions = {}) {
      for (const socket of sockets) socket.disconnect();
      await app.fastify.close();
      await store.close();
      if (stopOptions.remove) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function connectWithCookie(url: string, cookie: string, origin?: string, track?: ClientSocket[]): Promise<ClientSocket> {
  const socket: ClientSocket = connect(url, {
    transports: ['websocket'],
    extraHeaders: { cookie, ...(origin ? { origin } : {}) },
    reconnection: false,
    forceNew: true,
  });
  track?.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(error));
  });
}

/** Emits a command of the contract and resolves with its ack (or rejects after a timeout). */
export function request<E extends CommandName>(socket: ClientSocket, event: E, payload: CommandPayload<E>): Promise<Ack<CommandResult<E>>> {
  return requestUnchecked(socket, event, payload) as Promise<Ack<CommandResult<E>>>;
}

/** Emits anything at all (unknown events, malformed payloads): for tests of how the server refuses them. */
export function requestUnchecked(socket: ClientSocket, event: string, ...args: unknown[]): Promise<Ack<unknown>> {
  return (socket.timeout(5000) as unknown as { emitWithAck: (event: string, ...args: unknown[]) => Promise<Ack<unknown>> }).emitWithAck(
    event,
    ...args,
  );
}

/** Resolves with the next `event` the socket receives (that passes `filter`). */
export function nextEvent<T = unknown>(socket: ClientSocket, event: string, filter: (payload: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event as never, listener as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!filter(payload)) return;
      clearTimeout(timer);
      socket.off(event as never, listener as never);
      resolve(payload);
    };
    socket.on(event as never, listener as never);
  });
}

/** Collects every `event` from now on. */
export function collect<T = unknown>(socket: ClientSocket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event as never, ((payload: T) => seen.push(payload)) as never);
  return seen;
}

/**
 * One app per test, stopped after it: `const start = appPerTest();` then `const t = await start(options)` inside a test.
 */
export function appPerTest(): (options?: StartOptions) => Promise<TestApp> {
  let current: TestApp | null = null;
  afterEach(async () => {
    await current?.stop({ remove: true });
    current = null;
  });
  return async (options = {}) => {
    current = await startTestApp(options);
    return current;
  };
}
