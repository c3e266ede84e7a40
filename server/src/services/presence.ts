/**
 * Presence across several tabs and devices: an employee is online while any device is active, away while all
 * their devices are idle, offline when none is connected. In memory per process. Told in batches every 100 ms.
 */
import type { PresenceEntry } from '../../../shared/protocol.js';
import type { PresenceState } from '../../../shared/schemas/index.js';
import type { DomainEvents } from '../ports/events.js';

/** Changes are told to everyone at most this often, together. */
export const PRESENCE_BATCH_MS = 100;

export function createPresenceService(events: DomainEvents, batchMs = PRESENCE_BATCH_MS) {
  const devices = new Map<string, Map<string, 'online' | 'away'>>();
  // What everyone was last told (absent: offline), and who may have changed since.
  const announced = new Map<string, PresenceState>();
  const pending = new Set<string>();
  // Tabs connected since the last flush: they get one snapshot, encoded once for all of them, so a mass reconnect
  // (thousands of tabs after a restart) encodes the list of who is online once per window, not once per tab.
  const newcomers = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  function stateOf(employeeId: string): PresenceState {
    const mine = devices.get(employeeId);
    if (!mine || mine.size === 0) return 'offline';
    for (const state of mine.values()) if (state === 'online') return 'online';
    return 'away';
  }

  /**
   * End of a window: the tabs that connected get one shared snapshot, then everyone one broadcast with every real
   * change (a tab that came and went within the window is no change at all).
   */
  function flush(): void {
    timer = null;
    if (newcomers.size > 0) {
      const online = snapshot();
      if (online.length > 0) events.publish('presence.snapshot', { deviceIds: [...newcomers], entries: online });
      newcomers.clear();
    }
    const entries: PresenceEntry[] = [];
    for (const employeeId of pending) {
      const state = stateOf(employeeId);
      if (state === (announced.get(employeeId) ?? 'offline')) continue;
      entries.push({ employeeId, state });
      if (state === 'offline') announced.delete(employeeId);
      else announced.set(employeeId, state);
    }
    pending.clear();
    if (entries.length > 0) events.publish('presence.changed', { entries });
  }

  function schedule(): void {
    if (!timer) {
      timer = setTimeout(flush, batchMs);
      timer.unref();
    }
  }

  function change(employeeId: string, update: () => void): void {
    const before = stateOf(employeeId);
    update();
    if (stateOf(employeeId) === before) return;
    pending.add(employeeId);
    schedule();
  }

  /** Everyone not offline. */
  function snapshot(): PresenceEntry[] {
    return [...devices.keys()].map((employeeId) => ({ employeeId, state: stateOf(employeeId) }));
  }

  return {
    stateOf,
    /** A new tab: it is told who is online at the next flush (within the batch window). */
    connected(employeeId: string, deviceId: string): void {
      newcomers.add(deviceId);
      schedule();
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
      newcomers.delete(deviceId);
      change(employeeId, () => {
        const mine = devices.get(employeeId);
        mine?.delete(deviceId);
        if (mine?.size === 0) devices.delete(employeeId);
      });
    },
    snapshot,
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
