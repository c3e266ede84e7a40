/**
 * Messages: opening a conversation (newest page), older pages, catch-up, live arrivals, receipts, typing, and the
 * outbox sender that keeps retrying `message:send` until the server acks.
 */
import { uuidv7 } from '../../../../shared/ids.js';
import type { Message } from '../../../../shared/schemas/index.js';
import { HISTORY_PAGE_SIZE } from '../../../../shared/limits.js';
import { ApiError, toApiError } from '../errors.js';
import { decideAfterSend, nextToSend, retryDelay, type OutboxEntry } from '../logic/outbox.js';
import { highestSeq, lowestSeq } from '../logic/thread.js';
import { router } from '../router.svelte.js';
import { isConnected, notify, request } from '../socket.js';
import { conversations } from '../state/conversations.svelte.js';
import { outbox } from '../state/outbox.svelte.js';
import { presence } from '../state/presence.svelte.js';
import { session } from '../state/session.svelte.js';
import { reportError } from './report-error.js';

export const SEND_TIMEOUT_MS = 5_000;
const CATCH_UP_PAGE = 200;
const TYPING_THROTTLE_MS = 3_000;
const RECEIPT_DELAY_MS = 150;

// ---------- opening and paging ----------

const opening = new Set<string>();

/** Loads the newest page the first time a conversation is opened in this tab, and places the unread marker. */
export async function openConversation(conversationId: string): Promise<void> {
  const thread = conversations.ensureThread(conversationId);
  const summary = conversations.get(conversationId);
  const myId = session.me?.id;
  const mine = summary?.members.find((m) => m.employeeId === myId);
  thread.firstUnreadSeq = summary && mine && summary.unread > 0 ? mine.readSeq + 1 : null;
  if (thread.status === 'ready') {
    if (summary && thread.lastKnownSeq < summary.lastSeq) void catchUp(conversationId);
    return;
  }
  if (!isConnected() || opening.has(conversationId)) return; // the resync after connecting opens it
  opening.add(conversationId);
  thread.status = 'loading';
  try {
    const page = await request('message:history', { conversationId, limit: HISTORY_PAGE_SIZE });
    thread.loadNewest(page.messages, page.hasMore);
    noteDeliveredFrom(conversationId, page.messages);
    const latest = conversations.get(conversationId);
    if (latest && thread.lastKnownSeq < latest.lastSeq) void catchUp(conversationId);
  } catch (error) {
    const apiError = toApiError(error);
    if (apiError.code === 'DISCONNECTED' || apiError.code === 'TIMEOUT') {
      conversations.dropThread(conversationId); // tried again after reconnecting
      return;
    }
    thread.status = 'error';
    if (apiError.code !== 'NOT_FOUND' && apiError.code !== 'FORBIDDEN') reportError(apiError, 'history');
  } finally {
    opening.delete(conversationId);
  }
}

export async function loadOlder(conversationId: string): Promise<void> {
  const thread = conversations.thread(conversationId);
  if (!thread || thread.status !== 'ready' || !thread.hasOlder || thread.loadingOlder) return;
  const beforeSeq = lowestSeq(thread.messages);
  if (beforeSeq === null || beforeSeq <= 1) {
    thread.hasOlder = false;
    return;
  }
  thread.loadingOlder = true;
  try {
    const page = await request('message:history', { conversationId, beforeSeq, limit: HISTORY_PAGE_SIZE });
    thread.addOlder(page.messages, page.hasMore);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'DISCONNECTED')) reportError(error, 'older messages');
  } finally {
    thread.loadingOlder = false;
  }
}

/** Fetches everything after the last contiguous seq, page by page, then fits in live messages held back. */
export async function catchUp(conversationId: string): Promise<void> {
  const thread = conversations.thread(conversationId);
  if (!thread || thread.status !== 'ready') return;
  if (thread.catchingUp) {
    thread.catchUpAgain = true;
    return;
  }
  thread.catchingUp = true;
  try {
    do {
      thread.catchUpAgain = false;
      let progressed = false;
      for (;;) {
        const page = await request('message:catchUp', { conversationId, afterSeq: thread.lastKnownSeq, limit: CATCH_UP_PAGE });
        const before = thread.lastKnownSeq;
        thread.addCatchUp(page.messages);
        noteDeliveredFrom(conversationId, page.messages);
        if (thread.lastKnownSeq > before) progressed = true;
        if (!page.hasMore || page.messages.length === 0) break;
      }
      if (thread.drain()) {
        // Still a hole the server had nothing for: show what we hold rather than loop.
        if (progressed) thread.catchUpAgain = true;
        else thread.acceptPending();
      }
    } while (thread.catchUpAgain && isConnected());
  } catch (error) {
    // Left for the next reconnect, which catches up every loaded conversation again.
    if (!(error instanceof ApiError && (error.code === 'DISCONNECTED' || error.code === 'TIMEOUT'))) {
      reportError(error, 'catch-up');
    }
  } finally {
    thread.catchingUp = false;
  }
}

// ---------- live arrivals ----------

let refreshTimer: ReturnType<typeof setTimeout> | null = null;

/** A conversation we did not know about (just created by someone else): fetch the list once things settle. */
function refreshListSoon(): void {
  if (refreshTimer) return;
  refreshTimer = setTimeout(async () => {
    refreshTimer = null;
    try {
      conversations.setAll(await request('conversation:list', {}));
    } catch {
      // The next reconnect refreshes it.
    }
  }, 300);
}

/** A stored message reached this tab, as a live event or as the ack of our own send. */
export function receiveMessage(message: Message): void {
  const myId = session.me?.id;
  if (!myId) return;
  const fromOther = message.senderId !== myId;
  if (!fromOther && outbox.get(message.clientId)) outbox.remove(message.clientId);
  if (!conversations.get(message.conversationId)) refreshListSoon();
  const viewing = router.openConversationId === message.conversationId && presence.visible;
  conversations.noteMessage(message, fromOther && !viewing);
  const thread = conversations.thread(message.conversationId);
  if (thread?.status === 'ready') {
    if (thread.receive(message) === 'gap') void catchUp(message.conversationId);
    if (fromOther && !presence.visible && thread.firstUnreadSeq === null) thread.firstUnreadSeq = message.seq;
  }
  if (fromOther) {
    presence.stopTyping(message.senderId, message.conversationId);
    markDelivered(message.conversationId, message.seq);
  }
}

// ---------- receipts ----------

const queuedReceipts = new Map<string, { delivered: number; read: number }>();
let receiptTimer: ReturnType<typeof setTimeout> | null = null;
/** Highest seq already reported per conversation and kind, so nothing is sent twice. */
const reported = new Map<string, { delivered: number; read: number }>();

function queueReceipt(conversationId: string, seq: number, kind: 'delivered' | 'read'): void {
  const done = reported.get(conversationId);
  if (done && done[kind] >= seq) return;
  const entry = queuedReceipts.get(conversationId) ?? { delivered: 0, read: 0 };
  entry[kind] = Math.max(entry[kind], seq);
  queuedReceipts.set(conversationId, entry);
  // Coalesced: a burst of messages costs one receipt per conversation, not one per message.
  receiptTimer ??= setTimeout(flushReceipts, RECEIPT_DELAY_MS);
}

/** Receipts still waiting for their timer go out at once when the tab is hidden or closed, so none is lost. */
export function flushReceiptsNow(): void {
  if (receiptTimer) clearTimeout(receiptTimer);
  flushReceipts();
}

function flushReceipts(): void {
  receiptTimer = null;
  const batch = [...queuedReceipts];
  queuedReceipts.clear();
  for (const [conversationId, { delivered, read }] of batch) {
    const done = reported.get(conversationId) ?? { delivered: 0, read: 0 };
    reported.set(conversationId, done);
    for (const [kind, seq] of [['delivered', delivered], ['read', read]] as const) {
      if (seq <= done[kind]) continue;
      done[kind] = seq;
      request('receipt:mark', { conversationId, seq, kind }).catch(() => {
        // Not reported: forget it so the next chance (reconnect, next message) reports it again.
        if (done[kind] === seq) done[kind] = 0;
      });
    }
  }
}

/** The message reached this device: delivered, unless the server already knows. */
export function markDelivered(conversationId: string, seq: number): void {
  const summary = conversations.get(conversationId);
  const mine = summary?.members.find((m) => m.employeeId === session.me?.id);
  if (seq <= 0 || (mine && mine.deliveredSeq >= seq)) return;
  queueReceipt(conversationId, seq, 'delivered');
}

function noteDeliveredFrom(conversationId: string, messages: readonly Message[]): void {
  const fromOthers = messages.filter((m) => m.senderId !== session.me?.id);
  if (fromOthers.length) markDelivered(conversationId, highestSeq(fromOthers));
}

/** The conversation is on screen and the tab visible: read up to the newest message. */
export function markConversationRead(conversationId: string): void {
  const myId = session.me?.id;
  const thread = conversations.thread(conversationId);
  const summary = conversations.get(conversationId);
  if (!myId || !thread || thread.status !== 'ready' || !summary) return;
  if (!presence.visible || router.openConversationId !== conversationId) return;
  const seq = highestSeq(thread.messages);
  const mine = summary.members.find((m) => m.employeeId === myId);
  if (seq > 0 && (!mine || mine.readSeq < seq)) queueReceipt(conversationId, seq, 'read');
  if (seq > 0) conversations.markReadLocally(conversationId, seq, myId);
}

// ---------- typing ----------

const lastTypingSent = new Map<string, number>();

/** Called on every keystroke; tells the others at most once per 3 s. */
export function noteTyping(conversationId: string): void {
  const now = Date.now();
  if (now - (lastTypingSent.get(conversationId) ?? 0) < TYPING_THROTTLE_MS) return;
  lastTypingSent.set(conversationId, now);
  notify('typing:start', { conversationId });
}

// ---------- sending: the outbox ----------

/** Puts the message in the (persisted) outbox first, then lets the sender deliver it. */
export function sendMessage(conversationId: string, text: string, notifySms: boolean): boolean {
  const trimmed = text.trim();
  if (!trimmed) return false;
  const entry: OutboxEntry = {
    // Time-ordered: the server's (sender, client id) index then grows at its end.
    clientId: uuidv7(),
    conversationId,
    text: trimmed,
    notifySms,
    createdAt: new Date().toISOString(),
    state: 'sending',
    error: null,
  };
  outbox.put(entry);
  lastTypingSent.delete(conversationId);
  kickOutbox();
  return true;
}

export function retryMessage(clientId: string): void {
  const entry = outbox.get(clientId);
  if (!entry) return;
  outbox.put({ ...entry, state: 'sending', error: null });
  kickOutbox(true);
}

export function discardMessage(clientId: string): void {
  outbox.remove(clientId);
}

let sending = false;
let failures = 0;
let wake: (() => void) | null = null;

/** Starts the sender, or wakes it from a backoff wait (`reset` after a reconnect: try again now). */
export function kickOutbox(reset = false): void {
  if (reset) failures = 0;
  if (wake) wake();
  else if (!sending) void runOutbox();
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      wake = null;
      resolve();
    };
    const timer = setTimeout(done, ms);
    wake = done;
  });
}

/** One message in flight at a time, oldest first, so each conversation keeps the order it was typed in. */
async function runOutbox(): Promise<void> {
  sending = true;
  try {
    while (session.status === 'signed-in' && isConnected()) {
      const entry = nextToSend(outbox.entries);
      if (!entry) break;
      let stored: Message | null = null;
      let error: ApiError | null = null;
      try {
        stored = await request(
          'message:send',
          { conversationId: entry.conversationId, clientId: entry.clientId, text: entry.text, notifySms: entry.notifySms },
          SEND_TIMEOUT_MS,
        );
      } catch (cause) {
        error = toApiError(cause);
      }
      const decision = stored ? 'stored' : decideAfterSend({ ok: false, code: error?.code ?? 'INTERNAL' });
      if (decision === 'stored' && stored) {
        failures = 0;
        outbox.remove(entry.clientId);
        receiveMessage(stored);
      } else if (decision === 'failed') {
        failures = 0;
        if (outbox.get(entry.clientId)) {
          outbox.put({ ...entry, state: 'failed', error: { code: error?.code ?? 'INTERNAL', message: error?.message ?? '' } });
        }
      } else if (decision === 'hold') {
        return;
      } else {
        failures++;
        await pause(retryDelay(failures));
      }
    }
  } finally {
    sending = false;
  }
}

/** Forgets per-session bookkeeping so the next person signing in on this tab starts clean. */
export function resetMessaging(): void {
  queuedReceipts.clear();
  reported.clear();
  lastTypingSent.clear();
  opening.clear();
  if (receiptTimer) clearTimeout(receiptTimer);
  receiptTimer = null;
  failures = 0;
  wake?.();
}
