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

  it.each([
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
  ])('refuses error %i for good as "%s", keeping the code', (gatewayCode, refusal) => {
    expect(classifySmsapiError(gatewayCode)).toEqual({ kind: 'permanent', reason: { code: 'gateway_refused', gatewayCode, refusal } });
    expect(isKnownSmsapiError(gatewayCode)).toBe(true);
  });

  it('refuses unknown codes permanently as "other", with the code for support', () => {
    expect(classifySmsapiError(12345)).toEqual({
      kind: 'permanent',
      reason: { code: 'gateway_refused', gatewayCode: 12345, refusal: 'other' },
    });
    expect(isKnownSmsapiError(12345)).toBe(false);
  });
});
