/**
 * Directory mobile numbers: kept as typed, and parsed into E.164 when they are a valid mobile number. The SMS
 * rules need to tell "no number", "invalid number" and "private" apart, so parsing never throws.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { MobileStatus } from '../../../shared/schemas/index.js';

export interface ParsedMobile {
  raw: string | null;
  e164: string | null;
}

export function parseMobile(input: string | null | undefined): ParsedMobile {
  const raw = input?.trim() ? input.trim() : null;
  if (raw === null) return { raw: null, e164: null };
  const parsed = parsePhoneNumberFromString(raw, 'PL');
  if (!parsed || !parsed.isValid()) return { raw, e164: null };
  const type = parsed.getType();
  // Polish numbers are often typed without a type the metadata can be sure of; accept "fixed or mobile" too.
  const mobile = type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
  return { raw, e164: mobile ? parsed.number : null };
}

export function mobileStatus(employee: { mobileRaw: string | null; mobileE164: string | null; mobilePrivate: boolean }): MobileStatus {
  if (employee.mobileRaw === null) return 'missing';
  if (employee.mobilePrivate) return 'private';
  if (employee.mobileE164 === null) return 'invalid';
  return 'ok';
}
