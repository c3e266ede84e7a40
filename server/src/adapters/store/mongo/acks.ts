import type { AckReminder } from '../../../domain/entities.js';
import type { AckRepository } from '../../../ports/store.js';
import type { AckReminderDoc, AcknowledgementDoc, Models } from './models.js';
import { isDuplicateKey } from './mongo-connection.js';

const toReminder = (doc: AckReminderDoc): AckReminder => ({
  messageId: doc.messageId,
  employeeId: doc.employeeId,
  conversationId: doc.conversationId,
  nextAt: doc.nextAt,
  untilAt: doc.untilAt,
  lockedUntil: doc.lockedUntil ?? null,
});

export function createAckRepository({ Acknowledgement, AckReminder }: Models): AckRepository {
  return {
    async acknowledge(messageId, employeeId, at) {
      const key = `${messageId}:${employeeId}`;
      let added = true;
      try {
        await Acknowledgement.create([{ _id: key, messageId, employeeId, at }]);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        added = false;
      }
      // After the acknowledgement is durable: a reminder claimed meanwhile finds its document gone (advanceReminder).
      await AckReminder.deleteOne({ _id: key }).exec();
      return added;
    },
    async listForMessages(messageIds) {
      if (messageIds.length === 0) return [];
      const docs = await Acknowledgement.find({ messageId: { $in: [...new Set(messageIds)] } })
        .sort({ at: 1, employeeId: 1 })
        .lean<AcknowledgementDoc[]>()
        .exec();
      return docs.map((d) => ({ messageId: d.messageId, employeeId: d.employeeId, at: d.at }));
    },
    async claimDueReminders(now, leaseUntil, limit) {
      // One findOneAndUpdate each: filter and lease are one atomic step, so each reminder goes to one claimer.
      const claimed: AckReminder[] = [];
      for (let i = 0; i < limit; i++) {
        const doc = await AckReminder.findOneAndUpdate(
          { nextAt: { $lte: now }, $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] },
          { $set: { lockedUntil: leaseUntil } },
          { sort: { nextAt: 1 }, returnDocument: 'after' },
        )
          .lean<AckReminderDoc>()
          .exec();
        if (!doc) break;
        claimed.push(toReminder(doc));
      }
      return claimed;
    },
    async advanceReminder(reminder, next) {
      const filter = { _id: `${reminder.messageId}:${reminder.employeeId}`, lockedUntil: reminder.lockedUntil };
      if (next === null) return (await AckReminder.deleteOne(filter).exec()).deletedCount === 1;
      return (await AckReminder.updateOne(filter, { $set: { nextAt: next, lockedUntil: null } }).exec()).modifiedCount === 1;
    },
    async nextReminderAt() {
      const [first] = await AckReminder.aggregate<{ at: Date | null }>([
        { $group: { _id: null, at: { $min: { $max: ['$nextAt', '$lockedUntil'] } } } },
      ]).exec();
      return first?.at ?? null;
    },
  };
}
