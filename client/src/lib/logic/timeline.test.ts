import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../shared/schemas/index.js';
import { buildTimeline } from './timeline.js';
import { receiptFor } from './receipts.js';
import { unchanged } from '../managers/testing/fixtures.js';

const msg = (seq: number, senderId: string, createdAt: string, clientId = `c${seq}`): Message => ({
  id: `m${seq}`,
  conversationId: 'c',
  seq,
  senderId,
  clientId,
  text: 't',
  createdAt,
  notifySms: false,
  rev: seq,
  ...unchanged(),
});

describe('buildTimeline', () => {
  it('adds day separators, the new-messages marker and pending messages, never twice', () => {
    const messages = [
      msg(1, 'me', '2024-03-01T10:00:00'),
      msg(2, 'anna', '2024-03-02T10:00:00'),
      msg(3, 'anna', '2024-03-02T11:00:00', 'x'),
      msg(4, 'me', '2024-03-02T12:00:00', 'acked'),
    ];
    const pending = [
      { clientId: 'acked', conversationId: 'c', text: 't', notifySms: false, createdAt: '2024-03-02T12:00:00', state: 'sending' as const, error: null },
      { clientId: 'new', conversationId: 'c', text: 't', notifySms: false, createdAt: '2024-03-02T12:01:00', state: 'sending' as const, error: null },
    ];
    const items = buildTimeline(messages, pending, 'me', 2);
    expect(items.map((i) => i.kind)).toEqual(['day', 'message', 'day', 'marker', 'message', 'message', 'message', 'outbox']);
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
  });
});

describe('receiptFor', () => {
  const members = [
    { employeeId: 'me', name: 'Me', deliveredSeq: 9, readSeq: 9 },
    { employeeId: 'a', name: 'A', deliveredSeq: 5, readSeq: 3 },
    { employeeId: 'b', name: 'B', deliveredSeq: 5, readSeq: 5 },
  ];
  it('says sent / delivered / read in a direct conversation', () => {
    const direct = members.slice(0, 2);
    expect(receiptFor(3, 'direct', direct, 'me')).toEqual({ kind: 'direct', state: 'read' });
    expect(receiptFor(4, 'direct', direct, 'me')).toEqual({ kind: 'direct', state: 'delivered' });
    expect(receiptFor(6, 'direct', direct, 'me')).toEqual({ kind: 'direct', state: 'sent' });
  });
  it('counts readers in a group, without the sender', () => {
    expect(receiptFor(4, 'group', members, 'me')).toEqual({ kind: 'group', read: 1, total: 2 });
  });
});

describe('buildTimeline grouping', () => {
  const grouped = (messages: Message[]) =>
    buildTimeline(messages, [], 'me', null).flatMap((item) => (item.kind === 'message' ? [item.grouped] : []));

  it('groups one sender’s messages within 5 minutes under the first one’s header', () => {
    expect(
      grouped([
        msg(1, 'anna', '2025-01-01T10:00:00.000Z'),
        msg(2, 'anna', '2025-01-01T10:04:59.000Z'),
        msg(3, 'anna', '2025-01-01T10:09:59.000Z'), // 5 min after the previous one: still grouped
        msg(4, 'anna', '2025-01-01T10:15:00.000Z'), // more than 5 minutes later
        msg(5, 'bartek', '2025-01-01T10:15:10.000Z'),
        msg(6, 'anna', '2025-01-01T10:15:20.000Z'),
      ]),
    ).toEqual([false, true, true, false, false, false]);
  });

  it('starts a new group after a day separator or the new-messages marker', () => {
    expect(grouped([msg(1, 'anna', '2025-01-01T23:58:00.000Z'), msg(2, 'anna', '2025-01-02T00:01:00.000Z')]).at(1)).toBe(
      new Date('2025-01-01T23:58:00.000Z').getDate() === new Date('2025-01-02T00:01:00.000Z').getDate(),
    );
    const items = buildTimeline([msg(1, 'anna', '2025-01-01T10:00:00.000Z'), msg(2, 'anna', '2025-01-01T10:01:00.000Z')], [], 'me', 2);
    expect(items.map((i) => i.kind)).toEqual(['day', 'message', 'marker', 'message']);
    expect(items.flatMap((i) => (i.kind === 'message' ? [i.grouped] : []))).toEqual([false, false]);
  });
});
