/**
 * A tab's presence subscription as Socket.IO rooms, one per watched person: the relay's emit to `presence:<id>`
 * then reaches exactly the tabs watching them, on every process (the adapter carries room emits), with no
 * watcher list of our own to keep in step with connects and disconnects (a socket leaves its rooms when it closes).
 *
 * The adapter keeps each socket's rooms as the very strings it was given, so a room name built anew for every join
 * was held once per watching socket (about 4 KiB per tab watching 60 people, measured: bench memory scenario).
 * One name per room is shared instead, and forgotten when the adapter deletes the emptied room, so the table
 * never outgrows the rooms that exist.
 */
import { presenceRoom } from './event-relay.js';
import type { DepeszaSocket } from './types.js';

const PREFIX = presenceRoom('');

type Adapter = DepeszaSocket['nsp']['adapter'];

const namesByAdapter = new WeakMap<Adapter, Map<string, string>>();

function roomNames(adapter: Adapter): Map<string, string> {
  let names = namesByAdapter.get(adapter);
  if (!names) {
    const created = new Map<string, string>();
    adapter.on('delete-room', (room: string) => created.delete(room));
    namesByAdapter.set(adapter, created);
    names = created;
  }
  return names;
}

/** The one shared name of the person's presence room while it exists (or is about to be joined). */
export function sharedPresenceRoom(adapter: Adapter, employeeId: string): string {
  const names = roomNames(adapter);
  const name = presenceRoom(employeeId);
  const shared = names.get(name);
  if (shared !== undefined) return shared;
  names.set(name, name);
  return name;
}

/** How many presence room names are held for this adapter (the rooms that exist; for tests). */
export function sharedPresenceRoomCount(adapter: Adapter): number {
  return namesByAdapter.get(adapter)?.size ?? 0;
}

/** Makes the socket watch exactly these people: joins the new rooms, leaves those no longer named. */
export function rewatch(socket: DepeszaSocket, employeeIds: readonly string[]): void {
  const adapter = socket.nsp.adapter;
  const wanted = new Set(employeeIds.map((id) => sharedPresenceRoom(adapter, id)));
  for (const room of socket.rooms) if (room.startsWith(PREFIX) && !wanted.has(room)) void socket.leave(room);
  if (wanted.size > 0) void socket.join([...wanted]);
}
