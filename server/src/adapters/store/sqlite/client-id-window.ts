import type Database from 'better-sqlite3';
import type { MessageRow } from './rows.js';

/**
 * Exactly-once for appends: which (sender, client id) pairs were stored, for the last `windowMs` at least.
 *
 * A unique index over every message ever sent was the old way. Its key is the client's choice; a random (v4) id
 * lands each insert on a random page of an index that grows with the whole history, so once the history no longer
 * fits SQLite's cache every append reads a page back and dirties a new one (measured: bench/micro/append-id-shape.ts,
 * README "Benchmarks"). This table holds only the window's client ids; older ones are forgotten by `prune`, so the
 * pages random ids land on stay few and cached, whatever the history's size. Time-ordered ids cost the same as before.
 *
 * Integration accounts are never pruned: their client ids are derived from the API notification (a hash, random by
 * shape), and the integration service finds what a notification delivered through them for as long as the
 * notification can be asked about or repeated.
 */
/** A week: a resend comes from an outbox after a reconnect or a restart, in seconds to days (a long weekend offline). */
export const DEFAULT_CLIENT_ID_WINDOW_MS = 7 * 24 * 3600_000;

export interface ClientIdWindow {
  /** The message stored under (sender, client id) within the window, if any. */
  find(senderId: string, clientId: string): MessageRow | undefined;
  /** Inside the append's transaction, so the id and its message commit together. */
  remember(senderId: string, clientId: string, messageId: string, at: number): void;
  /** Everyone whose client ids may be forgotten: people, not integration accounts. */
  prunableSenders(): string[];
  /** Forgets these senders' client ids stored before `before`, in one short write; returns how many. */
  prune(senderIds: readonly string[], before: number): number;
}

export function createClientIdWindow(db: Database.Database): ClientIdWindow {
  const find = db.prepare<[string, string], MessageRow>(`
    SELECT m.* FROM message_client_ids k JOIN messages m ON m.id = k.message_id
    WHERE k.sender_id = ? AND k.client_id = ?`);
  // A row left by a message that was removed outright is taken over: that message no longer answers a repeat.
  const remember = db.prepare<[string, string, string, number]>(`
    INSERT INTO message_client_ids (sender_id, client_id, message_id, at) VALUES (?, ?, ?, ?)
    ON CONFLICT (sender_id, client_id) DO UPDATE SET message_id = excluded.message_id, at = excluded.at`);
  const senders = db.prepare<[], { id: string }>(
    'SELECT id FROM employees WHERE id NOT IN (SELECT employee_id FROM integrations) ORDER BY id',
  );
  // By primary-key prefix: no index on `at` to keep up on every append.
  const pruneSender = db.prepare<[string, number]>('DELETE FROM message_client_ids WHERE sender_id = ? AND at < ?');
  const pruneSenders = db.transaction((senderIds: readonly string[], before: number) =>
    senderIds.reduce((removed, id) => removed + pruneSender.run(id, before).changes, 0),
  );
  return {
    find: (senderId, clientId) => find.get(senderId, clientId),
    remember: (senderId, clientId, messageId, at) => {
      remember.run(senderId, clientId, messageId, at);
    },
    prunableSenders: () => senders.all().map((row) => row.id),
    prune: (senderIds, before) => pruneSenders.immediate(senderIds, before),
  };
}
