import { describe, expect, it } from 'vitest';
import { checkMobileInput, formatMobile } from './phone.js';

describe('mobile numbers as the user types them', () => {
  it.each([
    ['512 345 678', 'ok'],
    ['+48 601 222 333', 'ok'],
    ['600 700 80', 'invalid'], // what the Directory used to accept silently
    ['12 34', 'invalid'],
    ['22 123 45 67', 'invalid'], // a landline: no SMS
    ['   ', 'empty'],
  ] as const)('%j is %s', (input, expected) => {
    expect(checkMobileInput(input)).toBe(expected);
  });

  it('shows every valid number in one format and leaves the rest as typed', () => {
    expect(formatMobile('512345678')).toBe('+48 512 345 678');
    expect(formatMobile('0048 512-345-678')).toBe('+48 512 345 678');
    expect(formatMobile('+447400123456')).toBe('+44 7400 123456');
    expect(formatMobile(' 12 34 ')).toBe('12 34');
    expect(formatMobile(null)).toBe('');
  });
});
