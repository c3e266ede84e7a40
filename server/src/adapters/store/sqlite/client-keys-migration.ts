import type Database from 'better-sqlite3';
import { CLIENT_KEY_PROBES, clientKeyOf } from './client-key.js';

/**
 * (issue 17) The idempotency window keyed by a hash of (sender, client id) instead of the text pair, so that the
 * client id's shape does not decide the cost of an append (client-id-window.ts). Every remembered pair is moved,
 * in key order so each page is written once; pairs whose keys collide take the next key, as an append would.
 */
export function clientIdsByHashKey(db: Database.Database): void {
  db.exec(`
  CREATE TABLE message_client_keys (
    key        INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL,
    at         INTEGER NOT NULL,
    keep       INTEGER NOT NULL
  ) STRICT;`);
  const old = db.prepare<[], { sender_id: string; client_id: string; message_id: string; at: number; keep: number }>(`
    SELECT k.sender_id, k.client_id, k.message_id, k.at, k.sender_id IN (SELECT employee_id FROM integrations) AS keep
    FROM message_client_ids k`);
  const rows = old.all().map((row) => ({ ...row, key: clientKeyOf(row.sender_id, row.client_id) }));
  rows.sort((a, b) => a.key - b.key);
  const insert = db.prepare<[number, string, number, number]>(
    'INSERT INTO message_client_keys (key, message_id, at, keep) VALUES (?, ?, ?, ?)',
  );
  const taken = new Set<number>();
  for (const row of rows) {
    let key = row.key;
    while (taken.has(key)) key += 1;
    if (key >= row.key + CLIENT_KEY_PROBES) throw new Error(`client id key ${row.key}: no free key within ${CLIENT_KEY_PROBES}`);
    taken.add(key);
    insert.run(key, row.message_id, row.at, row.keep);
  }
  db.exec('DROP TABLE message_client_ids');
}
