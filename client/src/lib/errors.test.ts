import { describe, expect, it } from 'vitest';
import { errorFromBody } from './errors.js';

describe('errorFromBody', () => {
  it('takes the wait from the flat retryAfterMs, never from the English message', () => {
    const limited = errorFromBody({ error: { code: 'TOO_MANY_ATTEMPTS', message: 'whatever words', retryAfterMs: 90_000 } }, 429);
    expect(limited.code).toBe('TOO_MANY_ATTEMPTS');
    expect(limited.details).toEqual({ retryAfterMs: 90_000 });
    const wordsOnly = errorFromBody({ error: { code: 'TOO_MANY_ATTEMPTS', message: 'try again in 12 minutes' } }, 429);
    expect(wordsOnly.details).toBeUndefined();
  });

  it('ignores a retryAfterMs that is not a non-negative number', () => {
    for (const retryAfterMs of ['90000', -1, null]) {
      expect(errorFromBody({ error: { code: 'RATE_LIMITED', message: '', retryAfterMs } }, 429).details).toBeUndefined();
    }
  });

  it('reads the flat field, rule and limit of a validation failure', () => {
    const error = errorFromBody({ error: { code: 'VALIDATION_FAILED', message: 'x', field: 'password', rule: 'minLength', limit: 8 } }, 400);
    expect(error.details).toEqual({ field: 'password', rule: 'minLength', limit: 8 });
  });
});
