import { describe, expect, it } from 'vitest';
import type { AnyNotification, SmsOutcomeNotification } from '../contract.js';
import { attentionCount, groupNotifications } from './notification-groups.js';

let n = 0;
function outcome(messageId: string, recipient: string, status: SmsOutcomeNotification['status'], read = false): SmsOutcomeNotification {
  n += 1;
  return {
    id: `n${n}`,
    kind: 'sms_outcome',
    messageId,
    conversationId: 'c1',
    recipientId: recipient,
    recipientName: recipient,
    status,
    reason: status === 'not_sent' ? { code: 'mobile_private' } : null,
    createdAt: new Date(n * 1000).toISOString(),
    read,
  };
}

describe('notification groups', () => {
  it('lists a recipient no longer in the directory (no name) after the named ones', () => {
    const gone: SmsOutcomeNotification = { ...outcome('m1', 'gone', 'not_sent'), recipientName: null };
    const groups = groupNotifications([outcome('m1', 'celina', 'sent'), gone, outcome('m1', 'bartek', 'sent')]);
    expect(groups[0]?.outcomes.map((o) => o.recipientId)).toEqual(['bartek', 'celina', 'gone']);
  });

  it('makes one entry per urgent message with the latest state of each recipient', () => {
    const items: AnyNotification[] = [
      outcome('m1', 'bartek', 'sent'),
      outcome('m1', 'celina', 'not_sent'),
      outcome('m1', 'bartek', 'delivered'),
      outcome('m2', 'darek', 'sent'),
      outcome('m2', 'darek', 'delivered'),
    ];
    const groups = groupNotifications(items);
    expect(groups.map((g) => g.key)).toEqual(['m2', 'm1']);
    expect(groups[1]?.outcomes.map((o) => [o.recipientId, o.status])).toEqual([
      ['bartek', 'delivered'],
      ['celina', 'not_sent'],
    ]);
    expect(groups[1]?.ids).toHaveLength(3);
    // Ten state changes for two messages: the badge counts the one message with a failure.
    expect(attentionCount(groups)).toBe(1);
  });

  it('counts nothing once the failure is read, and nothing for a message that was only delivered', () => {
    const groups = groupNotifications([outcome('m1', 'celina', 'not_sent', true), outcome('m2', 'bartek', 'delivered')]);
    expect(attentionCount(groups)).toBe(0);
  });

  it('keeps sentences from a server before issue 10, one group per message', () => {
    const legacy: AnyNotification[] = [
      { id: 'a', kind: 'sms', text: 'SMS to Bartek Nowak sent', messageId: 'm1', conversationId: 'c1', createdAt: '2026-01-01T10:00:00Z', read: false },
      { id: 'b', kind: 'sms', text: 'SMS to Bartek Nowak delivered', messageId: 'm1', conversationId: 'c1', createdAt: '2026-01-01T10:01:00Z', read: false },
    ];
    const groups = groupNotifications(legacy);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.legacy.map((l) => l.id)).toEqual(['b', 'a']);
    expect(attentionCount(groups)).toBe(1);
  });
});
