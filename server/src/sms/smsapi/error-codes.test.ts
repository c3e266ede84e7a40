import { describe, expect, it } from 'vitest';
import { SMSAPI_RATE_LIMIT_RETRY_MS, classifySmsapiError, isKnownSmsapiError } from './error-codes.js';

describe('classifySmsapiError', () => {
  it('treats gateway-side failures as transient with the default backoff', () => {
    for (const code of [8, 200, 201, 202, 666, 999]) {
      const result = classifySmsapiError(code);
      expect(result).toEqual({ kind: 'transient', reason: 'SMSAPI is temporarily unavailable' });
    }
  });

  it('waits longer after the per-number rate limit (52)', () => {
    const result = classifySmsapiError(52);
    expect(result).toMatchObject({ kind: 'transient', retryAfterMs: SMSAPI_RATE_LIMIT_RETRY_MS });
    expect(SMSAPI_RATE_LIMIT_RETRY_MS).toBeGreaterThanOrEqual(60_000);
  });

  it('reads 53 as "already accepted"', () => {
    expect(classifySmsapiError(53)).toEqual({ kind: 'duplicate' });
  });

  it.each([
    [11, 'message empty or too long'],
    [12, 'message empty or too long'],
    [13, 'invalid or blacklisted number'],
    [14, 'sender name not valid'],
    [57, 'the recipient has blocked or opted out of SMS'],
    [59, 'the recipient has blocked or opted out of SMS'],
    [101, 'bad SMSAPI token or credentials'],
    [102, 'bad SMSAPI token or credentials'],
    [103, 'not enough credit'],
    [105, 'bad SMSAPI token or credentials'],
    [110, 'SMS service not enabled on the account'],
    [401, 'bad SMSAPI token or credentials'],
  ])('gives error %i the permanent reason "%s"', (code, reason) => {
    expect(classifySmsapiError(code)).toEqual({ kind: 'permanent', reason });
    expect(isKnownSmsapiError(code)).toBe(true);
  });

  it('refuses unknown codes permanently without naming the code', () => {
    expect(classifySmsapiError(12345)).toEqual({ kind: 'permanent', reason: 'SMSAPI refused the message' });
    expect(isKnownSmsapiError(12345)).toBe(false);
  });

  it('never puts a digit in any reason', () => {
    for (let code = 0; code <= 1000; code++) {
      const result = classifySmsapiError(code);
      if (result.kind !== 'duplicate') expect(result.reason).not.toMatch(/\d/);
    }
  });
});
