/** Wire views of stored conversations and messages. */
import type { ConversationSummary, Message, SmsDispatchView } from '../../../shared/schemas/index.js';
import type { ConversationWithMembers, Employee, SmsDispatch, StoredMessage } from './entities.js';

export function toSmsView(dispatch: SmsDispatch, recipientName: string): SmsDispatchView {
  return {
    id: dispatch.id,
    recipientId: dispatch.recipientId,
    recipientName,
    status: dispatch.status,
    reason: dispatch.reason,
    updatedAt: dispatch.updatedAt.toISOString(),
  };
}

export function toMessage(message: StoredMessage, sms?: SmsDispatchView[]): Message {
  const view: Message = {
    id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    senderId: message.senderId,
    clientId: message.clientId,
    text: message.text,
    createdAt: message.createdAt.toISOString(),
    notifySms: message.notifySms,
  };
  if (sms) view.sms = sms;
  return view;
}

export function toConversationSummary(
  found: ConversationWithMembers,
  viewerId: string,
  names: Map<string, Pick<Employee, 'name'>>,
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
    lastActivityAt: conversation.lastActivityAt.toISOString(),
    unread: Math.max(0, conversation.lastSeq - (mine?.readSeq ?? 0)),
  };
}
