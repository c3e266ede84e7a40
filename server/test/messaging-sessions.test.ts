/**
 * The socket handshake (session cookie and Origin allowlist), and sockets dropped at once when their session
 * ends: sign-out drops that session's tabs, deactivation drops all of the employee's; nobody else is touched.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { API } from '../../shared/http.js';
import type { Message } from '../../shared/schemas/index.js';
import { connectWithCookie, nextEvent, startTestApp, type ClientSocket, type TestApp } from './support/test-app.js';
import { closeAll, openDirect, send, watch } from './support/messaging.js';

type Ended = { reason: string };

describe('messaging: handshake and session end', () => {
  let t: TestApp;
  const tabs: ClientSocket[] = [];
  const open = async (cookie: string, origin?: string) => {
    const socket = await connectWithCookie(t.url, cookie, origin, tabs);
    return socket;
  };
  const refusal = (cookie: string, origin?: string) => open(cookie, origin).then(
    () => {
      throw new Error('the handshake was accepted');
    },
    (error: Error) => error,
  );
  /** Waits for the server to end the socket and returns what it said first. */
  const endOf = (socket: ClientSocket) =>
    Promise.all([nextEvent<Ended>(socket, 'session:ended'), nextEvent<string>(socket, 'disconnect')]);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterEach(() => closeAll(tabs));
  afterAll(async () => t.stop({ remove: true }));

  it('refuses a handshake without a session cookie or with an unknown one', async () => {
    expect((await refusal('')).message).toBe('UNAUTHENTICATED');
    expect((await refusal('depesza_session=made-up-token')).message).toBe('UNAUTHENTICATED');
    expect((await refusal(`depesza_session=${'x'.repeat(300)}`)).message).toBe('UNAUTHENTICATED');
  });

  it('refuses a foreign Origin even with a valid cookie, and accepts the app’s own', async () => {
    const cookie = await t.signIn('anna');
    const port = new URL(t.url).port;
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port}.evil.example`, 'http://127.0.0.1:1', 'null', `https://127.0.0.1:${port}`]) {
      await refusal(cookie, origin);
    }
    // Long-polling goes through the same check.
    const polling = (origin: string): ClientSocket => {
      const socket: ClientSocket = connect(t.url, { transports: ['polling'], extraHeaders: { cookie, origin }, reconnection: false, forceNew: true });
      tabs.push(socket);
      return socket;
    };
    const foreignPolling = polling('http://evil.example');
    await nextEvent(foreignPolling, 'connect_error');
    expect(foreignPolling.connected).toBe(false);
    await nextEvent(polling(t.url), 'connect');

    for (const origin of [t.url, `http://localhost:${port}`]) {
      const socket = await open(cookie, origin);
      expect(socket.connected).toBe(true);
    }
  });

  it('drops exactly the signed-out session’s sockets, with session:ended, and refuses that cookie afterwards', async () => {
    const firstBrowser = await t.signIn('anna');
    const secondBrowser = await t.signIn('anna');
    const [tabA, tabB] = [await open(firstBrowser), await open(firstBrowser)];
    const otherBrowser = await open(secondBrowser);
    const bartek = await open(await t.signIn('bartek'));
    const ends = [tabA, tabB].map(endOf);
    const survivors = watch([otherBrowser, bartek], 'disconnect');

    const response = await fetch(`${t.url}${API.session}`, { method: 'DELETE', headers: { cookie: firstBrowser } });
    expect(response.status).toBe(204);

    for (const [ended, reason] of await Promise.all(ends)) {
      expect(ended).toEqual({ reason: 'signed-out' });
      expect(reason).toBe('io server disconnect');
    }
    expect(await survivors.settle()).toEqual([[], []]);
    expect(otherBrowser.connected && bartek.connected).toBe(true);

    // The surviving session still works end to end.
    const conversation = await openDirect(t, otherBrowser, 'bartek');
    const arrival = nextEvent<Message>(bartek, 'message:new');
    const sent = await send(otherBrowser, conversation.id, 'still signed in here');
    expect((await arrival).id).toBe(sent.id);
    expect((await refusal(firstBrowser)).message).toBe('UNAUTHENTICATED');
  });

  it('drops every socket of a deactivated employee and leaves everyone else connected', async () => {
    const admin = await t.signIn('anna');
    const adminTab = await open(admin);
    const celinaCookies = [await t.signIn('celina'), await t.signIn('celina')];
    const celinaTabs = [await open(celinaCookies[0] as string), await open(celinaCookies[0] as string), await open(celinaCookies[1] as string)];
    const darek = await open(await t.signIn('darek'));
    const ends = celinaTabs.map(endOf);
    const survivors = watch([adminTab, darek], 'disconnect');

    const response = await fetch(`${t.url}${API.adminEmployee(await t.idOf('celina'))}`, {
      method: 'PATCH',
      headers: { cookie: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ active: false }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ login: 'celina', active: false });

    for (const [ended, reason] of await Promise.all(ends)) {
      expect(ended).toEqual({ reason: 'deactivated' });
      expect(reason).toBe('io server disconnect');
    }
    expect(await survivors.settle()).toEqual([[], []]);
    expect(adminTab.connected && darek.connected).toBe(true);
    for (const cookie of celinaCookies) expect((await refusal(cookie)).message).toBe('UNAUTHENTICATED');
    await expect(t.signIn('celina')).rejects.toThrow();
  });
});
