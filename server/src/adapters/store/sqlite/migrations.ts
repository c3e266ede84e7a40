import type Database from 'better-sqlite3';
import { outcomeFromNotificationText, reasonFromSentence } from '../../../sms/legacy-sentences.js';
import { clientIdsByHashKey } from './client-keys-migration.js';

/**
 * The schema as a list of steps; step N (1-based) brings a database from `user_version` N-1 to N.
 * Append new steps, never edit a released one: databases in the field have already run it.
 * Times are integer milliseconds since the epoch; booleans are 0/1. A step is SQL, or a function where rows must be
 * rewritten by code (step 6 reads English sentences).
 */
export const migrations: ReadonlyArray<string | ((db: Database.Database) => void)> = [
  // 1: the directory and sign-in
  `
  CREATE TABLE employees (
    id             TEXT PRIMARY KEY,
    login          TEXT NOT NULL,
    name           TEXT NOT NULL,
    title          TEXT,
    role           TEXT NOT NULL CHECK (role IN ('employee', 'admin')),
    active         INTEGER NOT NULL,
    mobile_raw     TEXT,
    mobile_e164    TEXT,
    mobile_private INTEGER NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX employees_login ON employees (login COLLATE NOCASE);

  CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX sessions_employee ON sessions (employee_id);
  CREATE INDEX sessions_expires ON sessions (expires_at);
  `,
  // 2: conversations and messages
  `
  CREATE TABLE conversations (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
    name             TEXT,
    direct_key       TEXT UNIQUE,
    created_by       TEXT NOT NULL REFERENCES employees (id),
    created_at       INTEGER NOT NULL,
    last_seq         INTEGER NOT NULL DEFAULT 0,
    last_activity_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE memberships (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    employee_id     TEXT NOT NULL REFERENCES employees (id),
    joined_at       INTEGER NOT NULL,
    delivered_seq   INTEGER NOT NULL DEFAULT 0,
    read_seq        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, employee_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX memberships_employee ON memberships (employee_id, conversation_id);

  CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    seq             INTEGER NOT NULL,
    sender_id       TEXT NOT NULL REFERENCES employees (id),
    client_id       TEXT NOT NULL,
    text            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    notify_sms      INTEGER NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX messages_conversation_seq ON messages (conversation_id, seq);
  CREATE UNIQUE INDEX messages_sender_client ON messages (sender_id, client_id);
  `,
  // 3: the SMS outbox and in-app notifications
  `
  CREATE TABLE sms_dispatches (
    id              TEXT PRIMARY KEY,
    message_id      TEXT NOT NULL REFERENCES messages (id),
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    sender_id       TEXT NOT NULL REFERENCES employees (id),
    recipient_id    TEXT NOT NULL REFERENCES employees (id),
    status          TEXT NOT NULL
                    CHECK (status IN ('not_sent', 'queued', 'sent', 'delivered', 'undelivered', 'failed', 'expired')),
    reason          TEXT,
    to_e164         TEXT,
    text            TEXT NOT NULL,
    parts           INTEGER,
    points          REAL,
    gateway_id      TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    locked_until    INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX sms_dispatches_message ON sms_dispatches (message_id);
  CREATE INDEX sms_dispatches_gateway ON sms_dispatches (gateway_id);
  CREATE INDEX sms_dispatches_due ON sms_dispatches (status, next_attempt_at);
  CREATE INDEX sms_dispatches_sender ON sms_dispatches (sender_id, created_at);
  CREATE INDEX sms_dispatches_recipient ON sms_dispatches (recipient_id, created_at);
  CREATE INDEX sms_dispatches_created ON sms_dispatches (created_at);

  CREATE TABLE notifications (
    id              TEXT PRIMARY KEY,
    employee_id     TEXT NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('sms')),
    text            TEXT NOT NULL,
    message_id      TEXT,
    conversation_id TEXT,
    created_at      INTEGER NOT NULL,
    read_at         INTEGER
  ) STRICT;
  CREATE INDEX notifications_employee ON notifications (employee_id, created_at);
  CREATE INDEX notifications_unread ON notifications (employee_id) WHERE read_at IS NULL;
  `,
  // 4: messages stored in conversation order. A history page (50 before a cursor) is then a few neighbouring pages
  // instead of one page per message scattered among every other conversation's, so its cost stops growing with
  // the database (npm run bench, history). Rebuilt the way SQLite documents for a table change: new table, copy,
  // drop, rename (migrate() runs it with foreign keys off and checks them before committing).
  `
  CREATE TABLE messages_v4 (
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    seq             INTEGER NOT NULL,
    id              TEXT NOT NULL UNIQUE,
    sender_id       TEXT NOT NULL REFERENCES employees (id),
    client_id       TEXT NOT NULL,
    text            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    notify_sms      INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, seq)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO messages_v4 (conversation_id, seq, id, sender_id, client_id, text, created_at, notify_sms)
    SELECT conversation_id, seq, id, sender_id, client_id, text, created_at, notify_sms FROM messages;
  DROP TABLE messages;
  ALTER TABLE messages_v4 RENAME TO messages;
  CREATE UNIQUE INDEX messages_sender_client ON messages (sender_id, client_id);
  `,
  // 5: the 'unconfirmed' SMS status (SMSAPI did not answer in time; see sms/status.ts). A CHECK constraint
  // cannot be altered in place, so the table is rebuilt the way step 4 rebuilt messages.
  `
  CREATE TABLE sms_dispatches_v5 (
    id              TEXT PRIMARY KEY,
    message_id      TEXT NOT NULL REFERENCES messages (id),
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    sender_id       TEXT NOT NULL REFERENCES employees (id),
    recipient_id    TEXT NOT NULL REFERENCES employees (id),
    status          TEXT NOT NULL
                    CHECK (status IN ('not_sent', 'queued', 'unconfirmed', 'sent', 'delivered', 'undelivered', 'failed',
                                      'expired')),
    reason          TEXT,
    to_e164         TEXT,
    text            TEXT NOT NULL,
    parts           INTEGER,
    points          REAL,
    gateway_id      TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    locked_until    INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
  ) STRICT;
  INSERT INTO sms_dispatches_v5 SELECT * FROM sms_dispatches;
  DROP TABLE sms_dispatches;
  ALTER TABLE sms_dispatches_v5 RENAME TO sms_dispatches;
  CREATE INDEX sms_dispatches_message ON sms_dispatches (message_id);
  CREATE INDEX sms_dispatches_gateway ON sms_dispatches (gateway_id);
  CREATE INDEX sms_dispatches_due ON sms_dispatches (status, next_attempt_at);
  CREATE INDEX sms_dispatches_sender ON sms_dispatches (sender_id, created_at);
  CREATE INDEX sms_dispatches_recipient ON sms_dispatches (recipient_id, created_at);
  CREATE INDEX sms_dispatches_created ON sms_dispatches (created_at);
  `,
  // 6: SMS outcomes as codes (issue 10). Dispatch reasons become SmsReason JSON; notifications become structured
  // SMS outcomes instead of English sentences. A notification whose recipient cannot be found any more is dropped:
  // it could not be shown in the sender's language.
  codesForSmsSentences,
  // issue 11: edits, tombstones, replies, reactions and mentions, and the per-conversation change counter `rev`.
  // Existing messages take their seq as rev, so the log starts consistent and later changes continue from last_seq.
  `
  ALTER TABLE conversations ADD COLUMN last_rev INTEGER NOT NULL DEFAULT 0;
  UPDATE conversations SET last_rev = last_seq;
  ALTER TABLE messages ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE messages ADD COLUMN text_rev INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE messages ADD COLUMN edited_at INTEGER;
  ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
  ALTER TABLE messages ADD COLUMN deleted_by TEXT;
  ALTER TABLE messages ADD COLUMN reply_to_id TEXT;
  ALTER TABLE messages ADD COLUMN reactions TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE messages ADD COLUMN mentions TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE messages ADD COLUMN mentions_all INTEGER NOT NULL DEFAULT 0;
  UPDATE messages SET rev = seq, text_rev = seq;
  CREATE UNIQUE INDEX messages_conversation_rev ON messages (conversation_id, rev);
  -- One row per SMS correction sent: its primary key makes a correction go out once per (message, text rev).
  CREATE TABLE sms_corrections (
    message_id TEXT NOT NULL REFERENCES messages (id),
    text_rev   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, text_rev)
  ) STRICT, WITHOUT ROWID;
  `,
  // (issue 14) "SMS if unread": a dispatch may wait for a deadline and go only if its message is still unread.
  // Waiting dispatches are found by recipient and conversation when the recipient reads.
  `
  ALTER TABLE sms_dispatches ADD COLUMN send_if TEXT CHECK (send_if IN ('unread', 'unacknowledged'));
  ALTER TABLE sms_dispatches ADD COLUMN deadline_at INTEGER;
  CREATE INDEX sms_dispatches_waiting ON sms_dispatches (recipient_id, conversation_id) WHERE send_if IS NOT NULL;
  `,
  // (issue 14) "Request acknowledgement": how many were asked, who acknowledged, and each one's next reminder.
  `
  ALTER TABLE messages ADD COLUMN ack_of INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE acknowledgements (
    message_id  TEXT NOT NULL REFERENCES messages (id),
    employee_id TEXT NOT NULL REFERENCES employees (id),
    at          INTEGER NOT NULL,
    PRIMARY KEY (message_id, employee_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE ack_reminders (
    message_id      TEXT NOT NULL REFERENCES messages (id),
    employee_id     TEXT NOT NULL REFERENCES employees (id),
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    next_at         INTEGER NOT NULL,
    until_at        INTEGER NOT NULL,
    locked_until    INTEGER,
    PRIMARY KEY (message_id, employee_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX ack_reminders_due ON ack_reminders (next_at);
  `,
  // SMS templates, integrations and the notifications they asked for (issue 13)
  `
  CREATE TABLE sms_templates (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE integrations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    employee_id TEXT NOT NULL UNIQUE REFERENCES employees (id),
    token_hash  TEXT NOT NULL UNIQUE,
    per_minute  INTEGER NOT NULL,
    created_by  TEXT NOT NULL REFERENCES employees (id),
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
  ) STRICT;

  CREATE TABLE api_notifications (
    id              TEXT PRIMARY KEY,
    integration_id  TEXT NOT NULL REFERENCES integrations (id),
    idempotency_key TEXT,
    request_hash    TEXT NOT NULL,
    recipient_ids   TEXT NOT NULL,
    texts           TEXT NOT NULL,
    sms             TEXT NOT NULL CHECK (sms IN ('now', 'never')),
    created_at      INTEGER NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX api_notifications_key ON api_notifications (integration_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
  `,
  // message search (issue 12). A contentless FTS5 index over the text with ł folded to l (unicode61's
  // remove_diacritics folds every other Polish letter but not ł, which has no decomposition). Triggers keep it in
  // step with every write of `messages.text` in the writer's own transaction, so edits and deletions by any code path
  // are covered. FTS5 needs integer rowids and messages has none (WITHOUT ROWID), hence message_search_docs.
  // secure-delete: a deleted or edited text's words leave the index itself, not just hidden behind a tombstone.
  `
  CREATE TABLE message_search_docs (
    doc             INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    UNIQUE (conversation_id, seq)
  ) STRICT;
  CREATE VIRTUAL TABLE message_search USING fts5(
    body, content = '', prefix = '2 3', tokenize = "unicode61 remove_diacritics 2"
  );
  INSERT INTO message_search (message_search, rank) VALUES ('secure-delete', 1);
  INSERT INTO message_search_docs (conversation_id, seq)
    SELECT conversation_id, seq FROM messages ORDER BY created_at, conversation_id, seq;
  INSERT INTO message_search (rowid, body)
    SELECT d.doc, replace(replace(m.text, 'ł', 'l'), 'Ł', 'L')
    FROM message_search_docs d JOIN messages m ON m.conversation_id = d.conversation_id AND m.seq = d.seq
    WHERE m.text <> '';
  CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search_docs (conversation_id, seq) VALUES (new.conversation_id, new.seq);
    INSERT INTO message_search (rowid, body)
      SELECT last_insert_rowid(), replace(replace(new.text, 'ł', 'l'), 'Ł', 'L') WHERE new.text <> '';
  END;
  CREATE TRIGGER message_search_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, body)
      SELECT 'delete', doc, replace(replace(old.text, 'ł', 'l'), 'Ł', 'L') FROM message_search_docs
      WHERE conversation_id = old.conversation_id AND seq = old.seq AND old.text <> '';
    INSERT INTO message_search (rowid, body)
      SELECT doc, replace(replace(new.text, 'ł', 'l'), 'Ł', 'L') FROM message_search_docs
      WHERE conversation_id = new.conversation_id AND seq = new.seq AND new.text <> '';
  END;
  CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, body)
      SELECT 'delete', doc, replace(replace(old.text, 'ł', 'l'), 'Ł', 'L') FROM message_search_docs
      WHERE conversation_id = old.conversation_id AND seq = old.seq AND old.text <> '';
    DELETE FROM message_search_docs WHERE conversation_id = old.conversation_id AND seq = old.seq;
  END;
  `,
  // (issue 12) Attachments: metadata of uploaded files (the bytes are in the file store under sha256). An upload
  // has no message until its uploader sends one carrying it.
  `
  CREATE TABLE attachments (
    id              TEXT PRIMARY KEY,
    uploader_id     TEXT NOT NULL REFERENCES employees (id),
    name            TEXT NOT NULL,
    size            INTEGER NOT NULL,
    content_type    TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    message_id      TEXT REFERENCES messages (id),
    conversation_id TEXT REFERENCES conversations (id)
  ) STRICT;
  CREATE INDEX attachments_message ON attachments (message_id) WHERE message_id IS NOT NULL;
  CREATE INDEX attachments_sha256 ON attachments (sha256);
  `,
  // (issue 14) Two-way SMS: replies that land in a conversation are marked; the others are kept for admins, once
  // per SMSAPI MsgId, with a salted hash instead of the sender's number.
  `
  ALTER TABLE messages ADD COLUMN via_sms INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE sms_inbound (
    gateway_id  TEXT PRIMARY KEY,
    sender_key  TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('unknown_number', 'private_number', 'no_conversation')),
    text        TEXT NOT NULL,
    sent_at     INTEGER NOT NULL,
    received_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX sms_inbound_received ON sms_inbound (received_at);
  `,
  // (issue 17) Exactly-once by a window of recent client ids instead of a unique index over all history, whose random
  // inserts (v4 client ids) cost twice the CPU per append once the history outgrew the cache (client-id-window.ts).
  // Only the week before the newest message is copied (the default window; a longer history would be pruned at once
  // anyway, in one long first round) and every integration account's, in key order, so each page is written once.
  `
  CREATE TABLE message_client_ids (
    sender_id  TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    message_id TEXT NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (sender_id, client_id)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO message_client_ids (sender_id, client_id, message_id, at)
    SELECT sender_id, client_id, id, created_at FROM messages
    WHERE created_at >= (SELECT max(created_at) FROM messages) - 7 * 24 * 3600000
       OR sender_id IN (SELECT employee_id FROM integrations)
    ORDER BY sender_id, client_id;
  DROP INDEX messages_sender_client;
  `,
  // (issue 13) Departments in the directory (bulk SMS and integrations select employees by them); bulk SMS jobs,
  // kept so that a retry repeats one and sends nothing twice (the day's reservations are summed by created_at
  // inside the claim's IMMEDIATE transaction); an integration's "SMS if unread after N minutes".
  `
  ALTER TABLE employees ADD COLUMN department TEXT;
  ALTER TABLE api_notifications ADD COLUMN if_unread_minutes REAL;

  CREATE TABLE bulk_jobs (
    id            TEXT PRIMARY KEY,
    sender_id     TEXT NOT NULL REFERENCES employees (id),
    request_hash  TEXT NOT NULL,
    template_id   TEXT,
    recipient_ids TEXT NOT NULL,
    texts         TEXT NOT NULL,
    reserved_sms  INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX bulk_jobs_created ON bulk_jobs (created_at);
  CREATE INDEX bulk_jobs_sender ON bulk_jobs (sender_id, created_at);
  `,
  // (issue 12) Notification choices on the server: a member's mute of a conversation ('forever' or an ISO moment)
  // and an employee's do-not-disturb (until, ms since the epoch).
  `
  ALTER TABLE memberships ADD COLUMN muted_until TEXT;
  ALTER TABLE employees ADD COLUMN dnd_until INTEGER;
  `,
  // (issue 14) Quiet hours: an employee's working hours (JSON of WorkingHours, null = always reachable), and an SMS
  // held until they start; "send anyway" is kept with the SMS so that a later deadline honours it too.
  `
  ALTER TABLE employees ADD COLUMN working_hours TEXT;
  ALTER TABLE sms_dispatches ADD COLUMN held_until INTEGER;
  ALTER TABLE sms_dispatches ADD COLUMN ignore_quiet_hours INTEGER NOT NULL DEFAULT 0;
  `,
  // (issue 14) Warnings stored for admins (the SMSAPI balance fell low), and whether a warning is raised now, so
  // that every process together warns once per fall.
  `
  CREATE TABLE admin_alerts (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('sms_balance_low')),
    params     TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX admin_alerts_created ON admin_alerts (created_at);
  CREATE TABLE alert_states (
    kind   TEXT PRIMARY KEY,
    raised INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  `,
  // (issue 13, colleague card and start page) Which path asked for an SMS; older ones came from the chat.
  `
  ALTER TABLE sms_dispatches ADD COLUMN origin TEXT NOT NULL DEFAULT 'chat' CHECK (origin IN ('chat', 'card', 'widget', 'bulk'));
  `,
  // (issue 17) The idempotency window keyed by a hash of (sender, client id): an append costs the same whatever
  // the shape of the client's id (client-keys-migration.ts).
  clientIdsByHashKey,
  // (issue 12) The conversation in the search index: a second column holding one token, the hex of the conversation
  // id. Searching one quiet conversation (or the few of a member) then walks that token's short doclist and seeks in
  // the word's, instead of reading every newer match of the word in the whole store and dropping the others. The
  // index is contentless, so it is rebuilt from messages (doc numbers kept: they are the search cursors and the
  // newest-first order); the triggers now give and take both columns.
  `
  DROP TRIGGER message_search_insert;
  DROP TRIGGER message_search_update;
  DROP TRIGGER message_search_delete;
  DROP TABLE message_search;
  CREATE VIRTUAL TABLE message_search USING fts5(
    body, conversation, content = '', prefix = '2 3', tokenize = "unicode61 remove_diacritics 2"
  );
  INSERT INTO message_search (message_search, rank) VALUES ('secure-delete', 1);
  INSERT INTO message_search (rowid, body, conversation)
    SELECT d.doc, replace(replace(m.text, 'ł', 'l'), 'Ł', 'L'), hex(d.conversation_id)
    FROM message_search_docs d JOIN messages m ON m.conversation_id = d.conversation_id AND m.seq = d.seq
    WHERE m.text <> ''
    ORDER BY d.doc;
  CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search_docs (conversation_id, seq) VALUES (new.conversation_id, new.seq);
    INSERT INTO message_search (rowid, body, conversation)
      SELECT last_insert_rowid(), replace(replace(new.text, 'ł', 'l'), 'Ł', 'L'), hex(new.conversation_id)
      WHERE new.text <> '';
  END;
  CREATE TRIGGER message_search_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, body, conversation)
      SELECT 'delete', doc, replace(replace(old.text, 'ł', 'l'), 'Ł', 'L'), hex(old.conversation_id)
      FROM message_search_docs
      WHERE conversation_id = old.conversation_id AND seq = old.seq AND old.text <> '';
    INSERT INTO message_search (rowid, body, conversation)
      SELECT doc, replace(replace(new.text, 'ł', 'l'), 'Ł', 'L'), hex(new.conversation_id)
      FROM message_search_docs
      WHERE conversation_id = new.conversation_id AND seq = new.seq AND new.text <> '';
  END;
  CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, body, conversation)
      SELECT 'delete', doc, replace(replace(old.text, 'ł', 'l'), 'Ł', 'L'), hex(old.conversation_id)
      FROM message_search_docs
      WHERE conversation_id = old.conversation_id AND seq = old.seq AND old.text <> '';
    DELETE FROM message_search_docs WHERE conversation_id = old.conversation_id AND seq = old.seq;
  END;
  `,
  // (issue 13, bulk SMS in the background) A job runs after its request was answered; one without finished_at is
  // resumed at start. Older jobs ran inside their request, so they are finished.
  `
  ALTER TABLE bulk_jobs ADD COLUMN finished_at INTEGER;
  UPDATE bulk_jobs SET finished_at = created_at;
  CREATE INDEX bulk_jobs_unfinished ON bulk_jobs (created_at) WHERE finished_at IS NULL;
  `,
  // (issue 17) The search index off the append's transaction: the insert trigger only numbers the message, and
  // search-indexer.mjs indexes the docs above the watermark in batches (the store's own connection between the
  // appends, and every search before it reads). A new doc is numbered above the watermark even when the newest indexed ones were deleted, so
  // it cannot be taken for indexed; edits and deletions touch the index only at or below the watermark.
  `
  CREATE TABLE search_index_watermark (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    upto INTEGER NOT NULL
  ) STRICT;
  INSERT INTO search_index_watermark (id, upto) SELECT 1, coalesce(max(doc), 0) FROM message_search_docs;
  DROP TRIGGER message_search_insert;
  DROP TRIGGER message_search_update;
  DROP TRIGGER message_search_delete;
  CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search_docs (doc, conversation_id, seq)
      SELECT max(coalesce((SELECT max(doc) FROM message_search_docs), 0), upto) + 1, new.conversation_id, new.seq
      FROM search_index_watermark;
  END;
  CREATE TRIGGER message_search_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, body, conversation)
      SELECT 'delete', doc, replace(replace(old.text, 'ł', 'l'), 'Ł', 'L'), hex(old.conversation_id)
      FROM message_search_docs
      WHERE conversation_id = old.conversation_id AND seq = old.seq AND old.text <> ''
        AND doc <= (SELECT upto FROM search_index_watermark);
    INSERT INTO message_search (rowid, body, conversation)
      SELECT doc, replace(replace(new.text, 'ł', 'l'), 'Ł', 'L'), hex(new.conversation_id)
      FROM message_search_docs
      WHERE conversation_id = new.conversation_id AND seq = new.seq AND new.text <> ''
        AND doc <= (SELECT upto FROM search_index_watermark);
  END;
  CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, body, conversation)
      SELECT 'delete', doc, replace(replace(old.text, 'ł', 'l'), 'Ł', 'L'), hex(old.conversation_id)
      FROM message_search_docs
      WHERE conversation_id = old.conversation_id AND seq = old.seq AND old.text <> ''
        AND doc <= (SELECT upto FROM search_index_watermark);
    DELETE FROM message_search_docs WHERE conversation_id = old.conversation_id AND seq = old.seq;
  END;
  `,
  // (session 10) An SMS outcome about someone no longer in the directory carries no name (NULL), and the client
  // words it; it used to carry the English words 'a former colleague'. Those are cleared where the recipient is gone.
  `
  CREATE TABLE notifications_v10 (
    id              TEXT PRIMARY KEY,
    employee_id     TEXT NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('sms_outcome')),
    message_id      TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    recipient_id    TEXT NOT NULL,
    recipient_name  TEXT,
    status          TEXT NOT NULL
                    CHECK (status IN ('not_sent', 'queued', 'unconfirmed', 'sent', 'delivered', 'undelivered', 'failed',
                                      'expired')),
    reason          TEXT,
    created_at      INTEGER NOT NULL,
    read_at         INTEGER
  ) STRICT;
  INSERT INTO notifications_v10
    SELECT id, employee_id, kind, message_id, conversation_id, recipient_id,
           CASE WHEN recipient_name = 'a former colleague' AND recipient_id NOT IN (SELECT id FROM employees) THEN NULL
                ELSE recipient_name END,
           status, reason, created_at, read_at
    FROM notifications;
  DROP TABLE notifications;
  ALTER TABLE notifications_v10 RENAME TO notifications;
  CREATE INDEX notifications_employee ON notifications (employee_id, created_at);
  CREATE INDEX notifications_unread ON notifications (employee_id) WHERE read_at IS NULL;
  `,
];

function codesForSmsSentences(db: Database.Database): void {
  const reasons = db.prepare<[], { id: string; reason: string; attempts: number }>(
    `SELECT id, reason, attempts FROM sms_dispatches WHERE reason IS NOT NULL`,
  );
  const setReason = db.prepare<[string | null, string]>('UPDATE sms_dispatches SET reason = ? WHERE id = ?');
  for (const row of reasons.all()) {
    const reason = reasonFromSentence(row.reason, row.attempts);
    setReason.run(reason === null ? null : JSON.stringify(reason), row.id);
  }

  db.exec(`
  CREATE TABLE notifications_v6 (
    id              TEXT PRIMARY KEY,
    employee_id     TEXT NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('sms_outcome')),
    message_id      TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    recipient_id    TEXT NOT NULL,
    recipient_name  TEXT NOT NULL,
    status          TEXT NOT NULL
                    CHECK (status IN ('not_sent', 'queued', 'unconfirmed', 'sent', 'delivered', 'undelivered', 'failed',
                                      'expired')),
    reason          TEXT,
    created_at      INTEGER NOT NULL,
    read_at         INTEGER
  ) STRICT;`);
  type OldRow = { id: string; employee_id: string; text: string; message_id: string | null; conversation_id: string | null; created_at: number; read_at: number | null };
  const old = db.prepare<[], OldRow>('SELECT * FROM notifications');
  const byName = db.prepare<[string, string], { recipient_id: string }>(`
    SELECT d.recipient_id FROM sms_dispatches d JOIN employees e ON e.id = d.recipient_id
    WHERE d.message_id = ? AND e.name = ? LIMIT 1`);
  const only = db.prepare<[string], { recipient_id: string }>(
    'SELECT recipient_id FROM sms_dispatches WHERE message_id = ? GROUP BY message_id HAVING count(*) = 1',
  );
  const insert = db.prepare(`
    INSERT INTO notifications_v6 VALUES
      (@id, @employee_id, 'sms_outcome', @message_id, @conversation_id, @recipient_id, @recipient_name, @status, @reason,
       @created_at, @read_at)`);
  for (const row of old.all()) {
    const outcome = outcomeFromNotificationText(row.text);
    if (outcome === null || row.message_id === null || row.conversation_id === null) continue;
    const recipient = byName.get(row.message_id, outcome.recipientName) ?? only.get(row.message_id);
    if (!recipient) continue;
    insert.run({
      id: row.id,
      employee_id: row.employee_id,
      message_id: row.message_id,
      conversation_id: row.conversation_id,
      recipient_id: recipient.recipient_id,
      recipient_name: outcome.recipientName,
      status: outcome.status,
      reason: outcome.reason === null ? null : JSON.stringify(outcome.reason),
      created_at: row.created_at,
      read_at: row.read_at,
    });
  }
  db.exec(`
  DROP TABLE notifications;
  ALTER TABLE notifications_v6 RENAME TO notifications;
  CREATE INDEX notifications_employee ON notifications (employee_id, created_at);
  CREATE INDEX notifications_unread ON notifications (employee_id) WHERE read_at IS NULL;`);
}

export const SCHEMA_VERSION = migrations.length;

export function schemaVersionOf(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to `target` (the newest by default) in one IMMEDIATE transaction, so that two processes
 * opening the same file at once cannot both run a step, and a failed step leaves the previous version intact.
 * Foreign keys are off while the steps run (a table rebuild drops a table others refer to) and every reference is
 * checked before the commit; a dangling one aborts the upgrade.
 */
export function migrate(db: Database.Database, target: number = SCHEMA_VERSION): void {
  if (!Number.isInteger(target) || target < 0 || target > SCHEMA_VERSION) {
    throw new Error(`cannot migrate to schema version ${target}: this Depesza knows versions 0 to ${SCHEMA_VERSION}`);
  }
  const run = db.transaction(() => {
    const current = schemaVersionOf(db);
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `database schema version ${current} is newer than this Depesza (knows up to ${SCHEMA_VERSION}); upgrade Depesza`,
      );
    }
    for (let version = current; version < target; version++) {
      const step = migrations[version] as string | ((db: Database.Database) => void);
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${version + 1}`);
    }
    const dangling = db.pragma('foreign_key_check') as Array<{ table: string; parent: string }>;
    if (dangling.length > 0) {
      const first = dangling[0] as { table: string; parent: string };
      throw new Error(`schema upgrade left ${dangling.length} row(s) in ${first.table} pointing at missing ${first.parent}; nothing was changed`);
    }
  });
  // A no-op inside a transaction, hence around it.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    run.immediate();
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}
