/**
 * Writes entities into a MongoDB store as they are, for `npm run store -- copy`: ids, sequence numbers and times
 * are kept. Each batch is one ordered insertMany (validated by the models, acknowledged by a majority), so an
 * interrupted copy stops at a clean batch boundary and the target's counts say how far it got.
 */
import type { Connection } from 'mongoose';
import type { StoreCounts, StoreImport } from '../../../ports/store-copy.js';
import {
  fromConversation,
  fromDispatch,
  fromEmployee,
  fromMessage,
  fromNotification,
  fromSession,
} from './docs.js';
import { describeMongoUri } from './mongo-connection.js';
import type { Models } from './models.js';
import { openMongoDatabase, type MongoStoreOptions } from './mongo-store.js';

export async function openMongoImport(options: Omit<MongoStoreOptions, 'clock'>): Promise<StoreImport> {
  const { connection, models } = await openMongoDatabase(options);
  return createMongoImport(connection, models, `${describeMongoUri(options.uri)}${options.dbName ? ` (database ${options.dbName})` : ''}`);
}

export function createMongoImport(connection: Connection, models: Models, description: string): StoreImport {
  const { Employee, Session, Conversation, Message, SmsDispatch, Notification } = models;
  const ordered = { ordered: true } as const;

  return {
    description,

    async counts(): Promise<StoreCounts> {
      const [employees, sessions, conversations, members, messages, smsDispatches, notifications] = await Promise.all([
        Employee.countDocuments({}).exec(),
        Session.countDocuments({}).exec(),
        Conversation.countDocuments({}).exec(),
        Conversation.aggregate<{ n: number }>([{ $group: { _id: null, n: { $sum: { $size: { $ifNull: ['$members', []] } } } } }]).exec(),
        Message.countDocuments({}).exec(),
        SmsDispatch.countDocuments({}).exec(),
        Notification.countDocuments({}).exec(),
      ]);
      return { employees, sessions, conversations, memberships: members[0]?.n ?? 0, messages, smsDispatches, notifications };
    },
    async insertEmployees(rows) {
      await Employee.insertMany(rows.map(fromEmployee), ordered);
    },
    async insertSessions(rows) {
      await Session.insertMany(rows.map(fromSession), ordered);
    },
    async insertConversations(rows) {
      await Conversation.insertMany(rows.map(fromConversation), ordered);
    },
    async insertMessages(rows) {
      await Message.insertMany(rows.map(fromMessage), ordered);
    },
    async insertSmsDispatches(rows) {
      await SmsDispatch.insertMany(rows.map(fromDispatch), ordered);
    },
    async insertNotifications(rows) {
      await Notification.insertMany(rows.map(fromNotification), ordered);
    },
    async close() {
      await connection.close();
    },
  };
}
