/**
 * SMSAPI's delivery-report statuses and its callback query, read into reports. Which way a report may move a
 * dispatch is ../status.ts.
 */
import type { DeliveryFailure, SmsStatus } from '../../../../shared/schemas/index.js';

export interface SmsapiReportStatus {
  code: number;
  name: string;
  status: SmsStatus;
  /** Set when the status ends the dispatch without delivery; the sender is told it as `delivery_failed`. */
  failure: DeliveryFailure | null;
}

const REPORT_STATUSES: readonly SmsapiReportStatus[] = [
  { code: 401, name: 'NOT_FOUND', status: 'failed', failure: 'NOT_FOUND' },
  { code: 402, name: 'EXPIRED', status: 'expired', failure: 'EXPIRED' },
  { code: 403, name: 'SENT', status: 'sent', failure: null },
  { code: 404, name: 'DELIVERED', status: 'delivered', failure: null },
  { code: 405, name: 'UNDELIVERED', status: 'undelivered', failure: 'UNDELIVERED' },
  { code: 406, name: 'FAILED', status: 'failed', failure: 'FAILED' },
  { code: 407, name: 'REJECTED', status: 'failed', failure: 'REJECTED' },
  // SMSAPI treats UNKNOWN as final: no confirmation will ever come, so the sender must not count on it.
  { code: 408, name: 'UNKNOWN', status: 'undelivered', failure: 'UNKNOWN' },
  { code: 409, name: 'QUEUE', status: 'queued', failure: null },
  { code: 410, name: 'ACCEPTED', status: 'queued', failure: null },
  { code: 411, name: 'RENEWAL', status: 'queued', failure: null },
  { code: 412, name: 'STOP', status: 'failed', failure: 'STOP' },
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

export interface DeliveryReport {
  msgId: string;
  status: SmsStatus;
  failure: DeliveryFailure | null;
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
      failure: status.failure,
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
