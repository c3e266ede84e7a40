/**
 * Presence across several tabs and devices: an employee is online while any device is active, away while all
 * their devices are idle, offline when none is connected. In memory per process.
 */
import type { PresenceState } from '../../../shared/schemas/index.js';
import type { Realtime } from '../ports/realtime.js';

export function createPresenceService(realtime: () => Realtime) {
  const devices = new Map<string, Map<string, 'online' | 'away'>>();

  function stateOf(employeeId: string): PresenceState {
    const mine = devices.get(employeeId);
    if (!mine || mine.size === 0) return 'offline';
    for (const state of mine.values()) if (state === 'online') return 'online';
    return 'away';
  }

  function change(employeeId: string, update: () => void): void {
    const before = stateOf(employeeId);
    update();
    const after = stateOf(employeeId);
    if (after !== before) realtime().emitToAll('presence:update', { employeeId, state: after });
  }

  return {
    stateOf,
    connected(employeeId: string, deviceId: string): void {
      change(employeeId, () => {
        const mine = devices.get(employeeId) ?? new Map<string, 'online' | 'away'>();
        mine.set(deviceId, 'online');
        devices.set(employeeId, mine);
      });
    },
    set(employeeId: string, deviceId: string, state: 'online' | 'away'): void {
      change(employeeId, () => devices.get(employeeId)?.set(deviceId, state));
    },
    disconnected(employeeId: string, deviceId: string): void {
      change(employeeId, () => {
        const mine = devices.get(employeeId);
        mine?.delete(deviceId);
        if (mine?.size === 0) devices.delete(employeeId);
      });
    },
    /** Everyone not offline, for a newly connected client. */
    snapshot(): Array<{ employeeId: string; state: PresenceState }> {
      return [...devices.keys()].map((employeeId) => ({ employeeId, state: stateOf(employeeId) }));
    },
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
