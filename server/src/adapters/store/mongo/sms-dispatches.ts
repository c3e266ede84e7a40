import { PENDING_STATUSES } from '../../../sms/status.js';
import type { Clock } from '../../../ports/clock.js';
import type { DispatchPatch, SmsDispatchRepository, SmsReportFilter } from '../../../ports/store.js';
import { fromNotification, toDispatch } from './docs.js';
import { DURABLE_TRANSACTION } from './write-concern.js';
import type { Models, SmsDispatchDoc } from './models.js';
import { countForCaps } from './sms-caps.js';
import { createWaitingSms, setOf } from './sms-waiting.js';
import type { Connection } from 'mongoose';

const byOldestDue = { nextAttemptAt: 1, _id: 1 } as const;
const newestFirst = { createdAt: -1, _id: -1 } as const;

function reportFilter(filter: SmsReportFilter): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (filter.statuses) query.status = { $in: filter.statuses };
  if (filter.from || filter.to) {
    query.createdAt = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
  }
  if (filter.senderId !== undefined) query.senderId = filter.senderId;
  const senderLists = [
    ...(filter.senderIds ? [{ senderId: { $in: filter.senderIds } }] : []),
    ...(filter.excludeSenderIds ? [{ senderId: { $nin: filter.excludeSenderIds } }] : []),
  ];
  if (senderLists.length > 0) query.$and = senderLists;
  if (filter.recipientId !== undefined) query.recipientId = filter.recipientId;
  // Documents from before issue 13 have no origin: they came from the chat.
  if (filter.origins) query.origin = filter.origins.includes('chat') ? { $in: [...filter.origins, null] } : { $in: filter.origins };
  return query;
}

export function createSmsDispatchRepository(connection: Connection, models: Models, clock: Clock): SmsDispatchRepository {
  const { SmsDispatch, Notification } = models;
  const waiting = createWaitingSms(connection, models, clock);

  return {
    settleRead: waiting.settleRead,
    settleDeadline: waiting.settleDeadline,
    async claimDue(now, leaseUntil, limit) {
      // One findOneAndUpdate per dispatch: the filter (queued, due, not leased) and the lease are one atomic
      // step on the document, so of several claimers (other processes too) exactly one gets each dispatch; the
      // others' filters no longer match it. Sorted so the longest-waiting go first.
      const claimed = [];
      for (let i = 0; i < limit; i++) {
        const doc = await SmsDispatch.findOneAndUpdate(
          {
            status: { $in: PENDING_STATUSES },
            nextAttemptAt: { $lte: now },
            $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }],
          },
          { $set: { lockedUntil: leaseUntil } },
          { sort: byOldestDue, returnDocument: 'after' },
        )
          .lean<SmsDispatchDoc>()
          .exec();
        if (!doc) break;
        claimed.push(toDispatch(doc));
      }
      return claimed;
    },

    async update(id, changes: DispatchPatch, expectedStatuses) {
      // The status condition and the write are one atomic step on the document: a compare-and-set.
      const filter = expectedStatuses ? { _id: id, status: { $in: [...expectedStatuses] } } : { _id: id };
      const doc = await SmsDispatch.findOneAndUpdate(filter, { $set: setOf(changes, clock.now()) }, { returnDocument: 'after', runValidators: true })
        .lean<SmsDispatchDoc>()
        .exec();
      return doc ? toDispatch(doc) : null;
    },

    async updateAndNotify(id, changes, expectedStatuses, notificationFor) {
      // A retried transaction asks notificationFor again: only what the committing attempt made is stored and returned.
      return connection.transaction(async (session) => {
        const doc = await SmsDispatch.findOneAndUpdate(
          { _id: id, status: { $in: [...expectedStatuses] } },
          { $set: setOf(changes, clock.now()) },
          { session, returnDocument: 'after', runValidators: true },
        )
          .lean<SmsDispatchDoc>()
          .exec();
        if (!doc) return null;
        const dispatch = toDispatch(doc);
        const notification = notificationFor(dispatch);
        if (notification) await Notification.create([fromNotification(notification)], { session });
        return { dispatch, notification };
      }, DURABLE_TRANSACTION);
    },

    async findById(id) {
      const doc = await SmsDispatch.findById(id).lean<SmsDispatchDoc>().exec();
      return doc ? toDispatch(doc) : null;
    },

    async findByGatewayId(gatewayId) {
      const doc = await SmsDispatch.findOne({ gatewayId }).sort({ createdAt: -1 }).lean<SmsDispatchDoc>().exec();
      return doc ? toDispatch(doc) : null;
    },

    async latestSentTo(recipientId, toE164) {
      // Statuses that mean the gateway took the SMS to this number: only those can have been replied to.
      const doc = await SmsDispatch.findOne({ recipientId, toE164, status: { $in: ['unconfirmed', 'sent', 'delivered'] } })
        .sort({ createdAt: -1, _id: -1 })
        .lean<SmsDispatchDoc>()
        .exec();
      return doc ? toDispatch(doc) : null;
    },

    async usageSince(since) {
      const [row] = await SmsDispatch.aggregate<{ sms: number; points: number }>([
        { $match: { createdAt: { $gte: since }, status: { $ne: 'not_sent' }, sendIf: null, heldUntil: null } },
        { $group: { _id: null, sms: { $sum: 1 }, points: { $sum: { $ifNull: ['$points', 0] } } } },
      ]);
      return { sms: row?.sms ?? 0, points: row?.points ?? 0 };
    },

    async listForMessages(messageIds) {
      if (messageIds.length === 0) return [];
      const docs = await SmsDispatch.find({ messageId: { $in: [...new Set(messageIds)] } })
        .sort({ createdAt: 1, _id: 1 })
        .lean<SmsDispatchDoc[]>()
        .exec();
      return docs.map(toDispatch);
    },

    async countForCaps(query) {
      return countForCaps(models, query);
    },

    async report(filter) {
      const query = reportFilter(filter);
      const [docs, total] = await Promise.all([
        // limit(0) means "no limit" to MongoDB.
        filter.limit > 0
          ? SmsDispatch.find(query).sort(newestFirst).skip(filter.offset).limit(filter.limit).lean<SmsDispatchDoc[]>().exec()
          : Promise.resolve([] as SmsDispatchDoc[]),
        SmsDispatch.countDocuments(query).exec(),
      ]);
      return { rows: docs.map(toDispatch), total };
    },

    async nextDueAt() {
      // When the next queued dispatch becomes claimable: a lease holds it past its attempt time ($max ignores a
      // null lease), and reporting the attempt time alone would wake the dispatcher in a busy loop.
      const [first] = await SmsDispatch.aggregate<{ at: Date | null }>([
        { $match: { status: { $in: PENDING_STATUSES }, nextAttemptAt: { $ne: null } } },
        { $group: { _id: null, at: { $min: { $max: ['$nextAttemptAt', '$lockedUntil'] } } } },
      ]).exec();
      return first?.at ?? null;
    },
  };
}
