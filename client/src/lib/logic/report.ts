/** The SMS report's filters as the page holds them, and the query both the table and the CSV link use. */
export type ReportStatusFilter = '' | 'queued' | 'sent' | 'delivered' | 'not_delivered' | 'not_sent';

export interface ReportFilters {
  status: ReportStatusFilter;
  from: string;
  to: string;
  senderId: string;
  recipientId: string;
  /** '', 'chat', 'card', 'widget', 'bulk', 'integration' or 'integration:<id>'. */
  source: string;
}

export const EMPTY_FILTERS: ReportFilters = { status: '', from: '', to: '', senderId: '', recipientId: '', source: '' };
export const REPORT_STATUSES = ['queued', 'sent', 'delivered', 'not_delivered', 'not_sent'] as const;

export function reportQuery(filters: ReportFilters, page?: number, pageSize?: number): Record<string, string | number | undefined> {
  return {
    status: filters.status || undefined,
    from: filters.from || undefined,
    to: filters.to || undefined,
    senderId: filters.senderId || undefined,
    recipientId: filters.recipientId || undefined,
    source: filters.source || undefined,
    page,
    pageSize,
  };
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}
