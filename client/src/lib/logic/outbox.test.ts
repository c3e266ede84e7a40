import { describe, expect, it } from 'vitest';
import { CLIENT_ID_WINDOW_MS } from '../../../../shared/limits.js';
import {
  decideAfterSend,
  forgetEntry,
  forRetry,
  isExpired,
  OUTBOX_MAX_AGE_MS,
  loadOutbox,
  nextToSend,
  outboxKey,
  persistEntry,
  retryDelay,
  RETRY_MAX_MS,
  type OutboxEntry,
} from './outbox.js';
import { MemoryStore } from '../managers/testing/memory-store.js';

const entry = (clientId: string, createdAt: string, extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
  clientId,
  conversationId: 'c1',
  text: `text ${clientId}`,
  notifySms: false,
  createdAt,
  state: 'sending',
  error: null,
  ...extra,
});

describe('outbox persistence', () => {
  it('survives a reload: what was stored is read back, oldest first', () => {
    const store = new MemoryStore();
    persistEntry(store, 'emp1', entry('b', '2024-01-01T10:00:02.000Z'));
    persistEntry(store, 'emp1', entry('a', '2024-01-01T10:00:01.000Z', { notifySms: true }));
    const restored = loadOutbox(store, 'emp1');
    expect(restored.map((e) => e.clientId)).toEqual(['a', 'b']);
    expect(restored[0]?.notifySms).toBe(true);
  });

  it('keeps each employee separate', () => {
    const store = new MemoryStore();
    persistEntry(store, 'emp1', entry('a', '2024-01-01T10:00:00.000Z'));
    expect(loadOutbox(store, 'emp2')).toEqual([]);
  });

  it('updates and forgets single entries without touching the others (two tabs share the storage)', () => {
    const store = new MemoryStore();
    persistEntry(store, 'emp1', entry('a', '2024-01-01T10:00:00.000Z'));
    persistEntry(store, 'emp1', entry('b', '2024-01-01T10:00:01.000Z'));
    persistEntry(store, 'emp1', entry('a', '2024-01-01T10:00:00.000Z', { state: 'failed', error: { code: 'NOT_FOUND', message: 'x' } }));
    expect(loadOutbox(store, 'emp1')).toHaveLength(2);
    expect(loadOutbox(store, 'emp1').find((e) => e.clientId === 'a')?.state).toBe('failed');
    forgetEntry(store, 'emp1', 'a');
    forgetEntry(store, 'emp1', 'b');
    expect(store.data.has(outboxKey('emp1'))).toBe(false);
  });

  it('ignores malformed storage', () => {
    const store = new MemoryStore();
    store.setItem(outboxKey('emp1'), '{not json');
    expect(loadOutbox(store, 'emp1')).toEqual([]);
    store.setItem(outboxKey('emp1'), JSON.stringify([{ clientId: 1 }, entry('ok', '2024-01-01T00:00:00.000Z')]));
    expect(loadOutbox(store, 'emp1').map((e) => e.clientId)).toEqual(['ok']);
  });
});

describe('retry decisions', () => {
  it('stores on an ok ack', () => {
    expect(decideAfterSend({ ok: true })).toBe('stored');
  });

  it('fails permanently on errors a resend cannot fix', () => {
    for (const code of ['VALIDATION_FAILED', 'NOT_FOUND', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE'] as const) {
      expect(decideAfterSend({ ok: false, code })).toBe('failed');
    }
  });

  it('keeps retrying on timeouts, disconnects, flood limits and server trouble', () => {
    for (const code of ['TIMEOUT', 'DISCONNECTED', 'RATE_LIMITED', 'INTERNAL', 'SERVICE_UNAVAILABLE', 'NETWORK'] as const) {
      expect(decideAfterSend({ ok: false, code })).toBe('retry');
    }
  });

  it('holds the message when the session is gone', () => {
    expect(decideAfterSend({ ok: false, code: 'UNAUTHENTICATED' })).toBe('hold');
  });

  it('backs off exponentially with jitter and a cap', () => {
    expect(retryDelay(1, () => 0.5)).toBe(1000);
    expect(retryDelay(2, () => 0.5)).toBe(2000);
    expect(retryDelay(3, () => 0)).toBe(3200);
    expect(retryDelay(50, () => 1)).toBe(RETRY_MAX_MS * 1.2);
  });

  it('sends the oldest sending entry first and skips failed ones', () => {
    const entries = [
      entry('late', '2024-01-01T10:00:05.000Z'),
      entry('failed', '2024-01-01T10:00:00.000Z', { state: 'failed' }),
      entry('early', '2024-01-01T10:00:01.000Z'),
    ];
    expect(nextToSend(entries)?.clientId).toBe('early');
    expect(nextToSend([entries[1]!])).toBeUndefined();
  });
});

describe('outbox age limit', () => {
  const created = '2026-03-02T10:00:00.000Z';
  const at = Date.parse(created);

  it("expires an entry once it is older than the limit, a day inside the server's client-id window", () => {
    expect(CLIENT_ID_WINDOW_MS - OUTBOX_MAX_AGE_MS).toBe(24 * 3_600_000);
    expect(isExpired(entry('a', created), at + OUTBOX_MAX_AGE_MS)).toBe(false);
    expect(isExpired(entry('a', created), at + OUTBOX_MAX_AGE_MS + 1)).toBe(true);
    expect(isExpired(entry('a', 'not a date'), at)).toBe(true);
  });

  it('retries a recent entry under its client id, an expired one as a new message', () => {
    const failed = entry('a', created, { state: 'failed', error: { code: 'TIMEOUT', message: '' } });
    expect(forRetry(failed, at + 1000, () => 'b')).toEqual({ ...failed, state: 'sending', error: null });
    const later = at + OUTBOX_MAX_AGE_MS + 1;
    expect(forRetry(failed, later, () => 'b')).toEqual({ ...failed, clientId: 'b', createdAt: new Date(later).toISOString(), state: 'sending', error: null });
  });
});
