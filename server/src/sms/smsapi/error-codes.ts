/**
 * What an SMSAPI error code means for a dispatch: retry it, treat it as already accepted, or give up and tell the
 * sender why. Reasons are our own words: SMSAPI's `message` (and error 13's `invalid_numbers`) can echo the phone
 * number, so none of it is ever passed on.
 */

export type SmsapiErrorClass =
  | { kind: 'transient'; reason: string; retryAfterMs?: number }
  | { kind: 'duplicate' }
  | { kind: 'permanent'; reason: string };

export const SMSAPI_REASON_UNAVAILABLE = 'SMSAPI is temporarily unavailable';
export const SMSAPI_REASON_RATE_LIMITED = 'SMSAPI is limiting how often this number can be texted';
export const SMSAPI_REASON_INVALID_NUMBER = 'invalid or blacklisted number';
export const SMSAPI_REASON_OPTED_OUT = 'the recipient has blocked or opted out of SMS';
export const SMSAPI_REASON_NO_CREDIT = 'not enough credit';
export const SMSAPI_REASON_BAD_CREDENTIALS = 'bad SMSAPI token or credentials';
export const SMSAPI_REASON_BAD_SENDER = 'sender name not valid';
export const SMSAPI_REASON_NOT_ENABLED = 'SMS service not enabled on the account';
export const SMSAPI_REASON_BAD_MESSAGE = 'message empty or too long';
export const SMSAPI_REASON_UNKNOWN = 'SMSAPI refused the message';

/** SMSAPI refuses an 11th send to one number within 60 s; retrying sooner would only be refused again. */
export const SMSAPI_RATE_LIMIT_RETRY_MS = 60_000;

const TRANSIENT_CODES = new Set([8, 200, 201, 202, 666, 999]);

const PERMANENT_REASONS = new Map<number, string>([
  [11, SMSAPI_REASON_BAD_MESSAGE],
  [12, SMSAPI_REASON_BAD_MESSAGE],
  [13, SMSAPI_REASON_INVALID_NUMBER],
  [14, SMSAPI_REASON_BAD_SENDER],
  [57, SMSAPI_REASON_OPTED_OUT],
  [59, SMSAPI_REASON_OPTED_OUT],
  [101, SMSAPI_REASON_BAD_CREDENTIALS],
  [102, SMSAPI_REASON_BAD_CREDENTIALS],
  [103, SMSAPI_REASON_NO_CREDIT],
  [105, SMSAPI_REASON_BAD_CREDENTIALS],
  [110, SMSAPI_REASON_NOT_ENABLED],
  [401, SMSAPI_REASON_BAD_CREDENTIALS],
]);

/** Codes this module knows; anything else is refused as permanent, since retrying an unknown refusal rarely helps. */
export function isKnownSmsapiError(code: number): boolean {
  return code === 52 || code === 53 || TRANSIENT_CODES.has(code) || PERMANENT_REASONS.has(code);
}

export function classifySmsapiError(code: number): SmsapiErrorClass {
  if (code === 53) return { kind: 'duplicate' };
  if (code === 52) {
    return { kind: 'transient', reason: SMSAPI_REASON_RATE_LIMITED, retryAfterMs: SMSAPI_RATE_LIMIT_RETRY_MS };
  }
  if (TRANSIENT_CODES.has(code)) return { kind: 'transient', reason: SMSAPI_REASON_UNAVAILABLE };
  return { kind: 'permanent', reason: PERMANENT_REASONS.get(code) ?? SMSAPI_REASON_UNKNOWN };
}
