/**
 * The storage port. Every adapter (SQLite, MongoDB) implements it and runs the same contract suite
 * (`server/test/store-contract.ts`). No query language leaks through: only entities and plain filters.
 */
import type { FloodGate } from './flood-gate.js';
import type {
  Acknowledgement,
  AckReminder,
  Conversation,
  ConversationWithMembers,
  Employee,
  InboundSms,
  Membership,
  MessagePatch,
  Session,
  SmsDispatch,
  SmsOrigin,
  StoredMessage,
  StoredNotification,
  StoredAttachment,
} from '../domain/entities.js';
import type { FileStore } from './file-store.js';
import type { SmsStatus } from '../../../shared/schemas/index.js';
import type { ApiNotificationRepository, IntegrationRepository, SmsTemplateRepository } from './sms-paths-store.js';
import type { BulkJobRepository } from './bulk-sms-store.js';
import type { SearchTerm } from '../../../shared/search-text.js';

export type { ConversationWithMembers };

export type NewEmployee = Omit<Employee, 'createdAt' | 'updatedAt'>;
export type EmployeePatch = Partial<Omit<Employee, 'id' | 'createdAt' | 'updatedAt'>>;

export interface EmployeeRepository {
  create(employee: NewEmployee): Promise<Employee>;
  update(id: string, patch: EmployeePatch): Promise<Employee | null>;
  findById(id: string): Promise<Employee | null>;
  /** Case-insensitive. */
  findByLogin(login: string): Promise<Employee | null>;
  findByIds(ids: string[]): Promise<Employee[]>;
  list(options?: { includeInactive?: boolean }): Promise<Employee[]>;
  count(): Promise<number>;
  /** Creates or updates employees by login in one transaction: all or nothing. */
  upsertMany(rows: NewEmployee[]): Promise<{ created: number; updated: number }>;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  findValid(tokenHash: string, now: Date): Promise<Session | null>;
  delete(tokenHash: string): Promise<void>;
  /** Every session of the employee but `exceptTokenHash` (the one a password was just changed from). */
  deleteForEmployee(employeeId: string, exceptTokenHash?: string): Promise<number>;
  deleteExpired(now: Date): Promise<number>;
}

/**
 * Thrown by createGroup/addMembers when a member would be in more than `maxGroupsPerMember` groups; nothing was
 * written. The check and the write are one atomic step in every adapter, so parallel adds never pass the cap.
 */
export class GroupCapReached extends Error {
  constructor(readonly employeeIds: string[]) {
    super(`group cap reached for ${employeeIds.length} employee(s)`);
    this.name = 'GroupCapReached';
  }
}

export interface ConversationRepository {
  /** Finds the direct conversation of a pair or creates it; concurrent calls yield the same one. */
  openDirect(input: { id: string; a: string; b: string; createdAt: Date }): Promise<ConversationWithMembers>;
  createGroup(input: {
    id: string;
    name: string;
    createdBy: string;
    memberIds: string[];
    createdAt: Date;
    /** Throws GroupCapReached when a member (the creator included) would be in more groups. */
    maxGroupsPerMember?: number;
  }): Promise<ConversationWithMembers>;
  /** Throws GroupCapReached when a newly added member would be in more than `maxGroupsPerMember` groups. */
  addMembers(conversationId: string, employeeIds: string[], at: Date, maxGroupsPerMember?: number): Promise<ConversationWithMembers | null>;
  removeMember(conversationId: string, employeeId: string): Promise<void>;
  /** The conversation when `employeeId` is a member, else null (callers cannot tell "missing" from "not yours"). */
  findForMember(conversationId: string, employeeId: string): Promise<ConversationWithMembers | null>;
  /** Issue 13 (integrations notify a group's members): the members' ids of a group conversation; null if no such group. */
  groupMemberIds(conversationId: string): Promise<string[] | null>;
  /** The hot path of sending: only the members' ids when `employeeId` is one of them, else null. */
  memberIdsIfMember(conversationId: string, employeeId: string): Promise<string[] | null>;
  /**
   * Newest activity first. A direct conversation without messages is listed only for the one who opened it: the
   * other person first hears of it with its first message.
   */
  listForEmployee(employeeId: string): Promise<ConversationWithMembers[]>;
  /** Raises the member's delivered/read marks, never lowers them; returns the membership after the change. */
  markReceipt(
    conversationId: string,
    employeeId: string,
    kind: 'delivered' | 'read',
    seq: number,
  ): Promise<Membership | null>;
}

/** `sendIf`/`deadlineAt` may be left out for an SMS that goes at once. */
export type NewDispatch = Omit<
  SmsDispatch,
  'messageId' | 'conversationId' | 'senderId' | 'createdAt' | 'updatedAt' | 'sendIf' | 'deadlineAt' | 'heldUntil' | 'ignoreQuietHours' | 'origin'
> &
  Partial<Pick<SmsDispatch, 'sendIf' | 'deadlineAt' | 'heldUntil' | 'ignoreQuietHours' | 'origin'>>;

/** The windows the SMS caps look back over, for one send. */
export interface SmsCapQuery {
  senderId: string;
  recipientIds: string[];
  senderHourSince: Date;
  senderDaySince: Date;
  recipientSince: Date;
  /**
   * The start of the calendar month, when a monthly limit is set (SMS_MONTHLY_LIMIT): then every send also counts
   * the whole company's SMS since then, and adapters serialise sends so that the count and the reservation hold.
   */
  monthSince?: Date;
}

/** Dispatches that went (or are going) to the gateway, i.e. not decided "not sent", within each window. */
export interface SmsCapCounts {
  senderLastHour: number;
  senderLastDay: number;
  /** Per recipient id; a recipient without any is absent. */
  recipientWindow: ReadonlyMap<string, number>;
  /** Everyone's since `monthSince`; 0 when the query has none. */
  month: number;
}

/**
 * Decides a send's dispatches from the cap counts as the append's own write transaction sees them, so that
 * checking a cap and reserving under it are one atomic step for any interleaving of sends (and processes).
 * `plan` must be pure and synchronous: a store calls it inside the transaction, and again when it retries one.
 */
export interface DispatchPlanner {
  capQuery: SmsCapQuery;
  plan(counts: SmsCapCounts): NewDispatch[];
}

export interface AppendMessageInput {
  id: string;
  conversationId: string;
  senderId: string;
  clientId: string;
  text: string;
  createdAt: Date;
  notifySms: boolean;
  /** Stored atomically with the message (the SMS outbox): decided already, or by a planner inside the transaction. */
  dispatches: NewDispatch[] | DispatchPlanner;
  /** Checked by the caller: a message of the same conversation. */
  replyToId?: string | null;
  mentions?: string[];
  mentionsAll?: boolean;
  /** "Request acknowledgement": one first reminder per recipient, stored with the message (ackOf = their number). */
  ackReminders?: Array<{ employeeId: string; firstAt: Date; untilAt: Date }>;
  /**
   * Issue 12: the sender's own uploads not yet attached, attached to the message in the same transaction; when any
   * is not (someone else's, attached meanwhile, missing) the append throws AttachmentsUnavailable and writes nothing.
   */
  attachmentIds?: string[];
  /** A reply that came in by SMS (two-way SMS). */
  viaSms?: boolean;
}

/** Thrown by append: `ids` are not the sender's own unattached uploads; nothing was written. */
export class AttachmentsUnavailable extends Error {
  constructor(readonly ids: string[]) {
    super(`attachments not available: ${ids.join(', ')}`);
    this.name = 'AttachmentsUnavailable';
  }
}

export type { MessagePatch };

/**
 * Decides a change of one message from its state as the write's own transaction sees it, so that a rule (not
 * deleted, at most N reactions) and the write are one atomic step. Pure and synchronous: a store may run it again
 * when it retries the transaction. Throws (a DomainError) to refuse; returns null to leave the message as it is.
 */
export type MessageChange = (current: StoredMessage) => MessagePatch | null;

export interface ChangeResult {
  message: StoredMessage;
  /** False when the decision was null: nothing written, no rev taken. */
  changed: boolean;
}

export interface AppendResult {
  message: StoredMessage;
  dispatches: SmsDispatch[];
  /** False when (sender, clientId) was already stored: the existing message is returned and nothing is written. */
  created: boolean;
}

export interface MessageRepository {
  /**
   * Stores a message with the next sequence number of its conversation, or returns the one already stored
   * under the same (senderId, clientId). Resolves only once the write is durable. In the same write it raises the
   * sender's own delivered and read marks to the new seq (what you send, you have read).
   * A repeat is recognised at least within the idempotency window: client ids of messages stored before the last
   * `forgetClientIds` may be forgotten (SQLite forgets them, except an integration account's; MongoDB keeps all).
   */
  append(input: AppendMessageInput): Promise<AppendResult>;
  /** The message stored under (senderId, clientId), within the same window as append's repeats. */
  findBySenderClientId(senderId: string, clientId: string): Promise<StoredMessage | null>;
  /**
   * Lets the store forget client ids of people's messages stored before `before` (the window's far end); returns how
   * many it forgot. The messages themselves stay. SQLite calls it itself on a timer (sqlite-store.ts).
   */
  forgetClientIds(before: Date): Promise<number>;
  /** Newest first, seq < beforeSeq (or the newest when omitted). */
  listBefore(conversationId: string, beforeSeq: number | null, limit: number): Promise<StoredMessage[]>;
  /** Oldest first, seq > afterSeq. */
  listAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]>;
  findById(id: string): Promise<StoredMessage | null>;
  findByIds(ids: string[]): Promise<StoredMessage[]>;
  /**
   * Applies `decide` to the message and, when it returns a patch, gives the message the conversation's next rev in
   * the same transaction. A patch setting `deletedAt` also erases the text of the message's SMS dispatches that no
   * longer wait to be sent. Null when the conversation has no such message.
   */
  change(conversationId: string, messageId: string, decide: MessageChange): Promise<ChangeResult | null>;
  /**
   * Oldest change first: messages whose latest write has rev > afterRev. Revs are taken inside the writes'
   * transactions from one counter per conversation, so a reader never sees a rev before every lower one is visible.
   */
  listAfterRev(conversationId: string, afterRev: number, limit: number): Promise<StoredMessage[]>;
  /**
   * Stores the dispatches of an SMS correction of the message's text at `textRev`, planned inside the transaction
   * like an append's (the caps checked and reserved in one step), unless that correction was stored already: then
   * nothing is written and `created` is false. Exactly once per (message, textRev), across processes.
   */
  storeCorrection(input: CorrectionInput): Promise<{ dispatches: SmsDispatch[]; created: boolean }>;
  /**
   * Messages of conversations `employeeId` is a member of now whose text has every term (diacritics- and
   * case-insensitive, ł as l), newest first. Kept in step with every write of a message's text in the same
   * transaction, so an edit or deletion is reflected at once and deleted text is never found.
   */
  search(query: MessageSearchQuery): Promise<MessageSearchResult>;
  /** The newest message of each conversation that has one (for the conversation list's preview). */
  lastOf(conversationIds: string[]): Promise<Map<string, StoredMessage>>;
  /**
   * Per conversation: messages by others with seq > afterSeq that mention `employeeId` or everyone (a conversation
   * without any is absent). The list passes the reader's readSeq, so this is "unread mentions".
   */
  countMentions(employeeId: string, marks: ReadonlyArray<{ conversationId: string; afterSeq: number }>): Promise<Map<string, number>>;
}

export interface CorrectionInput {
  messageId: string;
  conversationId: string;
  senderId: string;
  textRev: number;
  createdAt: Date;
  dispatches: DispatchPlanner;
}

export interface MessageSearchQuery {
  employeeId: string;
  /** Non-empty; from parseSearchQuery. */
  terms: SearchTerm[];
  senderId?: string;
  conversationId?: string;
  /** Sent at or after. */
  from?: Date;
  /** Sent before. */
  to?: Date;
  /** An adapter's own `nextCursor` from an earlier page; throws a VALIDATION_FAILED DomainError when malformed. */
  cursor?: string;
  limit: number;
}

export interface MessageSearchResult {
  messages: StoredMessage[];
  nextCursor: string | null;
}

export type DispatchPatch = Partial<
  Pick<
    SmsDispatch,
    | 'status'
    | 'reason'
    | 'parts'
    | 'points'
    | 'gatewayId'
    | 'attempts'
    | 'nextAttemptAt'
    | 'lockedUntil'
    | 'toE164'
    | 'sendIf'
    | 'heldUntil'
  >
>;

/** What is true of a waiting "SMS if unread" dispatch at its deadline, read in the same atomic step as the write. */
export interface DeadlineFacts {
  dispatch: SmsDispatch;
  /** The seq of the dispatch's message. */
  messageSeq: number;
  /** The recipient's read mark in the conversation; null when they are no longer a member. */
  readSeq: number | null;
  /** The recipient acknowledged the message ("SMS if not acknowledged"). */
  acknowledged: boolean;
  /** The recipient as the directory has them now (the number may have changed or become private since). */
  recipient: Employee | null;
  counts: SmsCapCounts;
}

/** Decides a waiting dispatch at its deadline; pure and synchronous, run inside the store's write transaction. */
export interface DeadlineDecider {
  capQuery(dispatch: SmsDispatch): SmsCapQuery;
  decide(facts: DeadlineFacts): DispatchPatch;
}

export interface SmsReportFilter {
  statuses?: SmsStatus[];
  from?: Date;
  to?: Date;
  senderId?: string;
  /** Source filter (issue 13): only these senders, or none of these (integration accounts vs people). */
  senderIds?: string[];
  excludeSenderIds?: string[];
  /** Only dispatches asked for from these paths (chat, card, widget, bulk). */
  origins?: SmsOrigin[];
  recipientId?: string;
  offset: number;
  limit: number;
}

export interface SmsDispatchRepository {
  /**
   * Leases up to `limit` queued dispatches whose next attempt is due, so that only one dispatcher (of possibly
   * several processes) works on each until `leaseUntil`.
   */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<SmsDispatch[]>;
  /**
   * Patches a dispatch; null when there is none. With `expectedStatuses` it is a compare-and-set: only a dispatch
   * still in one of them is patched (else null, nothing changed), so a status read earlier is never written over
   * by a writer that lost the race (the dispatcher vs a delivery report, in other processes too).
   */
  update(id: string, patch: DispatchPatch, expectedStatuses?: readonly SmsStatus[]): Promise<SmsDispatch | null>;
  /**
   * update() as a compare-and-set on `expectedStatuses`, and the notification `notificationFor` makes of the patched
   * dispatch (null: none), in one transaction: the dispatcher's result and the sender's notification of it are one
   * commit (issue 17), and neither is stored without the other. Null, and nothing written, when the CAS lost.
   */
  updateAndNotify(
    id: string,
    patch: DispatchPatch,
    expectedStatuses: readonly SmsStatus[],
    notificationFor: (updated: SmsDispatch) => StoredNotification | null,
  ): Promise<{ dispatch: SmsDispatch; notification: StoredNotification | null } | null>;
  findById(id: string): Promise<SmsDispatch | null>;
  findByGatewayId(gatewayId: string): Promise<SmsDispatch | null>;
  listForMessages(messageIds: string[]): Promise<SmsDispatch[]>;
  /** The cap counts outside any append, for the composer's preview (advisory: the append decides). */
  countForCaps(query: SmsCapQuery): Promise<SmsCapCounts>;
  /** Newest first. */
  report(filter: SmsReportFilter): Promise<{ rows: SmsDispatch[]; total: number }>;
  /** The earliest `nextAttemptAt` among queued dispatches, to know when to wake up. */
  nextDueAt(): Promise<Date | null>;
  /**
   * "SMS if unread", the reader's side: the recipient's read mark reached `readSeq`, so every dispatch of theirs in
   * the conversation still waiting for a message up to it is patched with `patchFor(dispatch)` — a compare-and-set
   * on the wait, so a dispatch the deadline decided first (in any process) stays as it was. Returns the patched.
   */
  settleRead(
    input: { conversationId: string; recipientId: string; readSeq: number },
    patchFor: (dispatch: SmsDispatch) => DispatchPatch,
  ): Promise<SmsDispatch[]>;
  /**
   * "SMS if unread", the deadline's side: reads the facts (read mark, recipient, cap counts) and writes what
   * `decider` makes of them in one atomic step, only while the dispatch still waits; null when it no longer did.
   * Checking the caps and reserving under them are one step, as in append.
   */
  settleDeadline(id: string, decider: DeadlineDecider): Promise<SmsDispatch | null>;
  /**
   * Two-way SMS: the newest dispatch (by its message's time) that went to the gateway for `recipientId` at
   * `toE164` — the SMS a reply from that number answers. Null when none did.
   */
  latestSentTo(recipientId: string, toE164: string): Promise<SmsDispatch | null>;
  /** For the admins' cost card: SMS that went or are going to the gateway since `since`, and their known points. */
  usageSince(since: Date): Promise<{ sms: number; points: number }>;
}

export interface InboundSmsRepository {
  /** Stores the reply once per gateway id; false (nothing written) when it was stored already. */
  record(inbound: InboundSms): Promise<boolean>;
  /** Newest first. */
  list(limit: number): Promise<InboundSms[]>;
}

export interface NotificationRepository {
  create(notification: StoredNotification): Promise<void>;
  list(employeeId: string, limit: number): Promise<StoredNotification[]>;
  countUnread(employeeId: string): Promise<number>;
  markRead(employeeId: string, ids: string[] | 'all', at: Date): Promise<void>;
}

export interface AckRepository {
  /** Records the acknowledgement once (false for a repeat) and ends the employee's reminders, in one step. */
  acknowledge(messageId: string, employeeId: string, at: Date): Promise<boolean>;
  /** Oldest first. */
  listForMessages(messageIds: string[]): Promise<Acknowledgement[]>;
  /** Leases due reminders (as claimDue does for SMS), so each goes from one process only. */
  claimDueReminders(now: Date, leaseUntil: Date, limit: number): Promise<AckReminder[]>;
  /**
   * After the reminder was claimed: moves it to `nextAt` (null: removes it) — only while it still exists under
   * the same lease, so a reminder acknowledged meanwhile is not sent. True when it was still there.
   */
  advanceReminder(reminder: AckReminder, nextAt: Date | null): Promise<boolean>;
  nextReminderAt(): Promise<Date | null>;
}

export interface AttachmentRepository {
  create(attachment: StoredAttachment): Promise<void>;
  findById(id: string): Promise<StoredAttachment | null>;
  /** Oldest first within each message. */
  listForMessages(messageIds: string[]): Promise<StoredAttachment[]>;
  /** Removes the message's attachments and answers the hashes no attachment refers to any more (to delete). */
  removeForMessage(messageId: string): Promise<string[]>;
  /** Removes an upload no message carries (yet); a carried one stays. */
  removeUnattached(id: string): Promise<void>;
  /** Whether any attachment still refers to the bytes under `sha256`. */
  isReferenced(sha256: string): Promise<boolean>;
}

/** Issue 12: a conversation muted until a moment, or for good. */
export type MuteUntil = Date | 'forever';

/** One employee's notification choices as stored (expired ones included: the reader knows the time). */
export interface NotifyPrefs {
  doNotDisturbUntil: Date | null;
  /** Conversation id → until when, for conversations the employee is a member of. */
  muted: Map<string, MuteUntil>;
}

export interface NotifyPrefsRepository {
  /** Sets (null: clears) the member's mute of the conversation; false, with nothing written, when not a member. */
  setMute(conversationId: string, employeeId: string, until: MuteUntil | null): Promise<boolean>;
  /** False, with nothing written, when there is no such employee. */
  setDoNotDisturb(employeeId: string, until: Date | null): Promise<boolean>;
  get(employeeId: string): Promise<NotifyPrefs>;
}

/** A warning stored for every admin (issue 14): the SMSAPI balance fell below SMS_BALANCE_WARN_POINTS. */
export interface AdminAlert {
  id: string;
  kind: 'sms_balance_low';
  points: number;
  warnBelow: number;
  createdAt: Date;
}

export interface AdminAlertRepository {
  /**
   * The balance as just read, in one atomic step shared by every process: below `warnBelow` for the first time
   * since it was last at or above it → stores one alert and returns it; otherwise null. A reading at or above the
   * threshold re-arms the warning for the next fall.
   */
  recordBalance(input: { id: string; points: number; warnBelow: number; at: Date }): Promise<AdminAlert | null>;
  /** Newest first. */
  list(limit: number): Promise<AdminAlert[]>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  employees: EmployeeRepository;
  sessions: SessionRepository;
  conversations: ConversationRepository;
  messages: MessageRepository;
  sms: SmsDispatchRepository;
  notifications: NotificationRepository;
  acks: AckRepository;
  smsTemplates: SmsTemplateRepository;
  integrations: IntegrationRepository;
  apiNotifications: ApiNotificationRepository;
  bulkJobs: BulkJobRepository;
  attachments: AttachmentRepository;
  notifyPrefs: NotifyPrefsRepository;
  /** Attachments' bytes kept by the store itself (GridFS for MongoDB); absent: files under DATA_DIR. */
  files?: FileStore;
  inboundSms: InboundSmsRepository;
  adminAlerts: AdminAlertRepository;
  /**
   * Flood limits shared by the processes on this store (MongoDB). Absent for SQLite: without REDIS_URL a SQLite
   * file has one process (live events would not cross processes), and there one commit per socket event would
   * cost as much as the message itself — memory is exact and free.
   */
  floodGate?: FloodGate;
  /** Resolves when the store answers; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
