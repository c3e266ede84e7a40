/**
 * Writes entities into a MongoDB store as they are, for `npm run store -- copy`: ids, sequence numbers and times
 * are kept. Each batch is one ordered insertMany (validated by the models, acknowledged by a majority), so an
 * interrupted copy stops at a clean batch boundary and the target's counts say how far it got. Mutes and "do not
 * disturb" live inside conversations and employees, so they are one ordered bulk of updates to copied documents.
 */
import type { Connection, Model } from 'mongoose';
import type { CopiedRows, CopyKind, StoreCounts, StoreImport } from '../../../ports/store-copy.js';
import {
  fromAckReminder,
  fromAcknowledgement,
  fromAdminAlert,
  fromAlertState,
  fromApiNotification,
  fromAttachment,
  fromBulkJob,
  fromCopiedMessage,
  fromInboundSms,
  fromIntegration,
  fromSmsCorrection,
  fromSmsTemplate,
} from './copy-docs.js';
import { createGridFsFileStore } from '../../files/gridfs-file-store.js';
import { fromConversation, fromDispatch, fromEmployee, fromNotification, fromSession } from './docs.js';
import { describeMongoUri } from './mongo-connection.js';
import type { Models } from './models.js';
import { openMongoDatabase, type MongoStoreOptions } from './mongo-store.js';

export async function openMongoImport(options: Omit<MongoStoreOptions, 'clock'>): Promise<StoreImport> {
  const { connection, models } = await openMongoDatabase(options);
  return createMongoImport(connection, models, `${describeMongoUri(options.uri)}${options.dbName ? ` (database ${options.dbName})` : ''}`);
}

/** Where a kind's rows go and how a row becomes a document. */
interface Target<K extends CopyKind> {
  model: Model<never>;
  toDoc: (row: CopiedRows[K]) => unknown;
}

export function createMongoImport(connection: Connection, models: Models, description: string): StoreImport {
  const { Employee, Conversation } = models;
  const files = createGridFsFileStore(connection);
  const ordered = { ordered: true } as const;
  const target = <K extends CopyKind, Doc>(model: Model<Doc>, toDoc: (row: CopiedRows[K]) => Doc): Target<K> => ({
    model: model as unknown as Model<never>,
    toDoc,
  });
  const targets: { [K in Exclude<CopyKind, 'mutes' | 'doNotDisturb'>]: Target<K> } = {
    employees: target(Employee, fromEmployee),
    sessions: target(models.Session, fromSession),
    conversations: target(Conversation, fromConversation),
    messages: target(models.Message, fromCopiedMessage),
    smsDispatches: target(models.SmsDispatch, fromDispatch),
    smsCorrections: target(models.SmsCorrection, fromSmsCorrection),
    acknowledgements: target(models.Acknowledgement, fromAcknowledgement),
    ackReminders: target(models.AckReminder, fromAckReminder),
    notifications: target(models.Notification, fromNotification),
    attachments: target(models.Attachment, fromAttachment),
    smsTemplates: target(models.SmsTemplate, fromSmsTemplate),
    integrations: target(models.Integration, fromIntegration),
    apiNotifications: target(models.ApiNotification, fromApiNotification),
    bulkJobs: target(models.BulkJob, fromBulkJob),
    inboundSms: target(models.InboundSms, fromInboundSms),
    adminAlerts: target(models.AdminAlert, fromAdminAlert),
    alertStates: target(models.AlertState, fromAlertState),
  };

  async function insertMutes(rows: CopiedRows['mutes'][]): Promise<void> {
    const result = await Conversation.bulkWrite(
      rows.map((mute) => ({
        updateOne: {
          filter: { _id: mute.conversationId, 'members.employeeId': mute.employeeId },
          update: {
            $set: {
              'members.$.mutedUntil': mute.until instanceof Date ? mute.until : null,
              'members.$.mutedForever': mute.until === 'forever',
            },
          },
        },
      })),
      ordered,
    );
    if (result.matchedCount !== rows.length) throw new Error(`${rows.length - result.matchedCount} mutes name no copied member`);
  }

  async function insertDoNotDisturb(rows: CopiedRows['doNotDisturb'][]): Promise<void> {
    const result = await Employee.bulkWrite(
      rows.map((dnd) => ({ updateOne: { filter: { _id: dnd.employeeId }, update: { $set: { doNotDisturbUntil: dnd.until } } } })),
      ordered,
    );
    if (result.matchedCount !== rows.length) throw new Error(`${rows.length - result.matchedCount} "do not disturb" name no copied employee`);
  }

  return {
    description,

    async counts(): Promise<StoreCounts> {
      const kinds = Object.keys(targets) as (keyof typeof targets)[];
      const [documents, members, mutes, doNotDisturb] = await Promise.all([
        Promise.all(kinds.map((kind) => targets[kind].model.countDocuments({}).exec())),
        Conversation.aggregate<{ n: number }>([{ $group: { _id: null, n: { $sum: { $size: { $ifNull: ['$members', []] } } } } }]).exec(),
        Conversation.aggregate<{ n: number }>([
          { $unwind: '$members' },
          { $match: { $or: [{ 'members.mutedForever': true }, { 'members.mutedUntil': { $type: 'date' } }] } },
          { $count: 'n' },
        ]).exec(),
        Employee.countDocuments({ doNotDisturbUntil: { $type: 'date' } }).exec(),
      ]);
      return {
        ...(Object.fromEntries(kinds.map((kind, i) => [kind, documents[i]])) as Record<keyof typeof targets, number>),
        memberships: members[0]?.n ?? 0,
        mutes: mutes[0]?.n ?? 0,
        doNotDisturb,
      };
    },
    async insert<K extends CopyKind>(kind: K, rows: CopiedRows[K][]) {
      if (kind === 'mutes') return insertMutes(rows as CopiedRows['mutes'][]);
      if (kind === 'doNotDisturb') return insertDoNotDisturb(rows as CopiedRows['doNotDisturb'][]);
      const { model, toDoc } = targets[kind as keyof typeof targets] as unknown as Target<K>;
      await model.insertMany(rows.map(toDoc) as never[], ordered);
    },
    async putFile(source, size) {
      return (await files.put(source, { maxBytes: size })).sha256;
    },
    async close() {
      await connection.close();
    },
  };
}
