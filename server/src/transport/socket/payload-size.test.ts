import { describe, expect, it } from 'vitest';
import { checkPayload } from './payload-size.js';

describe('checkPayload', () => {
  it('measures what JSON.stringify would, within a few characters', () => {
    const samples: unknown[] = [
      {},
      { conversationId: 'abc', clientId: '5b2c', text: 'zażółć "gęślą" \\ jaźń\n\t\u0001\v' },
      { ids: ['a', 'b', 'c'], n: 12.5, flag: true, none: null },
      [1, [2, [3, []]]],
    ];
    for (const sample of samples) {
      const exact = JSON.stringify(sample).length;
      expect(checkPayload(sample, exact)).toBe('ok');
      expect(checkPayload(sample, exact - 1)).toBe('too-large');
    }
  });

  it('stops at the depth limit without recursing, however deep the value', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 500_000; i += 1) deep = [deep];
    expect(checkPayload(deep, 10_000_000)).toBe('too-deep');
    expect(checkPayload({ a: { b: { c: 1 } } }, 1000, 3)).toBe('ok');
    expect(checkPayload({ a: { b: { c: { d: 1 } } } }, 1000, 3)).toBe('too-deep');
  });

  it('counts binary attachments by their bytes', () => {
    expect(checkPayload({ file: Buffer.alloc(70_000) }, 64 * 1024)).toBe('too-large');
  });
});
