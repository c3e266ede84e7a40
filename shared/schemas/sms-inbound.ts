/** Two-way SMS (issue 14): SMS replies that reached no conversation, as admins see them — never with the number. */
import { Type, type Static } from 'typebox';

export const InboundSmsReason = Type.Union([
  /** No active employee has this number. */
  Type.Literal('unknown_number'),
  /** The employee with this number keeps it private: who they are is not said either. */
  Type.Literal('private_number'),
  /** An employee's number, but no urgent SMS went to it (or they left its conversation). */
  Type.Literal('no_conversation'),
]);
export type InboundSmsReason = Static<typeof InboundSmsReason>;

export const InboundSmsView = Type.Object({
  id: Type.String(),
  /** A salted hash of the sender's number: the same number gives the same key, the digits cannot be read from it. */
  senderKey: Type.String(),
  reason: InboundSmsReason,
  text: Type.String(),
  sentAt: Type.String(),
  receivedAt: Type.String(),
});
export type InboundSmsView = Static<typeof InboundSmsView>;

export const InboundSmsList = Type.Object({ items: Type.Array(InboundSmsView) });
export type InboundSmsList = Static<typeof InboundSmsList>;
