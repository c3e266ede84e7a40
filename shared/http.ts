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
  // SMS templates and integrations (issue 13)
  smsTemplates: '/api/sms/templates',
  adminSmsTemplates: '/api/admin/sms/templates',
  adminSmsTemplate: (id: string) => `/api/admin/sms/templates/${encodeURIComponent(id)}`,
  adminIntegrations: '/api/admin/integrations',
  adminIntegration: (id: string) => `/api/admin/integrations/${encodeURIComponent(id)}`,
  v1Notifications: '/api/v1/notifications',
  v1OpenApi: '/api/v1/openapi.json',
  attachments: '/api/attachments',
  attachment: (id: string) => `/api/attachments/${encodeURIComponent(id)}`,
  adminSmsInbound: '/api/admin/sms/inbound',
  adminSmsBalance: '/api/admin/sms/balance',
  // Bulk SMS (issue 13)
  adminBulkSms: '/api/admin/sms/bulk',
  adminBulkSmsPreview: '/api/admin/sms/bulk/preview',
  adminBulkSmsJob: (id: string) => `/api/admin/sms/bulk/${encodeURIComponent(id)}`,
} as const;

/** What the client needs to know of the server's configuration. */
export interface ClientConfig {
  messageMaxLength: number;
  smsEnabled: boolean;
  smsMaxParts: number;
  /** The "SMS if unread after N min" choices (SMS_IF_UNREAD_MINUTES); empty when SMS is off. */
  smsIfUnreadMinutes: number[];
  /** SMS_NORMALIZE: Polish letters are sent without diacritics, so the editor counts parts that way. */
  smsNormalize: boolean;
  /** The zone {data} and {godzina} are written in. */
  timeZone: string;
  /** The largest attachment in bytes (ATTACHMENT_MAX_MB). */
  attachmentMaxBytes: number;
}
