/**
 * The outbox's pure parts: the entry shape, its localStorage persistence (read-modify-write per entry so two tabs
 * of the same employee do not overwrite each other's unsent messages) and the retry decisions.
 */
import { CLIENT_ID_WINDOW_MS } from '../../../../shared/limits.js';
import type { AttachmentView, SendMessageRequest } from '../../../../shared/schemas/index.js';

export type SmsSource = NonNullable<SendMessageRequest['smsSource']>;
import type { ClientErrorCode } from '../errors.js';

export type OutboxState = 'sending' | 'failed';

export interface OutboxEntry {
  clientId: string;
  conversationId: string;
  text: string;
  notifySms: boolean;
  /** "SMS if unread after N min"; absent: the SMS (if any) goes at once. */
  smsIfUnreadMinutes?: number;
  /** With smsIfUnreadMinutes: "SMS if not acknowledged within N min". */
  smsIfUnacknowledged?: boolean;
  /** "Send anyway": recipients in quiet hours get the SMS now. */
  smsIgnoreQuietHours?: boolean;
  /** "Request acknowledgement". */
  requestAck?: boolean;
  /** Issue 13: where the SMS was asked for (colleague's card, start page); absent: the chat. */
  smsSource?: SmsSource;
  /** Uploaded already; the message carries them (issue 12). */
  attachments?: AttachmentView[];
  createdAt: string;
  state: OutboxState;
  error: { code: ClientErrorCode; message: string } | null;
  /** Issue 11: the message this one answers, and whom it mentions. */
  replyToId?: string;
  mentions?: string[];
  mentionsAll?: boolean;
}

/** What a sent message carries besides its text. */
export interface SendExtras {
  /** "SMS if unread after N min"; only with an SMS. */
  smsIfUnreadMinutes?: number;
  smsIfUnacknowledged?: boolean;
  smsIgnoreQuietHours?: boolean;
  /** Where the SMS was asked for; only with an SMS. */
  smsSource?: SmsSource;
  requestAck?: boolean;
  replyToId?: string;
  mentions?: string[];
  mentionsAll?: boolean;
  /** Uploaded already; the message carries them (issue 12). */
  attachments?: AttachmentView[];
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function outboxKey(employeeId: string): string {
  return `depesza.outbox.v1.${employeeId}`;
}

function isEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry['clientId'] === 'string' &&
    typeof entry['conversationId'] === 'string' &&
    typeof entry['text'] === 'string' &&
    typeof entry['notifySms'] === 'boolean' &&
    typeof entry['createdAt'] === 'string' &&
    (entry['state'] === 'sending' || entry['state'] === 'failed') &&
    (entry['replyToId'] === undefined || typeof entry['replyToId'] === 'string') &&
    (entry['mentions'] === undefined ||
      (Array.isArray(entry['mentions']) && entry['mentions'].every((id) => typeof id === 'string'))) &&
    (entry['mentionsAll'] === undefined || typeof entry['mentionsAll'] === 'boolean')
  );
}

/** Reads the stored outbox; anything malformed is dropped rather than breaking the app. Oldest first. */
export function loadOutbox(store: KeyValueStore, employeeId: string): OutboxEntry[] {
  let raw: string | null;
  try {
    raw = store.getItem(outboxKey(employeeId));
  } catch {
    return [];
  }
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter(isEntry)
    .map((entry) => ({ ...entry, error: entry.error ?? null }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

function write(store: KeyValueStore, employeeId: string, entries: OutboxEntry[]): void {
  try {
    if (entries.length) store.setItem(outboxKey(employeeId), JSON.stringify(entries));
    else store.removeItem(outboxKey(employeeId));
  } catch {
    // Storage full or disabled: the entry still lives in memory and is sent from there.
  }
}

/** Inserts or replaces one entry (by clientId) in what is stored now, which may include other tabs' entries. */
export function persistEntry(store: KeyValueStore, employeeId: string, entry: OutboxEntry): void {
  const entries = loadOutbox(store, employeeId).filter((e) => e.clientId !== entry.clientId);
  entries.push(entry);
  write(store, employeeId, entries);
}

export function forgetEntry(store: KeyValueStore, employeeId: string, clientId: string): void {
  const entries = loadOutbox(store, employeeId);
  const kept = entries.filter((e) => e.clientId !== clientId);
  if (kept.length !== entries.length) write(store, employeeId, kept);
}

/** Errors that sending the same message again cannot fix: the user decides (Retry or Discard). */
export const PERMANENT_SEND_ERRORS: ReadonlySet<ClientErrorCode> = new Set([
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
  'UNKNOWN_EVENT',
  'CONFLICT',
]);

/** The session is gone: keep the message stored for the next sign-in, but stop trying. */
export const SESSION_ERRORS: ReadonlySet<ClientErrorCode> = new Set(['UNAUTHENTICATED', 'ACCOUNT_INACTIVE']);

export type SendDecision = 'stored' | 'failed' | 'hold' | 'retry';

export function decideAfterSend(result: { ok: true } | { ok: false; code: ClientErrorCode }): SendDecision {
  if (result.ok) return 'stored';
  if (PERMANENT_SEND_ERRORS.has(result.code)) return 'failed';
  if (SESSION_ERRORS.has(result.code)) return 'hold';
  // TIMEOUT, DISCONNECTED, RATE_LIMITED, INTERNAL, SERVICE_UNAVAILABLE...: the server dedupes by clientId, so trying
  // again can never store the message twice.
  return 'retry';
}

/**
 * The server recognises a repeated client id for CLIENT_ID_WINDOW_MS after it stored the message, and stored it no
 * earlier than the entry's createdAt. Sending an entry after that window may store it twice, if an earlier attempt
 * was stored and only its answer got lost. One day less absorbs a client clock that runs behind the server's.
 */
export const OUTBOX_MAX_AGE_MS = CLIENT_ID_WINDOW_MS - 24 * 3_600_000;

/** Too old to send again under its client id (see OUTBOX_MAX_AGE_MS). */
export function isExpired(entry: Pick<OutboxEntry, 'createdAt'>, nowMs: number): boolean {
  const created = Date.parse(entry.createdAt);
  // An unreadable date cannot show it is recent enough.
  return !Number.isFinite(created) || nowMs - created > OUTBOX_MAX_AGE_MS;
}

/** Shown to the user as failed, never sent automatically: it may have arrived already. */
export function asExpired(entry: OutboxEntry): OutboxEntry {
  return { ...entry, state: 'failed', error: { code: 'OUTBOX_EXPIRED', message: '' } };
}

/**
 * Retry of a failed entry. An expired one goes out as a new message (new client id, new time): the user was told it
 * may have arrived and chose to send it again, so a copy is theirs to decide, never the outbox's.
 */
export function forRetry(entry: OutboxEntry, nowMs: number, newClientId: () => string): OutboxEntry {
  const again = { ...entry, state: 'sending' as const, error: null };
  if (!isExpired(entry, nowMs)) return again;
  return { ...again, clientId: newClientId(), createdAt: new Date(nowMs).toISOString() };
}

export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 30_000;

/** Exponential backoff with ±20 % jitter: 1 s, 2 s, 4 s ... capped at 30 s. `attempt` counts failures from 1. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The next message to send: the oldest still sending, so a conversation keeps the order it was typed in. */
export function nextToSend(entries: readonly OutboxEntry[]): OutboxEntry | undefined {
  let next: OutboxEntry | undefined;
  for (const entry of entries) {
    if (entry.state !== 'sending') continue;
    if (!next || entry.createdAt < next.createdAt) next = entry;
  }
  return next;
}
