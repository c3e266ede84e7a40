import type Database from 'better-sqlite3';
import type { AppendMessageInput, NewDispatch, SmsCapCounts, SmsCapQuery } from '../../../ports/store.js';
import { jsonList, ms } from './rows.js';

export type CapCounter = (query: SmsCapQuery) => SmsCapCounts;

/**
 * An SMS still waiting for its "if unread" deadline or held for quiet hours reserves nothing: it is counted when it
 * is decided (then send_if and held_until are cleared), so messages read in time never use up a sender's or
 * recipient's cap, and a held one is not counted twice when it is checked again at its release.
 *
 * The SMS cap counts of one send in two indexed reads (one for the sender's two windows, one grouped by
 * recipient), synchronous so that the append can run them inside its write transaction.
 */
export function prepareCapCounter(db: Database.Database): CapCounter {
  const bySender = db.prepare<{ senderId: string; hourSince: number; daySince: number }, { hour: number; day: number }>(`
    SELECT coalesce(sum(created_at >= @hourSince), 0) AS hour, count(*) AS day FROM sms_dispatches
    WHERE sender_id = @senderId AND created_at >= @daySince AND status != 'not_sent' AND send_if IS NULL AND held_until IS NULL`);
  const byRecipient = db.prepare<{ ids: string; since: number }, { id: string; n: number }>(`
    SELECT recipient_id AS id, count(*) AS n FROM sms_dispatches
    WHERE recipient_id IN (SELECT value FROM json_each(@ids)) AND created_at >= @since AND status != 'not_sent'
      AND send_if IS NULL AND held_until IS NULL
    GROUP BY recipient_id`);
  const everyone = db.prepare<[number], { n: number }>(
    "SELECT count(*) AS n FROM sms_dispatches WHERE created_at >= ? AND status != 'not_sent' AND send_if IS NULL AND held_until IS NULL",
  );

  return (query) => {
    const sender = bySender.get({ senderId: query.senderId, hourSince: ms(query.senderHourSince), daySince: ms(query.senderDaySince) });
    const recipients =
      query.recipientIds.length === 0 ? [] : byRecipient.all({ ids: jsonList(query.recipientIds), since: ms(query.recipientSince) });
    return {
      senderLastHour: sender?.hour ?? 0,
      senderLastDay: sender?.day ?? 0,
      recipientWindow: new Map(recipients.map((row) => [row.id, row.n])),
      month: query.monthSince ? (everyone.get(ms(query.monthSince))?.n ?? 0) : 0,
    };
  };
}

/** The dispatches to store with a message; a planner is asked only here, inside the caller's transaction. */
export function decideDispatches(input: Pick<AppendMessageInput, 'dispatches'>, count: CapCounter): NewDispatch[] {
  return Array.isArray(input.dispatches) ? input.dispatches : input.dispatches.plan(count(input.dispatches.capQuery));
}
