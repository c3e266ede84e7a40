/**
 * Reads a whole SQLite store for `npm run store -- copy`: read-only, from one snapshot (a read transaction held
 * for the whole copy), in primary-key order with keyset pages so no statement stays open across an await.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ConversationWithMembers } from '../../../ports/store.js';
import type { StoreCounts, StoreExport } from '../../../ports/store-copy.js';
import { SCHEMA_VERSION, schemaVersionOf } from './migrations.js';
import {
  jsonList,
  toConversation,
  toDispatch,
  toEmployee,
  toMembership,
  toMessage,
  toNotification,
  toSession,
  type ConversationRow,
  type DispatchRow,
  type EmployeeRow,
  type MembershipRow,
  type MessageRow,
  type NotificationRow,
  type SessionRow,
} from './rows.js';

export const SQLITE_FILE_NAME = 'depesza.sqlite';

/** DATA_DIR (the folder Depesza keeps `depesza.sqlite` in) or the database file itself. */
export function sqliteFileOf(location: string): string {
  const resolved = path.resolve(location);
  return existsSync(resolved) && statSync(resolved).isDirectory() ? path.join(resolved, SQLITE_FILE_NAME) : resolved;
}

export function openSqliteExport(location: string): StoreExport {
  const file = sqliteFileOf(location);
  if (!existsSync(file)) throw new Error(`no SQLite database at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const version = schemaVersionOf(db);
    if (version !== SCHEMA_VERSION) {
      throw new Error(
        `the SQLite database at ${file} has schema version ${version}, this Depesza knows ${SCHEMA_VERSION}: ` +
          'start this version of Depesza on it once (it migrates), stop it, then copy',
      );
    }
    // One snapshot for the whole copy: in WAL mode it does not block a writer, and nothing read is torn.
    db.exec('BEGIN DEFERRED');
    db.prepare('SELECT count(*) FROM employees').get();
  } catch (error) {
    db.close();
    throw error;
  }

  /** Rows in primary-key order, `batchSize` at a time. */
  function pages<Row, Entity>(table: string, key: string, map: (row: Row) => Entity) {
    const first = db.prepare<[number], Row>(`SELECT * FROM ${table} ORDER BY ${key} LIMIT ?`);
    const next = db.prepare<[string, number], Row>(`SELECT * FROM ${table} WHERE ${key} > ? ORDER BY ${key} LIMIT ?`);
    return async function* (batchSize: number): AsyncGenerator<Entity[]> {
      let last: string | null = null;
      for (;;) {
        const rows: Row[] = last === null ? first.all(batchSize) : next.all(last, batchSize);
        if (rows.length === 0) return;
        last = String((rows[rows.length - 1] as Record<string, unknown>)[key]);
        yield rows.map(map);
        if (rows.length < batchSize) return;
      }
    };
  }

  const conversationPages = pages<ConversationRow, ConversationRow>('conversations', 'id', (row) => row);
  const membersOf = db.prepare<[string], MembershipRow>(
    'SELECT * FROM memberships WHERE conversation_id IN (SELECT value FROM json_each(?)) ORDER BY joined_at, employee_id',
  );
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;

  return {
    description: `sqlite:${file}`,

    async counts(): Promise<StoreCounts> {
      return {
        employees: count('SELECT count(*) AS n FROM employees'),
        sessions: count('SELECT count(*) AS n FROM sessions'),
        conversations: count('SELECT count(*) AS n FROM conversations'),
        memberships: count('SELECT count(*) AS n FROM memberships'),
        messages: count('SELECT count(*) AS n FROM messages'),
        smsDispatches: count('SELECT count(*) AS n FROM sms_dispatches'),
        notifications: count('SELECT count(*) AS n FROM notifications'),
      };
    },
    employees: pages<EmployeeRow, ReturnType<typeof toEmployee>>('employees', 'id', toEmployee),
    sessions: pages<SessionRow, ReturnType<typeof toSession>>('sessions', 'token_hash', toSession),
    async *conversations(batchSize) {
      for await (const rows of conversationPages(batchSize)) {
        const members = new Map<string, MembershipRow[]>();
        for (const row of membersOf.all(jsonList(rows.map((r) => r.id)))) {
          const list = members.get(row.conversation_id);
          if (list) list.push(row);
          else members.set(row.conversation_id, [row]);
        }
        yield rows.map(
          (row): ConversationWithMembers => ({
            conversation: toConversation(row),
            members: (members.get(row.id) ?? []).map(toMembership),
          }),
        );
      }
    },
    messages: pages<MessageRow, ReturnType<typeof toMessage>>('messages', 'id', toMessage),
    smsDispatches: pages<DispatchRow, ReturnType<typeof toDispatch>>('sms_dispatches', 'id', toDispatch),
    notifications: pages<NotificationRow, ReturnType<typeof toNotification>>('notifications', 'id', toNotification),

    async close() {
      if (!db.open) return;
      if (db.inTransaction) db.exec('COMMIT');
      db.close();
    },
  };
}
