/** The Notifications panel: stored system notices (SMS outcomes) and the unread count. */
import type { Notification } from '../../../../shared/schemas/index.js';

class NotificationsState {
  items = $state.raw<Notification[]>([]);
  unread = $state(0);
  loaded = $state(false);

  set(items: Notification[], unread: number): void {
    this.items = [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    this.unread = unread;
    this.loaded = true;
  }

  /** Returns false when it was already known (the same notice can come from the list and the live event). */
  add(notification: Notification): boolean {
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
