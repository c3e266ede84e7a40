/**
 * May this recipient get this message as an SMS? The rules of issue 4, in their order: the first that applies
 * decides, so the sender is always told the most basic reason (no point mentioning limits for a missing number).
 * Pure: the caller looks up the counts and passes plain values.
 */
import type { Employee } from '../domain/entities.js';
import { countSmsParts } from './parts.js';

/** Reasons shown to the sender. None of them may ever contain digits of the recipient's number. */
export const SMS_NOT_CONFIGURED = 'SMS sending is not configured';
export const SMS_NO_MOBILE = 'no mobile number in the directory';
export const SMS_MOBILE_PRIVATE = 'the mobile number is marked private';
export const SMS_MOBILE_INVALID = 'the mobile number in the directory is invalid';

export const smsSenderHourLimitReason = (limit: number) => `sender limit reached (${limit} SMS per hour)`;
export const smsSenderDayLimitReason = (limit: number) => `sender limit reached (${limit} SMS per day)`;
export const smsRecipientLimitReason = (limit: number, windowMinutes: number) =>
  `recipient limit reached (${limit} SMS per ${windowMinutes === 1 ? 'minute' : `${windowMinutes} minutes`})`;
export const smsTooLongReason = (parts: number, maxParts: number) =>
  `too long for SMS (${parts} parts, limit ${maxParts})`;

/** Which rule refused, for callers that need more than the words (e.g. the composer's preview). */
export type SmsIneligibleCode =
  | 'not_configured'
  | 'no_mobile'
  | 'mobile_private'
  | 'mobile_invalid'
  | 'sender_hour_limit'
  | 'sender_day_limit'
  | 'recipient_limit'
  | 'too_long';

export interface SmsEligibilityInput {
  smsConfigured: boolean;
  recipient: Pick<Employee, 'mobileRaw' | 'mobileE164' | 'mobilePrivate'>;
  /** SMS that went (or are going) to the gateway within each window, not counting this one. */
  counts: { senderLastHour: number; senderLastDay: number; recipientWindow: number };
  /** A limit is reached when the count equals it: the new SMS would be one too many. */
  limits: { senderPerHour: number; senderPerDay: number; recipientPerWindow: number; recipientWindowMinutes: number };
  text: string;
  maxParts: number;
  normalize: boolean;
}

export type SmsEligibility =
  /** `toE164` is `+` and digits, as E.164 writes it. */
  | { ok: true; parts: number; toE164: string }
  | { ok: false; code: SmsIneligibleCode; reason: string };

// E.164: a country code that never starts with 0, at most 15 digits in all.
const E164 = /^\+?([1-9]\d{6,14})$/;

export function checkSmsEligibility(input: SmsEligibilityInput): SmsEligibility {
  const { recipient, counts, limits } = input;
  const refuse = (code: SmsIneligibleCode, reason: string): SmsEligibility => ({ ok: false, code, reason });

  if (!input.smsConfigured) return refuse('not_configured', SMS_NOT_CONFIGURED);

  const hasNumber = (recipient.mobileRaw ?? '').trim() !== '' || (recipient.mobileE164 ?? '').trim() !== '';
  if (!hasNumber) return refuse('no_mobile', SMS_NO_MOBILE);

  if (recipient.mobilePrivate) return refuse('mobile_private', SMS_MOBILE_PRIVATE);

  // The directory only fills mobileE164 for a number that parsed as a mobile; the pattern guards against rows
  // written by hand or by an older import.
  const e164Digits = E164.exec(recipient.mobileE164?.trim() ?? '')?.[1];
  if (e164Digits === undefined) return refuse('mobile_invalid', SMS_MOBILE_INVALID);

  if (counts.senderLastHour >= limits.senderPerHour) {
    return refuse('sender_hour_limit', smsSenderHourLimitReason(limits.senderPerHour));
  }
  if (counts.senderLastDay >= limits.senderPerDay) {
    return refuse('sender_day_limit', smsSenderDayLimitReason(limits.senderPerDay));
  }
  if (counts.recipientWindow >= limits.recipientPerWindow) {
    return refuse(
      'recipient_limit',
      smsRecipientLimitReason(limits.recipientPerWindow, limits.recipientWindowMinutes),
    );
  }

  const { parts } = countSmsParts(input.text, { normalize: input.normalize });
  if (parts > input.maxParts) return refuse('too_long', smsTooLongReason(parts, input.maxParts));

  return { ok: true, parts, toE164: `+${e164Digits}` };
}
