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
  /** When the session ends (ms since the epoch): the socket is ended then, or on its first command after. */
  expiresAt: number;
  /** The timer that ends the socket at `expiresAt`, from its connection on. */
  expiry?: NodeJS.Timeout;
}

/** Between Depesza processes (serverSideEmit through the adapter): presence, see presence-peers.ts. */
export interface InterServerEvents {
  'presence:ask': (employeeIds: string[] | null, answer: (entries: PresenceEntry[]) => void) => void;
  'presence:told': (entries: PresenceEntry[]) => void;
}

export type DepeszaServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type DepeszaSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
