/**
 * Presence over several tabs: online while any tab is connected and active, away when every tab is idle, offline
 * when the last tab closes. Its own app, because presence updates go to everyone connected.
 */
import { describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { PresenceState } from '../../shared/schemas/index.js';
import { nextEvent, request, type ClientSocket } from './support/test-app.js';
import { appPerBlock } from './support/app-lifecycle.js';
import { unwrap, watch } from './support/messaging.js';

type PresenceEntry = { employeeId: string; state: PresenceState };
type PresenceUpdate = { entries: PresenceEntry[] };
/** Every entry of every event seen, in order. */
const entriesOf = (events: PresenceUpdate[] | undefined) => (events ?? []).flatMap((u) => u.entries);
const has = (employeeId: string, state: PresenceState) => (u: PresenceUpdate) =>
  u.entries.some((e) => e.employeeId === employeeId && e.state === state);

describe('messaging: presence', () => {
  const { t, tab, tabs } = appPerBlock();
  const close = async (socket: ClientSocket) => {
    const gone = nextEvent(socket, 'disconnect');
    socket.disconnect();
    await gone;
  };
  /**
   * Presence goes out in timed batches, so "nothing changed" is proven by a later change rather than by waiting: a
   * marker colleague (never connected before) comes online after the action, and the batch that tells of the
   * marker carries, or comes after, any change the action caused. Returns every entry seen until then.
   */
  const entriesUntilMarker = async (observer: ClientSocket, marker: string, action: () => Promise<void>) => {
    const seen = watch<PresenceUpdate>([observer], 'presence:update');
    await action();
    const markerOnline = nextEvent<PresenceUpdate>(observer, 'presence:update', has(await t.idOf(marker), 'online'));
    await tab(marker);
    await markerOnline;
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

  it('stays online while one of two tabs remains, and goes offline when both close', async () => {
    const observer = await tab('anna');
    const bartekId = await t.idOf('bartek');
    const aboutBartek = (state: PresenceState) => has(bartekId, state);

    const online = nextEvent<PresenceUpdate>(observer, 'presence:update', aboutBartek('online'));
    const first = await tab('bartek');
    await online;

    let second: ClientSocket | undefined;
    const noChange = await entriesUntilMarker(observer, 'darek', async () => {
      second = await tab('bartek');
    });
    expect(noChange.filter((u) => u.employeeId === bartekId)).toEqual([]);

    const stillOnline = await entriesUntilMarker(observer, 'ewa', () => closeOnServer(first));
    expect(stillOnline.filter((u) => u.employeeId === bartekId)).toEqual([]);

    const offline = nextEvent<PresenceUpdate>(observer, 'presence:update', aboutBartek('offline'));
    await close(second as ClientSocket);
    expect((await offline).entries).toContainEqual({ employeeId: bartekId, state: 'offline' });
  });

  it('is away only when every tab is away, and online again when one becomes active or a new tab opens', async () => {
    const observer = await tab('anna');
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

  it('tells a newly connected tab who is online and who is away', async () => {
    const darek = await tab('darek');
    const ewa = await tab('ewa');
    await setPresence(ewa, 'away');
    const [darekId, ewaId] = [await t.idOf('darek'), await t.idOf('ewa')];

    // Listen before the handshake completes: the snapshot follows within the presence batch window.
    const cookie = await t.signIn('filip');
    const events: PresenceUpdate[] = [];
    const filip: ClientSocket = connect(t.url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
    tabs.push(filip);
    filip.on('presence:update', (u) => events.push(u));
    const filipId = await t.idOf('filip');
    await nextEvent<PresenceUpdate>(filip, 'presence:update', has(filipId, 'online'));

    // The snapshot is the first event, and one event however many colleagues are online.
    const snapshot = events[0]!.entries;
    expect(snapshot).toContainEqual({ employeeId: darekId, state: 'online' });
    expect(snapshot).toContainEqual({ employeeId: ewaId, state: 'away' });
    expect(snapshot.some((u) => u.state === 'offline')).toBe(false);
    expect(darek.connected).toBe(true);
  });
});
