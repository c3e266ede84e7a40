/** The entities the domain works with. Plain data: adapters map rows or documents to and from these. */
import type { ConversationKind, Role, SmsReason, SmsStatus, WorkingHours } from '../../../shared/schemas/index.js';

export interface Employee {
  id: string;
  login: string;
  name: string;
  title: string | null;
  /** Issue 13: the department ("Dział") bulk SMS and integrations select by; absent or null: none. */
  department?: string | null;
  role: Role;
  active: boolean;
  /** The number exactly as typed into the directory; never leaves the server except to its owner. */
  mobileRaw: string | null;
  /** E.164 form when `mobileRaw` parses as a valid mobile number, else null. */
  mobileE164: string | null;
  mobilePrivate: boolean;
  /** Quiet hours: when an SMS may reach them (company time zone); null or absent: always. */
  workingHours?: WorkingHours | null;
  passwordHash: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface Session {
  tokenHash: string;
  employeeId: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface Conversation {
  id: string;
  kind: ConversationKind;
  name: string | null;
  /** For direct conversations: the two member ids sorted and joined, so a pair has at most one. */
  directKey: string | null;
  createdBy: string;
  createdAt: Date;
  lastSeq: number;
  /** The change counter: every write of one of its messages (send, edit, delete, reaction) takes the next value. */
  lastRev: number;
  lastActivityAt: Date;
}

export interface Membership {
  conversationId: string;
  employeeId: string;
  joinedAt: Date;
  deliveredSeq: number;
  readSeq: number;
}

export interface ConversationWithMembers {
  conversation: Conversation;
  members: Membership[];
}

export interface StoredMessage {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  clientId: string;
  text: string;
  createdAt: Date;
  notifySms: boolean;
  /** The conversation's `lastRev` at this message's latest write; catch-up by rev reads the log through it. */
  rev: number;
  /** The rev of the latest change of the text (its send or edit): SMS corrections go out once per text. */
  textRev: number;
  editedAt: Date | null;
  /** A tombstone: `text` is '' and reactions and mentions are gone. */
  deletedAt: Date | null;
  deletedBy: string | null;
  replyToId: string | null;
  reactions: StoredReaction[];
  mentions: string[];
  mentionsAll: boolean;
  /** Recipients asked to acknowledge; absent when the sender did not ask. */
  ackOf?: number;
  /** Written by its sender as an SMS reply to an urgent SMS (two-way SMS); absent otherwise. */
  viaSms?: true;
}

/** What a change of a message may write; the store adds the next rev (and `textRev` when the text changes). */
export type MessagePatch = Partial<
  Pick<StoredMessage, 'text' | 'editedAt' | 'deletedAt' | 'deletedBy' | 'reactions' | 'mentions' | 'mentionsAll'>
>;

export interface StoredReaction {
  emoji: string;
  employeeIds: string[];
}

export interface Acknowledgement {
  messageId: string;
  employeeId: string;
  at: Date;
}

/** The next reminder to acknowledge, per (message, recipient); gone once acknowledged or past `untilAt`. */
export interface AckReminder {
  messageId: string;
  employeeId: string;
  conversationId: string;
  nextAt: Date;
  untilAt: Date;
  lockedUntil: Date | null;
}

export type SmsOrigin = 'chat' | 'card' | 'widget' | 'bulk';

export interface SmsDispatch {
  id: string;
  messageId: string;
  conversationId: string;
  senderId: string;
  recipientId: string;
  status: SmsStatus;
  /** Why it was not sent or not delivered (or is being retried), as a code; never containing the number. */
  reason: SmsReason | null;
  /** E.164 number to send to; null when the dispatch was decided "not sent" before reaching the gateway. */
  toE164: string | null;
  text: string;
  parts: number | null;
  points: number | null;
  gatewayId: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lockedUntil: Date | null;
  /**
   * "SMS if unread": 'unread' while the SMS waits for `deadlineAt` (its nextAttemptAt) and goes only if the recipient
   * has not read the message by then; null for an SMS sent at once and once the wait is decided.
   */
  sendIf: 'unread' | 'unacknowledged' | null;
  deadlineAt: Date | null;
  /**
   * Quiet hours: the SMS is held (status queued, nextAttemptAt = this) until the recipient's working hours start,
   * then decided again like a deadline; null when not held. A held SMS reserves nothing under the caps until then.
   */
  heldUntil: Date | null;
  /** The sender chose "send anyway": quiet hours never hold this SMS. */
  ignoreQuietHours: boolean;
  /** Which of the app's paths asked for it (issue 13), for the SMS report; integrations are told by their sender. */
  origin: SmsOrigin;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * An SMS outcome told to its sender; `recipientName` is the name as it was when the outcome happened, null when the
 * recipient was no longer in the directory (the client words that).
 */
export interface StoredNotification {
  id: string;
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

/** An uploaded file's metadata (issue 12); the bytes are in the FileStore under `sha256`. */
export interface StoredAttachment {
  id: string;
  uploaderId: string;
  /** The file name as uploaded (already cleaned of path parts and control characters). */
  name: string;
  size: number;
  contentType: string;
  sha256: string;
  createdAt: Date;
  /** Null until a message of the uploader carries it. */
  messageId: string | null;
  conversationId: string | null;
}

/** Why an SMS reply went to no conversation but to the admins' list. */
export type { InboundSmsReason } from '../../../shared/schemas/sms-inbound.js';
import type { InboundSmsReason } from '../../../shared/schemas/sms-inbound.js';

/**
 * An SMS reply kept for admins. The sender's number is never stored: `senderKey` is a salted hash of it, so replies
 * from one number can be grouped without anyone reading the digits.
 */
export interface InboundSms {
  /** SMSAPI's MsgId: a repeated callback finds the same row. */
  gatewayId: string;
  senderKey: string;
  reason: InboundSmsReason;
  text: string;
  /** When SMSAPI received it (sms_date), else when we did. */
  sentAt: Date;
  receivedAt: Date;
}
