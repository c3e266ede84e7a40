/**
 * Bulk SMS jobs on MongoDB (issue 13). The day's limit is checked and reserved in one transaction that first
 * writes one company-wide lock document: two claims racing both write it, so one of them gets a WriteConflict,
 * the driver retries it, and its new snapshot counts the winner's job (the write skew of two snapshots that each
 * count 9 of 10 cannot happen). The same conflict orders two claims of one id: the loser finds the winner's job.
 */
import type { ClientSession, Connection } from 'mongoose';
import { BulkLimitReached, type BulkJob } from '../../../domain/bulk-sms.js';
import type { BulkJobRepository } from '../../../ports/bulk-sms-store.js';
import { isDuplicateKey } from './mongo-connection.js';
import type { BulkJobDoc, Models } from './models.js';
import { DURABLE_TRANSACTION } from './write-concern.js';

const LOCK_ID = 'bulk-sms-day';

const toBulkJob = (doc: BulkJobDoc): BulkJob => ({
  id: doc._id,
  senderId: doc.senderId,
  requestHash: doc.requestHash,
  templateId: doc.templateId ?? null,
  recipientIds: doc.recipientIds,
  texts: doc.texts,
  reservedSms: doc.reservedSms,
  createdAt: doc.createdAt,
  finishedAt: doc.finishedAt ?? null,
});

export function createBulkJobRepository(connection: Connection, { BulkJob, SmsCapLock }: Models): BulkJobRepository {
  /** Outside the transaction: an upsert inside one could race another's insert of the same _id (not retried). */
  async function ensureLock(): Promise<void> {
    try {
      await SmsCapLock.updateOne({ _id: LOCK_ID }, { $setOnInsert: { reservations: 0 } }, { upsert: true }).exec();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async function reservedSince(since: Date, session: ClientSession | null = null): Promise<number> {
    const [row] = await BulkJob.aggregate<{ n: number }>([
      { $match: { createdAt: { $gte: since } } },
      { $group: { _id: null, n: { $sum: '$reservedSms' } } },
    ]).session(session);
    return row?.n ?? 0;
  }

  return {
    reservedSince: (since) => reservedSince(since),

    async claim(job, limit) {
      await ensureLock();
      return connection.transaction(async (session) => {
        await SmsCapLock.updateOne({ _id: LOCK_ID }, { $inc: { reservations: 1 } }, { session }).exec();
        const existing = await BulkJob.findById(job.id).session(session).lean<BulkJobDoc>().exec();
        if (existing) return { job: toBulkJob(existing), created: false };
        if (limit.perDay > 0) {
          const used = await reservedSince(limit.daySince, session);
          if (used + job.reservedSms > limit.perDay) throw new BulkLimitReached(used, limit.perDay);
        }
        await BulkJob.insertMany(
          [
            {
              _id: job.id,
              senderId: job.senderId,
              requestHash: job.requestHash,
              templateId: job.templateId,
              recipientIds: job.recipientIds,
              texts: job.texts,
              reservedSms: job.reservedSms,
              createdAt: job.createdAt,
              finishedAt: job.finishedAt,
            },
          ],
          { session },
        );
        return { job, created: true };
      }, DURABLE_TRANSACTION);
    },

    async findById(id) {
      const doc = await BulkJob.findById(id).lean<BulkJobDoc>().exec();
      return doc ? toBulkJob(doc) : null;
    },

    async list(senderId, limit) {
      const docs = await BulkJob.find(senderId === null ? {} : { senderId })
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit)
        .lean<BulkJobDoc[]>()
        .exec();
      return docs.map(toBulkJob);
    },

    async unfinished(limit) {
      // null matches a missing field too (jobs stored before finishedAt existed).
      const docs = await BulkJob.find({ finishedAt: null }).sort({ createdAt: 1, _id: 1 }).limit(limit).lean<BulkJobDoc[]>().exec();
      return docs.map(toBulkJob);
    },

    async markFinished(id, at) {
      await BulkJob.updateOne({ _id: id, finishedAt: null }, { $set: { finishedAt: at } }).exec();
    },
  };
}
