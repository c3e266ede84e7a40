/**
 * The wire shapes of issue 10 as the client reads them, declared here until shared/ carries them (the server change
 * lands separately; see shared/schemas/sms-reason.ts for the reason union, which is already shared). Where today's
 * server still sends the old shape (a reason sentence, a notification with `text`), the client accepts both so the
 * two halves can merge in either order; the old branches go when the server sends codes.
 */
import type { SmsReason, SmsReasonCode } from '../../../shared/schemas/sms-reason.js';
import type { SmsStatus } from '../../../shared/schemas/index.js';
import { VALIDATION_RULES, type ValidationRule } from '../../../shared/errors.js';

export type { SmsReason, SmsReasonCode, ValidationRule };
export { VALIDATION_RULES };

export type ClientSmsStatus = SmsStatus;

export const SMS_STATUSES = ['not_sent', 'queued', 'unconfirmed', 'sent', 'delivered', 'undelivered', 'failed', 'expired'] as const;
// Fails to compile when the shared union gains a status this list (and so the catalogues' test) lacks.
type MissingStatus = Exclude<ClientSmsStatus, (typeof SMS_STATUSES)[number]>;
const everyStatusListed: MissingStatus extends never ? true : MissingStatus = true;
void everyStatusListed;

/** A reason as it arrives: a code with parameters, or (from a server before issue 10) an English sentence. */
export type WireReason = SmsReason | string | null;

export interface SmsOutcomeView {
  id: string;
  recipientId: string;
  /** Null: the recipient is no longer in the directory (worded by smsTo). */
  recipientName: string | null;
  status: ClientSmsStatus;
  reason: WireReason;
  updatedAt: string;
  /** "SMS if unread": while the SMS waits, when it goes (unless read by then). */
  ifUnreadBy?: string | undefined;
}

/** A stored notification of one SMS outcome (issue 10). */
export interface SmsOutcomeNotification {
  id: string;
  kind: 'sms_outcome';
  messageId: string;
  conversationId: string;
  recipientId: string;
  /** Null: the recipient was no longer in the directory; notifications stored before that was a code have a name. */
  recipientName: string | null;
  status: ClientSmsStatus;
  reason: SmsReason | null;
  createdAt: string;
  read: boolean;
}

/** A notification from a server before issue 10: a sentence in English. */
export interface LegacyNotification {
  id: string;
  kind: 'sms';
  text: string;
  messageId: string | null;
  conversationId: string | null;
  createdAt: string;
  read: boolean;
}

export type AnyNotification = SmsOutcomeNotification | LegacyNotification;

/** VALIDATION_FAILED: which field broke which rule (and the limit, for lengths and ranges). */
export interface ValidationDetails {
  field: string;
  rule: ValidationRule;
  limit?: number;
}

/** TOO_MANY_ATTEMPTS, RATE_LIMITED, SERVICE_UNAVAILABLE: when a retry may succeed. */
export interface RetryDetails {
  retryAfterMs: number;
}

export type ErrorDetails = ValidationDetails | RetryDetails;

/**
 * Reads the optional fields of a flat ErrorBody (shared/errors.ts) defensively: anything not matching the contract
 * is dropped rather than trusted.
 */
export function readErrorDetails(value: unknown): ErrorDetails | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record['retryAfterMs'] === 'number' && Number.isFinite(record['retryAfterMs'])) {
    return record['retryAfterMs'] >= 0 ? { retryAfterMs: record['retryAfterMs'] } : undefined;
  }
  const { field, rule, limit } = record;
  if (typeof field === 'string' && (VALIDATION_RULES as readonly unknown[]).includes(rule)) {
    const details: ValidationDetails = { field, rule: rule as ValidationRule };
    if (typeof limit === 'number' && Number.isFinite(limit)) details.limit = limit;
    return details;
  }
  return undefined;
}
