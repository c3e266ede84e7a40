/**
 * Domain events: what services announce once their store write has committed. Services publish; the socket layer
 * (transport/socket/event-relay.ts) and the SMS outbox worker subscribe. A service never knows who listens, so
 * `buildApp` can create the services before the socket server exists, and a new listener (metrics, a webhook) is
 * one `subscribe` call. Events carry the wire views already built (the service has the data at hand); the
 * listener only decides where they go.
 */
import type { PresenceEntry, ReceiptUpdate } from '../../../shared/protocol.js';
import type { SmsDispatch } from '../domain/entities.js';
import type { BulkProgress, AckReminderEvent, AckUpdate, ConversationSummary, Message, Notification, NotifySettings, SmsBalanceLowEvent, SmsDispatchView } from '../../../shared/schemas/index.js';

export interface DomainEventMap {
  /** A conversation was created or changed (members, name): every member's own view of it. */
  'conversation.changed': { views: Array<{ employeeId: string; summary: ConversationSummary }> };
  /** `employeeId` is no longer a member. */
  'conversation.left': { conversationId: string; employeeId: string };
  /** A new message is durable. The sender's view carries its SMS dispatches; members' views do not. */
  'message.stored': { memberIds: string[]; senderId: string; view: Message; senderView: Message };
  /**
   * A message was edited, deleted or reacted to (issue 11). Members get `view`; the sender, when still a member,
   * `senderView` (with the SMS state).
   */
  'message.changed': { memberIds: string[]; senderId: string; view: Message; senderView: Message };
  /** A member's delivered/read marks moved forward. */
  'receipt.moved': { memberIds: string[]; update: ReceiptUpdate };
  'typing.started': { recipientIds: string[]; conversationId: string; employeeId: string };
  'notification.created': { employeeId: string; notification: Notification };
  /** An SMS dispatch changed state; only its sender learns of it. */
  'sms.changed': { senderId: string; messageId: string; conversationId: string; dispatch: SmsDispatchView };
  /**
   * New dispatches are waiting to go to the gateway. `leased`: those stored already leased to this process (to be
   * sent by its dispatcher at once, without a claim); in process only, it carries the numbers.
   */
  'sms.queued': { leased?: SmsDispatch[] };
  /** Someone acknowledged a message: every member sees who has (issue 14). */
  'ack.changed': { memberIds: string[]; update: AckUpdate };
  /** A recipient who has not acknowledged yet is reminded. */
  'ack.reminder': { employeeId: string; reminder: AckReminderEvent };
  /** New acknowledgement reminders are stored: the reminder worker looks again. */
  'ack.scheduled': Record<string, never>;
  /** The SMS account balance fell below the warning threshold: the admins are told. */
  'sms.balanceLow': { adminIds: string[]; warning: SmsBalanceLowEvent };
  /** Issue 13: one more recipient of a bulk SMS has their message stored; only the sender follows it. */
  'bulk.progress': { senderId: string; progress: BulkProgress };
  /** An employee's mute or do-not-disturb changed: their own tabs and devices follow (issue 12). */
  'notify.changed': { employeeId: string; settings: NotifySettings };
  /** Presence of some employees changed (the tabs watching each are told). */
  'presence.changed': { entries: PresenceEntry[] };
  /** A session was signed out or expired: its connections close. */
  'session.ended': { tokenHash: string; reason: 'signed-out' | 'expired' };
  /** Every session of an employee ended (deactivated, password changed), but `exceptTokenHash`'s. */
  'employee.signedOut': { employeeId: string; reason: 'deactivated' | 'password-changed'; exceptTokenHash?: string };
}

export type DomainEventName = keyof DomainEventMap;
export type DomainEventHandler<E extends DomainEventName> = (payload: DomainEventMap[E]) => void;

export interface DomainEvents {
  /** Call only after the write the event describes has committed. Listeners run synchronously, in order. */
  publish<E extends DomainEventName>(name: E, payload: DomainEventMap[E]): void;
  /** Returns a function that removes the listener. */
  subscribe<E extends DomainEventName>(name: E, handler: DomainEventHandler<E>): () => void;
}
