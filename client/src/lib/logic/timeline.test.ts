import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../shared/schemas/index.js';
import { buildTimeline, TimelineBuilder } from './timeline.js';
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

describe('TimelineBuilder', () => {
  const at = (minute: number) => new Date(Date.UTC(2024, 2, 1, 20, 0) + minute * 60_000).toISOString();
  const entry = (clientId: string, minute: number) => ({
    clientId,
    conversationId: 'c',
    text: 't',
    notifySms: false,
    createdAt: at(minute),
    state: 'sending' as const,
    error: null,
  });

  /** A history that changes the way the list sees it: sends, acks, live messages, edits, older pages, a marker. */
  function* steps(): Generator<{ messages: Message[]; pending: ReturnType<typeof entry>[]; unread: number | null; what: string }> {
    let messages = Array.from({ length: 40 }, (_, i) => msg(i + 60, i % 7 < 3 ? 'me' : 'anna', at((i + 60) * 3)));
    let pending: ReturnType<typeof entry>[] = [];
    let unread: number | null = 80;
    yield { messages, pending, unread, what: 'opened' };
    pending = [...pending, entry('o1', 400)];
    yield { messages, pending, unread, what: 'sending' };
    messages = [...messages, msg(100, 'me', at(400), 'o1')];
    yield { messages, pending, unread, what: 'stored before the outbox entry went' };
    pending = [];
    yield { messages, pending, unread, what: 'acked' };
    messages = [...messages, msg(101, 'anna', at(401)), msg(102, 'anna', at(2000))];
    yield { messages, pending, unread, what: 'live messages, one the next day' };
    messages = messages.map((m) => (m.seq === 70 ? { ...m, text: 'edited' } : m));
    yield { messages, pending, unread, what: 'an edit in the middle' };
    messages = [...Array.from({ length: 30 }, (_, i) => msg(i + 30, i % 4 ? 'anna' : 'me', at((i + 30) * 3))), ...messages];
    yield { messages, pending, unread, what: 'an older page' };
    messages = messages.filter((m) => m.seq !== 101);
    yield { messages, pending, unread, what: 'a message gone from the window' };
    unread = 40;
    yield { messages, pending, unread, what: 'the marker moved' };
    pending = [entry('o2', 2001), entry('o3', 3500)];
    yield { messages, pending, unread, what: 'two sending, across midnight' };
    messages = messages.slice(10, 20);
    yield { messages, pending, unread, what: 'the window replaced' };
    pending = [entry('o1', 400)];
    yield { messages, pending, unread, what: 'an entry whose stored copy left the window' };
  }

  it('gives what building from nothing gives, after every kind of change', () => {
    const builder = new TimelineBuilder();
    for (const step of steps()) {
      expect(builder.build(step.messages, step.pending, 'me', step.unread), step.what).toEqual(
        buildTimeline(step.messages, step.pending, 'me', step.unread),
      );
    }
  });

  it('hands back the same item objects for what did not change, so the list leaves those rows alone', () => {
    const builder = new TimelineBuilder();
    const messages = Array.from({ length: 30 }, (_, i) => msg(i + 1, i % 2 ? 'me' : 'anna', at(i)));
    const before = builder.build(messages, [], 'me', null);
    const pending = [entry('x', 31)];
    const sending = builder.build(messages, pending, 'me', null);
    expect(sending.slice(0, before.length)).toEqual(before);
    sending.slice(0, before.length).forEach((item, i) => expect(item).toBe(before[i]));
    const edited = messages.map((m) => (m.seq === 10 ? { ...m, text: 'edited' } : m));
    const after = builder.build(edited, pending, 'me', null);
    const changed = after.filter((item, i) => item !== sending[i]).map((item) => item.key);
    expect(changed).toEqual(['m-m10']);
  });
});
