/**
 * Entities to documents for the kinds only `npm run store -- copy` writes as they are (the repositories write
 * these documents from their own inputs). Keys follow the repositories: `messageId:employeeId`, `messageId:textRev`.
 */
import { searchableWords } from '../../../../../shared/search-text.js';
import { templateNameKey } from '../../../domain/sms-paths.js';
import type { CopiedRows } from '../../../ports/store-copy.js';
import { fromMessage } from './docs.js';
import type {
  AckReminderDoc,
  AcknowledgementDoc,
  AdminAlertDoc,
  AlertStateDoc,
  ApiNotificationDoc,
  AttachmentDoc,
  BulkJobDoc,
  InboundSmsDoc,
  IntegrationDoc,
  MessageDoc,
  SmsCorrectionDoc,
  SmsTemplateDoc,
} from './models.js';

type From<K extends keyof CopiedRows, Doc> = (row: CopiedRows[K]) => Doc;

/** insertMany runs no save hook: the copy sets the search words itself, or copied messages could not be found. */
export const fromCopiedMessage: From<'messages', MessageDoc> = (m) => ({ ...fromMessage(m), searchText: searchableWords(m.text) });

export const fromSmsCorrection: From<'smsCorrections', SmsCorrectionDoc> = (c) => ({
  _id: `${c.messageId}:${c.textRev}`,
  messageId: c.messageId,
  textRev: c.textRev,
  createdAt: c.createdAt,
});

export const fromAcknowledgement: From<'acknowledgements', AcknowledgementDoc> = (a) => ({
  _id: `${a.messageId}:${a.employeeId}`,
  messageId: a.messageId,
  employeeId: a.employeeId,
  at: a.at,
});

export const fromAckReminder: From<'ackReminders', AckReminderDoc> = (r) => ({
  _id: `${r.messageId}:${r.employeeId}`,
  messageId: r.messageId,
  employeeId: r.employeeId,
  conversationId: r.conversationId,
  nextAt: r.nextAt,
  untilAt: r.untilAt,
  lockedUntil: r.lockedUntil,
});

export const fromAttachment: From<'attachments', AttachmentDoc> = ({ id, ...rest }) => ({ _id: id, ...rest });

export const fromSmsTemplate: From<'smsTemplates', SmsTemplateDoc> = (t) => ({
  _id: t.id,
  name: t.name,
  nameKey: templateNameKey(t.name),
  text: t.text,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

/** The token's hash is copied as it is: every integration's token keeps working after the move. */
export const fromIntegration: From<'integrations', IntegrationDoc> = ({ id, ...rest }) => ({ _id: id, ...rest });

export const fromApiNotification: From<'apiNotifications', ApiNotificationDoc> = ({ id, ...rest }) => ({ _id: id, ...rest });

export const fromBulkJob: From<'bulkJobs', BulkJobDoc> = ({ id, ...rest }) => ({ _id: id, ...rest });

export const fromInboundSms: From<'inboundSms', InboundSmsDoc> = ({ gatewayId, ...rest }) => ({ _id: gatewayId, ...rest });

export const fromAdminAlert: From<'adminAlerts', AdminAlertDoc> = ({ id, ...rest }) => ({ _id: id, ...rest });

export const fromAlertState: From<'alertStates', AlertStateDoc> = (s) => ({ _id: s.kind, raised: s.raised });
