/**
 * The Notifications page groups SMS outcomes the way the sender thinks of them: one entry per urgent message,
 * holding each recipient's latest state; the badge counts the messages that need attention, not state changes.
 */
import type { AnyNotification, LegacyNotification, SmsOutcomeNotification } from '../contract.js';
import { byRecipientName, isFailedOutcome } from './words.js';

export interface NotificationGroup {
  /** The message id, or the notification's own id when it belongs to no message. */
  key: string;
  messageId: string | null;
  conversationId: string | null;
  latestAt: string;
  /** Every notification id in the group, for marking it read. */
  ids: string[];
  unread: boolean;
  /** One per recipient, their latest state. */
  outcomes: SmsOutcomeNotification[];
  /** Sentences from a server before issue 10, newest first. */
  legacy: LegacyNotification[];
  /** A recipient's SMS ended without delivery (or, for old sentences, something is unread). */
  needsAttention: boolean;
}

export function groupNotifications(items: readonly AnyNotification[]): NotificationGroup[] {
  const groups = new Map<string, NotificationGroup>();
  const newestFirst = [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const item of newestFirst) {
    const key = item.messageId ?? item.id;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        messageId: item.messageId,
        conversationId: item.conversationId,
        latestAt: item.createdAt,
        ids: [],
        unread: false,
        outcomes: [],
        legacy: [],
        needsAttention: false,
      };
      groups.set(key, group);
    }
    group.ids.push(item.id);
    if (!item.read) group.unread = true;
    if (item.kind === 'sms') group.legacy.push(item);
    else if (!group.outcomes.some((o) => o.recipientId === item.recipientId)) group.outcomes.push(item);
  }
  for (const group of groups.values()) {
    group.outcomes.sort(byRecipientName());
    group.needsAttention = group.outcomes.some((o) => isFailedOutcome(o)) || (group.outcomes.length === 0 && group.legacy.length > 0);
  }
  return [...groups.values()];
}

/** What the badge shows: urgent messages with an unread failure. */
export function attentionCount(groups: readonly NotificationGroup[]): number {
  return groups.filter((group) => group.unread && group.needsAttention).length;
}
