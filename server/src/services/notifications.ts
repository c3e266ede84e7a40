/** System notifications: stored per employee, pushed live to every device, read in the Notifications panel. */
import { randomUUID } from 'node:crypto';
import type { Notification, NotificationList, NotificationsReadRequest } from '../../../shared/schemas/index.js';
import type { SmsDispatch, StoredNotification } from '../domain/entities.js';
import type { Clock } from '../ports/clock.js';
import type { DomainEvents } from '../ports/events.js';
import type { Store } from '../ports/store.js';

const LIST_LIMIT = 100;

function toNotification(n: StoredNotification): Notification {
  return {
    id: n.id,
    kind: n.kind,
    messageId: n.messageId,
    conversationId: n.conversationId,
    recipientId: n.recipientId,
    recipientName: n.recipientName,
    status: n.status,
    reason: n.reason,
    createdAt: n.createdAt.toISOString(),
    read: n.readAt !== null,
  };
}

export function createNotificationService(deps: { store: Store; clock: Clock; events: DomainEvents }) {
  const { store, clock } = deps;

  function smsOutcome(dispatch: SmsDispatch, recipientName: string | null): StoredNotification {
    return {
      id: randomUUID(),
      employeeId: dispatch.senderId,
      kind: 'sms_outcome',
      messageId: dispatch.messageId,
      conversationId: dispatch.conversationId,
      recipientId: dispatch.recipientId,
      recipientName,
      status: dispatch.status,
      reason: dispatch.reason,
      createdAt: clock.now(),
      readAt: null,
    };
  }

  function announce(notification: StoredNotification): void {
    deps.events.publish('notification.created', { employeeId: notification.employeeId, notification: toNotification(notification) });
  }

  return {
    /** Tells the sender of an SMS its new state, as data: the client words it in the sender's language. */
    async notifySmsOutcome(dispatch: SmsDispatch, recipientName: string | null): Promise<void> {
      const notification = smsOutcome(dispatch, recipientName);
      await store.notifications.create(notification);
      announce(notification);
    },

    /** The notification of an SMS outcome, for a caller that stores it in its own transaction, then announce()s it. */
    smsOutcome,
    /** Pushes a stored notification to the employee's devices. */
    announce,

    async list(employeeId: string): Promise<NotificationList> {
      const [list, unread] = await Promise.all([
        store.notifications.list(employeeId, LIST_LIMIT),
        store.notifications.countUnread(employeeId),
      ]);
      return { notifications: list.map(toNotification), unread };
    },

    async markRead(employeeId: string, request: NotificationsReadRequest): Promise<null> {
      await store.notifications.markRead(employeeId, request.all ? 'all' : (request.ids ?? []), clock.now());
      return null;
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
