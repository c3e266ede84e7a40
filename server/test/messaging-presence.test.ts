/**
 * Presence on demand over several tabs: a tab subscribes (`presence:watch`) to the people it shows and is answered
 * with their presence now, then hears changes of exactly them — online while any of their tabs is connected and
 * active, away when every tab is idle, offline when the last one closes — and nothing about anyone else.
 */
import { describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { Ack } from '../../shared/protocol.js';
import { PRESENCE_WATCH_MAX, type PresenceState } from '../../shared/schemas/index.js';
import { nextEvent, request, requestUnchecked, type ClientSocket } from './support/test-app.js';
import { appPerBlock } from './support/app-lifecycle.js';
import { errorOf, unwrap, watch } from './support/messaging.js';
import { sharedPresenceRoomCount } from '../src/transport/socket/presence-rooms.js';

type PresenceEntry = { employeeId: string; state: PresenceState };
type PresenceUpdate = { entries: PresenceEntry[] };
/** Every entry of every event seen, in order. */
const entriesOf = (events: PresenceUpdate[] | undefined) => (events ?? []).flatMap((u) => u.entries);
const has = (employeeId: string, state: PresenceState) => (u: PresenceUpdate) =>
  u.entries.some((e) => e.employeeId === employeeId && e.state === state);

describe('messaging: presence on demand', () => {
  const { t, tab, tabs } = appPerBlock();
  const close = async (socket: ClientSocket) => {
    const gone = nextEvent(socket, 'disconnect');
    socket.disconnect();
    await gone;
  };
  const ids = (logins: string[]) => Promise.all(logins.map((login) => t.idOf(login)));
  const subscribe = async (socket: ClientSocket, logins: string[]) => unwrap(await request(socket, 'presence:watch', { employeeIds: await ids(logins) })).entries;
  /** A tab of `login` that watches `logins`. */
  const watcher = async (login: string, logins: string[]) => {
    const socket = await tab(login);
    await subscribe(socket, logins);
    return socket;
  };
  /**
   * Presence goes out in timed batches, so "nothing was said" is proven by a later change rather than by waiting: a
   * marker colleague the observer watches (and who is offline) comes online after the action, and the batch that
   * tells of the marker carries, or comes after, any change the action caused. Returns every entry seen until then.
   */
  const entriesUntilMarker = async (observer: ClientSocket, marker: string, action: () => Promise<void>) => {
    const seen = watch<PresenceUpdate>([observer], 'presence:update');
    await action();
    const markerId = await t.idOf(marker);
    const markerOnline = nextEvent<PresenceUpdate>(observer, 'presence:update', has(markerId, 'online'));
    const markerTab = await tab(marker);
    await markerOnline;
    // Offline again before the next use: otherwise its leaving and coming back could share a batch, and say nothing.
    const markerOffline = nextEvent<PresenceUpdate>(observer, 'presence:update', has(markerId, 'offline'));
    await close(markerTab);
    await markerOffline;
    return entriesOf((await seen.settle())[0]);
  };
  /** Closes a tab and waits until the server, not only the client, has seen it go. */
  const closeOnServer = async (socket: ClientSocket) => {
    const id = socket.id as string;
    await close(socket);
    await expect.poll(() => t.app.io.of('/').sockets.has(id)).toBe(false);
  };
  const setPresence = async (socket: ClientSocket, state: 'online' | 'away') =>
    expect(unwrap(await request(socket, 'presence:set', { state }))).toBeNull();

  it('answers a subscription with the presence of exactly the people it names, offline ones included', async () => {
    await tab('darek');
    const ewa = await tab('ewa');
    await setPresence(ewa, 'away');
    const [darekId, ewaId, celinaId] = await ids(['darek', 'ewa', 'celina']);
    const observer = await tab('anna');
    // The away state is told within the batch window; the answer is the state now, whatever was announced.
    await expect
      .poll(async () => subscribe(observer, ['darek', 'ewa', 'celina', 'darek']))
      .toEqual([
        { employeeId: darekId, state: 'online' },
        { employeeId: ewaId, state: 'away' },
        { employeeId: celinaId, state: 'offline' },
      ]);
    expect(await subscribe(observer, [])).toEqual([]);
  });

  it('sends a new tab nobody\'s presence on connect: only what it subscribes to', async () => {
    await tab('darek');
    await tab('ewa');
    const cookie = await t.signIn('anna');
    const events: PresenceUpdate[] = [];
    const anna: ClientSocket = connect(t.url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
    tabs.push(anna);
    anna.on('presence:update', (u) => events.push(u));
    await nextEvent(anna, 'connect');
    const filipId = await t.idOf('filip');
    await subscribe(anna, ['filip']);
    const filipOnline = nextEvent<PresenceUpdate>(anna, 'presence:update', has(filipId, 'online'));
    const filip = await tab('filip');
    await filipOnline;
    // The old snapshot came within the batch window after connecting, long before filip's batch.
    expect(entriesOf(events)).toEqual([{ employeeId: filipId, state: 'online' }]);
    await close(filip);
  });

  it('tells a watcher when a watched person connects and disconnects, and nothing about people it does not watch', async () => {
    const [bartekId = '', celinaId = ''] = await ids(['bartek', 'celina']);
    const observer = await watcher('anna', ['bartek', 'darek']);
    const online = nextEvent<PresenceUpdate>(observer, 'presence:update', has(bartekId, 'online'));
    const bartek = await tab('bartek');
    expect((await online).entries).toEqual([{ employeeId: bartekId, state: 'online' }]);

    const unwatched = await entriesUntilMarker(observer, 'darek', async () => {
      const celina = await tab('celina');
      await closeOnServer(celina);
    });
    expect(unwatched.filter((e) => e.employeeId === celinaId)).toEqual([]);

    const offline = nextEvent<PresenceUpdate>(observer, 'presence:update', has(bartekId, 'offline'));
    await close(bartek);
    await offline;

    // A new subscription replaces the old one: bartek is no longer watched.
    await subscribe(observer, ['darek']);
    const dropped = await entriesUntilMarker(observer, 'darek', async () => {
      const again = await tab('bartek');
      await closeOnServer(again);
    });
    expect(dropped.filter((e) => e.employeeId === bartekId)).toEqual([]);
  });

  it('stays online while one of two tabs remains, and goes offline when both close', async () => {
    const observer = await watcher('anna', ['bartek', 'darek', 'ewa']);
    const bartekId = await t.idOf('bartek');
    const online = nextEvent<PresenceUpdate>(observer, 'presence:update', has(bartekId, 'online'));
    const first = await tab('bartek');
    await online;

    let second: ClientSocket | undefined;
    const noChange = await entriesUntilMarker(observer, 'darek', async () => {
      second = await tab('bartek');
    });
    expect(noChange.filter((u) => u.employeeId === bartekId)).toEqual([]);

    const stillOnline = await entriesUntilMarker(observer, 'ewa', () => closeOnServer(first));
    expect(stillOnline.filter((u) => u.employeeId === bartekId)).toEqual([]);

    const offline = nextEvent<PresenceUpdate>(observer, 'presence:update', has(bartekId, 'offline'));
    await close(second as ClientSocket);
    expect((await offline).entries).toContainEqual({ employeeId: bartekId, state: 'offline' });
  });

  it('is away only when every tab is away, and online again when one becomes active or a new tab opens', async () => {
    const observer = await watcher('anna', ['celina', 'filip']);
    const celinaId = await t.idOf('celina');
    const aboutCelina = (state: PresenceState) => has(celinaId, state);

    const online = nextEvent<PresenceUpdate>(observer, 'presence:update', aboutCelina('online'));
    const first = await tab('celina');
    const second = await tab('celina');
    await online;

    const notYet = await entriesUntilMarker(observer, 'filip', () => setPresence(first, 'away'));
    expect(notYet.filter((u) => u.employeeId === celinaId)).toEqual([]);

    const away = nextEvent<PresenceUpdate>(observer, 'presence:update', aboutCelina('away'));
    await setPresence(second, 'away');
    expect((await away).entries).toContainEqual({ employeeId: celinaId, state: 'away' });

    const back = nextEvent<PresenceUpdate>(observer, 'presence:update', aboutCelina('online'));
    await setPresence(first, 'online');
    await back;

    const awayAgain = nextEvent<PresenceUpdate>(observer, 'presence:update', aboutCelina('away'));
    await setPresence(first, 'away');
    await awayAgain;
    const newTab = nextEvent<PresenceUpdate>(observer, 'presence:update', aboutCelina('online'));
    await tab('celina');
    await newTab;
  });

  it('holds one room name per watched person, and lets it go when nobody watches them any more', async () => {
    const adapter = t.app.io.of('/').adapter;
    const presenceRooms = () => [...adapter.rooms.keys()].filter((room) => room.startsWith('presence:'));
    const [bartekId, celinaId] = await ids(['bartek', 'celina']);
    const first = await watcher('anna', ['bartek', 'celina']);
    const second = await watcher('darek', ['bartek', 'celina']);
    expect(presenceRooms()).toEqual(expect.arrayContaining([`presence:${bartekId}`, `presence:${celinaId}`]));
    expect(sharedPresenceRoomCount(adapter)).toBe(presenceRooms().length);

    await subscribe(second, ['bartek']);
    await closeOnServer(first);
    expect(presenceRooms()).toContain(`presence:${bartekId}`);
    expect(presenceRooms()).not.toContain(`presence:${celinaId}`);
    expect(sharedPresenceRoomCount(adapter)).toBe(presenceRooms().length);

    await closeOnServer(second);
    expect(presenceRooms()).not.toContain(`presence:${bartekId}`);
    expect(sharedPresenceRoomCount(adapter)).toBe(presenceRooms().length);
  });

  it('refuses malformed subscriptions and more than PRESENCE_WATCH_MAX people, naming the field', async () => {
    const anna = await tab('anna');
    const refused = async (payload: unknown, field: string) => {
      const error = errorOf(await requestUnchecked(anna, 'presence:watch', payload));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.field).toBe(field);
      return error;
    };
    await refused({}, 'employeeIds');
    await refused({ employeeIds: 'bartek' }, 'employeeIds');
    await refused({ employeeIds: [42] }, 'employeeIds/0');
    await refused({ employeeIds: ['ok', ''] }, 'employeeIds/1');
    await refused({ employeeIds: [], everyone: true }, 'everyone');
    const tooMany = await refused({ employeeIds: Array.from({ length: PRESENCE_WATCH_MAX + 1 }, (_, i) => `e${i}`) }, 'employeeIds');
    expect(tooMany).toMatchObject({ rule: 'range', limit: PRESENCE_WATCH_MAX });
    // The cap itself is fine.
    const atCap = unwrap(await request(anna, 'presence:watch', { employeeIds: Array.from({ length: PRESENCE_WATCH_MAX }, (_, i) => `e${i}`) }));
    expect(atCap.entries).toHaveLength(PRESENCE_WATCH_MAX);
  });

  it('keeps each tab at PRESENCE_WATCH_MAX people when several tabs send full subscriptions at once', async () => {
    const namespace = t.app.io.of('/');
    const watchedBy = (socket: ClientSocket) =>
      [...(namespace.adapter.sids.get(socket.id as string) ?? [])].filter((room) => room.startsWith('presence:'));
    // Three tabs of one person, each sending three different full lists and one list over the cap, all in flight together.
    // One sign-in for the three (a sign-in each would meet the sign-in throttle after this block's other tests).
    const sockets = await t.tabsOf('anna', 3);
    tabs.push(...sockets);
    const list = (tabIndex: number, round: number) => Array.from({ length: PRESENCE_WATCH_MAX }, (_, i) => `t${tabIndex}-r${round}-${i}`);
    const answers = await Promise.all(
      sockets.flatMap((socket, tabIndex) => [
        ...[0, 1, 2].map((round) => requestUnchecked(socket, 'presence:watch', { employeeIds: list(tabIndex, round) })),
        requestUnchecked(socket, 'presence:watch', { employeeIds: [...list(tabIndex, 9), 'one-too-many'] }),
      ]),
    );
    for (const [index, answer] of answers.entries()) {
      if (index % 4 === 3) expect(errorOf(answer)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'employeeIds', limit: PRESENCE_WATCH_MAX });
      else expect(unwrap(answer as Ack<{ entries: unknown[] }>).entries).toHaveLength(PRESENCE_WATCH_MAX);
    }
    // A subscription replaces the one before, so however the requests interleaved, a tab watches one whole list.
    for (const [tabIndex, socket] of sockets.entries()) {
      const rooms = watchedBy(socket);
      expect(rooms).toHaveLength(PRESENCE_WATCH_MAX);
      const rounds = new Set(rooms.map((room) => room.split('-')[1]));
      expect(rounds.size).toBe(1);
      expect(rooms.every((room) => room.startsWith(`presence:t${tabIndex}-`))).toBe(true);
    }
  });
});
