import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceEntry } from '../../../shared/protocol.js';
import type { PresenceAnswers, PresencePeers } from '../ports/presence-peers.js';
import { createEventBus } from './event-bus.js';
import { createPresenceService, PRESENCE_BATCH_MS } from './presence.js';

describe('presence service', () => {
  let broadcasts: PresenceEntry[][];
  let presence: ReturnType<typeof createPresenceService>;

  beforeEach(() => {
    vi.useFakeTimers();
    broadcasts = [];
    const events = createEventBus((error) => {
      throw error;
    });
    events.subscribe('presence.changed', ({ entries }) => broadcasts.push(entries));
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

  it('answers a subscription with exactly the people it names, offline ones included, at once when alone', async () => {
    presence.connected('anna', 'a1');
    presence.set('anna', 'a1', 'away');
    presence.connected('bartek', 'b1');
    const answer = await presence.watch(['anna', 'celina']);
    expect(answer).toEqual([
      { employeeId: 'anna', state: 'away' },
      { employeeId: 'celina', state: 'offline' },
    ]);
  });

  it('with peers, answers every subscription of a window after one question that names their people, merged', async () => {
    const questions: Array<string[] | null> = [];
    let served: PresenceAnswers | null = null;
    const peers: PresencePeers = {
      ask: async (ids) => {
        questions.push(ids);
        return [{ employeeId: 'darek', state: 'away' }];
      },
      tell: () => {},
      serve: (answers) => (served = answers),
    };
    const events = createEventBus((error) => {
      throw error;
    });
    const clustered = createPresenceService(events, PRESENCE_BATCH_MS, peers);
    clustered.connected('ewa', 'e1');
    const first = clustered.watch(['darek', 'ewa']);
    const second = clustered.watch(['filip']);
    await vi.advanceTimersByTimeAsync(PRESENCE_BATCH_MS);
    expect(await first).toEqual([
      { employeeId: 'darek', state: 'away' },
      { employeeId: 'ewa', state: 'online' },
    ]);
    expect(await second).toEqual([{ employeeId: 'filip', state: 'offline' }]);
    expect(questions).toHaveLength(1);
    expect(new Set(questions[0])).toEqual(new Set(['ewa', 'darek', 'filip']));
    // Another process asks this one about its own devices only.
    expect(served!.answer(['ewa', 'darek'])).toEqual([{ employeeId: 'ewa', state: 'online' }]);
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
