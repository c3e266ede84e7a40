import { API } from '../../../../shared/http.js';
import type { SmsReportPage } from '../../../../shared/schemas/index.js';
import { api, queryString } from '../api.js';
import { reportQuery, type ReportFilters } from '../logic/report.js';

export const REPORT_PAGE_SIZE = 25;

export function loadReport(filters: ReportFilters, page: number): Promise<SmsReportPage> {
  return api<SmsReportPage>('GET', API.smsReport + queryString(reportQuery(filters, page, REPORT_PAGE_SIZE)));
}

/** The CSV export of exactly what the filters select (all pages). */
export function reportCsvHref(filters: ReportFilters): string {
  return API.smsReportCsv + queryString(reportQuery(filters));
}
