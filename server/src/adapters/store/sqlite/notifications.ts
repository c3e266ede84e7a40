import type Database from 'better-sqlite3';
import type { StoredNotification } from '../../../domain/entities.js';
import type { NotificationRepository } from '../../../ports/store.js';
import { reasonToJson } from '../../../sms/stored-reason.js';
import { jsonList, ms, msOrNull, toNotification, type NotificationRow } from './rows.js';

/** The notification insert, synchronous so that another repository can run it inside its own transaction. */
export function prepareNotificationInsert(db: Database.Database): (notification: StoredNotification) => void {
  const insert = db.prepare<NotificationRow>(`
    INSERT INTO notifications (id, employee_id, kind, message_id, conversation_id, recipient_id, recipient_name, status, reason,
                               created_at, read_at)
    VALUES (@id, @employee_id, @kind, @message_id, @conversation_id, @recipient_id, @recipient_name, @status, @reason,
            @created_at, @read_at)`);
  return (notification) => {
    insert.run({
      id: notification.id,
      employee_id: notification.employeeId,
      kind: notification.kind,
      message_id: notification.messageId,
      conversation_id: notification.conversationId,
      recipient_id: notification.recipientId,
      recipient_name: notification.recipientName,
      status: notification.status,
      reason: reasonToJson(notification.reason),
      created_at: ms(notification.createdAt),
      read_at: msOrNull(notification.readAt),
    });
  };
}

export function createNotificationRepository(db: Database.Database): NotificationRepository {
  const insert = prepareNotificationInsert(db);
  const newest = db.prepare<[string, number], NotificationRow>(
    'SELECT * FROM notifications WHERE employee_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
  );
  const unread = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM notifications WHERE employee_id = ? AND read_at IS NULL',
  );
  // Only unread rows are touched, so the first time of reading is kept.
  const readAll = db.prepare<[number, string]>(
    'UPDATE notifications SET read_at = ? WHERE employee_id = ? AND read_at IS NULL',
  );
  const readSome = db.prepare<[number, string, string]>(`
    UPDATE notifications SET read_at = ?
    WHERE employee_id = ? AND read_at IS NULL AND id IN (SELECT value FROM json_each(?))`);

  return {
    async create(notification) {
      insert(notification);
    },
    async list(employeeId, limit) {
      return newest.all(employeeId, limit).map(toNotification);
    },
    async countUnread(employeeId) {
      return (unread.get(employeeId) as { n: number }).n;
    },
    async markRead(employeeId, ids, at) {
      if (ids === 'all') readAll.run(ms(at), employeeId);
      else if (ids.length > 0) readSome.run(ms(at), employeeId, jsonList(ids));
    },
  };
}
