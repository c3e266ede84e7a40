import type Database from 'better-sqlite3';
import { CLIENT_ID_WINDOW_MS } from '../../../../../shared/limits.js';
import { CLIENT_KEY_PROBES, clientKeyOf } from './client-key.js';
import type { MessageRow } from './rows.js';

/**
 * Exactly-once for appends: which (sender, client id) pairs were stored, for the last `windowMs` at least.
 *
 * Keyed by a 52-bit hash of the pair (client-key.ts) in a rowid table, so the key is an integer whatever the
 * client's id looks like: a time-ordered (v7) id and a random (v4) one land on a random page alike, of a table
 * whose rows are ~60 bytes instead of the ~120 of (sender, client id) text keys, so twice the window stays in
 * SQLite's cache. With text keys, v4 ids read a page back from the kernel per append once the window outgrew the
 * cache while v7 ids appended to one hot page per sender (measured: bench/micro/append-id-shape.ts, README
 * "Benchmarks").
 *
 * Pairs whose keys collide are told apart by comparing the stored message's sender and client id; the later one
 * takes the next free key within CLIENT_KEY_PROBES, and a lookup reads that whole range (one leaf page), so a
 * pruned neighbour never hides a pair stored behind it. A row whose message was removed outright answers
 * nothing and its key is taken over.
 *
 * Integration accounts' rows are kept (`keep`): their client ids are derived from the API notification, and the
 * integration service finds what a notification delivered through them for as long as the notification can be
 * asked about or repeated.
 */
/** Shared with the client, whose outbox stops resending within it (see CLIENT_ID_WINDOW_MS). */
export const DEFAULT_CLIENT_ID_WINDOW_MS = CLIENT_ID_WINDOW_MS;

/** The key space is pruned in this many slices, each one short write, with the event loop free in between. */
export const PRUNE_SLICES = 64;
const KEY_SPACE = 2 ** 52;

export type Lookup = { existing: MessageRow } | { existing: null; key: number };

export interface ClientIdWindow {
  /** The message stored under (sender, client id) within the window, or the key a new one is to be stored under. */
  lookup(senderId: string, clientId: string): Lookup;
  /** Inside the append's transaction, with the key `lookup` gave in the same transaction. */
  remember(key: number, senderId: string, messageId: string, at: number): void;
  /** Forgets people's client ids stored before `before` in slice `slice` of PRUNE_SLICES; returns how many. */
  prune(slice: number, before: number): number;
}

type SlotRow = MessageRow & { slot: number };

export function createClientIdWindow(db: Database.Database, keyOf: typeof clientKeyOf = clientKeyOf): ClientIdWindow {
  const range = db.prepare<[number, number], SlotRow>(`
    SELECT k.key AS slot, m.* FROM message_client_keys k LEFT JOIN messages m ON m.id = k.message_id
    WHERE k.key >= ? AND k.key < ?`);
  // OR REPLACE: the key may be a row whose message was removed outright (lookup judged it free).
  const remember = db.prepare<[number, string, number, string]>(`
    INSERT OR REPLACE INTO message_client_keys (key, message_id, at, keep)
    VALUES (?, ?, ?, EXISTS (SELECT 1 FROM integrations WHERE employee_id = ?))`);
  const pruneSlice = db.prepare<[number, number, number]>(
    'DELETE FROM message_client_keys WHERE key >= ? AND key < ? AND at < ? AND keep = 0',
  );
  const prune = db.transaction((slice: number, before: number) => {
    const size = KEY_SPACE / PRUNE_SLICES;
    // The last slice also takes the probe range above the key space.
    const end = slice === PRUNE_SLICES - 1 ? KEY_SPACE + CLIENT_KEY_PROBES : (slice + 1) * size;
    return pruneSlice.run(slice * size, end, before).changes;
  });
  return {
    lookup(senderId, clientId) {
      const key = keyOf(senderId, clientId);
      const rows = range.all(key, key + CLIENT_KEY_PROBES);
      const taken = new Set<number>();
      for (const row of rows) {
        if (row.id === null) continue;
        if (row.sender_id === senderId && row.client_id === clientId) return { existing: row };
        taken.add(row.slot);
      }
      for (let probe = key; probe < key + CLIENT_KEY_PROBES; probe++) if (!taken.has(probe)) return { existing: null, key: probe };
      throw new Error(`client id key ${key}: all ${CLIENT_KEY_PROBES} keys from it are taken by other messages`);
    },
    remember(key, senderId, messageId, at) {
      remember.run(key, messageId, at, senderId);
    },
    prune: (slice, before) => prune.immediate(slice, before),
  };
}
