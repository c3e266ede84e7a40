/** Wire views of stored conversations and messages. */
import { messagePreview } from '../../../shared/markdown/plain-text.js';
import type { ConversationSummary, LastMessagePreview, Message, ReplyQuote, SmsDispatchView } from '../../../shared/schemas/index.js';
import { REPLY_EXCERPT_LENGTH } from '../../../shared/limits.js';
import type { ConversationWithMembers, Employee, SmsDispatch, StoredMessage } from './entities.js';

/** `recipientName` null: the recipient is no longer in the directory (the client words that). */
export function toSmsView(dispatch: SmsDispatch, recipientName: string | null): SmsDispatchView {
  return {
    id: dispatch.id,
    recipientId: dispatch.recipientId,
    recipientName,
    status: dispatch.status,
    reason: dispatch.reason,
    updatedAt: dispatch.updatedAt.toISOString(),
    ...(dispatch.sendIf !== null && dispatch.deadlineAt !== null ? { ifUnreadBy: dispatch.deadlineAt.toISOString() } : {}),
    ...(dispatch.sendIf === 'unacknowledged' ? { ifNotAcknowledged: true as const } : {}),
  };
}

/** The start of the original's text, cut on a code point (never half a surrogate pair). */
export function excerptOf(text: string): string {
  const points = Array.from(text);
  return points.length <= REPLY_EXCERPT_LENGTH ? text : `${points.slice(0, REPLY_EXCERPT_LENGTH).join('')}…`;
}

function toReplyQuote(replyToId: string, original: StoredMessage | null | undefined): ReplyQuote {
  // An original that cannot be read any more quotes as deleted: the reply must not break, nor reveal anything.
  if (!original || original.deletedAt) return { messageId: replyToId, senderId: original?.senderId ?? '', excerpt: '', deleted: true };
  return { messageId: original.id, senderId: original.senderId, excerpt: excerptOf(original.text), deleted: false };
}

/** `original` is the message replied to (looked up by the caller), when there is one. */
export function toMessage(message: StoredMessage, sms?: SmsDispatchView[], original?: StoredMessage | null): Message {
  const deleted = message.deletedAt !== null;
  const view: Message = {
    id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    senderId: message.senderId,
    clientId: message.clientId,
    text: deleted ? '' : message.text,
    createdAt: message.createdAt.toISOString(),
    notifySms: message.notifySms,
    rev: message.rev,
    editedAt: message.editedAt?.toISOString() ?? null,
    deleted: deleted ? { at: (message.deletedAt as Date).toISOString(), byId: message.deletedBy ?? '' } : null,
    replyTo: message.replyToId === null ? null : toReplyQuote(message.replyToId, original),
    reactions: deleted ? [] : message.reactions.map((r) => ({ emoji: r.emoji, employeeIds: [...r.employeeIds] })),
    mentions: deleted ? [] : [...message.mentions],
    mentionsAll: deleted ? false : message.mentionsAll,
  };
  if (sms) view.sms = sms;
  if (message.viaSms) view.viaSms = true;
  return view;
}

/** What the conversation list shows of a conversation beyond its members: its newest message, my unread mentions. */
export interface ConversationActivity {
  lastMessage: StoredMessage | null;
  unreadMentions: number;
}

export const NO_ACTIVITY: ConversationActivity = { lastMessage: null, unreadMentions: 0 };

export function toLastMessagePreview(message: StoredMessage): LastMessagePreview {
  // A tombstone shows as "message deleted", not as (its empty) text.
  const deleted = message.deletedAt !== null;
  return {
    id: message.id,
    senderId: message.senderId,
    preview: deleted ? '' : messagePreview(message.text),
    at: message.createdAt.toISOString(),
    deleted,
  };
}

export function toConversationSummary(
  found: ConversationWithMembers,
  viewerId: string,
  names: Map<string, Pick<Employee, 'name'>>,
  activity: ConversationActivity = NO_ACTIVITY,
): ConversationSummary {
  const { conversation, members } = found;
  const mine = members.find((m) => m.employeeId === viewerId);
  return {
    id: conversation.id,
    kind: conversation.kind,
    name: conversation.name,
    members: members.map((m) => ({
      employeeId: m.employeeId,
      name: names.get(m.employeeId)?.name ?? 'Former employee',
      deliveredSeq: m.deliveredSeq,
      readSeq: m.readSeq,
    })),
    lastSeq: conversation.lastSeq,
    lastRev: conversation.lastRev,
    lastActivityAt: conversation.lastActivityAt.toISOString(),
    unread: Math.max(0, conversation.lastSeq - (mine?.readSeq ?? 0)),
    lastMessage: activity.lastMessage ? toLastMessagePreview(activity.lastMessage) : null,
    unreadMentions: activity.unreadMentions,
  };
}
