/**
 * "SMS if unread" (and "if not acknowledged", and SMS held for quiet hours) on SQLite: both sides (the reader, the deadline) run in IMMEDIATE transactions, which hold the
 * file's one write lock, so whichever comes first decides a waiting dispatch and the other finds it decided —
 * across every process on the file.
 */
import type Database from 'better-sqlite3';
import type { SmsDispatch } from '../../../domain/entities.js';
import type { DeadlineDecider, DispatchPatch } from '../../../ports/store.js';
import { toDispatch, toEmployee, type DispatchRow, type EmployeeRow } from './rows.js';
import type { CapCounter } from './sms-cap-counts.js';

type Write = (id: string, patch: DispatchPatch, expected?: undefined, onlyWaiting?: boolean) => SmsDispatch | null;

export function prepareWaitingQueries(db: Database.Database, countForCaps: CapCounter, write: Write) {
  const waitingUpTo = db.prepare<{ conversationId: string; recipientId: string; readSeq: number }, DispatchRow>(`
    SELECT d.* FROM sms_dispatches d JOIN messages m ON m.id = d.message_id
    WHERE d.recipient_id = @recipientId AND d.conversation_id = @conversationId AND d.send_if = 'unread'
      AND d.status = 'queued' AND m.seq <= @readSeq`);
  const waitingById = db.prepare<[string], DispatchRow & { message_seq: number }>(`
    SELECT d.*, m.seq AS message_seq FROM sms_dispatches d JOIN messages m ON m.id = d.message_id
    WHERE d.id = ? AND (d.send_if IS NOT NULL OR d.held_until IS NOT NULL) AND d.status = 'queued'`);
  const acknowledged = db.prepare<[string, string], { n: number }>(
    'SELECT count(*) AS n FROM acknowledgements WHERE message_id = ? AND employee_id = ?',
  );
  const readMark = db.prepare<[string, string], { read_seq: number }>(
    'SELECT read_seq FROM memberships WHERE conversation_id = ? AND employee_id = ?',
  );
  const employee = db.prepare<[string], EmployeeRow>('SELECT * FROM employees WHERE id = ?');

  return {
    settleRead: db.transaction(
      (input: { conversationId: string; recipientId: string; readSeq: number }, patchFor: (d: SmsDispatch) => DispatchPatch) => {
        const settled: SmsDispatch[] = [];
        for (const row of waitingUpTo.all(input)) {
          const dispatch = toDispatch(row);
          const updated = write(dispatch.id, patchFor(dispatch), undefined, true);
          if (updated) settled.push(updated);
        }
        return settled;
      },
    ),
    settleDeadline: db.transaction((id: string, decider: DeadlineDecider) => {
      const row = waitingById.get(id);
      if (!row) return null;
      const dispatch = toDispatch(row);
      const recipient = employee.get(dispatch.recipientId);
      const patch = decider.decide({
        dispatch,
        messageSeq: row.message_seq,
        readSeq: readMark.get(dispatch.conversationId, dispatch.recipientId)?.read_seq ?? null,
        acknowledged: (acknowledged.get(dispatch.messageId, dispatch.recipientId)?.n ?? 0) > 0,
        recipient: recipient ? toEmployee(recipient) : null,
        counts: countForCaps(decider.capQuery(dispatch)),
      });
      return write(id, patch, undefined, true);
    }),
  };
}
