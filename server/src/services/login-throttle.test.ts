import { describe, expect, it } from 'vitest';
import { addressKey, loginKey } from './login-throttle.js';

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

describe('addressKey', () => {
  it('keys IPv6 on its /64: one customer network, however many addresses it rotates through', () => {
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey('2001:0db8:0001:0002:0:0:0:1')).toBe(addressKey('2001:db8:1:2::ffff'));
    expect(addressKey('2001:DB8:1:2::1')).toBe(addressKey('2001:db8:1:2::2'));
    expect(addressKey('fe80::1%eth0')).toBe(addressKey('fe80::2'));
  });

  it('keeps different /64s apart', () => {
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::1')).not.toBe(addressKey('2001:db8::1'));
  });

  it('maps IPv4-mapped IPv6 to plain IPv4, and keeps IPv4 addresses whole', () => {
    expect(addressKey('::ffff:192.0.2.7')).toBe(addressKey('192.0.2.7'));
    expect(addressKey('::FFFF:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:c000:207')).toBe('192.0.2.7');
    expect(addressKey('192.0.2.7')).not.toBe(addressKey('192.0.2.8'));
  });
});
