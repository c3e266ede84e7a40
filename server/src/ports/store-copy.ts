/**
 * Moving an installation's data from one store to another (`npm run store -- copy`). Both sides speak entities,
 * so the copy keeps every id, sequence number and time; each adapter reads or writes in its own bulk way.
 */
import type {
  Employee,
  Session,
  SmsDispatch,
  StoredMessage,
  StoredNotification,
} from '../domain/entities.js';
import type { ConversationWithMembers } from './store.js';

export interface StoreCounts {
  employees: number;
  sessions: number;
  conversations: number;
  memberships: number;
  messages: number;
  smsDispatches: number;
  notifications: number;
}

/** Reads a whole store, in batches, from one consistent snapshot. */
export interface StoreExport {
  /** Where the data comes from, safe to print. */
  readonly description: string;
  counts(): Promise<StoreCounts>;
  employees(batchSize: number): AsyncIterable<Employee[]>;
  sessions(batchSize: number): AsyncIterable<Session[]>;
  conversations(batchSize: number): AsyncIterable<ConversationWithMembers[]>;
  messages(batchSize: number): AsyncIterable<StoredMessage[]>;
  smsDispatches(batchSize: number): AsyncIterable<SmsDispatch[]>;
  notifications(batchSize: number): AsyncIterable<StoredNotification[]>;
  close(): Promise<void>;
}

/** Writes entities as they are (ids, sequence numbers, times kept) into a store. */
export interface StoreImport {
  /** Where the data goes, safe to print (no password). */
  readonly description: string;
  counts(): Promise<StoreCounts>;
  insertEmployees(rows: Employee[]): Promise<void>;
  insertSessions(rows: Session[]): Promise<void>;
  insertConversations(rows: ConversationWithMembers[]): Promise<void>;
  insertMessages(rows: StoredMessage[]): Promise<void>;
  insertSmsDispatches(rows: SmsDispatch[]): Promise<void>;
  insertNotifications(rows: StoredNotification[]): Promise<void>;
  close(): Promise<void>;
}
