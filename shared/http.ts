/** REST routes, named once so the client and tests use the same paths. */
export const API = {
  session: '/api/session',
  me: '/api/me',
  myProfile: '/api/me/profile',
  myPassword: '/api/me/password',
  employees: '/api/employees',
  adminEmployees: '/api/admin/employees',
  adminEmployee: (id: string) => `/api/admin/employees/${encodeURIComponent(id)}`,
  smsReport: '/api/sms/report',
  smsReportCsv: '/api/sms/report.csv',
  config: '/api/config',
} as const;

/** What the client needs to know of the server's configuration. */
export interface ClientConfig {
  messageMaxLength: number;
  smsEnabled: boolean;
  smsMaxParts: number;
  /** The "SMS if unread after N min" choices (SMS_IF_UNREAD_MINUTES); empty when SMS is off. */
  smsIfUnreadMinutes: number[];
}
