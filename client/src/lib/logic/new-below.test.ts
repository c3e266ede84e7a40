import { describe, expect, it } from 'vitest';
import { message } from '../managers/testing/fixtures.js';
import { countNewBelow } from './new-below.js';

describe('countNewBelow', () => {
  const list = [1, 2, 3, 4, 5].map((seq) => message('c', seq, seq === 4 ? 'me' : 'anna'));

  it('counts others’ messages after the one that was newest when the reader scrolled up', () => {
    expect(countNewBelow(list, 2, 'me')).toBe(2); // 3 and 5; 4 is mine
    expect(countNewBelow(list, 5, 'me')).toBe(0);
  });

  it('counts nothing while the reader is at the bottom', () => {
    expect(countNewBelow(list, null, 'me')).toBe(0);
  });
});
