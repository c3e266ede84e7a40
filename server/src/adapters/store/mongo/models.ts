/**
 * The MongoDB documents: one mongoose schema per collection, with its validation and its indexes. Indexes are
 * declared here only and created at start by `ensureCollections` (autoIndex is off, so a start never races a
 * background build it did not wait for).
 *
 * Layout, and why:
 * - `conversations` embeds its memberships: a conversation and its members are written in one document, so
 *   opening or creating one is atomic without a transaction, and a member's view is one indexed read.
 * - `messages` and `sms_dispatches` are separate collections written together in one transaction (see
 *   messages.ts): the dispatcher, the report and the delivery reports then query dispatches directly, by index.
 * - Ids are the domain's own string ids, stored as `_id`.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { ConversationKind, Role, SmsReason, SmsStatus, WorkingHours } from '../../../../../shared/schemas/index.js';
import { keepSearchTextInStep } from './search-text-hook.js';
import type { BulkJob } from '../../../domain/bulk-sms.js';
import type { SmsOrigin } from '../../../domain/entities.js';
import type { Integration } from '../../../domain/sms-paths.js';

/** Case-insensitive, accent-sensitive: "Anna" and "anna" are one login, "Łukasz" and "Lukasz" are two. */
export const LOGIN_COLLATION = { locale: 'en', strength: 2 } as const;

export const ROLES: readonly Role[] = ['employee', 'admin'];
export const CONVERSATION_KINDS: readonly ConversationKind[] = ['direct', 'group'];
/** Dispatches that still need their text (to be sent, or retried). */
export const WAITING: readonly SmsStatus[] = ['queued', 'unconfirmed'];
export const SMS_STATUSES: readonly SmsStatus[] = ['not_sent', 'queued', 'unconfirmed', 'sent', 'delivered', 'undelivered', 'failed', 'expired'];

export interface EmployeeDoc {
  _id: string;
  login: string;
  name: string;
  title: string | null;
  /** Absent in documents written before departments (issue 13). */
  department?: string | null;
  role: Role;
  active: boolean;
  mobileRaw: string | null;
  mobileE164: string | null;
  mobilePrivate: boolean;
  /** Quiet hours (a WorkingHours subdocument); absent or null: always reachable. */
  workingHours?: WorkingHours | null;
  passwordHash: string;
  createdAt: Date;
  updatedAt: Date;
  /** Issue 12: "do not disturb" until then; absent on documents written before. */
  doNotDisturbUntil?: Date | null;
}

export interface SessionDoc {
  /** The token's hash; the token itself is never stored. */
  _id: string;
  employeeId: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface MemberDoc {
  employeeId: string;
  joinedAt: Date;
  deliveredSeq: number;
  readSeq: number;
  /** Issue 12: muted until then, or for good (`mutedForever`); both absent on documents written before. */
  mutedUntil?: Date | null;
  mutedForever?: boolean;
}

export interface ConversationDoc {
  _id: string;
  kind: ConversationKind;
  name: string | null;
  directKey: string | null;
  createdBy: string;
  createdAt: Date;
  /** The per-conversation counter: `$inc`-ed in the transaction that stores a message. */
  lastSeq: number;
  /** The change counter: `$inc`-ed in the transaction of every message write (see messages.ts). */
  lastRev: number;
  lastActivityAt: Date;
  members: MemberDoc[];
}

export interface MessageDoc {
  _id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  clientId: string;
  text: string;
  createdAt: Date;
  notifySms: boolean;
  rev: number;
  textRev: number;
  editedAt: Date | null;
  deletedAt: Date | null;
  deletedBy: string | null;
  replyToId: string | null;
  reactions: Array<{ emoji: string; employeeIds: string[] }>;
  mentions: string[];
  mentionsAll: boolean;
  /** Recipients asked to acknowledge; absent when nobody was. */
  ackOf?: number;
  /** The text's folded words for search (see message-search.ts); kept in step by the hook installed there. */
  searchText?: string;
  /** A reply that came in by SMS; absent otherwise. */
  viaSms?: boolean;
}

export interface AcknowledgementDoc {
  /** `${messageId}:${employeeId}`: one per pair, so a repeat is a duplicate key. */
  _id: string;
  messageId: string;
  employeeId: string;
  at: Date;
}

export interface AckReminderDoc {
  /** `${messageId}:${employeeId}`. */
  _id: string;
  messageId: string;
  employeeId: string;
  conversationId: string;
  nextAt: Date;
  untilAt: Date;
  lockedUntil: Date | null;
}

/** Issue 12: an uploaded file's metadata; the bytes are in GridFS under `sha256`. */
export interface AttachmentDoc {
  _id: string;
  uploaderId: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
  createdAt: Date;
  messageId: string | null;
  conversationId: string | null;
}

export interface SmsDispatchDoc {
  _id: string;
  messageId: string;
  conversationId: string;
  senderId: string;
  recipientId: string;
  status: SmsStatus;
  /** A subdocument; a string here is a sentence from before issue 10 (see legacy-sms-text.ts). */
  reason: SmsReason | null;
  toE164: string | null;
  text: string;
  parts: number | null;
  points: number | null;
  gatewayId: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lockedUntil: Date | null;
  /** Absent on documents from before "SMS if unread": read as null. */
  sendIf?: 'unread' | 'unacknowledged' | null;
  deadlineAt?: Date | null;
  /** Absent on documents from before quiet hours: read as null / false. */
  heldUntil?: Date | null;
  ignoreQuietHours?: boolean;
  /** Absent on documents from before issue 13: read as 'chat'. */
  origin?: SmsOrigin;
  createdAt: Date;
  updatedAt: Date;
}

/** One per sender and per recipient of SMS: the point where concurrent sends against one cap collide (sms-caps.ts). */
export interface SmsCapLockDoc {
  _id: string;
  reservations: number;
}

/** One per SMS correction sent; `_id` is `messageId:textRev`, so a correction goes out once per edited text. */
export interface SmsCorrectionDoc {
  _id: string;
  messageId: string;
  textRev: number;
  createdAt: Date;
}

export interface NotificationDoc {
  _id: string;
  employeeId: string;
  kind: 'sms_outcome';
  messageId: string;
  conversationId: string;
  recipientId: string;
  recipientName: string | null;
  status: SmsStatus;
  reason: SmsReason | null;
  createdAt: Date;
  readAt: Date | null;
}

// Shared field shapes. `required` on a String also refuses '', which none of these may be.
const id = { type: String, required: true } as const;
// An SmsReason subdocument, checked against its TypeBox schema where it is written (docs.ts) and read.
const nullableReason = { type: Schema.Types.Mixed, default: null } as const;
const text = { type: String, required: true } as const;
const nullableText = { type: String, default: null } as const;
const date = { type: Date, required: true } as const;
const nullableDate = { type: Date, default: null } as const;
const flag = { type: Boolean, required: true } as const;
const seq = { type: Number, required: true, min: 0, validate: { validator: Number.isInteger, message: '{PATH} must be an integer' } } as const;
const nullableCount = {
  type: Number,
  default: null,
  min: 0,
  validate: { validator: (v: number | null) => v === null || Number.isInteger(v), message: '{PATH} must be an integer' },
} as const;

// Every collection: our own string `_id`, no `__v` (updates are atomic operators, not read-modify-write), indexes
// built by ensureCollections only, and no implicit collection creation inside a transaction.
const options = { versionKey: false, autoIndex: false, autoCreate: false, strict: true } as const;

export const employeeSchema = new Schema<EmployeeDoc>(
  {
    _id: id,
    login: { type: String, required: true, maxlength: 200 },
    name: { type: String, required: true, maxlength: 200 },
    title: nullableText,
    department: nullableText,
    role: { type: String, required: true, enum: ROLES },
    active: flag,
    mobileRaw: nullableText,
    mobileE164: {
      type: String,
      default: null,
      validate: { validator: (v: string | null) => v === null || /^\+[1-9]\d{6,14}$/.test(v), message: '{PATH} must be E.164' },
    },
    mobilePrivate: flag,
    // Checked against its TypeBox schema where it is read (docs.ts); the service validated it before.
    workingHours: { type: Schema.Types.Mixed, default: null },
    passwordHash: text,
    createdAt: date,
    updatedAt: date,
    doNotDisturbUntil: nullableDate,
  },
  { ...options, collection: 'employees' },
);
employeeSchema.index({ login: 1 }, { name: 'login_unique', unique: true, collation: LOGIN_COLLATION });
employeeSchema.index({ active: 1 }, { name: 'active' });

export const sessionSchema = new Schema<SessionDoc>(
  { _id: id, employeeId: id, createdAt: date, expiresAt: date },
  { ...options, collection: 'sessions' },
);
// No TTL index: deleteExpired is the port's way to purge, and its count must be exact.
sessionSchema.index({ employeeId: 1 }, { name: 'employee' });
sessionSchema.index({ expiresAt: 1 }, { name: 'expires' });

const memberSchema = new Schema<MemberDoc>(
  { employeeId: id, joinedAt: date, deliveredSeq: seq, readSeq: seq, mutedUntil: nullableDate, mutedForever: { type: Boolean, default: false } },
  { _id: false, versionKey: false },
);

export const conversationSchema = new Schema<ConversationDoc>(
  {
    _id: id,
    kind: { type: String, required: true, enum: CONVERSATION_KINDS },
    name: nullableText,
    directKey: {
      type: String,
      default: null,
      // A direct conversation has a key, a group has none: the unique index below then allows one per pair.
      validate: {
        validator(this: unknown, v: string | null) {
          // On a document `this` has its kind; in an update validator it is the query, and there is nothing to compare.
          const kind = (this as { kind?: unknown }).kind;
          return typeof kind !== 'string' || (kind === 'direct') === (typeof v === 'string' && v.length > 0);
        },
        message: 'directKey must be set for direct conversations only',
      },
    },
    createdBy: id,
    createdAt: date,
    lastSeq: seq,
    lastRev: { ...seq, default: 0 },
    lastActivityAt: date,
    members: { type: [memberSchema], default: [] },
  },
  { ...options, collection: 'conversations' },
);
conversationSchema.index(
  { directKey: 1 },
  { name: 'direct_key_unique', unique: true, partialFilterExpression: { directKey: { $type: 'string' } } },
);
conversationSchema.index({ 'members.employeeId': 1, lastActivityAt: -1 }, { name: 'member_activity' });

export const messageSchema = new Schema<MessageDoc>(
  {
    _id: id,
    conversationId: id,
    seq: { ...seq, min: 1 },
    senderId: id,
    clientId: { type: String, required: true, maxlength: 200 },
    // A tombstone keeps no text.
    text: { type: String, required: function (this: { deletedAt?: Date | null }) { return !this.deletedAt; } },
    createdAt: date,
    notifySms: flag,
    rev: { ...seq, default: 0 },
    textRev: { ...seq, default: 0 },
    editedAt: nullableDate,
    deletedAt: nullableDate,
    deletedBy: nullableText,
    replyToId: nullableText,
    reactions: { type: [{ _id: false, emoji: { type: String, required: true }, employeeIds: { type: [String], default: [] } }], default: [] },
    mentions: { type: [String], default: [] },
    mentionsAll: { type: Boolean, default: false },
    ackOf: { type: Number, min: 1 },
    searchText: { type: String, default: '' },
    viaSms: { type: Boolean },
  },
  { ...options, collection: 'messages' },
);
messageSchema.index({ conversationId: 1, seq: 1 }, { name: 'conversation_seq_unique', unique: true });
// Partial: documents from before revs exist are outside it until backfillRevs (message-revs.ts) gives them one.
messageSchema.index(
  { conversationId: 1, rev: 1 },
  { name: 'conversation_rev_unique', unique: true, partialFilterExpression: { rev: { $gt: 0 } } },
);
messageSchema.index({ senderId: 1, clientId: 1 }, { name: 'sender_client_unique', unique: true });
keepSearchTextInStep(messageSchema);
// Search: whole words through the text index; everything (prefixes, phrases, order) within a member's conversations.
messageSchema.index({ searchText: 'text' }, { name: 'search_text', default_language: 'none', language_override: 'searchLanguage' });
messageSchema.index({ conversationId: 1, createdAt: -1, _id: -1 }, { name: 'conversation_created' });

export const smsDispatchSchema = new Schema<SmsDispatchDoc>(
  {
    _id: id,
    messageId: id,
    conversationId: id,
    senderId: id,
    recipientId: id,
    status: { type: String, required: true, enum: SMS_STATUSES },
    reason: nullableReason,
    toE164: nullableText,
    // Erased once its message is deleted, unless it still waits to be sent (messages.ts, change).
    text: { type: String, required: function (this: { status?: SmsStatus }) { return this.status !== undefined && WAITING.includes(this.status); } },
    parts: nullableCount,
    points: { type: Number, default: null, min: 0 },
    gatewayId: nullableText,
    attempts: { ...seq },
    nextAttemptAt: nullableDate,
    lockedUntil: nullableDate,
    sendIf: { type: String, default: null, enum: ['unread', 'unacknowledged', null] },
    deadlineAt: nullableDate,
    heldUntil: nullableDate,
    ignoreQuietHours: { type: Boolean, default: false },
    origin: { type: String, default: 'chat', enum: ['chat', 'card', 'widget', 'bulk'] },
    createdAt: date,
    updatedAt: date,
  },
  { ...options, collection: 'sms_dispatches' },
);
// By id: `_id` (always indexed). The rest: by message, by gateway id (delivery reports), the dispatcher's due
// queue, the limits' counts, and the report's newest-first order.
smsDispatchSchema.index({ messageId: 1 }, { name: 'message' });
smsDispatchSchema.index({ gatewayId: 1 }, { name: 'gateway_id' });
smsDispatchSchema.index({ status: 1, nextAttemptAt: 1 }, { name: 'status_next_attempt' });
smsDispatchSchema.index({ senderId: 1, createdAt: 1 }, { name: 'sender_created' });
smsDispatchSchema.index({ recipientId: 1, createdAt: 1 }, { name: 'recipient_created' });
smsDispatchSchema.index({ createdAt: -1, _id: -1 }, { name: 'created' });
// "SMS if unread": the waiting dispatches of one reader in one conversation.
smsDispatchSchema.index(
  { recipientId: 1, conversationId: 1 },
  { name: 'waiting', partialFilterExpression: { sendIf: { $type: 'string' } } },
);

export const smsCapLockSchema = new Schema<SmsCapLockDoc>(
  { _id: id, reservations: { ...seq } },
  { ...options, collection: 'sms_cap_locks' },
);

export const notificationSchema = new Schema<NotificationDoc>(
  {
    _id: id,
    employeeId: id,
    kind: { type: String, required: true, enum: ['sms_outcome'] },
    messageId: id,
    conversationId: id,
    recipientId: id,
    // null: the recipient was no longer in the directory.
    recipientName: nullableText,
    status: { type: String, required: true, enum: SMS_STATUSES },
    reason: nullableReason,
    createdAt: date,
    readAt: nullableDate,
  },
  { ...options, collection: 'notifications' },
);
notificationSchema.index({ employeeId: 1, createdAt: -1 }, { name: 'employee_created' });

export const smsCorrectionSchema = new Schema<SmsCorrectionDoc>(
  { _id: id, messageId: id, textRev: seq, createdAt: date },
  { ...options, collection: 'sms_corrections' },
);
export const acknowledgementSchema = new Schema<AcknowledgementDoc>(
  { _id: id, messageId: id, employeeId: id, at: date },
  { ...options, collection: 'acknowledgements' },
);
acknowledgementSchema.index({ messageId: 1, at: 1 }, { name: 'message_at' });

export const ackReminderSchema = new Schema<AckReminderDoc>(
  { _id: id, messageId: id, employeeId: id, conversationId: id, nextAt: date, untilAt: date, lockedUntil: nullableDate },
  { ...options, collection: 'ack_reminders' },
);
ackReminderSchema.index({ nextAt: 1 }, { name: 'next_at' });

export interface SmsTemplateDoc {
  _id: string;
  name: string;
  nameKey: string;
  text: string;
  createdAt: Date;
  updatedAt: Date;
}

export type IntegrationDoc = { _id: string } & Omit<Integration, 'id'>;

export interface ApiNotificationDoc {
  _id: string;
  integrationId: string;
  idempotencyKey: string | null;
  requestHash: string;
  recipientIds: string[];
  texts: Record<string, string>;
  sms: 'now' | 'never';
  /** Absent in documents from before "SMS if unread" for integrations. */
  ifUnreadMinutes?: number | null;
  createdAt: Date;
}

/** Issue 13: a bulk SMS job (domain/bulk-sms.ts), under its own id. */
export type BulkJobDoc = { _id: string } & Omit<BulkJob, 'id' | 'finishedAt'> & {
  /** Absent on jobs stored before jobs ran in the background: those are resumed once, which stores nothing twice. */
  finishedAt?: Date | null;
};

export const bulkJobSchema = new Schema<BulkJobDoc>(
  {
    _id: id,
    senderId: id,
    requestHash: text,
    templateId: nullableText,
    recipientIds: { type: [String], default: [] },
    texts: { type: Schema.Types.Mixed, required: true },
    reservedSms: { type: Number, required: true, min: 0 },
    createdAt: date,
    finishedAt: { type: Date, default: null },
  },
  { ...options, collection: 'bulk_jobs' },
);
bulkJobSchema.index({ createdAt: -1, _id: -1 }, { name: 'created' });
bulkJobSchema.index({ senderId: 1, createdAt: -1 }, { name: 'sender_created' });
bulkJobSchema.index({ finishedAt: 1, createdAt: 1 }, { name: 'unfinished' });

export const smsTemplateSchema = new Schema<SmsTemplateDoc>(
  { _id: id, name: text, nameKey: text, text, createdAt: date, updatedAt: date },
  { ...options, collection: 'sms_templates' },
);
smsTemplateSchema.index({ nameKey: 1 }, { name: 'name_key_unique', unique: true });

export const integrationSchema = new Schema<IntegrationDoc>(
  {
    _id: id,
    name: text,
    employeeId: id,
    tokenHash: text,
    perMinute: { type: Number, required: true, min: 1 },
    createdBy: id,
    createdAt: date,
    revokedAt: nullableDate,
  },
  { ...options, collection: 'integrations' },
);
integrationSchema.index({ tokenHash: 1 }, { name: 'token_hash_unique', unique: true });

export const apiNotificationSchema = new Schema<ApiNotificationDoc>(
  {
    _id: id,
    integrationId: id,
    idempotencyKey: nullableText,
    requestHash: text,
    recipientIds: { type: [String], default: [] },
    texts: { type: Schema.Types.Mixed, required: true },
    sms: { type: String, required: true, enum: ['now', 'never'] },
    ifUnreadMinutes: { type: Number, default: null },
    createdAt: date,
  },
  { ...options, collection: 'api_notifications' },
);
apiNotificationSchema.index(
  { integrationId: 1, idempotencyKey: 1 },
  { name: 'integration_key_unique', unique: true, partialFilterExpression: { idempotencyKey: { $type: 'string' } } },
);
export const attachmentSchema = new Schema<AttachmentDoc>(
  {
    _id: id,
    uploaderId: id,
    name: text,
    size: seq,
    contentType: text,
    sha256: text,
    createdAt: date,
    messageId: nullableText,
    conversationId: nullableText,
  },
  { ...options, collection: 'attachments' },
);
attachmentSchema.index({ messageId: 1, createdAt: 1 }, { name: 'message_created', partialFilterExpression: { messageId: { $type: 'string' } } });
attachmentSchema.index({ sha256: 1 }, { name: 'sha256' });
/** Two-way SMS: a reply kept for admins; `_id` is SMSAPI's MsgId, so a repeated callback is a duplicate key. */
export interface InboundSmsDoc {
  _id: string;
  senderKey: string;
  reason: 'unknown_number' | 'private_number' | 'no_conversation';
  text: string;
  sentAt: Date;
  receivedAt: Date;
}

export const inboundSmsSchema = new Schema<InboundSmsDoc>(
  {
    _id: id,
    senderKey: id,
    reason: { type: String, required: true, enum: ['unknown_number', 'private_number', 'no_conversation'] },
    // Not `required`: Mongoose refuses '' for a required string, and an empty SMS is still a reply.
    text: { type: String, default: '' },
    sentAt: date,
    receivedAt: date,
  },
  { ...options, collection: 'sms_inbound' },
);
inboundSmsSchema.index({ receivedAt: -1 }, { name: 'received' });

/** A warning stored for admins (issue 14). */
export interface AdminAlertDoc {
  _id: string;
  kind: 'sms_balance_low';
  points: number;
  warnBelow: number;
  createdAt: Date;
}

/** Whether a warning of a kind is raised now; `_id` is the kind. */
export interface AlertStateDoc {
  _id: string;
  raised: boolean;
}

export const adminAlertSchema = new Schema<AdminAlertDoc>(
  {
    _id: id,
    kind: { type: String, required: true, enum: ['sms_balance_low'] },
    points: { type: Number, required: true },
    warnBelow: { type: Number, required: true },
    createdAt: date,
  },
  { ...options, collection: 'admin_alerts' },
);
adminAlertSchema.index({ createdAt: -1 }, { name: 'created' });
export const alertStateSchema = new Schema<AlertStateDoc>({ _id: id, raised: flag }, { ...options, collection: 'alert_states' });

export interface Models {
  Employee: Model<EmployeeDoc>;
  Session: Model<SessionDoc>;
  Conversation: Model<ConversationDoc>;
  Message: Model<MessageDoc>;
  SmsDispatch: Model<SmsDispatchDoc>;
  SmsCapLock: Model<SmsCapLockDoc>;
  Notification: Model<NotificationDoc>;
  SmsCorrection: Model<SmsCorrectionDoc>;
  Acknowledgement: Model<AcknowledgementDoc>;
  AckReminder: Model<AckReminderDoc>;
  SmsTemplate: Model<SmsTemplateDoc>;
  Integration: Model<IntegrationDoc>;
  ApiNotification: Model<ApiNotificationDoc>;
  BulkJob: Model<BulkJobDoc>;
  Attachment: Model<AttachmentDoc>;
  InboundSms: Model<InboundSmsDoc>;
  AdminAlert: Model<AdminAlertDoc>;
  AlertState: Model<AlertStateDoc>;
}

/** Registers the models on one connection (each store has its own connection, so tests can open several). */
export function createModels(connection: Connection): Models {
  return {
    Employee: connection.model<EmployeeDoc>('Employee', employeeSchema),
    Session: connection.model<SessionDoc>('Session', sessionSchema),
    Conversation: connection.model<ConversationDoc>('Conversation', conversationSchema),
    Message: connection.model<MessageDoc>('Message', messageSchema),
    SmsDispatch: connection.model<SmsDispatchDoc>('SmsDispatch', smsDispatchSchema),
    SmsCapLock: connection.model<SmsCapLockDoc>('SmsCapLock', smsCapLockSchema),
    Notification: connection.model<NotificationDoc>('Notification', notificationSchema),
    SmsCorrection: connection.model<SmsCorrectionDoc>('SmsCorrection', smsCorrectionSchema),
    Acknowledgement: connection.model<AcknowledgementDoc>('Acknowledgement', acknowledgementSchema),
    AckReminder: connection.model<AckReminderDoc>('AckReminder', ackReminderSchema),
    SmsTemplate: connection.model<SmsTemplateDoc>('SmsTemplate', smsTemplateSchema),
    Integration: connection.model<IntegrationDoc>('Integration', integrationSchema),
    ApiNotification: connection.model<ApiNotificationDoc>('ApiNotification', apiNotificationSchema),
    BulkJob: connection.model<BulkJobDoc>('BulkJob', bulkJobSchema),
    Attachment: connection.model<AttachmentDoc>('Attachment', attachmentSchema),
    InboundSms: connection.model<InboundSmsDoc>('InboundSms', inboundSmsSchema),
    AdminAlert: connection.model<AdminAlertDoc>('AdminAlert', adminAlertSchema),
    AlertState: connection.model<AlertStateDoc>('AlertState', alertStateSchema),
  };
}

/**
 * Creates every collection (a transaction cannot create one on older servers) and every declared index. Safe to
 * run at each start and from several processes at once: creating what exists is a no-op.
 */
export async function ensureCollections(models: Models): Promise<void> {
  for (const model of Object.values(models) as Model<unknown>[]) {
    await model.createCollection();
    await model.createIndexes();
  }
}
