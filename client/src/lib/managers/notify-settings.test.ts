import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotifySettings } from '../../../../shared/schemas/index.js';
import { ApiError } from '../errors.js';
import { FakeSocket } from './testing/fake-socket.js';
import { nextMorning, NotifySettingsManager, storageKey } from './notify-settings.svelte.js';

/** A Storage over a Map: the manager only reads and writes its own key. */
class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

const NOW = new Date('2026-03-02T21:30:00');
const none: NotifySettings = { doNotDisturbUntil: null, muted: [] };

describe('NotifySettingsManager', () => {
  let socket: FakeSocket;
  let storage: MemoryStorage;
  let reported: unknown[];
  let settings: NotifySettingsManager;
  /** What the fake server holds; its commands answer with it, as the real one does. */
  let server: NotifySettings;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    socket = new FakeSocket();
    storage = new MemoryStorage();
    reported = [];
    server = none;
    socket.answer('notify:get', () => server);
    socket.answer('notify:mute', ({ conversationId, until }) => {
      const others = server.muted.filter((m) => m.conversationId !== conversationId);
      server = { ...server, muted: until === null ? others : [...others, { conversationId, until }] };
      return server;
    });
    socket.answer('notify:doNotDisturb', ({ until }) => (server = { ...server, doNotDisturbUntil: until }));
    settings = new NotifySettingsManager({ socket, storage: storage as unknown as Storage, now: () => new Date(), report: (e) => reported.push(e) });
  });
  afterEach(() => vi.useRealTimers());

  it('takes the server’s choices at sync and follows what another tab changes', async () => {
    server = { doNotDisturbUntil: null, muted: [{ conversationId: 'c1', until: 'forever' }] };
    await settings.sync('anna');
    expect(settings.isMuted('c1')).toBe(true);
    expect(settings.isMuted('c2')).toBe(false);

    socket.emit('notify:settings', { doNotDisturbUntil: '2026-03-03T07:00:00.000Z', muted: [] });
    expect(settings.isMuted('c1')).toBe(false);
    expect(settings.doNotDisturb).toBe(true);
  });

  it('mutes and unmutes through the server', async () => {
    await settings.sync('anna');
    const sent = settings.setMuted('c1', true);
    expect(settings.isMuted('c1')).toBe(true); // at once, before the answer
    await sent;
    expect(socket.payloads('notify:mute')).toEqual([{ conversationId: 'c1', until: 'forever' }]);
    await settings.setMuted('c1', false);
    expect(socket.payloads('notify:mute')[1]).toEqual({ conversationId: 'c1', until: null });
    expect(settings.isMuted('c1')).toBe(false);
  });

  it('turns do-not-disturb on until the next 08:00, and sees it end then', async () => {
    await settings.sync('anna');
    await settings.setDoNotDisturb(true);
    const until = nextMorning(NOW);
    expect(until.getHours()).toBe(8);
    expect(until.getDate()).toBe(3);
    expect(socket.payloads('notify:doNotDisturb')).toEqual([{ until: until.toISOString() }]);
    expect(settings.doNotDisturb).toBe(true);
    await vi.advanceTimersByTimeAsync(until.getTime() - NOW.getTime());
    expect(settings.doNotDisturb).toBe(false);
  });

  it('puts the state back and reports when the server refuses a change', async () => {
    await settings.sync('anna');
    socket.answer('notify:mute', () => {
      throw new ApiError('NOT_FOUND', 'No such conversation');
    });
    await settings.setMuted('gone', true);
    expect(settings.isMuted('gone')).toBe(false);
    expect(reported).toHaveLength(1);
  });

  it('carries what the earlier version kept in localStorage to the server once, then keeps only the sound', async () => {
    storage.setItem(storageKey('anna'), JSON.stringify({ muted: ['c1', 'left-since'], doNotDisturb: true, sound: false }));
    socket.answer('notify:mute', ({ conversationId, until }) => {
      if (conversationId === 'left-since') throw new ApiError('NOT_FOUND', 'No such conversation');
      server = { ...server, muted: [...server.muted, { conversationId, until: until as 'forever' }] };
      return server;
    });
    await settings.sync('anna');
    expect(socket.payloads('notify:mute')).toEqual([
      { conversationId: 'c1', until: 'forever' },
      { conversationId: 'left-since', until: 'forever' },
    ]);
    expect(socket.payloads('notify:doNotDisturb')).toEqual([{ until: nextMorning(NOW).toISOString() }]);
    expect(settings.isMuted('c1')).toBe(true);
    expect(settings.sound).toBe(false);
    expect(JSON.parse(storage.getItem(storageKey('anna'))!)).toEqual({ sound: false });
    expect(reported).toEqual([]);

    // The next connect finds nothing left to carry over.
    await settings.sync('anna');
    expect(socket.payloads('notify:mute')).toHaveLength(2);
    expect(socket.payloads('notify:doNotDisturb')).toHaveLength(1);
  });

  it('keeps the local value for the next connect when the server could not take it', async () => {
    storage.setItem(storageKey('anna'), JSON.stringify({ muted: ['c1'], sound: true }));
    socket.answer('notify:mute', () => {
      throw new ApiError('DISCONNECTED', 'not connected');
    });
    await settings.sync('anna');
    expect(JSON.parse(storage.getItem(storageKey('anna'))!)).toEqual({ muted: ['c1'], sound: true });
  });

  it('forgets everything at reset', async () => {
    server = { doNotDisturbUntil: '2026-03-03T07:00:00.000Z', muted: [{ conversationId: 'c1', until: 'forever' }] };
    await settings.sync('anna');
    settings.reset();
    expect(settings.isMuted('c1')).toBe(false);
    expect(settings.doNotDisturb).toBe(false);
  });
});
