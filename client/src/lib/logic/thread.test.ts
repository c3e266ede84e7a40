import { describe, expect, it } from 'vitest';
import { classifyArrival, countUnread, drainPending, highestRev, highestSeq, mergeMessages } from './thread.js';

const m = (seq: number, extra: Record<string, unknown> = {}) => ({ id: `id-${seq}`, seq, senderId: 'a', ...extra });

describe('mergeMessages', () => {
  it('sorts by seq and never keeps two copies of one message', () => {
    const merged = mergeMessages([m(1), m(3)], [m(2), m(3), m(1)]);
    expect(merged.map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(mergeMessages(merged, merged)).toHaveLength(3);
  });

  it('is idempotent whatever the order of arrival', () => {
    const a = mergeMessages(mergeMessages([], [m(5), m(4)]), [m(6), m(4)]);
    const b = mergeMessages(mergeMessages([], [m(6)]), [m(4), m(5), m(5)]);
    expect(a).toEqual(b);
  });

  it('keeps fields the newer copy lacks and takes the ones it has', () => {
    const withSms = m(1, { sms: [{ id: 'd1', status: 'queued' }] });
    const plain = { id: 'id-1', seq: 1, senderId: 'a', text: 'x' };
    const merged = mergeMessages([withSms], [plain]);
    expect(merged[0]).toMatchObject({ text: 'x', sms: [{ id: 'd1', status: 'queued' }] });
  });

  it('keeps the copy with the highest rev whichever arrives last', () => {
    const edited = m(1, { rev: 7, text: 'edited' });
    const original = m(1, { rev: 3, text: 'original', sms: [{ id: 'd1' }] });
    expect(mergeMessages([edited], [original])[0]).toMatchObject({ rev: 7, text: 'edited', sms: [{ id: 'd1' }] });
    expect(mergeMessages([original], [edited])[0]).toMatchObject({ rev: 7, text: 'edited', sms: [{ id: 'd1' }] });
    expect(highestRev([original, m(2, { rev: 5 })])).toBe(5);
  });

  it('returns the same array when there is nothing to merge', () => {
    const existing = [m(1)];
    expect(mergeMessages(existing, [])).toBe(existing);
  });
});

describe('gap detection', () => {
  it('classifies live arrivals against the last contiguous seq', () => {
    expect(classifyArrival(4, 3)).toBe('known');
    expect(classifyArrival(4, 4)).toBe('known');
    expect(classifyArrival(4, 5)).toBe('next');
    expect(classifyArrival(4, 7)).toBe('gap');
    expect(classifyArrival(0, 1)).toBe('next');
  });

  it('drains held messages only up to the next hole', () => {
    const { ready, rest, lastKnownSeq } = drainPending(4, [m(7), m(5), m(3), m(9)]);
    expect(ready.map((x) => x.seq)).toEqual([3, 5]);
    expect(rest.map((x) => x.seq)).toEqual([7, 9]);
    expect(lastKnownSeq).toBe(5);
    const after = drainPending(6, rest);
    expect(after.ready.map((x) => x.seq)).toEqual([7]);
    expect(after.rest.map((x) => x.seq)).toEqual([9]);
  });

  it('finds the highest seq and counts unread from others', () => {
    const messages = [m(1), m(2, { senderId: 'me' }), m(3), m(4)];
    expect(highestSeq(messages)).toBe(4);
    expect(highestSeq([])).toBe(0);
    expect(countUnread(messages, 1, 'me')).toBe(2);
  });
});
