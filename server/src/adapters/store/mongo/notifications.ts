import type { NotificationRepository } from '../../../ports/store.js';
import { fromNotification, toNotification } from './docs.js';
import type { Models, NotificationDoc } from './models.js';

export function createNotificationRepository({ Notification }: Models): NotificationRepository {
  return {
    async create(notification) {
      await Notification.create(fromNotification(notification));
    },
    async list(employeeId, limit) {
      // limit(0) means "no limit" to MongoDB.
      if (limit <= 0) return [];
      const docs = await Notification.find({ employeeId })
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit)
        .lean<NotificationDoc[]>()
        .exec();
      return docs.map(toNotification);
    },
    async countUnread(employeeId) {
      return Notification.countDocuments({ employeeId, readAt: null }).exec();
    },
    async markRead(employeeId, ids, at) {
      // Only unread ones are touched, so the first time of reading is kept.
      if (ids === 'all') await Notification.updateMany({ employeeId, readAt: null }, { $set: { readAt: at } }).exec();
      else if (ids.length > 0) {
        await Notification.updateMany({ employeeId, readAt: null, _id: { $in: ids } }, { $set: { readAt: at } }).exec();
      }
    },
  };
}
