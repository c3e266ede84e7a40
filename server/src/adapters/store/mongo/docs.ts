/** Documents (as lean reads return them) to entities and back. A missing optional field reads as null. */
import { Value } from 'typebox/value';
import { SmsReason, WorkingHours } from '../../../../../shared/schemas/index.js';
import type {
  Conversation,
  Employee,
  Membership,
  Session,
  SmsDispatch,
  StoredMessage,
  StoredNotification,
} from '../../../domain/entities.js';
import type { ConversationWithMembers } from '../../../ports/store.js';
import type {
  ConversationDoc,
  EmployeeDoc,
  MemberDoc,
  MessageDoc,
  NotificationDoc,
  SessionDoc,
  SmsDispatchDoc,
} from './models.js';

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;

export const toEmployee = (doc: EmployeeDoc): Employee => ({
  id: doc._id,
  login: doc.login,
  name: doc.name,
  title: orNull(doc.title),
  department: orNull(doc.department),
  role: doc.role,
  active: doc.active,
  mobileRaw: orNull(doc.mobileRaw),
  mobileE164: orNull(doc.mobileE164),
  mobilePrivate: doc.mobilePrivate,
  workingHours: Value.Check(WorkingHours, doc.workingHours) ? doc.workingHours : null,
  passwordHash: doc.passwordHash,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

export const fromEmployee = (employee: Employee): EmployeeDoc => ({
  _id: employee.id,
  login: employee.login,
  name: employee.name,
  title: employee.title,
  department: employee.department ?? null,
  role: employee.role,
  active: employee.active,
  mobileRaw: employee.mobileRaw,
  mobileE164: employee.mobileE164,
  mobilePrivate: employee.mobilePrivate,
  workingHours: employee.workingHours ?? null,
  passwordHash: employee.passwordHash,
  createdAt: employee.createdAt,
  updatedAt: employee.updatedAt,
});

export const toSession = (doc: SessionDoc): Session => ({
  tokenHash: doc._id,
  employeeId: doc.employeeId,
  createdAt: doc.createdAt,
  expiresAt: doc.expiresAt,
});

export const fromSession = (session: Session): SessionDoc => ({
  _id: session.tokenHash,
  employeeId: session.employeeId,
  createdAt: session.createdAt,
  expiresAt: session.expiresAt,
});

export const toMembership = (conversationId: string, doc: MemberDoc): Membership => ({
  conversationId,
  employeeId: doc.employeeId,
  joinedAt: doc.joinedAt,
  deliveredSeq: doc.deliveredSeq,
  readSeq: doc.readSeq,
});

export const toConversation = (doc: ConversationDoc): Conversation => ({
  id: doc._id,
  kind: doc.kind,
  name: orNull(doc.name),
  directKey: orNull(doc.directKey),
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  lastSeq: doc.lastSeq,
  lastRev: doc.lastRev ?? doc.lastSeq,
  lastActivityAt: doc.lastActivityAt,
});

/** Members in the order SQLite gives them: by time of joining, then id. */
export const toConversationWithMembers = (doc: ConversationDoc): ConversationWithMembers => ({
  conversation: toConversation(doc),
  members: [...(doc.members ?? [])]
    .sort((x, y) => x.joinedAt.getTime() - y.joinedAt.getTime() || (x.employeeId < y.employeeId ? -1 : x.employeeId > y.employeeId ? 1 : 0))
    .map((member) => toMembership(doc._id, member)),
});

export const fromConversation = ({ conversation, members }: ConversationWithMembers): ConversationDoc => ({
  _id: conversation.id,
  kind: conversation.kind,
  name: conversation.name,
  directKey: conversation.directKey,
  createdBy: conversation.createdBy,
  createdAt: conversation.createdAt,
  lastSeq: conversation.lastSeq,
  lastRev: conversation.lastRev,
  lastActivityAt: conversation.lastActivityAt,
  members: members.map((m) => ({ employeeId: m.employeeId, joinedAt: m.joinedAt, deliveredSeq: m.deliveredSeq, readSeq: m.readSeq })),
});

export const toMessage = (doc: MessageDoc): StoredMessage => ({
  id: doc._id,
  conversationId: doc.conversationId,
  seq: doc.seq,
  senderId: doc.senderId,
  clientId: doc.clientId,
  text: doc.text,
  createdAt: doc.createdAt,
  notifySms: doc.notifySms,
  // Documents older than revs read as if written once, at their seq (what backfillRevs stores).
  rev: doc.rev || doc.seq,
  textRev: doc.textRev || doc.seq,
  editedAt: doc.editedAt ?? null,
  deletedAt: doc.deletedAt ?? null,
  deletedBy: doc.deletedBy ?? null,
  replyToId: doc.replyToId ?? null,
  reactions: (doc.reactions ?? []).map((r) => ({ emoji: r.emoji, employeeIds: [...r.employeeIds] })),
  mentions: [...(doc.mentions ?? [])],
  mentionsAll: doc.mentionsAll ?? false,
  ...(doc.ackOf !== undefined && doc.ackOf !== null && doc.ackOf > 0 ? { ackOf: doc.ackOf } : {}),
  ...(doc.viaSms === true ? { viaSms: true as const } : {}),
});

export const fromMessage = (message: StoredMessage): MessageDoc => ({
  _id: message.id,
  conversationId: message.conversationId,
  seq: message.seq,
  senderId: message.senderId,
  clientId: message.clientId,
  text: message.text,
  createdAt: message.createdAt,
  notifySms: message.notifySms,
  rev: message.rev,
  textRev: message.textRev,
  editedAt: message.editedAt,
  deletedAt: message.deletedAt,
  deletedBy: message.deletedBy,
  replyToId: message.replyToId,
  reactions: message.reactions.map((r) => ({ emoji: r.emoji, employeeIds: [...r.employeeIds] })),
  mentions: [...message.mentions],
  mentionsAll: message.mentionsAll,
  ...(message.ackOf ? { ackOf: message.ackOf } : {}),
  ...(message.viaSms ? { viaSms: true } : {}),
});

export const toDispatch = (doc: SmsDispatchDoc): SmsDispatch => ({
  id: doc._id,
  messageId: doc.messageId,
  conversationId: doc.conversationId,
  senderId: doc.senderId,
  recipientId: doc.recipientId,
  status: doc.status,
  reason: storedReason(doc.reason),
  toE164: orNull(doc.toE164),
  text: doc.text,
  parts: orNull(doc.parts),
  points: orNull(doc.points),
  gatewayId: orNull(doc.gatewayId),
  attempts: doc.attempts,
  nextAttemptAt: orNull(doc.nextAttemptAt),
  lockedUntil: orNull(doc.lockedUntil),
  sendIf: doc.sendIf ?? null,
  deadlineAt: doc.deadlineAt ?? null,
  heldUntil: doc.heldUntil ?? null,
  ignoreQuietHours: doc.ignoreQuietHours === true,
  origin: doc.origin ?? 'chat',
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

export const fromDispatch = (dispatch: SmsDispatch): SmsDispatchDoc => ({
  _id: dispatch.id,
  messageId: dispatch.messageId,
  conversationId: dispatch.conversationId,
  senderId: dispatch.senderId,
  recipientId: dispatch.recipientId,
  status: dispatch.status,
  reason: dispatch.reason,
  toE164: dispatch.toE164,
  text: dispatch.text,
  parts: dispatch.parts,
  points: dispatch.points,
  gatewayId: dispatch.gatewayId,
  attempts: dispatch.attempts,
  nextAttemptAt: dispatch.nextAttemptAt,
  lockedUntil: dispatch.lockedUntil,
  sendIf: dispatch.sendIf,
  deadlineAt: dispatch.deadlineAt,
  heldUntil: dispatch.heldUntil,
  ignoreQuietHours: dispatch.ignoreQuietHours,
  origin: dispatch.origin,
  createdAt: dispatch.createdAt,
  updatedAt: dispatch.updatedAt,
});

export const toNotification = (doc: NotificationDoc): StoredNotification => ({
  id: doc._id,
  employeeId: doc.employeeId,
  kind: doc.kind,
  messageId: doc.messageId,
  conversationId: doc.conversationId,
  recipientId: doc.recipientId,
  recipientName: doc.recipientName,
  status: doc.status,
  reason: storedReason(doc.reason),
  createdAt: doc.createdAt,
  readAt: orNull(doc.readAt),
});

export const fromNotification = (notification: StoredNotification): NotificationDoc => ({
  _id: notification.id,
  employeeId: notification.employeeId,
  kind: notification.kind,
  messageId: notification.messageId,
  conversationId: notification.conversationId,
  recipientId: notification.recipientId,
  recipientName: notification.recipientName,
  status: notification.status,
  reason: notification.reason,
  createdAt: notification.createdAt,
  readAt: notification.readAt,
});

/** Anything but a valid SmsReason (a pre-issue-10 sentence not yet converted, a hand edit) reads as no reason. */
function storedReason(value: unknown): SmsReason | null {
  return Value.Check(SmsReason, value) ? value : null;
}
