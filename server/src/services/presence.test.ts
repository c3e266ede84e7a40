import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceEntry } from '../../../shared/protocol.js';
import type { Realtime } from '../ports/realtime.js';
import { createPresenceService, PRESENCE_BATCH_MS } from './presence.js';

describe('presence service', () => {
  let broadcasts: PresenceEntry[][];
  let presence: ReturnType<typeof createPresenceService>;

  beforeEach(() => {
    vi.useFakeTimers();
    broadcasts = [];
    const realtime = {
      emitToAll: (event: string, payload: { entries: PresenceEntry[] }) => {
        expect(event).toBe('presence:update');
        broadcasts.push(payload.entries);
      },
    } as unknown as Realtime;
    presence = createPresenceService(() => realtime);
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
