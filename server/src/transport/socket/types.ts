/**
 * The server's Socket.IO types, in their own module so the command table and the socket server can both use them
 * without importing each other.
 */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, PresenceEntry, ServerToClientEvents } from '../../../../shared/protocol.js';
import type { Employee } from '../../domain/entities.js';

export interface SocketData {
  employee: Employee;
  tokenHash: string;
}

/** Between Depesza processes (serverSideEmit through the adapter): presence, see presence-peers.ts. */
export interface InterServerEvents {
  'presence:ask': (employeeIds: string[] | null, answer: (entries: PresenceEntry[]) => void) => void;
  'presence:told': (entries: PresenceEntry[]) => void;
}

export type DepeszaServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type DepeszaSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
