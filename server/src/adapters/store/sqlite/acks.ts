import type Database from 'better-sqlite3';
import type { AckReminder } from '../../../domain/entities.js';
import type { AckRepository } from '../../../ports/store.js';
import { jsonList } from './rows.js';

export interface ReminderRow {
  message_id: string;
  employee_id: string;
  conversation_id: string;
  next_at: number;
  until_at: number;
  locked_until: number | null;
}

export const toReminder = (row: ReminderRow): AckReminder => ({
  messageId: row.message_id,
  employeeId: row.employee_id,
  conversationId: row.conversation_id,
  nextAt: new Date(row.next_at),
  untilAt: new Date(row.until_at),
  lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
});

export function createAckRepository(db: Database.Database): AckRepository {
  const insert = db.prepare<[string, string, number]>(
    'INSERT INTO acknowledgements (message_id, employee_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const endReminders = db.prepare<[string, string]>('DELETE FROM ack_reminders WHERE message_id = ? AND employee_id = ?');
  const forMessages = db.prepare<[string], { message_id: string; employee_id: string; at: number }>(
    'SELECT * FROM acknowledgements WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY at, employee_id',
  );
  const claim = db.prepare<{ now: number; leaseUntil: number; limit: number }, ReminderRow>(`
    UPDATE ack_reminders SET locked_until = @leaseUntil
    WHERE (message_id, employee_id) IN (
      SELECT message_id, employee_id FROM ack_reminders
      WHERE next_at <= @now AND (locked_until IS NULL OR locked_until <= @now)
      ORDER BY next_at LIMIT @limit)
    RETURNING *`);
  const move = db.prepare<[number, string, string, number]>(
    'UPDATE ack_reminders SET next_at = ?, locked_until = NULL WHERE message_id = ? AND employee_id = ? AND locked_until = ?',
  );
  const remove = db.prepare<[string, string, number]>(
    'DELETE FROM ack_reminders WHERE message_id = ? AND employee_id = ? AND locked_until = ?',
  );
  // A leased reminder is not claimable before its lease ends: reporting next_at alone would spin the worker.
  const nextAt = db.prepare<[], { at: number | null }>('SELECT min(max(next_at, coalesce(locked_until, next_at))) AS at FROM ack_reminders');

  const acknowledge = db.transaction((messageId: string, employeeId: string, at: number) => {
    const added = insert.run(messageId, employeeId, at).changes === 1;
    endReminders.run(messageId, employeeId);
    return added;
  });

  return {
    async acknowledge(messageId, employeeId, at) {
      return acknowledge.immediate(messageId, employeeId, at.getTime());
    },
    async listForMessages(messageIds) {
      if (messageIds.length === 0) return [];
      return forMessages.all(jsonList(messageIds)).map((row) => ({ messageId: row.message_id, employeeId: row.employee_id, at: new Date(row.at) }));
    },
    async claimDueReminders(now, leaseUntil, limit) {
      return claim.all({ now: now.getTime(), leaseUntil: leaseUntil.getTime(), limit }).map(toReminder);
    },
    async advanceReminder(reminder, next) {
      const lease = reminder.lockedUntil?.getTime() ?? -1;
      const changes = next === null
        ? remove.run(reminder.messageId, reminder.employeeId, lease).changes
        : move.run(next.getTime(), reminder.messageId, reminder.employeeId, lease).changes;
      return changes === 1;
    },
    async nextReminderAt() {
      const at = nextAt.get()?.at ?? null;
      return at === null ? null : new Date(at);
    },
  };
}
