/** Signing in and out, restoring a session on load, and tearing everything down when a session ends. */
import type { ClientConfig } from '../../../../shared/http.js';
import { API } from '../../../../shared/http.js';
import type { Colleague, Me } from '../../../../shared/schemas/index.js';
import { api, ApiError, setUnauthenticatedHandler } from '../api.js';
import { href, router } from '../router.svelte.js';
import { conversations } from '../state/conversations.svelte.js';
import { notices } from '../state/notices.svelte.js';
import { notifications } from '../state/notifications.svelte.js';
import { outbox } from '../state/outbox.svelte.js';
import { people } from '../state/people.svelte.js';
import { presenceWatch } from '../managers/presence-wiring.svelte.js';
import { session, type EndReason } from '../state/session.svelte.js';
import { resetManagers } from '../managers/index.js';
import { on, preloadSocketClient } from '../socket.js';
import { smsOutcomes } from '../state/sms-outcomes.svelte.js';
import { startActivityTracking, stopActivityTracking } from './presence.js';
import { startRealtime, stopRealtime } from './realtime.js';
import { reportError } from './report-error.js';

on('session:ended', ({ reason }) => endSession(reason));

/** On page load: am I still signed in? */
export async function restoreSession(): Promise<void> {
  setUnauthenticatedHandler(() => endSession('expired'));
  try {
    const me = await api<Me>('GET', API.me, undefined, { quiet401: true });
    startSession(me);
  } catch (error) {
    session.signedOut(null);
    if (!(error instanceof ApiError && error.status === 401)) reportError(error, 'restore session');
  }
}

export async function signIn(login: string, password: string): Promise<void> {
  // Fetched while the server checks the password: the socket opens as soon as the session stands.
  void preloadSocketClient().catch(() => undefined);
  const me = await api<Me>('POST', API.session, { login, password }, { quiet401: true });
  startSession(me);
}

export async function signOut(): Promise<void> {
  try {
    await api<void>('DELETE', API.session, undefined, { quiet401: true });
  } catch (error) {
    // The cookie may already be gone; signing out locally is what the user asked for either way.
    console.warn('[depesza] sign out:', error);
  }
  endSession('signed-out');
}

function startSession(me: Me): void {
  session.signedIn(me);
  outbox.load(me.id);
  void loadConfig();
  void loadPeople();
  startRealtime(endSession);
  startActivityTracking();
}

/** Everything a signed-in tab holds is dropped; the unsent outbox stays stored for this employee's next sign-in. */
export function endSession(reason: EndReason): void {
  if (session.status !== 'signed-in') return;
  stopActivityTracking();
  stopRealtime();
  resetManagers();
  conversations.clear();
  people.clear();
  presenceWatch.reset();
  notifications.clear();
  notices.clear();
  smsOutcomes.reset();
  outbox.unload();
  session.signedOut(reason);
  router.go(href.home);
}

export async function loadConfig(): Promise<void> {
  try {
    session.setConfig(await api<ClientConfig>('GET', API.config));
  } catch (error) {
    reportError(error, 'load config');
  }
}

export async function loadPeople(): Promise<void> {
  try {
    people.set(await api<Colleague[]>('GET', API.employees));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) reportError(error, 'load colleagues');
  }
}
