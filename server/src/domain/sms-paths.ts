/**
 * Entities of the other SMS paths (issue 13): templates, integrations (other systems that notify employees) and
 * the notifications they asked for. Plain data, like entities.ts.
 */
import type { Employee } from './entities.js';

export interface SmsTemplateRecord {
  id: string;
  name: string;
  text: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Names are unique regardless of case and Unicode spelling ("Awaria" = "AWARIA", "Łączność" = "łączność"). */
export function templateNameKey(name: string): string {
  return name.normalize('NFKC').trim().toLocaleLowerCase('pl');
}

export interface Integration {
  id: string;
  name: string;
  /** The system account its messages come from (see integrationAccount). */
  employeeId: string;
  /** SHA-256 of the token; the token itself is shown once and never stored. */
  tokenHash: string;
  /** Requests per minute this integration may make. */
  perMinute: number;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/**
 * An integration speaks through a directory record of its own, so its messages sit in ordinary direct
 * conversations and the SMS rules, report and receipts need nothing new. The record can never sign in (inactive,
 * a hash no password matches) and is told apart by a login no person can have: every way a person's login is
 * written (admin form, import) allows only [A-Za-z0-9._-], never ':'.
 */
export const INTEGRATION_LOGIN_PREFIX = 'integration:';
export const UNUSABLE_PASSWORD_HASH = '!integration-account';

export function isIntegrationAccount(employee: Pick<Employee, 'login'>): boolean {
  return employee.login.startsWith(INTEGRATION_LOGIN_PREFIX);
}

export type SmsChoice = 'now' | 'never';

/** What an integration asked for, kept so that a retry (same Idempotency-Key) repeats it and sends nothing twice. */
export interface ApiNotification {
  id: string;
  integrationId: string;
  idempotencyKey: string | null;
  /** Of the request body: the same key with another body is refused instead of answered with the first. */
  requestHash: string;
  recipientIds: string[];
  /** Per recipient id, the text it gets (templates render per recipient). */
  texts: Record<string, string>;
  sms: SmsChoice;
  /** With sms 'now': the SMS goes only to whoever has not read the message after this many minutes; else null. */
  ifUnreadMinutes: number | null;
  createdAt: Date;
}
