/**
 * What an SMSAPI error code means for a dispatch: retry it, treat it as already accepted, or give up and tell the
 * sender why (a refusal code, worded by the client). SMSAPI's `message` (and error 13's `invalid_numbers`) can echo
 * the phone number, so none of it is ever passed on.
 */

import type { GatewayRefusal } from '../../../../shared/schemas/index.js';
import type { SmsSendResult } from '../../ports/sms-gateway.js';

export type SmsapiErrorClass = Extract<SmsSendResult, { kind: 'transient' | 'duplicate' | 'permanent' }>;

/** SMSAPI refuses an 11th send to one number within 60 s; retrying sooner would only be refused again. */
export const SMSAPI_RATE_LIMIT_RETRY_MS = 60_000;

const TRANSIENT_CODES = new Set([8, 200, 201, 202, 666, 999]);

const REFUSALS = new Map<number, GatewayRefusal>([
  [11, 'bad_message'],
  [12, 'bad_message'],
  [13, 'invalid_number'],
  [14, 'bad_sender'],
  [57, 'opted_out'],
  [59, 'opted_out'],
  [101, 'bad_credentials'],
  [102, 'bad_credentials'],
  [103, 'no_credit'],
  [105, 'bad_credentials'],
  [110, 'not_enabled'],
  [401, 'bad_credentials'],
]);

/** Codes this module knows; anything else is refused as permanent, since retrying an unknown refusal rarely helps. */
export function isKnownSmsapiError(code: number): boolean {
  return code === 52 || code === 53 || TRANSIENT_CODES.has(code) || REFUSALS.has(code);
}

export function classifySmsapiError(code: number): SmsapiErrorClass {
  if (code === 53) return { kind: 'duplicate' };
  if (code === 52) return { kind: 'transient', rateLimited: true, retryAfterMs: SMSAPI_RATE_LIMIT_RETRY_MS };
  if (TRANSIENT_CODES.has(code)) return { kind: 'transient' };
  return { kind: 'permanent', reason: { code: 'gateway_refused', gatewayCode: code, refusal: REFUSALS.get(code) ?? 'other' } };
}
