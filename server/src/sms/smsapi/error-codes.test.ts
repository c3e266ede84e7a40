import { describe, expect, it } from 'vitest';
import { SMSAPI_RATE_LIMIT_RETRY_MS, classifySmsapiError, isKnownSmsapiError } from './error-codes.js';

describe('classifySmsapiError', () => {
  it('treats gateway-side failures as transient with the default backoff', () => {
    for (const code of [8, 200, 201, 202, 666, 999]) {
      expect(classifySmsapiError(code)).toEqual({ kind: 'transient' });
    }
  });

  it('waits longer after the per-number rate limit (52), and says it is a limit', () => {
    const result = classifySmsapiError(52);
    expect(result).toEqual({ kind: 'transient', rateLimited: true, retryAfterMs: SMSAPI_RATE_LIMIT_RETRY_MS });
    expect(SMSAPI_RATE_LIMIT_RETRY_MS).toBeGreaterThanOrEqual(60_000);
  });

  it('reads 53 as "already accepted"', () => {
    expect(classifySmsapiError(53)).toEqual({ kind: 'duplicate' });
  });

  // SMSAPI's documented error codes, grouped by what they mean for the sender.
  const refusals = {
    bad_message: [11, 12],
    invalid_number: [13],
    bad_sender: [14],
    opted_out: [57, 59],
    bad_credentials: [101, 102, 105, 401],
    no_credit: [103],
    not_enabled: [110],
  } as const;
  it.each(Object.entries(refusals).flatMap(([refusal, codes]) => codes.map((code) => [code, refusal] as const)))(
    'refuses error %i for good as "%s", keeping the code',
    (gatewayCode, refusal) => {
      expect(classifySmsapiError(gatewayCode)).toEqual({ kind: 'permanent', reason: { code: 'gateway_refused', gatewayCode, refusal } });
      expect(isKnownSmsapiError(gatewayCode)).toBe(true);
    },
  );

  it('refuses unknown codes permanently as "other", with the code for support', () => {
    expect(classifySmsapiError(12345)).toEqual({
      kind: 'permanent',
      reason: { code: 'gateway_refused', gatewayCode: 12345, refusal: 'other' },
    });
    expect(isKnownSmsapiError(12345)).toBe(false);
  });
});
