import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceEntry } from '../../../shared/protocol.js';
import { createEventBus } from './event-bus.js';
import { createPresenceService, PRESENCE_BATCH_MS } from './presence.js';

describe('presence service', () => {
  let broadcasts: PresenceEntry[][];
  let welcomes: Array<{ devices: string[]; entries: PresenceEntry[] }>;
  let presence: ReturnType<typeof createPresenceService>;

  beforeEach(() => {
    vi.useFakeTimers();
    broadcasts = [];
    welcomes = [];
    const events = createEventBus((error) => {
      throw error;
    });
    events.subscribe('presence.changed', ({ entries }) => broadcasts.push(entries));
    events.subscribe('presence.snapshot', ({ deviceIds, entries }) => welcomes.push({ devices: deviceIds, entries }));
    presence = createPresenceService(events);
  });
  afterEach(() => vi.useRealTimers());

  it('tells everyone about a burst of changes in one event, after the batch window', () => {
    for (let i = 0; i < 500; i++) presence.connected(`e${i}`, `socket-${i}`);
    expect(broadcasts).toEqual([]);
    vi.advanceTimersByTime(PRESENCE_BATCH_MS);
    expect(broadcasts).toHaveLength(1);
    expect(broadcasts[0]).toHaveLength(500);
    expect(broadcasts[0]).toContainEqual({ employeeId: 'e499', state: 'online' });
  });

  it('sends the tabs that connected within one window a single snapshot of who is online', () => {
    presence.connected('anna', 'a1');
    presence.set('anna', 'a1', 'away');
    vi.advanceTimersByTime(PRESENCE_BATCH_MS);
    expect(welcomes).toEqual([{ devices: ['a1'], entries: [{ employeeId: 'anna', state: 'away' }] }]);

    for (let i = 0; i < 300; i++) presence.connected(`e${i}`, `s${i}`);
    presence.connected('gone', 'g1');
    presence.disconnected('gone', 'g1');
    vi.advanceTimersByTime(PRESENCE_BATCH_MS);
    expect(welcomes).toHaveLength(2);
    const second = welcomes[1]!;
    expect(second.devices).toHaveLength(300);
    expect(second.devices).not.toContain('g1');
    expect(second.entries).toHaveLength(301);
    expect(second.entries).toContainEqual({ employeeId: 'anna', state: 'away' });
    expect(second.entries).toContainEqual({ employeeId: 'e299', state: 'online' });

    // Nobody new: no snapshot, however presence changes.
    presence.set('anna', 'a1', 'online');
    vi.advanceTimersByTime(PRESENCE_BATCH_MS);
    expect(welcomes).toHaveLength(2);
  });

  it('says nothing about a tab that came and went within the window, or a second tab of someone online', () => {
    presence.connected('anna', 's1');
    vi.advanceTimersByTime(PRESENCE_BATCH_MS);
    expect(broadcasts).toEqual([[{ employeeId: 'anna', state: 'online' }]]);

    presence.connected('bartek', 's2');
    presence.disconnected('bartek', 's2');
    presence.connected('anna', 's3');
    vi.advanceTimersByTime(PRESENCE_BATCH_MS * 3);
    expect(broadcasts).toHaveLength(1);
  });

  it('reports the state at the end of the window: away only when every device is away, offline when none is left', () => {
    presence.connected('celina', 'a');
    presence.connected('celina', 'b');
    presence.set('celina', 'a', 'away');
    vi.advanceTimersByTime(PRESENCE_BATCH_MS);
    expect(broadcasts.at(-1)).toEqual([{ employeeId: 'celina', state: 'online' }]);

    presence.set('celina', 'b', 'away');
    vi.advanceTimersByTime(PRESENCE_BATCH_MS);
    expect(broadcasts.at(-1)).toEqual([{ employeeId: 'celina', state: 'away' }]);
    expect(presence.snapshot()).toEqual([{ employeeId: 'celina', state: 'away' }]);

    presence.disconnected('celina', 'a');
    presence.disconnected('celina', 'b');
    vi.advanceTimersByTime(PRESENCE_BATCH_MS);
    expect(broadcasts.at(-1)).toEqual([{ employeeId: 'celina', state: 'offline' }]);
    expect(presence.snapshot()).toEqual([]);
  });
});
