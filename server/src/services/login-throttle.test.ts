import { describe, expect, it } from 'vitest';
import { loginKey } from './login-throttle.js';

describe('loginKey', () => {
  it('folds the variants a case- and width-insensitive collation finds as one login into one key', () => {
    // MongoDB's collation (strength 2) finds "anna" for each of these, so each must share anna's budget.
    for (const variant of ['anna', 'ANNA', 'an\u00ADna', 'an\u200Bna', '\u2060anna\uFEFF', 'ａｎｎａ', 'ＡＮＮＡ']) {
      expect(loginKey(variant)).toBe('anna');
    }
  });

  it('keeps different logins apart', () => {
    expect(loginKey('anna')).not.toBe(loginKey('ann'));
    expect(loginKey('anna.k')).not.toBe(loginKey('anna-k'));
  });
});
