/** "Request acknowledgement" on a message: who acknowledged, the command, and the reminder a recipient gets. */
import { Type, type Static } from 'typebox';

const Id = Type.String({ minLength: 1, maxLength: 64 });

export const AckEntry = Type.Object({ employeeId: Id, at: Type.String() });
export type AckEntry = Static<typeof AckEntry>;

/** On a message that asked for acknowledgement: how many were asked and who acknowledged, oldest first. */
export const MessageAck = Type.Object({ total: Type.Integer({ minimum: 0 }), by: Type.Array(AckEntry) });
export type MessageAck = Static<typeof MessageAck>;

export const AcknowledgeRequest = Type.Object({ messageId: Id }, { additionalProperties: false });
export type AcknowledgeRequest = Static<typeof AcknowledgeRequest>;

export interface AckUpdate extends MessageAck {
  messageId: string;
  conversationId: string;
}

/** Sent to a recipient who has not acknowledged yet, every ACK_REMINDER_MINUTES for at most an hour. */
export interface AckReminderEvent {
  messageId: string;
  conversationId: string;
  senderId: string;
  senderName: string;
}
