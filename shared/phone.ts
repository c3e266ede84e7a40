/**
 * Mobile numbers, read the same way on both sides: the server decides with this whether an SMS can go out, the
 * Directory and Profile pages tell the user as they type. Kept as typed; valid mobile numbers also get E.164.
 * Parsing never throws: the SMS rules need "no number", "invalid number" and "private" told apart.
 * (libphonenumber-js/max is large: the client loads this module only with the pages that edit numbers.)
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface ParsedMobile {
  raw: string | null;
  e164: string | null;
}

function parse(raw: string) {
  const parsed = parsePhoneNumberFromString(raw, 'PL');
  if (!parsed || !parsed.isValid()) return null;
  const type = parsed.getType();
  // Polish numbers are often typed without a type the metadata can be sure of; accept "fixed or mobile" too.
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? parsed : null;
}

export function parseMobile(input: string | null | undefined): ParsedMobile {
  const raw = input?.trim() ? input.trim() : null;
  if (raw === null) return { raw: null, e164: null };
  return { raw, e164: parse(raw)?.number ?? null };
}

/** The one way numbers are shown: "+48 512 345 678"; what is not a valid mobile number stays as typed. */
export function formatMobile(input: string | null | undefined): string {
  const raw = input?.trim() ?? '';
  return (raw && parse(raw)?.formatInternational()) || raw;
}

/** What a number field says while the user types: nothing yet, fine, or not a mobile number an SMS can reach. */
export function checkMobileInput(input: string): 'empty' | 'ok' | 'invalid' {
  const { raw, e164 } = parseMobile(input);
  if (raw === null) return 'empty';
  return e164 ? 'ok' : 'invalid';
}
