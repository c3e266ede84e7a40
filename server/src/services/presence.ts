/**
 * Presence across several tabs and devices: an employee is online while any device is active, away while all
 * their devices are idle, offline when none is connected. Each process holds its own devices in memory; with
 * several processes it asks the others (PresencePeers) before announcing, so that closing a tab on one process
 * does not show someone offline who is still connected through another. Told in batches every 100 ms, and only
 * to the tabs watching the person (`watch`): nobody is sent the whole company's presence.
 */
import type { PresenceEntry } from '../../../shared/protocol.js';
import type { PresenceState } from '../../../shared/schemas/index.js';
import type { DomainEvents } from '../ports/events.js';
import type { PresencePeers } from '../ports/presence-peers.js';

/** Changes are told to everyone at most this often, together. */
export const PRESENCE_BATCH_MS = 100;

const RANK: Record<PresenceState, number> = { offline: 0, away: 1, online: 2 };
const livelier = (a: PresenceState, b: PresenceState): PresenceState => (RANK[a] >= RANK[b] ? a : b);

interface Device {
  id: string;
  state: 'online' | 'away';
}

/** An employee's devices on this process: the one device itself (the usual case), or a list of them. */
type Devices = Device | Device[];

const listOf = (held: Devices): Device[] => (Array.isArray(held) ? held : [held]);

export function createPresenceService(events: DomainEvents, batchMs = PRESENCE_BATCH_MS, peers: PresencePeers | null = null) {
  // Not a Map per employee: a connected person costs one small object (npm run bench, heap per idle connection).
  const devices = new Map<string, Devices>();
  // What everyone was last told (absent: offline) — by this process or, with peers, by any — and who may have
  // changed since.
  const announced = new Map<string, PresenceState>();
  const pending = new Set<string>();
  // With peers, subscriptions are answered at the next flush: one question to the other processes per window for
  // every tab that subscribed in it (a mass reconnect), not one per tab.
  const watchers: Array<{ employeeIds: string[]; answer: (entries: PresenceEntry[]) => void }> = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  // With peers a flush waits for their answers; the next one starts after it, so announcements keep their order.
  let flushing = false;

  function stateOf(employeeId: string): PresenceState {
    const mine = devices.get(employeeId);
    if (!mine) return 'offline';
    return listOf(mine).some((device) => device.state === 'online') ? 'online' : 'away';
  }

  function remember(entries: PresenceEntry[]): void {
    for (const { employeeId, state } of entries) {
      if (state === 'offline') announced.delete(employeeId);
      else announced.set(employeeId, state);
    }
  }

  /** Merges this process's devices with what the other processes hold (`elsewhere`). */
  function mergedWith(elsewhere: PresenceEntry[]): (employeeId: string) => PresenceState {
    const others = new Map<string, PresenceState>();
    for (const { employeeId, state } of elsewhere) others.set(employeeId, livelier(state, others.get(employeeId) ?? 'offline'));
    return (employeeId) => livelier(stateOf(employeeId), others.get(employeeId) ?? 'offline');
  }

  /** Announces a window's real changes (a tab that came and went within the window is no change at all). */
  function announce(changed: string[], merged: (employeeId: string) => PresenceState): void {
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
    const changed = [...pending];
    const waiting = watchers.splice(0);
    pending.clear();
    if (!peers) return announce(changed, stateOf);
    flushing = true;
    const asked = new Set(changed);
    for (const { employeeIds } of waiting) for (const id of employeeIds) asked.add(id);
    void peers
      .ask([...asked])
      .catch(() => [])
      .then((elsewhere) => {
        const merged = mergedWith(elsewhere);
        // Changes first: a tab that subscribed meanwhile is already in the rooms, so it hears them or their outcome.
        announce(changed, merged);
        for (const { employeeIds, answer } of waiting) answer(employeeIds.map((employeeId) => ({ employeeId, state: merged(employeeId) })));
      })
      .finally(() => {
        flushing = false;
        if (pending.size > 0 || watchers.length > 0) schedule();
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
    connected(employeeId: string, deviceId: string): void {
      change(employeeId, () => {
        const mine = devices.get(employeeId);
        const known = mine && listOf(mine).find((device) => device.id === deviceId);
        if (known) known.state = 'online';
        else devices.set(employeeId, mine ? [...listOf(mine), { id: deviceId, state: 'online' }] : { id: deviceId, state: 'online' });
      });
    },
    set(employeeId: string, deviceId: string, state: 'online' | 'away'): void {
      change(employeeId, () => {
        const mine = devices.get(employeeId);
        const known = mine && listOf(mine).find((device) => device.id === deviceId);
        if (known) known.state = state;
      });
    },
    disconnected(employeeId: string, deviceId: string): void {
      change(employeeId, () => {
        const mine = devices.get(employeeId);
        if (!mine) return;
        const rest = listOf(mine).filter((device) => device.id !== deviceId);
        if (rest.length === 0) devices.delete(employeeId);
        else devices.set(employeeId, rest.length === 1 ? (rest[0] as Device) : rest);
      });
    },
    snapshot,
    /**
     * The presence of these people now, one entry each (offline included), for a tab that has just subscribed to
     * them; their later changes reach it through the announcements. Alone, at once; with peers, at the next flush.
     */
    watch(employeeIds: string[]): Promise<PresenceEntry[]> {
      if (!peers) return Promise.resolve(employeeIds.map((employeeId) => ({ employeeId, state: stateOf(employeeId) })));
      return new Promise((answer) => {
        watchers.push({ employeeIds, answer });
        schedule();
      });
    },
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
