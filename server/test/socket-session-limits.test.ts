/**
 * Sockets and their session: a socket ends when its session has expired (checked on its next command, by the
 * Clock port) or disappeared from the store (checked on an interval), and one employee may hold only so many
 * sockets at once, however many connect in parallel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, MINUTE } from './support/http-client.js';
import { closeAll } from './support/messaging.js';
import { hashToken } from '../src/services/auth.js';
import { beforeStoreCall, connectWithCookie, nextEvent, request, startTestApp, type ClientSocket, type StartOptions, type TestApp } from './support/test-app.js';

let t: TestApp | null = null;
const tabs: ClientSocket[] = [];
afterEach(async () => {
  closeAll(tabs);
  await t?.stop({ remove: true });
  t = null;
});

async function start(options: StartOptions): Promise<TestApp> {
  t = await startTestApp(options);
  return t;
}

const endOf = (socket: ClientSocket) =>
  Promise.all([nextEvent<{ reason: string }>(socket, 'session:ended'), nextEvent<string>(socket, 'disconnect')]);

describe('a socket outliving its session', () => {
  it('is ended on its next command once the session has expired by the clock', async () => {
    const clock = new FakeClock();
    const app = await start({ env: { SESSION_TTL_HOURS: '1' }, deps: { clock } });
    const cookie = await app.signIn('anna');
    const socket = await connectWithCookie(app.url, cookie, undefined, tabs);
    expect(await request(socket, 'conversation:list', {})).toMatchObject({ ok: true });

    clock.advance(61 * MINUTE);
    const ended = endOf(socket);
    (socket as unknown as { emit: (event: string, payload: unknown) => void }).emit('conversation:list', {});
    const [event, reason] = await ended;
    expect(event).toEqual({ reason: 'expired' });
    expect(reason).toBe('io server disconnect');
  });

  it('is ended by the periodic check once its session is gone from the store', async () => {
    const app = await start({ deps: { sessionCheckMs: 50 } });
    const cookie = await app.signIn('bartek');
    const [doomed, other] = [
      await connectWithCookie(app.url, cookie, undefined, tabs),
      await connectWithCookie(app.url, await app.signIn('bartek'), undefined, tabs),
    ];
    const ended = endOf(doomed);
    // E.g. removed by another process's clean-up or by an operator: no event reaches this process.
    await app.store.sessions.delete(hashToken(decodeURIComponent(cookie.split('=')[1] ?? '')));
    const [event] = await ended;
    expect(event).toEqual({ reason: 'expired' });
    expect(other.connected).toBe(true);
  });
});

describe('sockets per employee', () => {
  it('accepts at most MAX_SOCKETS_PER_EMPLOYEE of one employee connecting at once, and frees a place on disconnect', async () => {
    const app = await start({ env: { MAX_SOCKETS_PER_EMPLOYEE: '3' } });
    const cookie = await app.signIn('celina');
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => connectWithCookie(app.url, cookie, undefined, tabs)));
    const accepted = results.filter((r): r is PromiseFulfilledResult<ClientSocket> => r.status === 'fulfilled').map((r) => r.value);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(accepted).toHaveLength(3);
    expect(refused).toHaveLength(9);
    for (const r of refused) {
      expect((r.reason as Error).message).toBe('TOO_MANY_CONNECTIONS');
      expect((r.reason as Error & { data?: unknown }).data).toEqual({ limit: 3 });
    }
    // Someone else is not affected.
    expect((await connectWithCookie(app.url, await app.signIn('darek'), undefined, tabs)).connected).toBe(true);

    const leaving = accepted[0]!;
    const serverSide = app.app.io.of('/').sockets.get(leaving.id!);
    const gone = new Promise((resolve) => serverSide!.once('disconnect', resolve));
    leaving.disconnect();
    await gone;
    expect((await connectWithCookie(app.url, cookie, undefined, tabs)).connected).toBe(true);
    await expect(connectWithCookie(app.url, cookie, undefined, tabs)).rejects.toThrow('TOO_MANY_CONNECTIONS');
  });

  it('frees the place of a client that dropped while its handshake was still authenticating', async () => {
    // Holds the handshake's session lookup until the test lets it go.
    let hold: { entered: () => void; release: Promise<void> } | null = null;
    const app = await start({
      env: { MAX_SOCKETS_PER_EMPLOYEE: '3' },
      wrapStore: (store) =>
        beforeStoreCall(store, 'sessions', 'findValid', async () => {
          const held = hold;
          hold = null;
          if (held) {
            held.entered();
            await held.release;
          }
        }),
    });
    const cookie = await app.signIn('celina');
    for (let i = 0; i < 4; i += 1) {
      let release!: () => void;
      const entered = new Promise<void>((resolve) => {
        hold = { entered: resolve, release: new Promise<void>((r) => (release = r)) };
      });
      const serverClosed = new Promise<void>((resolve) => app.app.io.engine.once('connection', (conn: { once: (e: string, f: () => void) => void }) => conn.once('close', resolve)));
      // Never settles: the client closes before either 'connect' or 'connect_error'.
      void connectWithCookie(app.url, cookie, undefined, tabs);
      await entered;
      // The client gives up mid-handshake: its transport closes before the server finished authenticating it.
      tabs.at(-1)!.io.engine.close();
      await serverClosed;
      release();
    }
    const sockets = await Promise.all([1, 2, 3].map(() => connectWithCookie(app.url, cookie, undefined, tabs)));
    for (const socket of sockets) expect(socket.connected).toBe(true);
  });
});
