import { request } from '../socket.js';
import { notifications } from '../state/notifications.svelte.js';
import { reportError } from './report-error.js';

export async function markAllNotificationsRead(): Promise<void> {
  try {
    await request('notification:read', { all: true });
    notifications.markRead('all');
  } catch (error) {
    reportError(error, 'mark notifications read');
  }
}

/** Following a notice's link reads it (every notice of that message); failing to report that is not worth bothering the user. */
export function markNotificationsRead(ids: string[]): void {
  notifications.markRead(ids);
  request('notification:read', { ids: ids.slice(0, 500) }).catch((error: unknown) => console.warn('[depesza] notification read:', error));
}
