/**
 * The server's Socket.IO types, in their own module so the command table and the socket server can both use them
 * without importing each other.
 */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../shared/protocol.js';
import type { Employee } from '../../domain/entities.js';

export interface SocketData {
  employee: Employee;
  tokenHash: string;
}

export type DepeszaServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type DepeszaSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
