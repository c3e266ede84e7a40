/**
 * `npm run store -- copy` must not leave data behind when the schema grows: every table of a freshly migrated
 * SQLite file is either read by the export or named as derived, and every column of a copied table is one the
 * export's entities were checked to carry (store-copy.test.ts proves the rows themselves arrive).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPIED_TABLES, DERIVED_TABLES } from './sqlite-export.js';
import { openSqliteStore } from './sqlite-store.js';

/** Checked by hand against the entities the export maps each table to (and the Mongo import writes). */
const COPIED_COLUMNS: Record<string, string> = {
  conversations: 'created_at created_by direct_key id kind last_activity_at last_rev last_seq name',
  employees:
    'active created_at department dnd_until id login mobile_e164 mobile_private mobile_raw name password_hash role title updated_at working_hours',
  sessions: 'created_at employee_id expires_at token_hash',
  memberships: 'conversation_id delivered_seq employee_id joined_at muted_until read_seq',
  messages:
    'ack_of client_id conversation_id created_at deleted_at deleted_by edited_at id mentions mentions_all notify_sms reactions reply_to_id rev sender_id seq text text_rev via_sms',
  sms_dispatches:
    'attempts conversation_id created_at deadline_at gateway_id held_until id ignore_quiet_hours locked_until message_id next_attempt_at origin parts points reason recipient_id send_if sender_id status text to_e164 updated_at',
  sms_corrections: 'created_at message_id text_rev',
  acknowledgements: 'at employee_id message_id',
  ack_reminders: 'conversation_id employee_id locked_until message_id next_at until_at',
  notifications: 'conversation_id created_at employee_id id kind message_id read_at reason recipient_id recipient_name status',
  attachments: 'content_type conversation_id created_at id message_id name sha256 size uploader_id',
  sms_templates: 'created_at id name name_key text updated_at',
  integrations: 'created_at created_by employee_id id name per_minute revoked_at token_hash',
  api_notifications: 'created_at id idempotency_key if_unread_minutes integration_id recipient_ids request_hash sms texts',
  bulk_jobs: 'created_at finished_at id recipient_ids request_hash reserved_sms sender_id template_id texts',
  sms_inbound: 'gateway_id reason received_at sender_key sent_at text',
  admin_alerts: 'created_at id kind params',
  alert_states: 'kind raised',
};

describe('the SQLite export covers the whole schema', () => {
  let dir: string;
  let db: Database.Database;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'depesza-export-schema-'));
    await (await openSqliteStore({ file: path.join(dir, 'depesza.sqlite') })).close();
    db = new Database(path.join(dir, 'depesza.sqlite'), { readonly: true });
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every table or names it as derived', () => {
    const tables = db
      .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all();
    const virtual = tables.filter((t) => t.sql.startsWith('CREATE VIRTUAL TABLE')).map((t) => t.name);
    // FTS5 keeps its index in shadow tables named after the virtual table; they come and go with it.
    const shadow = (name: string) => virtual.some((v) => name.startsWith(`${v}_`)) && !(name in DERIVED_TABLES);
    const left = tables.map((t) => t.name).filter((name) => !shadow(name) && !COPIED_TABLES.includes(name) && !(name in DERIVED_TABLES));
    expect(left, 'tables the copy would leave behind: copy them (ports/store-copy.ts, both adapters) or name them in DERIVED_TABLES').toEqual([]);
  });

  it('knows every column of the tables it copies', () => {
    const columns = Object.fromEntries(
      COPIED_TABLES.map((table) => [
        table,
        db
          .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}') ORDER BY name`)
          .all()
          .map((c) => c.name)
          .join(' '),
      ]),
    );
    expect(columns, 'a new column must reach the entities the copy carries (both adapters), then COPIED_COLUMNS').toEqual(COPIED_COLUMNS);
  });
});
