/**
 * Reads a whole SQLite store for `npm run store -- copy`: read-only, from one snapshot (a read transaction held
 * for the whole copy), in primary-key order with keyset pages so no statement stays open across an await.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fsFilePath } from '../../files/fs-file-store.js';
import type { AdminAlert, ConversationWithMembers } from '../../../ports/store.js';
import type { CopiedRows, CopyKind, StoreCounts, StoreExport } from '../../../ports/store-copy.js';
import { toReminder, type ReminderRow } from './acks.js';
import { toAlert, type AlertRow } from './admin-alerts.js';
import { toAttachment, type AttachmentRow } from './attachments.js';
import { toBulkJob, type BulkJobRow } from './bulk-jobs.js';
import { toInbound, type InboundRow } from './inbound-sms.js';
import { SCHEMA_VERSION, schemaVersionOf } from './migrations.js';
import { muteOf } from './notify-prefs.js';
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
import {
  toApiNotification,
  toIntegration,
  toTemplate,
  type ApiNotificationRow,
  type IntegrationRow,
  type TemplateRow,
} from './sms-paths.js';

/**
 * Where each kind of copied row lives: its table, its primary key (the order of reading), the rows that count
 * (mutes and "do not disturb" are columns, copied where set) and the mapping to the entity.
 */
interface Source<Row, Entity> {
  table: string;
  key: string[];
  where?: string;
  map: (row: Row) => Entity;
}
const source = <Row, K extends CopyKind>(
  table: string,
  key: string[],
  map: (row: Row) => CopiedRows[K],
  where?: string,
): Source<Row, CopiedRows[K]> => ({ table, key, map, ...(where ? { where } : {}) });

/**
 * Tables whose rows are not copied as such, and why; sqlite-export.test.ts fails on a table in neither list, so a
 * new table cannot be forgotten by the copy.
 */
export const DERIVED_TABLES: Record<string, string> = {
  memberships: 'copied inside conversations (and their mutes)',
  message_search: 'the search index: each store builds its own from the messages it is given',
  message_search_docs: 'the search index: each store builds its own from the messages it is given',
  search_index_watermark: 'the search index: each store builds its own from the messages it is given',
  message_client_keys: "SQLite's window of recent client ids (hash-keyed); rebuilt from the messages by a SQLite target",
};

type AnySource = Source<never, unknown>;
const SOURCES: Record<Exclude<CopyKind, 'conversations'>, AnySource> = {
  employees: source<EmployeeRow, 'employees'>('employees', ['id'], toEmployee),
  doNotDisturb: source<EmployeeRow & { dnd_until: number }, 'doNotDisturb'>(
    'employees',
    ['id'],
    (row) => ({ employeeId: row.id, until: new Date(row.dnd_until) }),
    'dnd_until IS NOT NULL',
  ),
  sessions: source<SessionRow, 'sessions'>('sessions', ['token_hash'], toSession),
  mutes: source<MembershipRow & { muted_until: string }, 'mutes'>(
    'memberships',
    ['conversation_id', 'employee_id'],
    (row) => ({ conversationId: row.conversation_id, employeeId: row.employee_id, until: muteOf(row.muted_until) }),
    'muted_until IS NOT NULL',
  ),
  messages: source<MessageRow, 'messages'>('messages', ['id'], toMessage),
  smsDispatches: source<DispatchRow, 'smsDispatches'>('sms_dispatches', ['id'], toDispatch),
  smsCorrections: source<{ message_id: string; text_rev: number; created_at: number }, 'smsCorrections'>(
    'sms_corrections',
    ['message_id', 'text_rev'],
    (row) => ({ messageId: row.message_id, textRev: row.text_rev, createdAt: new Date(row.created_at) }),
  ),
  acknowledgements: source<{ message_id: string; employee_id: string; at: number }, 'acknowledgements'>(
    'acknowledgements',
    ['message_id', 'employee_id'],
    (row) => ({ messageId: row.message_id, employeeId: row.employee_id, at: new Date(row.at) }),
  ),
  ackReminders: source<ReminderRow, 'ackReminders'>('ack_reminders', ['message_id', 'employee_id'], toReminder),
  notifications: source<NotificationRow, 'notifications'>('notifications', ['id'], toNotification),
  attachments: source<AttachmentRow, 'attachments'>('attachments', ['id'], toAttachment),
  smsTemplates: source<TemplateRow, 'smsTemplates'>('sms_templates', ['id'], toTemplate),
  integrations: source<IntegrationRow, 'integrations'>('integrations', ['id'], toIntegration),
  apiNotifications: source<ApiNotificationRow, 'apiNotifications'>('api_notifications', ['id'], toApiNotification),
  bulkJobs: source<BulkJobRow, 'bulkJobs'>('bulk_jobs', ['id'], toBulkJob),
  inboundSms: source<InboundRow, 'inboundSms'>('sms_inbound', ['gateway_id'], toInbound),
  adminAlerts: source<AlertRow, 'adminAlerts'>('admin_alerts', ['id'], toAlert),
  alertStates: source<{ kind: AdminAlert['kind']; raised: number }, 'alertStates'>('alert_states', ['kind'], (row) => ({
    kind: row.kind,
    raised: row.raised === 1,
  })),
};

/** The tables the copy reads, for the completeness check in the tests. */
export const COPIED_TABLES: readonly string[] = ['conversations', ...new Set(Object.values(SOURCES).map((s) => s.table))];

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

  /** Rows in primary-key order, `batchSize` at a time (a row-value comparison pages by a composite key too). */
  function pages<Row, Entity>({ table, key, where, map }: Source<Row, Entity>) {
    const filter = where ? `(${where})` : '1';
    const order = key.join(', ');
    const first = db.prepare<[number], Row>(`SELECT * FROM ${table} WHERE ${filter} ORDER BY ${order} LIMIT ?`);
    const next = db.prepare<unknown[], Row>(
      `SELECT * FROM ${table} WHERE ${filter} AND (${order}) > (${key.map(() => '?').join(', ')}) ORDER BY ${order} LIMIT ?`,
    );
    return async function* (batchSize: number): AsyncGenerator<Entity[]> {
      let last: unknown[] | null = null;
      for (;;) {
        const rows: Row[] = last === null ? first.all(batchSize) : next.all(...last, batchSize);
        if (rows.length === 0) return;
        const end = rows[rows.length - 1] as Record<string, unknown>;
        last = key.map((column) => end[column]);
        yield rows.map(map);
        if (rows.length < batchSize) return;
      }
    };
  }

  const conversationPages = pages<ConversationRow, ConversationRow>({ table: 'conversations', key: ['id'], map: (row) => row });
  const membersOf = db.prepare<[string], MembershipRow>(
    'SELECT * FROM memberships WHERE conversation_id IN (SELECT value FROM json_each(?)) ORDER BY joined_at, employee_id',
  );
  async function* conversations(batchSize: number): AsyncGenerator<ConversationWithMembers[]> {
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
  }
  const readers = Object.fromEntries(Object.entries(SOURCES).map(([kind, from]) => [kind, pages(from)])) as Record<
    CopyKind,
    (batchSize: number) => AsyncGenerator<unknown[]>
  >;
  readers.conversations = conversations;
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;

  return {
    description: `sqlite:${file}`,

    async counts(): Promise<StoreCounts> {
      const counts = { conversations: count('SELECT count(*) AS n FROM conversations'), memberships: count('SELECT count(*) AS n FROM memberships') };
      for (const [kind, { table, where }] of Object.entries(SOURCES)) {
        Object.assign(counts, { [kind]: count(`SELECT count(*) AS n FROM ${table}${where ? ` WHERE ${where}` : ''}`) });
      }
      return counts as StoreCounts;
    },
    rows<K extends CopyKind>(kind: K, batchSize: number) {
      return readers[kind](batchSize) as AsyncGenerator<CopiedRows[K][]>;
    },
    // Read straight from DATA_DIR/files: opening it as a FileStore would tidy its temporaries, and the copy writes nothing.
    async openFile(sha256) {
      const stored = fsFilePath(path.join(path.dirname(file), 'files'), sha256);
      return existsSync(stored) ? createReadStream(stored) : null;
    },

    async close() {
      if (!db.open) return;
      if (db.inTransaction) db.exec('COMMIT');
      db.close();
    },
  };
}
