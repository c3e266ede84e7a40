import type Database from 'better-sqlite3';
import { reasonToJson } from '../../../sms/stored-reason.js';
import type { Clock } from '../../../ports/clock.js';
import type { DispatchPatch, SmsDispatchRepository, SmsReportFilter } from '../../../ports/store.js';
import type { SmsStatus } from '../../../../../shared/schemas/index.js';
import { jsonList, ms, msOrNull, toDispatch, type DispatchRow } from './rows.js';
import { prepareCapCounter } from './sms-cap-counts.js';
import { prepareWaitingQueries } from './sms-waiting.js';
import { prepareNotificationInsert } from './notifications.js';
import type { SmsDispatch, StoredNotification } from '../../../domain/entities.js';

type ReportParams = Record<string, string | number>;

export function createSmsDispatchRepository(db: Database.Database, clock: Clock): SmsDispatchRepository {
  const claim = db.prepare<{ now: number; leaseUntil: number; limit: number }, DispatchRow>(`
    UPDATE sms_dispatches SET locked_until = @leaseUntil
    WHERE id IN (
      SELECT id FROM sms_dispatches
      WHERE status IN ('queued', 'unconfirmed') AND next_attempt_at <= @now
        AND (locked_until IS NULL OR locked_until <= @now)
      ORDER BY next_attempt_at, id
      LIMIT @limit)
    RETURNING *`);
  // See employees.ts: `set_*` flags keep one statement for every patch shape while telling null from absent.
  const patch = db.prepare<Record<string, string | number | null>, DispatchRow>(`
    UPDATE sms_dispatches SET
      status          = CASE WHEN @set_status          THEN @status          ELSE status          END,
      reason          = CASE WHEN @set_reason          THEN @reason          ELSE reason          END,
      parts           = CASE WHEN @set_parts           THEN @parts           ELSE parts           END,
      points          = CASE WHEN @set_points          THEN @points          ELSE points          END,
      gateway_id      = CASE WHEN @set_gateway_id      THEN @gateway_id      ELSE gateway_id      END,
      attempts        = CASE WHEN @set_attempts        THEN @attempts        ELSE attempts        END,
      next_attempt_at = CASE WHEN @set_next_attempt_at THEN @next_attempt_at ELSE next_attempt_at END,
      locked_until    = CASE WHEN @set_locked_until    THEN @locked_until    ELSE locked_until    END,
      to_e164         = CASE WHEN @set_to_e164         THEN @to_e164         ELSE to_e164         END,
      send_if         = CASE WHEN @set_send_if         THEN @send_if         ELSE send_if         END,
      held_until      = CASE WHEN @set_held_until      THEN @held_until      ELSE held_until      END,
      updated_at      = @now
    WHERE id = @id AND (@expected IS NULL OR status IN (SELECT value FROM json_each(@expected)))
      AND (NOT @only_waiting OR (status = 'queued' AND (send_if IS NOT NULL OR held_until IS NOT NULL)))
    RETURNING *`);
  const byId = db.prepare<[string], DispatchRow>('SELECT * FROM sms_dispatches WHERE id = ?');
  const byGatewayId = db.prepare<[string], DispatchRow>(
    'SELECT * FROM sms_dispatches WHERE gateway_id = ? ORDER BY created_at DESC LIMIT 1',
  );
  // Statuses that mean the gateway took the SMS to this number: only those can have been replied to.
  const latestSent = db.prepare<[string, string], DispatchRow>(`
    SELECT * FROM sms_dispatches
    WHERE recipient_id = ? AND to_e164 = ? AND status IN ('unconfirmed', 'sent', 'delivered')
    ORDER BY created_at DESC, id DESC LIMIT 1`);
  const usage = db.prepare<[number], { sms: number; points: number }>(`
    SELECT count(*) AS sms, coalesce(sum(points), 0) AS points FROM sms_dispatches
    WHERE created_at >= ? AND status != 'not_sent' AND send_if IS NULL AND held_until IS NULL`);
  const forMessages = db.prepare<[string], DispatchRow>(`
    SELECT * FROM sms_dispatches WHERE message_id IN (SELECT value FROM json_each(?))
    ORDER BY created_at, id`);
  const countForCaps = prepareCapCounter(db);
  // When a queued dispatch next becomes claimable: a lease holds it past its attempt time, and reporting the
  // attempt time alone would wake the dispatcher in a busy loop until the lease ends.
  const nextDue = db.prepare<[], { at: number | null }>(`
    SELECT min(max(next_attempt_at, coalesce(locked_until, next_attempt_at))) AS at
    FROM sms_dispatches WHERE status IN ('queued', 'unconfirmed') AND next_attempt_at IS NOT NULL`);

  const claimDue = db.transaction((now: number, leaseUntil: number, limit: number) =>
    claim.all({ now, leaseUntil, limit }),
  );

  // The report's WHERE clause depends on which filters are given; one statement per filter shape (at most 128),
  // each prepared on first use, so that every shape can use its own index.
  const reportStatements = new Map<string, { rows: Database.Statement<ReportParams, DispatchRow>; count: Database.Statement<ReportParams, { n: number }> }>();
  const reportStatementsFor = (filter: SmsReportFilter) => {
    const conditions: string[] = [];
    if (filter.statuses) conditions.push('status IN (SELECT value FROM json_each(@statuses))');
    if (filter.from) conditions.push('created_at >= @from');
    if (filter.to) conditions.push('created_at < @to');
    if (filter.senderId !== undefined) conditions.push('sender_id = @senderId');
    if (filter.senderIds) conditions.push('sender_id IN (SELECT value FROM json_each(@senderIds))');
    if (filter.excludeSenderIds) conditions.push('sender_id NOT IN (SELECT value FROM json_each(@excludeSenderIds))');
    if (filter.recipientId !== undefined) conditions.push('recipient_id = @recipientId');
    if (filter.origins) conditions.push('origin IN (SELECT value FROM json_each(@origins))');
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    let statements = reportStatements.get(where);
    if (!statements) {
      statements = {
        rows: db.prepare<ReportParams, DispatchRow>(
          `SELECT * FROM sms_dispatches ${where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`,
        ),
        count: db.prepare<ReportParams, { n: number }>(`SELECT count(*) AS n FROM sms_dispatches ${where}`),
      };
      reportStatements.set(where, statements);
    }
    return statements;
  };

  const report = db.transaction((filter: SmsReportFilter) => {
    const statements = reportStatementsFor(filter);
    const params: ReportParams = { offset: filter.offset, limit: filter.limit };
    if (filter.statuses) params.statuses = JSON.stringify(filter.statuses);
    if (filter.from) params.from = ms(filter.from);
    if (filter.to) params.to = ms(filter.to);
    if (filter.senderId !== undefined) params.senderId = filter.senderId;
    if (filter.senderIds) params.senderIds = JSON.stringify(filter.senderIds);
    if (filter.excludeSenderIds) params.excludeSenderIds = JSON.stringify(filter.excludeSenderIds);
    if (filter.recipientId !== undefined) params.recipientId = filter.recipientId;
    if (filter.origins) params.origins = JSON.stringify(filter.origins);
    return {
      rows: statements.rows.all(params).map(toDispatch),
      total: (statements.count.get(params) as { n: number }).n,
    };
  });

  /** One patch statement for every caller; `onlyWaiting` makes it a compare-and-set on a wait (deadline or quiet hours). */
  function write(id: string, changes: DispatchPatch, expectedStatuses?: readonly SmsStatus[], onlyWaiting = false) {
    const given = <K extends keyof DispatchPatch>(key: K) => (changes[key] !== undefined ? 1 : 0);
    const row = patch.get({
      id,
      expected: expectedStatuses ? JSON.stringify(expectedStatuses) : null,
      only_waiting: onlyWaiting ? 1 : 0,
      now: ms(clock.now()),
      set_status: given('status'),
      status: changes.status ?? null,
      set_reason: given('reason'),
      reason: reasonToJson(changes.reason ?? null),
      set_parts: given('parts'),
      parts: changes.parts ?? null,
      set_points: given('points'),
      points: changes.points ?? null,
      set_gateway_id: given('gatewayId'),
      gateway_id: changes.gatewayId ?? null,
      set_attempts: given('attempts'),
      attempts: changes.attempts ?? null,
      set_next_attempt_at: given('nextAttemptAt'),
      next_attempt_at: msOrNull(changes.nextAttemptAt),
      set_locked_until: given('lockedUntil'),
      locked_until: msOrNull(changes.lockedUntil),
      set_to_e164: given('toE164'),
      to_e164: changes.toE164 ?? null,
      set_send_if: given('sendIf'),
      send_if: changes.sendIf ?? null,
      set_held_until: given('heldUntil'),
      held_until: msOrNull(changes.heldUntil),
    });
    return row ? toDispatch(row) : null;
  }
  const waiting = prepareWaitingQueries(db, countForCaps, write);
  const insertNotification = prepareNotificationInsert(db);
  const updateAndNotify = db.transaction(
    (id: string, changes: DispatchPatch, expected: readonly SmsStatus[], notificationFor: (updated: SmsDispatch) => StoredNotification | null) => {
      const dispatch = write(id, changes, expected);
      if (!dispatch) return null;
      const notification = notificationFor(dispatch);
      if (notification) insertNotification(notification);
      return { dispatch, notification };
    },
  );

  return {
    async claimDue(now, leaseUntil, limit) {
      if (limit <= 0) return [];
      const rows = claimDue.immediate(ms(now), ms(leaseUntil), limit);
      // RETURNING gives no order guarantee; hand out the longest-waiting first.
      rows.sort((x, y) => (x.next_attempt_at ?? 0) - (y.next_attempt_at ?? 0) || (x.id < y.id ? -1 : 1));
      return rows.map(toDispatch);
    },

    async update(id, changes: DispatchPatch, expectedStatuses) {
      return write(id, changes, expectedStatuses);
    },

    async updateAndNotify(id, changes, expectedStatuses, notificationFor) {
      return updateAndNotify.immediate(id, changes, expectedStatuses, notificationFor);
    },

    async findById(id) {
      const row = byId.get(id);
      return row ? toDispatch(row) : null;
    },

    async findByGatewayId(gatewayId) {
      const row = byGatewayId.get(gatewayId);
      return row ? toDispatch(row) : null;
    },

    async latestSentTo(recipientId, toE164) {
      const row = latestSent.get(recipientId, toE164);
      return row ? toDispatch(row) : null;
    },

    async usageSince(since) {
      const row = usage.get(since.getTime());
      return { sms: row?.sms ?? 0, points: row?.points ?? 0 };
    },

    async listForMessages(messageIds) {
      if (messageIds.length === 0) return [];
      return forMessages.all(jsonList(messageIds)).map(toDispatch);
    },

    async countForCaps(query) {
      return countForCaps(query);
    },

    async report(filter) {
      return report.deferred(filter);
    },

    async nextDueAt() {
      const at = nextDue.get()?.at ?? null;
      return at === null ? null : new Date(at);
    },

    async settleRead(input, patchFor) {
      return waiting.settleRead.immediate(input, patchFor);
    },

    async settleDeadline(id, decider) {
      return waiting.settleDeadline.immediate(id, decider);
    },
  };
}
