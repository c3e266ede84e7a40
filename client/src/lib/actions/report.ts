import { API } from '../../../../shared/http.js';
import type { SmsReportPage } from '../../../../shared/schemas/index.js';
import { api, queryString } from '../api.js';
import { reportQuery, type ReportFilters } from '../logic/report.js';
import { reportCsv } from '../sms/report-csv.js';
import type { Words } from '../sms/words.js';

export const REPORT_PAGE_SIZE = 25;
/** The largest page the report API gives; the export walks the pages. */
const EXPORT_PAGE_SIZE = 200;

export function loadReport(filters: ReportFilters, page: number): Promise<SmsReportPage> {
  return api<SmsReportPage>('GET', API.smsReport + queryString(reportQuery(filters, page, REPORT_PAGE_SIZE)));
}

/**
 * The CSV of exactly what the filters select (all pages), worded in the exporter's language: built here rather than
 * by the server, which sends codes and does not know the exporter's language or time zone.
 */
export async function exportReportCsv(filters: ReportFilters, words: Words): Promise<void> {
  const rows: SmsReportPage['rows'] = [];
  for (let page = 1; ; page++) {
    const answer = await api<SmsReportPage>('GET', API.smsReport + queryString(reportQuery(filters, page, EXPORT_PAGE_SIZE)));
    rows.push(...answer.rows);
    if (answer.rows.length === 0 || rows.length >= answer.total) break;
  }
  const blob = new Blob([reportCsv(words, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${words.t('report.fileName')}-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has handed the blob to the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
