import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../../ports/clock.js';
import type { Store } from '../../../ports/store.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { createConversationRepository } from './conversations.js';
import { createEmployeeRepository } from './employees.js';
import { createMessageRepository } from './messages.js';
import { DEFAULT_CLIENT_ID_WINDOW_MS } from './client-id-window.js';
import { migrate } from './migrations.js';
import { createSearchIndexer, INDEX_EVERY_MS } from './search-indexer.mjs';
import { createNotificationRepository } from './notifications.js';
import { createSessionRepository } from './sessions.js';
import { createAckRepository } from './acks.js';
import { createAttachmentRepository } from './attachments.js';
import { createNotifyPrefsRepository } from './notify-prefs.js';
import { createInboundSmsRepository } from './inbound-sms.js';
import { createAdminAlertRepository } from './admin-alerts.js';
import { createSmsDispatchRepository } from './sms-dispatches.js';
import { createBulkJobRepository } from './bulk-jobs.js';
import { createApiNotificationRepository, createIntegrationRepository, createSmsTemplateRepository } from './sms-paths.js';

export interface SqliteStoreOptions {
  /** Path of the database file; its folder is created when missing. */
  file: string;
  /** Stamps `updatedAt` of employees and dispatches, whose port methods carry no time. */
  clock?: Clock;
  /**
   * 'normal' (default): with WAL, a commit survives a crash of the process but not of the machine.
   * 'full': also survives power loss, at one fsync per commit; group commit shares that fsync across a batch.
   */
  synchronous?: 'normal' | 'full';
  /** The most appends committed in one transaction. */
  maxAppendBatch?: number;
  /** How long the first append of a batch waits for others to share its commit; 0: the next turn of the event loop. */
  appendCommitWindowMs?: number;
  /**
   * How long a client message id is remembered for exactly-once (a resend within it returns the stored message);
   * older ones are forgotten every `clientIdPruneEveryMs`. See client-id-window.ts.
   */
  clientIdWindowMs?: number;
  clientIdPruneEveryMs?: number;
  /** SQLite's page cache of this connection, in MiB (allocated as used). */
  cacheSizeMiB?: number;
  /** How much of the file SQLite reads through a memory map instead of read() calls, in MiB; 0 turns it off. */
  mmapSizeMiB?: number;
  /** How often new messages are indexed for search between appends (search-indexer.mjs); 0: only by searches. */
  searchIndexEveryMs?: number;
}

/** Opens (creating and migrating as needed) a SQLite database and returns the store over it. */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const inMemory = options.file === ':memory:' || options.file === '';
  if (!inMemory) mkdirSync(dirname(resolve(options.file)), { recursive: true });
  const db = new Database(options.file);
  try {
    configure(db, options, inMemory);
    migrate(db);
    return assemble(db, options, inMemory);
  } catch (error) {
    db.close();
    throw error;
  }
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  return createSqliteStore(options);
}

function configure(db: Database.Database, options: SqliteStoreOptions, inMemory: boolean): void {
  // Before anything else: another process may hold the write lock while we switch to WAL or migrate.
  db.pragma('busy_timeout = 5000');
  if (!inMemory) {
    // WAL lets readers (history, reports) run while appends commit, and makes a commit one sequential write.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`SQLite refused WAL mode for ${options.file} (journal_mode is ${String(mode)})`);
  }
  db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  // 32 MiB of page cache (SQLite's default is 2 MiB), allocated as used: history pages of busy conversations stay
  // in memory instead of being read again through the kernel.
  db.pragma(`cache_size = ${-Math.round((options.cacheSizeMiB ?? 32) * 1024)}`);
  if (options.mmapSizeMiB !== undefined) db.pragma(`mmap_size = ${Math.round(options.mmapSizeMiB * 2 ** 20)}`);
  // A deleted message's text must be gone from the file, not left in the freed part of its page (issue 11).
  db.pragma('secure_delete = ON');
  // Off by default in SQLite, and a no-op inside a transaction, so it must be set here, before migrating.
  db.pragma('foreign_keys = ON');
}

function assemble(db: Database.Database, options: SqliteStoreOptions, inMemory: boolean): Store {
  const clock = options.clock ?? systemClock;
  const messages = createMessageRepository(db, { maxBatch: options.maxAppendBatch, commitWindowMs: options.appendCommitWindowMs });
  const select1 = db.prepare('SELECT 1');
  let closed = false;
  // Checkpoints move off the committing thread (see checkpointer.ts); should the worker die, SQLite's own resume.
  let checkpointer: Checkpointer | null = null;
  if (!inMemory) {
    db.pragma('wal_autocheckpoint = 0');
    checkpointer = startCheckpointer(resolve(options.file), () => {
      if (!closed) db.pragma('wal_autocheckpoint = 1000');
    });
  }

  // Not at open: the first prune waits a minute, so a start stays quick and a store opened briefly (a CLI) writes nothing.
  const windowMs = options.clientIdWindowMs ?? DEFAULT_CLIENT_ID_WINDOW_MS;
  let pruning: Promise<unknown> = Promise.resolve();
  const prune = () => {
    pruning = messages.forgetClientIds(new Date(clock.now().getTime() - windowMs)).catch(() => {
      // A busy database or a close racing the timer: the next round forgets the same ids.
    });
  };
  let pruneTimer: NodeJS.Timeout | null = setTimeout(function again() {
    prune();
    pruneTimer = setTimeout(again, options.clientIdPruneEveryMs ?? 3600_000).unref();
  }, Math.min(60_000, options.clientIdPruneEveryMs ?? 60_000)).unref();

  // The search index is filled here, in batches between the appends (search-indexer.mjs says why not in them).
  const indexNew = createSearchIndexer(db);
  const indexEveryMs = options.searchIndexEveryMs ?? INDEX_EVERY_MS;
  const indexTimer = indexEveryMs > 0 ? setInterval(() => {
    try {
      indexNew();
    } catch {
      // Busy (another process writing) or closing: the next round, or the next search, indexes the same messages.
    }
  }, indexEveryMs).unref() : undefined;

  return {
    kind: 'sqlite',
    employees: createEmployeeRepository(db, clock),
    sessions: createSessionRepository(db),
    conversations: createConversationRepository(db),
    messages,
    sms: createSmsDispatchRepository(db, clock),
    notifications: createNotificationRepository(db),
    acks: createAckRepository(db),
    smsTemplates: createSmsTemplateRepository(db),
    integrations: createIntegrationRepository(db),
    apiNotifications: createApiNotificationRepository(db),
    bulkJobs: createBulkJobRepository(db),
    attachments: createAttachmentRepository(db),
    notifyPrefs: createNotifyPrefsRepository(db),
    inboundSms: createInboundSmsRepository(db),
    adminAlerts: createAdminAlertRepository(db),

    async ping() {
      select1.get();
    },

    async close() {
      if (closed) return;
      closed = true;
      if (pruneTimer) clearTimeout(pruneTimer);
      clearInterval(indexTimer);
      pruneTimer = null;
      // First: the last connection to close checkpoints the WAL away.
      await checkpointer?.stop();
      messages.stopAccepting();
      await pruning;
      // Appends already queued were promised a commit; honour that before the handle goes away.
      messages.flush();
      db.pragma('optimize');
      db.close();
    },
  };
}
