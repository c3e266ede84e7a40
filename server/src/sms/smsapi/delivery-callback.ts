/**
 * SMSAPI delivery report statuses and how they move our dispatch status. Reports arrive late, repeated and out of
 * order, so a status may only ever move forward:
 *
 *   queued ──────────────→ sent → delivered | undelivered | failed | expired
 *     │  └→ unconfirmed ──↗   (unconfirmed may also jump straight to a final outcome)
 *     └→ not_sent ←─ unconfirmed (only when SMSAPI refuses a retry outright)
 *
 * `unconfirmed`: an attempt ended without an answer (timeout), so SMSAPI may have accepted the SMS. It is still
 * retried with the same idx (error 53 then proves the acceptance); when the attempts run out it stays unconfirmed,
 * and a delivery report for its idx or gateway id can still move it on. It counts against the SMS caps: it may
 * have cost money.
 */
import type { SmsStatus } from '../../../../shared/schemas/index.js';

export interface SmsapiReportStatus {
  code: number;
  name: string;
  status: SmsStatus;
  /** Why it did not arrive, in the sender's words; null when it did or may still. */
  reason: string | null;
}

const REPORT_STATUSES: readonly SmsapiReportStatus[] = [
  { code: 401, name: 'NOT_FOUND', status: 'failed', reason: 'SMSAPI lost track of the message' },
  { code: 402, name: 'EXPIRED', status: 'expired', reason: 'the phone was unreachable until the message expired' },
  { code: 403, name: 'SENT', status: 'sent', reason: null },
  { code: 404, name: 'DELIVERED', status: 'delivered', reason: null },
  { code: 405, name: 'UNDELIVERED', status: 'undelivered', reason: 'the network could not deliver it' },
  { code: 406, name: 'FAILED', status: 'failed', reason: 'sending failed' },
  { code: 407, name: 'REJECTED', status: 'failed', reason: 'the network rejected it' },
  // SMSAPI treats UNKNOWN as final: no confirmation will ever come, so the sender must not count on it.
  { code: 408, name: 'UNKNOWN', status: 'undelivered', reason: 'delivery could not be confirmed' },
  { code: 409, name: 'QUEUE', status: 'queued', reason: null },
  { code: 410, name: 'ACCEPTED', status: 'queued', reason: null },
  { code: 411, name: 'RENEWAL', status: 'queued', reason: null },
  { code: 412, name: 'STOP', status: 'failed', reason: 'sending was stopped' },
];

const BY_CODE = new Map(REPORT_STATUSES.map((entry) => [entry.code, entry]));
const BY_NAME = new Map(REPORT_STATUSES.map((entry) => [entry.name, entry]));

export const smsapiReportStatuses = REPORT_STATUSES;

export function smsapiStatusByCode(code: number): SmsapiReportStatus | null {
  return BY_CODE.get(code) ?? null;
}

export function smsapiStatusByName(name: string): SmsapiReportStatus | null {
  return BY_NAME.get(name.trim().toUpperCase()) ?? null;
}

/** Our status for an SMSAPI status code (`404`, `"404"`) or name (`"DELIVERED"`); null when unknown. */
export function mapSmsapiStatus(codeOrName: number | string): SmsStatus | null {
  return resolveStatus(String(codeOrName))?.status ?? null;
}

function resolveStatus(raw: string): SmsapiReportStatus | null {
  const trimmed = raw.trim();
  if (/^\d+$/.test(trimmed)) return smsapiStatusByCode(Number(trimmed));
  return trimmed === '' ? null : smsapiStatusByName(trimmed);
}

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
 * Whether a dispatch in `from` may move to `to`. `not_sent` can only be decided while the dispatcher still works
 * on it (the gateway refused it); once anything is final it stays, so a late SENT after DELIVERED changes nothing.
 * Same → same is false so that a repeated report writes nothing and notifies nobody.
 */
export function canTransition(from: SmsStatus, to: SmsStatus): boolean {
  if (from === 'not_sent' || isFinal(from)) return false;
  if (to === 'not_sent') return PENDING_STATUSES.includes(from);
  return RANK[to] > RANK[from];
}

/**
 * The status a delivery report means for a dispatch in `from`. Any report proves that SMSAPI has the SMS, so for
 * an unconfirmed dispatch even QUEUE/ACCEPTED (our `queued`) means it was sent.
 */
export function statusAfterReport(from: SmsStatus, reported: SmsStatus): SmsStatus {
  return from === 'unconfirmed' && reported === 'queued' ? 'sent' : reported;
}

export interface DeliveryReport {
  msgId: string;
  status: SmsStatus;
  statusCode: number;
  statusName: string;
  /** Our dispatch id as we sent it in `idx`; null when the report lacks it. */
  idx: string | null;
  doneAt: Date | null;
  points: number | null;
}

// Bounds what one callback can make us do; SMSAPI batches far fewer.
const MAX_REPORTS_PER_CALL = 1000;
const MSG_ID = /^[A-Za-z0-9_-]{1,64}$/;
const IDX = /^[\x21-\x7e]{1,255}$/;

type Query = Record<string, string | string[] | undefined>;

function listOf(query: Query, key: string): string[] | null {
  const value = query[key];
  if (value === undefined) return null;
  // A repeated parameter (?MsgId=a&MsgId=b) is the same list as a comma-separated one.
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined.split(',').map((item) => item.trim());
}

/**
 * Reads SMSAPI's callback query into reports. Every parameter is a comma-separated list in the same order; a list
 * whose length disagrees with MsgId's cannot be matched up, so it is ignored rather than misassigned. Entries that
 * still lack a usable id or status are dropped: the endpoint must answer OK to anything, never throw.
 */
export function parseDeliveryReports(query: Query): DeliveryReport[] {
  const msgIds = listOf(query, 'MsgId');
  if (msgIds === null) return [];
  const count = Math.min(msgIds.length, MAX_REPORTS_PER_CALL);
  const aligned = (key: string): string[] | null => {
    const list = listOf(query, key);
    return list !== null && list.length === msgIds.length ? list : null;
  };
  const statuses = aligned('status');
  const statusNames = aligned('status_name');
  const idxs = aligned('idx');
  const doneDates = aligned('donedate');
  const points = aligned('points');

  const reports: DeliveryReport[] = [];
  for (let i = 0; i < count; i++) {
    const msgId = msgIds[i] ?? '';
    if (!MSG_ID.test(msgId)) continue;
    const status = resolveStatus(statuses?.[i] ?? '') ?? resolveStatus(statusNames?.[i] ?? '');
    if (status === null) continue;
    const idx = idxs?.[i] ?? '';
    reports.push({
      msgId,
      status: status.status,
      statusCode: status.code,
      statusName: status.name,
      idx: IDX.test(idx) ? idx : null,
      doneAt: parseUnixSeconds(doneDates?.[i]),
      points: parseNumber(points?.[i]),
    });
  }
  return reports;
}

function parseUnixSeconds(raw: string | undefined): Date | null {
  if (raw === undefined || !/^\d{1,12}$/.test(raw)) return null;
  return new Date(Number(raw) * 1000);
}

function parseNumber(raw: string | undefined): number | null {
  if (raw === undefined || !/^\d+(\.\d+)?$/.test(raw)) return null;
  return Number(raw);
}
