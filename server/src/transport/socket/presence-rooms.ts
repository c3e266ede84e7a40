/**
 * A tab's presence subscription as Socket.IO rooms, one per watched person: the relay's emit to `presence:<id>`
 * then reaches exactly the tabs watching them, on every process (the adapter carries room emits), with no
 * watcher list of our own to keep in step with connects and disconnects (a socket leaves its rooms when it closes).
 */
import { presenceRoom } from './event-relay.js';
import type { DepeszaSocket } from './types.js';

const PREFIX = presenceRoom('');

/** Makes the socket watch exactly these people: joins the new rooms, leaves those no longer named. */
export function rewatch(socket: DepeszaSocket, employeeIds: readonly string[]): void {
  const wanted = new Set(employeeIds.map(presenceRoom));
  for (const room of socket.rooms) if (room.startsWith(PREFIX) && !wanted.has(room)) void socket.leave(room);
  if (wanted.size > 0) void socket.join([...wanted]);
}
