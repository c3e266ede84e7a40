/**
 * What services need from the real-time edge, without knowing it is Socket.IO: push an event to every device of
 * some employees, and drop connections whose session ended.
 */
import type { ServerToClientEvents } from '../../../shared/protocol.js';

export interface Realtime {
  emitToEmployees<E extends keyof ServerToClientEvents>(
    employeeIds: Iterable<string>,
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void;
  /** Particular connections (socket ids), e.g. tabs that just connected. */
  emitToDevices<E extends keyof ServerToClientEvents>(
    deviceIds: Iterable<string>,
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void;
  /** Every connected employee (presence changes). */
  emitToAll<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  endSession(tokenHash: string, reason: 'signed-out' | 'expired'): void;
  /** Every socket of the employee, but those of `exceptTokenHash`'s session. */
  endEmployee(employeeId: string, reason: 'deactivated' | 'password-changed', exceptTokenHash?: string): void;
}

/** Until the socket layer is attached (and in HTTP-only tests) events go nowhere. */
export const noRealtime: Realtime = {
  emitToEmployees: () => undefined,
  emitToDevices: () => undefined,
  emitToAll: () => undefined,
  endSession: () => undefined,
  endEmployee: () => undefined,
};
