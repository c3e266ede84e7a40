import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PRESENCE_WATCH_MAX } from '../../../../shared/schemas/index.js';
import { ApiError } from '../errors.js';
import { FakeSocket, NO_ANSWER } from './testing/fake-socket.js';
import { BARTEK, CELINA, DAREK } from './testing/fixtures.js';
import { PresenceWatch, WATCH_DEBOUNCE_MS } from './presence-watch.svelte.js';

describe('PresenceWatch', () => {
  let socket: FakeSocket;
  let watch: PresenceWatch;
  let reported: unknown[];
  /** The server's answer: everyone named is online unless listed otherwise. */
  let server: Record<string, 'online' | 'away' | 'offline'>;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    server = {};
    socket.answer('presence:watch', ({ employeeIds }) => ({
      entries: employeeIds.map((employeeId) => ({ employeeId, state: server[employeeId] ?? 'online' })),
    }));
    reported = [];
    watch = new PresenceWatch(socket, (error) => reported.push(error));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('subscribes once to a burst of changes of the wanted set, after a quiet moment, and shows the answer', async () => {
    server = { [CELINA]: 'away' };
    watch.want([BARTEK]);
    watch.want([BARTEK, CELINA]);
    watch.want([BARTEK, CELINA, BARTEK]);
    expect(socket.payloads('presence:watch')).toEqual([]);
    const sent = socket.next('presence:watch');
    await vi.advanceTimersByTimeAsync(WATCH_DEBOUNCE_MS);
    expect(await sent).toEqual({ employeeIds: [BARTEK, CELINA] });
    expect(socket.payloads('presence:watch')).toHaveLength(1);
    expect([watch.of(BARTEK), watch.of(CELINA), watch.of(DAREK)]).toEqual(['online', 'away', 'offline']);

    // The same set again (in another order) asks nothing.
    watch.want([CELINA, BARTEK]);
    await vi.advanceTimersByTimeAsync(WATCH_DEBOUNCE_MS * 2);
    expect(socket.payloads('presence:watch')).toHaveLength(1);
  });

  it('applies changes of watched people only, and forgets those no longer watched', async () => {
    watch.want([BARTEK]);
    await vi.advanceTimersByTimeAsync(WATCH_DEBOUNCE_MS);
    socket.emit('presence:update', { entries: [{ employeeId: BARTEK, state: 'away' }, { employeeId: DAREK, state: 'online' }] });
    expect([watch.of(BARTEK), watch.of(DAREK)]).toEqual(['away', 'offline']);

    server = { [BARTEK]: 'away' };
    watch.want([CELINA]);
    await vi.advanceTimersByTimeAsync(WATCH_DEBOUNCE_MS);
    expect(watch.watching).toEqual([CELINA]);
    expect([watch.of(BARTEK), watch.of(CELINA)]).toEqual(['offline', 'online']);
    socket.emit('presence:update', { entries: [{ employeeId: BARTEK, state: 'online' }] });
    expect(watch.of(BARTEK)).toBe('offline');
  });

  it('subscribes again at once after every reconnect, and waits for a connection while there is none', async () => {
    socket.connected = false;
    watch.want([BARTEK]);
    await vi.advanceTimersByTimeAsync(WATCH_DEBOUNCE_MS);
    expect(socket.payloads('presence:watch')).toEqual([]);

    socket.connected = true;
    watch.connected();
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.payloads('presence:watch')).toEqual([{ employeeIds: [BARTEK] }]);

    // A restart: the new socket watches nobody, and what the server answers now replaces what was shown.
    server = { [BARTEK]: 'offline' };
    watch.connected();
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.payloads('presence:watch')).toHaveLength(2);
    expect(watch.of(BARTEK)).toBe('offline');
  });

  it('keeps the newest subscription when an older answer comes late', async () => {
    let late: ((value: { entries: { employeeId: string; state: 'online' }[] }) => void) | null = null;
    socket.answer('presence:watch', ({ employeeIds }) =>
      employeeIds.includes(BARTEK)
        ? new Promise((resolve) => (late = resolve))
        : { entries: employeeIds.map((employeeId) => ({ employeeId, state: 'away' as const })) },
    );
    watch.want([BARTEK]);
    await vi.advanceTimersByTimeAsync(WATCH_DEBOUNCE_MS);
    watch.want([CELINA]);
    await vi.advanceTimersByTimeAsync(WATCH_DEBOUNCE_MS);
    late!({ entries: [{ employeeId: BARTEK, state: 'online' }] });
    await vi.advanceTimersByTimeAsync(0);
    expect([watch.of(BARTEK), watch.of(CELINA)]).toEqual(['offline', 'away']);
  });

  it('names at most PRESENCE_WATCH_MAX people, the first wanted', async () => {
    const many = Array.from({ length: PRESENCE_WATCH_MAX + 20 }, (_, i) => `e${i}`);
    watch.want(many);
    await vi.advanceTimersByTimeAsync(WATCH_DEBOUNCE_MS);
    expect(socket.payloads('presence:watch')[0]?.employeeIds).toEqual(many.slice(0, PRESENCE_WATCH_MAX));
  });

  it('reports a refusal but not a lost connection or a timeout, and tries again on the next change', async () => {
    socket.answer('presence:watch', () => NO_ANSWER);
    watch.want([BARTEK]);
    await vi.advanceTimersByTimeAsync(WATCH_DEBOUNCE_MS + 60_000);
    expect(reported).toEqual([]);
    socket.answer('presence:watch', () => {
      throw new ApiError('VALIDATION_FAILED', 'employeeIds');
    });
    watch.want([BARTEK, CELINA]);
    await vi.advanceTimersByTimeAsync(WATCH_DEBOUNCE_MS);
    expect(reported).toHaveLength(1);
  });

  it('reset forgets everything', async () => {
    watch.want([BARTEK]);
    await vi.advanceTimersByTimeAsync(WATCH_DEBOUNCE_MS);
    watch.reset();
    expect(watch.of(BARTEK)).toBe('offline');
    expect(watch.watching).toEqual([]);
  });
});
