/**
 * Guards on a socket's life after the handshake: it ends when its session does, and one employee holds only so
 * many sockets. The handshake checks the session once; these keep that answer true while the socket stays open.
 */
import type { DepeszaServer, DepeszaSocket } from './types.js';

/** Tells the socket its session expired and ends it (if still connected). */
export function endExpired(socket: DepeszaSocket): void {
  if (!socket.connected) return;
  socket.emit('session:ended', { reason: 'expired' });
  socket.disconnect(true);
}

/**
 * Every `periodMs`, asks the store whether each session with a socket on this process still stands: a session
 * deleted or shortened behind this process's back (another process's clean-up, an operator) ends here too. One
 * lookup per distinct session, and never two rounds at once.
 */
export function watchSessions(
  io: DepeszaServer,
  stillValid: (tokenHash: string) => Promise<boolean>,
  periodMs: number,
  onError: (error: unknown) => void,
): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const byToken = new Map<string, DepeszaSocket[]>();
      for (const socket of io.of('/').sockets.values()) {
        const list = byToken.get(socket.data.tokenHash) ?? [];
        list.push(socket);
        byToken.set(socket.data.tokenHash, list);
      }
      for (const [tokenHash, sockets] of byToken) {
        if (!(await stillValid(tokenHash))) for (const socket of sockets) endExpired(socket);
      }
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
  }, periodMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * At most `limit` sockets of one employee on this process. Check and reservation are one synchronous step (the
 * last one of the async handshake), so parallel handshakes cannot all pass; a reservation is released when the
 * socket disconnects or, if the handshake never completes, when its transport closes; a transport already closed
 * gets no place.
 */
export class SocketsPerEmployee {
  // A count, not a set of socket ids: one number per employee (an idle connection's heap, npm run bench memory).
  private readonly held = new Map<string, number>();

  constructor(readonly limit: number) {}

  reserve(employeeId: string, socket: DepeszaSocket): boolean {
    // A client that dropped while the handshake awaited authentication has already fired 'close' (and will never
    // fire 'disconnect'): a place taken now would never be handed back.
    if (socket.conn.readyState !== 'open') return false;
    const count = this.held.get(employeeId) ?? 0;
    if (count >= this.limit) return false;
    this.held.set(employeeId, count + 1);
    let holding = true;
    const release = () => {
      if (!holding) return;
      holding = false;
      const left = (this.held.get(employeeId) ?? 1) - 1;
      if (left > 0) this.held.set(employeeId, left);
      else this.held.delete(employeeId);
    };
    // Each fires at most once and release is idempotent: `on`, as `once` would add a wrapper per socket.
    socket.on('disconnect', release);
    socket.conn.on('close', release);
    return true;
  }
}
