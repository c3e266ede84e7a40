/**
 * Socket.IO attached to the Fastify server. Fastify's hooks do not see this traffic, so the handshake does its
 * own Origin check and cookie authentication here. Each employee's sockets join `employee:<id>` so every tab
 * gets every event; each session's sockets join `session:<hash>` so signing out drops exactly those. What the
 * services publish reaches the rooms through event-relay.ts.
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server } from 'socket.io';
import type { FastifyBaseLogger } from 'fastify';
import { fastifyCookie } from '@fastify/cookie';
import type { Clock } from '../../ports/clock.js';
import type { DomainEvents } from '../../ports/events.js';
import type { AuthService } from '../../services/auth.js';
import type { PresenceService } from '../../services/presence.js';
import { SESSION_COOKIE } from '../http/auth-hooks.js';
import { createCommandDispatcher, type HandlerDeps } from './handlers.js';
import { employeeRoom, relayDomainEvents, sessionRoom } from './event-relay.js';
import { endExpired, SocketsPerEmployee, watchSessions } from './session-guards.js';
import type { DepeszaServer, DepeszaSocket } from './types.js';

/** Socket.IO's own hard stop; frames above the 64 KB contract limit get an error ack from the handlers first. */
const HARD_FRAME_LIMIT = 1024 * 1024;
const MAX_TIMER_MS = 2 ** 31 - 1;


export interface SocketServerDeps extends Omit<HandlerDeps, 'logger'> {
  httpServer: HttpServer;
  auth: AuthService;
  presence: PresenceService;
  /** What the services publish; relayed to the sockets by event-relay.ts. */
  events: DomainEvents;
  allowedOrigins: () => Set<string>;
  logger: FastifyBaseLogger;
  clock: Clock;
  /** Open sockets one employee may hold on this process (MAX_SOCKETS_PER_EMPLOYEE). */
  socketsPerEmployee: number;
  /** How often the sessions behind open sockets are looked up again in the store. */
  sessionCheckMs: number;
}

export function createSocketServer(deps: SocketServerDeps): DepeszaServer {
  const io: DepeszaServer = new Server(deps.httpServer, {
    maxHttpBufferSize: HARD_FRAME_LIMIT,
    perMessageDeflate: false,
    serveClient: false,
    // No connectionStateRecovery: it keeps every packet emitted (to anyone) in memory for 2–3 minutes, so the heap
    // grows with traffic (npm run bench: 261 MiB after 1000 connects), and clients already catch up by seq.
    allowRequest: (req: IncomingMessage, callback) => {
      // Browsers always send Origin cross-site; a same-origin polling GET or a non-browser client may omit it.
      const origin = req.headers.origin;
      if (origin === undefined || deps.allowedOrigins().has(origin)) return callback(null, true);
      deps.logger.warn({ origin }, 'socket refused: foreign Origin');
      callback('Origin not allowed', false);
    },
  });

  const socketCap = new SocketsPerEmployee(deps.socketsPerEmployee);
  io.use(async (socket, next) => {
    try {
      const header = socket.request.headers.cookie;
      const found = await deps.auth.authenticate(header ? fastifyCookie.parse(header)[SESSION_COOKIE] : undefined);
      if (!found) return next(new Error('UNAUTHENTICATED'));
      if (!socketCap.reserve(found.employee.id, socket)) {
        const refusal = new Error('TOO_MANY_CONNECTIONS') as Error & { data: { limit: number } };
        refusal.data = { limit: socketCap.limit };
        return next(refusal);
      }
      socket.data.employee = found.employee;
      socket.data.tokenHash = found.tokenHash;
      socket.data.expiresAt = found.expiresAt.getTime();
      next();
    } catch (error) {
      deps.logger.error({ err: error }, 'socket authentication failed');
      next(new Error('INTERNAL'));
    }
  });

  const stopWatching = watchSessions(io, deps.auth.sessionStillValid, deps.sessionCheckMs, (error) =>
    deps.logger.error({ err: error }, 'socket session check failed'),
  );
  deps.httpServer.once('close', stopWatching);

  const attachCommands = createCommandDispatcher(deps);
  // One listener shared by every socket (`this` is the socket), not closures per socket: an idle connection's
  // heap is mostly what it holds (npm run bench, memory per idle connection).
  function left(this: DepeszaSocket): void {
    clearTimeout(this.data.expiry);
    deps.presence.disconnected(this.data.employee.id, this.id);
  }
  io.on('connection', (socket) => {
    const { employee, tokenHash, expiresAt } = socket.data;
    void socket.join([employeeRoom(employee.id), sessionRoom(tokenHash)]);
    // Armed here, not in the handshake: a socket whose transport closed before it connected holds no timer.
    const untilExpiry = Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - deps.clock.now().getTime()));
    socket.data.expiry = setTimeout(endExpired, untilExpiry, socket).unref();
    deps.presence.connected(employee.id, socket.id);
    socket.on('disconnect', left);
    attachCommands(socket);
  });

  const stopRelay = relayDomainEvents(deps.events, io);
  deps.httpServer.once('close', stopRelay);
  return io;
}
