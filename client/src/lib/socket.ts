/**
 * The one module that owns the Socket.IO connection. Everything else goes through `request` (commands with an ack,
 * turned into promises), `notify` (fire-and-forget) and `on` (server events); managers receive these three as a
 * `SocketPort`, so their tests can hand them an in-memory one. Only the realtime actions open and close it.
 */
import type { Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  CommandName,
  CommandPayload,
  CommandResult,
  ServerToClientEvents,
} from '../../../shared/protocol.js';
import { ApiError, errorFromBody } from './errors.js';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type { CommandName, CommandPayload, CommandResult };

export type ServerEventName = keyof ServerToClientEvents;
export type NotifyName = 'typing:start' | 'presence:set';

/** What managers need of the connection; `appSocket` below is the real one. */
export interface SocketPort {
  request<E extends CommandName>(event: E, payload: CommandPayload<E>, timeoutMs?: number): Promise<CommandResult<E>>;
  notify<E extends NotifyName>(event: E, payload: CommandPayload<E>): void;
  isConnected(): boolean;
  /** Subscribes for as long as the page lives (across reconnects and sign-ins); returns the unsubscribe. */
  on<E extends ServerEventName>(event: E, handler: ServerToClientEvents[E]): () => void;
}

/** The connection's own life; server events go to `on` subscribers instead. */
export interface SocketListeners {
  connect: () => void;
  disconnect: (reason: string) => void;
  /** `willRetry` is false when the server refused the handshake and Socket.IO will not try again by itself. */
  connectError: (error: Error, willRetry: boolean) => void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

let socket: AppSocket | null = null;
let generation = 0;

type AnyHandler = (...args: never[]) => void;
/** Subscribers outlive any one Socket.IO instance, so a manager subscribes once, not per connection. */
const subscribers = new Map<string, Set<AnyHandler>>();

export function on<E extends ServerEventName>(event: E, handler: ServerToClientEvents[E]): () => void {
  let set = subscribers.get(event);
  if (!set) subscribers.set(event, (set = new Set()));
  set.add(handler as AnyHandler);
  return () => set.delete(handler as AnyHandler);
}

function dispatch(event: string, args: unknown[]): void {
  const set = subscribers.get(event);
  if (!set) return;
  for (const handler of [...set]) (handler as (...a: unknown[]) => void)(...args);
}

/**
 * Socket.IO's client is a third of the app's code and the sign-in page does not need it: it is fetched when a
 * session is about to open a socket (the sign-in form starts it alongside its request, see preloadSocketClient), so
 * a first visit that only shows the sign-in form does not download it.
 */
let client: Promise<typeof import('socket.io-client')> | null = null;

export function preloadSocketClient(): Promise<typeof import('socket.io-client')> {
  client ??= import('socket.io-client').catch((error: unknown) => {
    client = null; // the next session tries again
    throw error;
  });
  return client;
}

/**
 * After a server restart every tab reconnects at once. Socket.IO's default (1 s ± 50 %) packs them into one
 * second; ± 90 % around 2 s spreads the first attempt over 0.2–3.8 s, and later attempts back off up to 10 s
 * (each jittered too) while the server is still down — so a restart's reconnect storm arrives spread out.
 */
export const RECONNECT = { reconnectionDelay: 2_000, randomizationFactor: 0.9, reconnectionDelayMax: 10_000 } as const;

export async function openSocket(listeners: SocketListeners): Promise<void> {
  closeSocket();
  const mine = ++generation;
  const { io } = await preloadSocketClient();
  if (mine !== generation) return; // closed (signed out) while the client was loading
  const created: AppSocket = io({ autoConnect: false, withCredentials: true, ...RECONNECT });
  created.on('connect', listeners.connect);
  created.on('disconnect', (reason) => listeners.disconnect(reason));
  created.on('connect_error', (error) => listeners.connectError(error, created.active));
  created.onAny((event: string, ...args: unknown[]) => dispatch(event, args));
  socket = created;
  created.connect();
}

/** Tries again after a refused handshake (Socket.IO gives up on those by design). */
export function reconnectSocket(): void {
  if (socket && !socket.connected && !socket.active) socket.connect();
}

export function closeSocket(): void {
  generation++;
  if (!socket) return;
  socket.removeAllListeners();
  socket.offAny();
  socket.disconnect();
  socket = null;
}

export function isConnected(): boolean {
  return socket?.connected ?? false;
}

type LooseEmitter = { emit(event: string, ...args: unknown[]): unknown };

function isAck(value: unknown): value is Ack<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/**
 * Sends a command and resolves with the ack's data, or rejects with an ApiError carrying the server's code,
 * TIMEOUT when no ack came in time, or DISCONNECTED when there is no connection to send on (nothing is buffered:
 * callers that must deliver, like the outbox, retry on their own).
 */
export function request<E extends CommandName>(
  event: E,
  payload: CommandPayload<E>,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<CommandResult<E>> {
  const current = socket;
  if (!current || !current.connected) {
    return Promise.reject(new ApiError('DISCONNECTED', 'not connected'));
  }
  return new Promise((resolve, reject) => {
    const emitter = current.timeout(timeoutMs) as unknown as LooseEmitter;
    emitter.emit(event, payload, (error: Error | null, answer: unknown) => {
      if (error) {
        reject(new ApiError('TIMEOUT', `no answer to ${event} within ${timeoutMs} ms`));
      } else if (!isAck(answer)) {
        reject(new ApiError('INTERNAL', `malformed answer to ${event}`));
      } else if (answer.ok) {
        resolve(answer.data as CommandResult<E>);
      } else {
        reject(errorFromBody({ error: answer.error }, null));
      }
    });
  });
}

/** Fire-and-forget commands (typing, presence): dropped when offline, which is what they mean. */
export function notify<E extends NotifyName>(event: E, payload: CommandPayload<E>): void {
  const current = socket;
  if (!current || !current.connected) return;
  (current as unknown as LooseEmitter).emit(event, payload);
}

export const appSocket: SocketPort = { request, notify, isConnected, on };
