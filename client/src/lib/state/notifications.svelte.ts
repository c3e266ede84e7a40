/** The Notifications panel: stored SMS outcomes, grouped per urgent message, and how many need attention. */
import type { AnyNotification } from '../contract.js';
import { attentionCount, groupNotifications, type NotificationGroup } from '../sms/notification-groups.js';

class NotificationsState {
  items = $state.raw<AnyNotification[]>([]);
  unread = $state(0);
  loaded = $state(false);
  readonly groups: NotificationGroup[] = $derived(groupNotifications(this.items));
  /** The badge: urgent messages with an unread failure, not every state change. */
  readonly attention: number = $derived(attentionCount(this.groups));

  set(items: AnyNotification[], unread: number): void {
    this.items = [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    this.unread = unread;
    this.loaded = true;
  }

  /** Returns false when it was already known (the same notice can come from the list and the live event). */
  add(notification: AnyNotification): boolean {
    if (this.items.some((n) => n.id === notification.id)) return false;
    this.items = [notification, ...this.items];
    if (!notification.read) this.unread += 1;
    return true;
  }

  markRead(ids: string[] | 'all'): void {
    const set = ids === 'all' ? null : new Set(ids);
    let changed = 0;
    this.items = this.items.map((n) => {
      if (n.read || (set && !set.has(n.id))) return n;
      changed += 1;
      return { ...n, read: true };
    });
    this.unread = ids === 'all' ? 0 : Math.max(0, this.unread - changed);
  }

  clear(): void {
    this.items = [];
    this.unread = 0;
    this.loaded = false;
  }
}

export const notifications = new NotificationsState();
