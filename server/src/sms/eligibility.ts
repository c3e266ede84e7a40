/**
 * May this recipient get this message as an SMS? The rules listed in the README (SMS through SMSAPI), in their
 * order: the first that applies decides, so the sender is always told the most basic reason (no point mentioning
 * limits for a missing number).
 * Pure: the caller looks up the counts and passes plain values.
 */
import type { Employee } from '../domain/entities.js';
import type { SmsReason } from '../../../shared/schemas/index.js';
import { countSmsParts } from './parts.js';

/** Which rule refused; the same codes the sender's client words (shared/schemas/sms-reason.ts). */
export type SmsIneligibleCode =
  | 'not_configured'
  | 'no_mobile'
  | 'mobile_private'
  | 'mobile_invalid'
  | 'sender_hour_limit'
  | 'sender_day_limit'
  | 'recipient_limit'
  | 'monthly_limit'
  | 'too_long';

/** A refusal before sending; never carries a digit of the number. */
export type SmsIneligibleReason = Extract<SmsReason, { code: SmsIneligibleCode }>;

export interface SmsEligibilityInput {
  smsConfigured: boolean;
  recipient: Pick<Employee, 'mobileRaw' | 'mobileE164' | 'mobilePrivate'>;
  /** SMS that went (or are going) to the gateway within each window, not counting this one. */
  counts: { senderLastHour: number; senderLastDay: number; recipientWindow: number; month?: number };
  /** A limit is reached when the count equals it: the new SMS would be one too many. `monthly` 0: none. */
  limits: { senderPerHour: number; senderPerDay: number; recipientPerWindow: number; recipientWindowMinutes: number; monthly?: number };
  text: string;
  maxParts: number;
  normalize: boolean;
}

export type SmsEligibility =
  /** `toE164` is `+` and digits, as E.164 writes it. */
  | { ok: true; parts: number; toE164: string }
  | { ok: false; reason: SmsIneligibleReason };

// E.164: a country code that never starts with 0, at most 15 digits in all.
const E164 = /^\+?([1-9]\d{6,14})$/;

export function checkSmsEligibility(input: SmsEligibilityInput): SmsEligibility {
  const { recipient, counts, limits } = input;
  const refuse = (reason: SmsIneligibleReason): SmsEligibility => ({ ok: false, reason });

  if (!input.smsConfigured) return refuse({ code: 'not_configured' });

  const hasNumber = (recipient.mobileRaw ?? '').trim() !== '' || (recipient.mobileE164 ?? '').trim() !== '';
  if (!hasNumber) return refuse({ code: 'no_mobile' });

  if (recipient.mobilePrivate) return refuse({ code: 'mobile_private' });

  // The directory only fills mobileE164 for a number that parsed as a mobile; the pattern guards against rows
  // written by hand or by an older import.
  const e164Digits = E164.exec(recipient.mobileE164?.trim() ?? '')?.[1];
  if (e164Digits === undefined) return refuse({ code: 'mobile_invalid' });

  if (counts.senderLastHour >= limits.senderPerHour) {
    return refuse({ code: 'sender_hour_limit', limit: limits.senderPerHour });
  }
  if (counts.senderLastDay >= limits.senderPerDay) {
    return refuse({ code: 'sender_day_limit', limit: limits.senderPerDay });
  }
  if (counts.recipientWindow >= limits.recipientPerWindow) {
    return refuse({ code: 'recipient_limit', limit: limits.recipientPerWindow, windowMinutes: limits.recipientWindowMinutes });
  }

  if (limits.monthly && (counts.month ?? 0) >= limits.monthly) return refuse({ code: 'monthly_limit', limit: limits.monthly });

  const { parts } = countSmsParts(input.text, { normalize: input.normalize });
  if (parts > input.maxParts) return refuse({ code: 'too_long', parts, maxParts: input.maxParts });

  return { ok: true, parts, toE164: `+${e164Digits}` };
}
