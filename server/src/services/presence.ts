/**
 * Presence across several tabs and devices: an employee is online while any device is active, away while all
 * their devices are idle, offline when none is connected. Each process holds its own devices in memory; with
 * several processes it asks the others (PresencePeers) before announcing, so that closing a tab on one process
 * does not show someone offline who is still connected through another. Told in batches every 100 ms.
 */
import type { PresenceEntry } from '../../../shared/protocol.js';
import type { PresenceState } from '../../../shared/schemas/index.js';
import type { DomainEvents } from '../ports/events.js';
import type { PresencePeers } from '../ports/presence-peers.js';

/** Changes are told to everyone at most this often, together. */
export const PRESENCE_BATCH_MS = 100;

const RANK: Record<PresenceState, number> = { offline: 0, away: 1, online: 2 };
const livelier = (a: PresenceState, b: PresenceState): PresenceState => (RANK[a] >= RANK[b] ? a : b);

export function createPresenceService(events: DomainEvents, batchMs = PRESENCE_BATCH_MS, peers: PresencePeers | null = null) {
  const devices = new Map<string, Map<string, 'online' | 'away'>>();
  // What everyone was last told (absent: offline) — by this process or, with peers, by any — and who may have
  // changed since.
  const announced = new Map<string, PresenceState>();
  const pending = new Set<string>();
  // Tabs connected since the last flush: they get one snapshot, encoded once for all of them, so a mass reconnect
  // (thousands of tabs after a restart) encodes the list of who is online once per window, not once per tab.
  const newcomers = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  // With peers a flush waits for their answers; the next one starts after it, so announcements keep their order.
  let flushing = false;

  function stateOf(employeeId: string): PresenceState {
    const mine = devices.get(employeeId);
    if (!mine || mine.size === 0) return 'offline';
    for (const state of mine.values()) if (state === 'online') return 'online';
    return 'away';
  }

  function remember(entries: PresenceEntry[]): void {
    for (const { employeeId, state } of entries) {
      if (state === 'offline') announced.delete(employeeId);
      else announced.set(employeeId, state);
    }
  }

  /**
   * Announces a window's changes, merged with what the other processes hold (`elsewhere`): the tabs that
   * connected get one shared snapshot, then everyone one broadcast with every real change (a tab that came and
   * went within the window is no change at all).
   */
  function announce(tabs: string[], changed: string[], elsewhere: PresenceEntry[]): void {
    const others = new Map<string, PresenceState>();
    for (const { employeeId, state } of elsewhere) others.set(employeeId, livelier(state, others.get(employeeId) ?? 'offline'));
    const merged = (employeeId: string) => livelier(stateOf(employeeId), others.get(employeeId) ?? 'offline');
    if (tabs.length > 0) {
      const online = [...new Set([...devices.keys(), ...others.keys()])].map((employeeId) => ({ employeeId, state: merged(employeeId) }));
      if (online.length > 0) events.publish('presence.snapshot', { deviceIds: tabs, entries: online });
    }
    const entries: PresenceEntry[] = [];
    for (const employeeId of changed) {
      const state = merged(employeeId);
      if (state !== (announced.get(employeeId) ?? 'offline')) entries.push({ employeeId, state });
    }
    remember(entries);
    if (entries.length === 0) return;
    events.publish('presence.changed', { entries });
    peers?.tell(entries);
  }

  function flush(): void {
    timer = null;
    const tabs = [...newcomers];
    const changed = [...pending];
    newcomers.clear();
    pending.clear();
    if (!peers) return announce(tabs, changed, []);
    flushing = true;
    void peers
      .ask(tabs.length > 0 ? null : changed)
      .catch(() => [])
      .then((elsewhere) => announce(tabs, changed, elsewhere))
      .finally(() => {
        flushing = false;
        if (pending.size > 0 || newcomers.size > 0) schedule();
      });
  }

  function schedule(): void {
    if (!timer && !flushing) {
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

  /** Everyone not offline on this process. */
  function snapshot(): PresenceEntry[] {
    return [...devices.keys()].map((employeeId) => ({ employeeId, state: stateOf(employeeId) }));
  }

  peers?.serve({
    answer: (employeeIds) =>
      employeeIds === null
        ? snapshot()
        : employeeIds.filter((id) => devices.has(id)).map((employeeId) => ({ employeeId, state: stateOf(employeeId) })),
    told: remember,
  });

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
