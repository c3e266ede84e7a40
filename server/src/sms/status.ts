/**
 * How a dispatch's status may move (SMSAPI's answers, delivery reports). Reports arrive late, repeated and out of
 * order, so a status may only ever move forward:
 *
 *   queued ──────────────→ sent → delivered | undelivered | failed | expired
 *     │  └→ unconfirmed ──↗   (unconfirmed may also jump straight to a final outcome)
 *     └→ not_sent             (only from queued: nothing was ever possibly accepted)
 *
 * `unconfirmed`: an attempt ended without an answer (a timeout, an HTTP 5xx from whatever stands in front of
 * SMSAPI), so SMSAPI may have accepted the SMS. It is still retried with the same idx (error 53 then proves the
 * acceptance). It never becomes not_sent: when the attempts run out, or a retry is refused (no credit because the
 * first attempt used it, a proxy's 4xx), that refusal says nothing about the first attempt, so it stays unconfirmed
 * with the refusal as its reason, and a delivery report for its idx or gateway id can still move it on. It counts
 * against the SMS caps: it may have cost money.
 */
import type { SmsStatus } from '../../../shared/schemas/index.js';

const FINAL: ReadonlySet<SmsStatus> = new Set(['delivered', 'undelivered', 'failed', 'expired']);
const RANK: Record<SmsStatus, number> = {
  not_sent: -1,
  queued: 0,
  unconfirmed: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  expired: 3,
};

/** Statuses the dispatcher still works on (claims, retries). */
export const PENDING_STATUSES: readonly SmsStatus[] = ['queued', 'unconfirmed'];

export function isFinal(status: SmsStatus): boolean {
  return FINAL.has(status);
}

/**
 * Whether a dispatch in `from` may move to `to`. `not_sent` can only be decided before any attempt may have been
 * accepted (the gateway refused the first); once anything is final it stays, so a late SENT after DELIVERED
 * changes nothing.
 * Same → same is false so that a repeated report writes nothing and notifies nobody.
 */
export function canTransition(from: SmsStatus, to: SmsStatus): boolean {
  if (from === 'not_sent' || isFinal(from)) return false;
  if (to === 'not_sent') return from === 'queued';
  return RANK[to] > RANK[from];
}

/**
 * The status a delivery report means for a dispatch in `from`. Any report proves that SMSAPI has the SMS, so for
 * an unconfirmed dispatch even QUEUE/ACCEPTED (our `queued`) means it was sent.
 */
export function statusAfterReport(from: SmsStatus, reported: SmsStatus): SmsStatus {
  return from === 'unconfirmed' && reported === 'queued' ? 'sent' : reported;
}
