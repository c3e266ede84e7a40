/**
 * Moving an installation's data from one store to another (`npm run store -- copy`). Both sides speak entities,
 * so the copy keeps every id, sequence number and time; each adapter reads or writes in its own bulk way.
 */
import type { Readable } from 'node:stream';
import type { BulkJob } from '../domain/bulk-sms.js';
import type {
  AckReminder,
  Acknowledgement,
  Employee,
  InboundSms,
  Session,
  SmsDispatch,
  StoredAttachment,
  StoredMessage,
  StoredNotification,
} from '../domain/entities.js';
import type { ApiNotification, Integration, SmsTemplateRecord } from '../domain/sms-paths.js';
import type { AdminAlert, ConversationWithMembers, MuteUntil } from './store.js';

/** An SMS correction that went out: kept so that the same edited text is never corrected twice. */
export interface SmsCorrectionRecord {
  messageId: string;
  textRev: number;
  createdAt: Date;
}

/** Whether a kind of admin warning is raised now (so that it is given once per fall). */
export interface AlertStateRecord {
  kind: AdminAlert['kind'];
  raised: boolean;
}

/** A member's mute of a conversation; only set ones are copied. */
export interface MuteRecord {
  conversationId: string;
  employeeId: string;
  until: MuteUntil;
}

/** An employee's "do not disturb"; only set ones are copied. */
export interface DoNotDisturbRecord {
  employeeId: string;
  until: Date;
}

/** Every kind of row a copy carries, by the name the copy and its counts use. */
export interface CopiedRows {
  employees: Employee;
  doNotDisturb: DoNotDisturbRecord;
  sessions: Session;
  conversations: ConversationWithMembers;
  mutes: MuteRecord;
  messages: StoredMessage;
  smsDispatches: SmsDispatch;
  smsCorrections: SmsCorrectionRecord;
  acknowledgements: Acknowledgement;
  ackReminders: AckReminder;
  notifications: StoredNotification;
  attachments: StoredAttachment;
  smsTemplates: SmsTemplateRecord;
  integrations: Integration;
  apiNotifications: ApiNotification;
  bulkJobs: BulkJob;
  inboundSms: InboundSms;
  adminAlerts: AdminAlert;
  alertStates: AlertStateRecord;
}

export type CopyKind = keyof CopiedRows;

/** Rows per kind; `memberships` counts the members carried inside conversations. */
export type StoreCounts = Record<CopyKind | 'memberships', number>;

/** Reads a whole store, in batches, from one consistent snapshot. */
export interface StoreExport {
  /** Where the data comes from, safe to print. */
  readonly description: string;
  counts(): Promise<StoreCounts>;
  rows<K extends CopyKind>(kind: K, batchSize: number): AsyncIterable<CopiedRows[K][]>;
  /** An attachment's bytes, or null when the source holds none under this hash. */
  openFile(sha256: string): Promise<Readable | null>;
  close(): Promise<void>;
}

/** Writes entities as they are (ids, sequence numbers, times kept) into a store. */
export interface StoreImport {
  /** Where the data goes, safe to print (no password). */
  readonly description: string;
  counts(): Promise<StoreCounts>;
  /** Rows of a kind; every kind they refer to was written before (see COPY_ORDER). */
  insert<K extends CopyKind>(kind: K, rows: CopiedRows[K][]): Promise<void>;
  /** Stores an attachment's bytes (at most `size` of them) and answers the SHA-256 it computed over them. */
  putFile(source: Readable, size: number): Promise<string>;
  close(): Promise<void>;
}
