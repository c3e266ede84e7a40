/**
 * The load generator's clients: socket.io-client over the websocket transport only, no reconnection (a
 * reconnect during a measured step makes it invalid, so it must be seen, not healed). Depesza clients carry the
 * session cookie of a real sign-in; relay clients name themselves in the handshake.
 */
import { io, type Socket } from 'socket.io-client';
import { installFastPath, type FastPath, type SinkSlot } from './fast-path.js';

/** Where every bench client hands its `message:new` frames while a load step runs (see fast-path.ts). */
export const frameSink: SinkSlot = { current: null };

export type ServerKind = 'relay' | 'depesza';

export interface Identity {
  /** Employee id (Depesza) or the id the relay client names itself with. */
  id: string;
  /** Depesza only: `depesza_session=…`. */
  cookie?: string;
}

export interface BenchClient {
  id: string;
  socket: Socket;
  /** Set once connected. */
  fast: FastPath;
  /** Unplanned disconnects since connecting. */
  drops: number;
  closing: boolean;
}

export function connectClient(url: string, kind: ServerKind, identity: Identity, timeoutMs = 30_000): Promise<BenchClient> {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
    ...(kind === 'depesza' ? { extraHeaders: { cookie: identity.cookie ?? '' } } : { auth: { id: identity.id } }),
  });
  const client: BenchClient = { id: identity.id, socket, fast: null as unknown as FastPath, drops: 0, closing: false };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      client.fast = installFastPath(socket, identity.id, frameSink);
      socket.on('disconnect', () => {
        if (!client.closing) client.drops += 1;
      });
      resolve(client);
    });
    socket.once('connect_error', (error) => {
      socket.close();
      reject(new Error(`${kind} client ${identity.id} could not connect: ${error.message}`));
    });
  });
}

/** Runs `work` over `items` with at most `concurrency` in flight, keeping the input order in the output. */
export async function inBatches<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await work(items[index] as T, index);
    }
  });
  await Promise.all(workers);
  return out;
}

export async function connectAll(url: string, kind: ServerKind, identities: Identity[], concurrency = 50): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  try {
    await inBatches(identities, concurrency, async (identity) => {
      clients.push(await connectClient(url, kind, identity));
    });
  } catch (error) {
    closeAll(clients);
    throw error;
  }
  // Keep the order of `identities` so index i is the same person for both servers.
  const byId = new Map(clients.map((c) => [c.id, c]));
  return identities.map((identity) => byId.get(identity.id) as BenchClient);
}

/** From now on a disconnect of these clients is expected (the server is about to be stopped). */
export function expectClose(clients: BenchClient[]): void {
  for (const client of clients) client.closing = true;
}

export function closeAll(clients: BenchClient[]): void {
  for (const client of clients) {
    client.closing = true;
    client.socket.removeAllListeners();
    client.socket.close();
  }
}

export function drops(clients: BenchClient[]): number {
  return clients.reduce((total, c) => total + c.drops, 0);
}

/** Signs in over HTTP and returns the session cookie (name=value). */
export async function signIn(url: string, login: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${login} failed: HTTP ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie.includes('=')) throw new Error(`sign-in of ${login} returned no session cookie`);
  return cookie;
}

export async function emitWithAck<T>(socket: Socket, event: string, payload: unknown, timeoutMs = 10_000): Promise<T> {
  return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as T;
}
