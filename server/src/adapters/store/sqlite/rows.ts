import type {
  Conversation,
  Employee,
  Membership,
  Session,
  SmsDispatch,
  SmsOrigin,
  StoredMessage,
  StoredNotification,
  StoredReaction,
} from '../../../domain/entities.js';
import { Value } from 'typebox/value';
import { WorkingHours, type ConversationKind, type Role, type SmsStatus } from '../../../../../shared/schemas/index.js';
import { reasonFromJson } from '../../../sms/stored-reason.js';

/** Row shapes exactly as SQLite returns them (see migrations.ts), and their mapping to entities. */

export interface EmployeeRow {
  id: string;
  login: string;
  name: string;
  title: string | null;
  department: string | null;
  role: Role;
  active: number;
  mobile_raw: string | null;
  mobile_e164: string | null;
  mobile_private: number;
  /** JSON of WorkingHours; absent before the quiet-hours migration ran. */
  working_hours?: string | null;
  password_hash: string;
  created_at: number;
  updated_at: number;
}

export interface SessionRow {
  token_hash: string;
  employee_id: string;
  created_at: number;
  expires_at: number;
}

export interface ConversationRow {
  id: string;
  kind: ConversationKind;
  name: string | null;
  direct_key: string | null;
  created_by: string;
  created_at: number;
  last_seq: number;
  last_rev: number;
  last_activity_at: number;
}

export interface MembershipRow {
  conversation_id: string;
  employee_id: string;
  joined_at: number;
  delivered_seq: number;
  read_seq: number;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_id: string;
  text: string;
  created_at: number;
  notify_sms: number;
  rev: number;
  text_rev: number;
  edited_at: number | null;
  deleted_at: number | null;
  deleted_by: string | null;
  reply_to_id: string | null;
  /** JSON arrays (StoredReaction[] and employee ids). */
  reactions: string;
  mentions: string;
  mentions_all: number;
  /** Absent in rows written before "Request acknowledgement" was inserted by this code path. */
  ack_of?: number;
  /** Absent in rows written by this code path (set after the insert, like ack_of). */
  via_sms?: number;
}

export interface DispatchRow {
  id: string;
  message_id: string;
  conversation_id: string;
  sender_id: string;
  recipient_id: string;
  status: SmsStatus;
  /** JSON of an SmsReason (sms/stored-reason.ts). */
  reason: string | null;
  to_e164: string | null;
  text: string;
  parts: number | null;
  points: number | null;
  gateway_id: string | null;
  attempts: number;
  next_attempt_at: number | null;
  locked_until: number | null;
  send_if: 'unread' | 'unacknowledged' | null;
  deadline_at: number | null;
  held_until?: number | null;
  ignore_quiet_hours?: number;
  /** Absent on rows read before the origin migration (none are: the column has a default). */
  origin?: SmsOrigin;
  created_at: number;
  updated_at: number;
}

export interface NotificationRow {
  id: string;
  employee_id: string;
  kind: 'sms_outcome';
  message_id: string;
  conversation_id: string;
  recipient_id: string;
  /** NULL: the recipient is no longer in the directory. */
  recipient_name: string | null;
  status: SmsStatus;
  /** JSON of an SmsReason. */
  reason: string | null;
  created_at: number;
  read_at: number | null;
}

/** Read through the schema: a row the code no longer understands means "always reachable", never a crash. */
export function workingHoursFromJson(json: string | null): WorkingHours | null {
  if (json === null) return null;
  try {
    const value: unknown = JSON.parse(json);
    return Value.Check(WorkingHours, value) ? value : null;
  } catch {
    return null;
  }
}

export const ms = (date: Date): number => date.getTime();
export const msOrNull = (date: Date | null | undefined): number | null => (date ? date.getTime() : null);
const dateOrNull = (value: number | null): Date | null => (value === null ? null : new Date(value));

export const toEmployee = (row: EmployeeRow): Employee => ({
  id: row.id,
  login: row.login,
  name: row.name,
  title: row.title,
  department: row.department,
  role: row.role,
  active: row.active === 1,
  mobileRaw: row.mobile_raw,
  mobileE164: row.mobile_e164,
  mobilePrivate: row.mobile_private === 1,
  workingHours: workingHoursFromJson(row.working_hours ?? null),
  passwordHash: row.password_hash,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

export const toSession = (row: SessionRow): Session => ({
  tokenHash: row.token_hash,
  employeeId: row.employee_id,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
});

export const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  directKey: row.direct_key,
  createdBy: row.created_by,
  createdAt: new Date(row.created_at),
  lastSeq: row.last_seq,
  lastRev: row.last_rev,
  lastActivityAt: new Date(row.last_activity_at),
});

export const toMembership = (row: MembershipRow): Membership => ({
  conversationId: row.conversation_id,
  employeeId: row.employee_id,
  joinedAt: new Date(row.joined_at),
  deliveredSeq: row.delivered_seq,
  readSeq: row.read_seq,
});

export const toMessage = (row: MessageRow): StoredMessage => ({
  id: row.id,
  conversationId: row.conversation_id,
  seq: row.seq,
  senderId: row.sender_id,
  clientId: row.client_id,
  text: row.text,
  createdAt: new Date(row.created_at),
  notifySms: row.notify_sms === 1,
  rev: row.rev,
  textRev: row.text_rev,
  editedAt: dateOrNull(row.edited_at),
  deletedAt: dateOrNull(row.deleted_at),
  deletedBy: row.deleted_by,
  replyToId: row.reply_to_id,
  reactions: JSON.parse(row.reactions) as StoredReaction[],
  mentions: JSON.parse(row.mentions) as string[],
  mentionsAll: row.mentions_all === 1,
  ...((row.ack_of ?? 0) > 0 ? { ackOf: row.ack_of as number } : {}),
  ...(row.via_sms === 1 ? { viaSms: true as const } : {}),
});

export const fromMessage = (message: StoredMessage): MessageRow => ({
  id: message.id,
  conversation_id: message.conversationId,
  seq: message.seq,
  sender_id: message.senderId,
  client_id: message.clientId,
  text: message.text,
  created_at: ms(message.createdAt),
  notify_sms: message.notifySms ? 1 : 0,
  rev: message.rev,
  text_rev: message.textRev,
  edited_at: msOrNull(message.editedAt),
  deleted_at: msOrNull(message.deletedAt),
  deleted_by: message.deletedBy,
  reply_to_id: message.replyToId,
  reactions: JSON.stringify(message.reactions),
  mentions: JSON.stringify(message.mentions),
  mentions_all: message.mentionsAll ? 1 : 0,
});

export const toDispatch = (row: DispatchRow): SmsDispatch => ({
  id: row.id,
  messageId: row.message_id,
  conversationId: row.conversation_id,
  senderId: row.sender_id,
  recipientId: row.recipient_id,
  status: row.status,
  reason: reasonFromJson(row.reason),
  toE164: row.to_e164,
  text: row.text,
  parts: row.parts,
  points: row.points,
  gatewayId: row.gateway_id,
  attempts: row.attempts,
  nextAttemptAt: dateOrNull(row.next_attempt_at),
  lockedUntil: dateOrNull(row.locked_until),
  sendIf: row.send_if ?? null,
  deadlineAt: dateOrNull(row.deadline_at ?? null),
  heldUntil: dateOrNull(row.held_until ?? null),
  ignoreQuietHours: row.ignore_quiet_hours === 1,
  origin: row.origin ?? 'chat',
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

export const toNotification = (row: NotificationRow): StoredNotification => ({
  id: row.id,
  employeeId: row.employee_id,
  kind: row.kind,
  messageId: row.message_id,
  conversationId: row.conversation_id,
  recipientId: row.recipient_id,
  recipientName: row.recipient_name,
  status: row.status,
  reason: reasonFromJson(row.reason),
  createdAt: new Date(row.created_at),
  readAt: dateOrNull(row.read_at),
});

/** The recipients of a bulk job or an integration's notification, and the text each gets, as stored (JSON). */
export const recipientTexts = (row: { recipient_ids: string; texts: string }): { recipientIds: string[]; texts: Record<string, string> } => ({
  recipientIds: JSON.parse(row.recipient_ids) as string[],
  texts: JSON.parse(row.texts) as Record<string, string>,
});

/** Lists travel as one JSON parameter read back with json_each, so `IN (...)` needs no per-length statement. */
export const jsonList = (values: readonly string[]): string => JSON.stringify(values);
