/**
 * The MongoDB store, chosen when MONGODB_URI is set: the same port and contract suite as SQLite, over mongoose
 * models (models.ts) on a replica set. Opening it connects (failing within seconds, with an error that names
 * MongoDB and the host but never the password), checks that transactions are available, and creates the
 * collections and indexes the models declare.
 */
import type { FloodGate } from '../../../ports/flood-gate.js';
import { createMongoFloodGate } from './flood-gate.js';
import type { Connection } from 'mongoose';
import { systemClock, type Clock } from '../../../ports/clock.js';
import type { Store } from '../../../ports/store.js';
import { createConversationRepository } from './conversations.js';
import { createEmployeeRepository } from './employees.js';
import { createMessageRepository } from './messages.js';
import { convertLegacySmsText } from './legacy-sms-text.js';
import { backfillSearchText } from './message-search.js';
import { connectMongo, database, mongoError, requireTransactions } from './mongo-connection.js';
import { createModels, ensureCollections, type Models } from './models.js';
import { backfillRevs } from './message-revs.js';
import { createNotificationRepository } from './notifications.js';
import { createSessionRepository } from './sessions.js';
import { createAckRepository } from './acks.js';
import { createAttachmentRepository } from './attachments.js';
import { createNotifyPrefsRepository } from './notify-prefs.js';
import { createGridFsFileStore } from '../../files/gridfs-file-store.js';
import { createInboundSmsRepository } from './inbound-sms.js';
import { createAdminAlertRepository } from './admin-alerts.js';
import { createSmsDispatchRepository } from './sms-dispatches.js';
import { createBulkJobRepository } from './bulk-jobs.js';
import { createApiNotificationRepository, createIntegrationRepository, createSmsTemplateRepository } from './sms-paths.js';

export interface MongoStoreOptions {
  uri: string;
  /** Overrides the database named in the URI (default: the URI's, else "depesza"); tests use a fresh one. */
  dbName?: string;
  /** Stamps `createdAt`/`updatedAt` of employees and `updatedAt` of dispatches, whose port methods carry no time. */
  clock?: Clock;
  serverSelectionTimeoutMS?: number;
}

/** Connects, checks and prepares the database; the connection is closed again when any step fails. */
export async function openMongoDatabase(options: MongoStoreOptions): Promise<{ connection: Connection; models: Models }> {
  const connection = await connectMongo(options.uri, {
    ...(options.dbName ? { dbName: options.dbName } : {}),
    ...(options.serverSelectionTimeoutMS ? { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS } : {}),
  });
  try {
    await requireTransactions(connection, options.uri);
    const models = createModels(connection);
    try {
      await ensureCollections(models);
      await convertLegacySmsText(models);
      await backfillRevs(models);
      await backfillSearchText(models);
    } catch (error) {
      throw mongoError(options.uri, 'cannot create the collections and indexes in', error);
    }
    return { connection, models };
  } catch (error) {
    await connection.close(true).catch(() => undefined);
    throw error;
  }
}

export async function openMongoStore(options: MongoStoreOptions): Promise<Store> {
  const { connection, models } = await openMongoDatabase(options);
  let floodGate: FloodGate;
  try {
    floodGate = await createMongoFloodGate(connection);
  } catch (error) {
    await connection.close(true).catch(() => undefined);
    throw mongoError(options.uri, 'cannot create the flood limits collection in', error);
  }
  const clock = options.clock ?? systemClock;
  const messages = createMessageRepository(connection, models);
  let closing: Promise<void> | null = null;

  return {
    kind: 'mongo',
    employees: createEmployeeRepository(connection, models, clock),
    sessions: createSessionRepository(models),
    conversations: createConversationRepository(models),
    messages,
    sms: createSmsDispatchRepository(connection, models, clock),
    notifications: createNotificationRepository(models),
    acks: createAckRepository(models),
    smsTemplates: createSmsTemplateRepository(models),
    integrations: createIntegrationRepository(models),
    apiNotifications: createApiNotificationRepository(models),
    bulkJobs: createBulkJobRepository(connection, models),
    attachments: createAttachmentRepository(models),
    notifyPrefs: createNotifyPrefsRepository(models),
    files: createGridFsFileStore(connection),
    inboundSms: createInboundSmsRepository(models),
    adminAlerts: createAdminAlertRepository(models),
    floodGate,

    async ping() {
      await database(connection).command({ ping: 1 });
    },

    close() {
      closing ??= (async () => {
        // Appends already accepted were promised an answer; let them finish before the connection goes.
        await messages.drain();
        await connection.close();
      })();
      return closing;
    },
  };
}
