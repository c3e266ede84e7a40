/** The SMS report: every dispatch, filtered and paginated on the server; employees see what they sent. */
import type { SmsReportPage, SmsReportQuery, SmsReportRow, SmsStatus } from '../../../shared/schemas/index.js';
import type { Employee, SmsDispatch, SmsOrigin } from '../domain/entities.js';
import type { Integration } from '../domain/sms-paths.js';
import type { SmsReportFilter, Store } from '../ports/store.js';

const STATUS_FILTER: Record<NonNullable<SmsReportQuery['status']>, SmsStatus[]> = {
  // Still being worked on: an unconfirmed SMS is retried, and a delivery report may yet settle it.
  queued: ['queued', 'unconfirmed'],
  sent: ['sent'],
  delivered: ['delivered'],
  not_delivered: ['undelivered', 'failed', 'expired'],
  not_sent: ['not_sent'],
};
const CSV_LIMIT = 50_000;

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // Quote always, double quotes inside, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

function sourceOf(dispatch: SmsDispatch, byAccount: Map<string, Integration>): SmsReportRow['source'] {
  const integration = byAccount.get(dispatch.senderId);
  return integration ? { kind: 'integration', integrationId: integration.id } : { kind: dispatch.origin };
}

const ORIGINS: readonly SmsOrigin[] = ['chat', 'card', 'widget', 'bulk'];
const isOrigin = (source: string): source is SmsOrigin => (ORIGINS as readonly string[]).includes(source);

export function createSmsReportService(deps: { store: Store }) {
  const { store } = deps;

  /** Integrations by their account's id: a dispatch whose sender is one came from that integration. */
  async function integrationsByAccount(): Promise<Map<string, Integration>> {
    return new Map((await store.integrations.list()).map((i) => [i.employeeId, i]));
  }

  function sourceFilter(source: string | undefined, byAccount: Map<string, Integration>): Partial<SmsReportFilter> {
    if (source === undefined) return {};
    const accounts = [...byAccount.values()];
    // A person's path; integrations' messages are stored as chat, so their accounts are left out.
    if (isOrigin(source)) {
      return { origins: [source], ...(accounts.length > 0 ? { excludeSenderIds: accounts.map((i) => i.employeeId) } : {}) };
    }
    const id = source.startsWith('integration:') ? source.slice('integration:'.length) : null;
    return { senderIds: accounts.filter((i) => id === null || i.id === id).map((i) => i.employeeId) };
  }

  function filterFor(viewer: Employee, query: SmsReportQuery, byAccount: Map<string, Integration>) {
    return {
      ...sourceFilter(query.source, byAccount),
      ...(query.status ? { statuses: STATUS_FILTER[query.status] } : {}),
      ...(query.from ? { from: new Date(`${query.from}T00:00:00Z`) } : {}),
      ...(query.to ? { to: new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000 - 1) } : {}),
      // Employees see only what they sent, whatever they ask for.
      ...(viewer.role === 'admin' ? (query.senderId ? { senderId: query.senderId } : {}) : { senderId: viewer.id }),
      ...(query.recipientId ? { recipientId: query.recipientId } : {}),
    };
  }

  async function rowsFor(dispatches: SmsDispatch[], byAccount: Map<string, Integration>): Promise<SmsReportRow[]> {
    const ids = new Set(dispatches.flatMap((d) => [d.senderId, d.recipientId]));
    const names = new Map((await store.employees.findByIds([...ids])).map((e) => [e.id, e.name]));
    return dispatches.map((d) => ({
      id: d.id,
      createdAt: d.createdAt.toISOString(),
      senderId: d.senderId,
      senderName: names.get(d.senderId) ?? '',
      recipientId: d.recipientId,
      recipientName: names.get(d.recipientId) ?? '',
      status: d.status,
      reason: d.reason,
      parts: d.parts,
      points: d.points,
      gatewayId: d.gatewayId,
      messageId: d.messageId,
      conversationId: d.conversationId,
      source: sourceOf(d, byAccount),
    }));
  }

  return {
    async page(viewer: Employee, query: SmsReportQuery): Promise<SmsReportPage> {
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 50;
      const byAccount = await integrationsByAccount();
      const { rows, total } = await store.sms.report({ ...filterFor(viewer, query, byAccount), offset: (page - 1) * pageSize, limit: pageSize });
      return { rows: await rowsFor(rows, byAccount), total, page, pageSize };
    },

    async csv(viewer: Employee, query: SmsReportQuery): Promise<string> {
      const byAccount = await integrationsByAccount();
      const { rows } = await store.sms.report({ ...filterFor(viewer, query, byAccount), offset: 0, limit: CSV_LIMIT });
      const header = ['time', 'sender', 'recipient', 'status', 'reason', 'parts', 'points', 'gateway_id', 'source'];
      const lines = (await rowsFor(rows, byAccount)).map((r) =>
        [r.createdAt, r.senderName, r.recipientName, r.status, r.reason?.code ?? null, r.parts, r.points, r.gatewayId, r.source.kind]
          .map(csvCell)
          .join(','),
      );
      return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
    },
  };
}

export type SmsReportService = ReturnType<typeof createSmsReportService>;
