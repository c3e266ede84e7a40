/**
 * The connection's life: opens and closes the socket, recovers after the server dropped it, and runs the resync
 * after every (re)connect: presence, the outbox, the conversation list (then the threads catch up), notifications.
 */
import { API } from '../../../../shared/http.js';
import type { Me } from '../../../../shared/schemas/index.js';
import { api, ApiError } from '../api.js';
import { href } from '../router.svelte.js';
import { closeSocket, on, openSocket, reconnectSocket, request } from '../socket.js';
import { notifySettings, outboxSender, threads } from '../managers/index.js';
import { presenceWatch } from '../managers/presence-wiring.svelte.js';
import { connection } from '../state/connection.svelte.js';
import { conversations } from '../state/conversations.svelte.js';
import { notifications } from '../state/notifications.svelte.js';
import { session, type EndReason } from '../state/session.svelte.js';
import { smsOutcomes } from '../state/sms-outcomes.svelte.js';
import { notices } from '../state/notices.svelte.js';
import { i18n } from '../i18n/i18n.svelte.js';
import { sendPresenceNow } from './presence.js';
import { reportError } from './report-error.js';

// Events no manager owns; like the managers', these subscriptions last as long as the page.
// Stored for the Notifications page only: what needs the sender's attention is shown once per message by the SMS
// alert, fed by `sms:update` below, not as a toast per recipient per state.
on('notification:new', (notification) => {
  notifications.add(notification);
});
on('sms:update', ({ messageId, conversationId, dispatch }) => {
  const known = conversations.thread(conversationId)?.messages.find((message) => message.id === messageId)?.sms;
  if (known) smsOutcomes.seed(messageId, conversationId, known);
  smsOutcomes.apply(messageId, conversationId, dispatch);
});

on('ack:update', ({ messageId, conversationId, total, by }) => {
  conversations.thread(conversationId)?.updateAck(messageId, { total, by });
});
// A reminder to acknowledge: a toast here and, when the page is in the background and allowed, a system notification.
on('ack:reminder', ({ senderName, conversationId }) => {
  const text = i18n.t('ack.reminder', { name: senderName });
  notices.show(text, 'info', href.chat(conversationId));
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.visibilityState === 'hidden') {
    new Notification('Depesza', { body: text });
  }
});

// Admins only: the SMS account is running low (SMS_BALANCE_WARN_POINTS); the card on the SMS report says more.
on('sms:balanceLow', ({ points, warnBelow }) => {
  notices.show(i18n.t('smsBalance.low', { points: points.toFixed(2), warnBelow }), 'error', href.smsReport);
});

let syncGeneration = 0;
let recoveryTimer: ReturnType<typeof setTimeout> | null = null;
let recoveryAttempt = 0;
/** Ends the session when the server no longer accepts it; given by the session actions, which start realtime. */
let sessionLost: (reason: EndReason) => void = () => {};

export function startRealtime(onSessionLost: (reason: EndReason) => void): void {
  sessionLost = onSessionLost;
  connection.connecting();
  void openSocket({
    connect: () => {
      // A new socket watches nobody: subscribe again, and what the answer says replaces what was shown.
      presenceWatch.connected();
      connection.up();
      recoveryAttempt = 0;
      void syncAfterConnect();
    },
    disconnect: (reason) => {
      connection.down();
      // The server closed this socket on purpose (restart, or a session that ended): Socket.IO will not come back
      // by itself, so find out which and reconnect if the session still stands.
      if (reason === 'io server disconnect') scheduleRecovery();
    },
    connectError: (_error, willRetry) => {
      connection.down();
      if (!willRetry) scheduleRecovery();
    },
  });
}

export function stopRealtime(): void {
  syncGeneration++;
  if (recoveryTimer) clearTimeout(recoveryTimer);
  recoveryTimer = null;
  closeSocket();
  connection.reset();
}

/** Asks the REST API whether the session still stands, then reconnects (or ends the session), with backoff. */
function scheduleRecovery(): void {
  if (recoveryTimer || session.status !== 'signed-in') return;
  const delay = Math.min(5_000, 500 * 2 ** recoveryAttempt) * (0.8 + 0.4 * Math.random());
  recoveryAttempt++;
  recoveryTimer = setTimeout(async () => {
    recoveryTimer = null;
    if (session.status !== 'signed-in' || connection.connected) return;
    try {
      await api<Me>('GET', API.me, undefined, { quiet401: true });
      reconnectSocket();
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.code === 'ACCOUNT_INACTIVE')) {
        sessionLost(error.code === 'ACCOUNT_INACTIVE' ? 'deactivated' : 'expired');
        return;
      }
      // Server down or restarting: keep trying.
      scheduleRecovery();
    }
  }, delay);
}

async function syncAfterConnect(): Promise<void> {
  const generation = ++syncGeneration;
  sendPresenceNow();
  outboxSender.kick(true);
  try {
    const list = await request('conversation:list', {});
    if (generation !== syncGeneration) return;
    conversations.setAll(list);
    threads.resync(list);
  } catch (error) {
    if (generation === syncGeneration && !(error instanceof ApiError && error.code === 'DISCONNECTED')) {
      reportError(error, 'conversation list');
    }
  }
  try {
    const me = session.me?.id;
    if (me) await notifySettings.sync(me);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'DISCONNECTED')) console.warn('[depesza] notification settings:', error);
  }
  if (generation !== syncGeneration) return;
  try {
    const list = await request('notification:list', {});
    if (generation !== syncGeneration) return;
    notifications.set(list.notifications, list.unread);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'DISCONNECTED')) console.warn('[depesza] notification list:', error);
  }
}
