/**
 * The SMS report as CSV, built in the browser so statuses and reasons are in the exporter's language and times in
 * their time zone (the server knows neither). Made for Excel: UTF-8 with a BOM (otherwise Excel reads Polish
 * letters as Windows-1250), `;` between fields for Polish (Excel in a Polish locale splits on `;`, since `,` is
 * its decimal separator; decimals then use `,`), `,` for English; every field quoted, CRLF line ends (RFC 4180).
 */
import type { SmsReportRow } from '../../../../shared/schemas/index.js';
import type { SmsOutcomeView } from '../contract.js';
import { reasonText, statusText, type Words } from './words.js';

export interface ReportCsvRow extends Pick<SmsOutcomeView, 'status' | 'reason'> {
  recipientName: string;
  createdAt: string;
  senderName: string;
  parts: number | null;
  points: number | null;
  gatewayId: string | null;
  source: SmsReportRow['source'];
}

/** Where an SMS came from, in words: a path of the app, or the integration (whose name is the sender's). */
export function sourceText(words: Words, row: Pick<ReportCsvRow, 'source' | 'senderName'>): string {
  return row.source.kind === 'integration' ? words.t('report.source.integration', { name: row.senderName }) : words.t(`report.source.${row.source.kind}`);
}

export const BOM = '\uFEFF';

export function csvSeparator(language: string): ';' | ',' {
  return language === 'pl' ? ';' : ',';
}

/** A cell Excel would run as a formula (=, +, -, @) is kept as text. */
function quote(value: string, text = true): string {
  const safe = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Local time as "2026-11-30 13:05:09": Excel reads it as a date in either locale. */
export function localTimestamp(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

export function reportCsv(words: Words, rows: readonly ReportCsvRow[]): string {
  const { t, language } = words;
  const separator = csvSeparator(language);
  const decimal = (n: number) => n.toLocaleString(language, { useGrouping: false, maximumFractionDigits: 4 });
  const header = ['time', 'sender', 'recipient', 'status', 'reason', 'parts', 'cost', 'gatewayId', 'source'] as const;
  const lines = [header.map((column) => quote(t(`report.col.${column}`))).join(separator)];
  for (const row of rows) {
    lines.push(
      [
        quote(localTimestamp(row.createdAt), false),
        quote(row.senderName),
        quote(row.recipientName),
        quote(statusText(words, row.status)),
        quote(reasonText(words, row.reason) ?? ''),
        quote(row.parts === null ? '' : String(row.parts), false),
        quote(row.points === null ? '' : decimal(row.points), false),
        quote(row.gatewayId ?? ''),
        quote(sourceText(words, row)),
      ].join(separator),
    );
  }
  return BOM + lines.join('\r\n') + '\r\n';
}
