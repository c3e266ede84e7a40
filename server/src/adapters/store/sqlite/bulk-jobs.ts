/** Bulk SMS jobs in SQLite (issue 13). */
import type Database from 'better-sqlite3';
import { BulkLimitReached, type BulkJob } from '../../../domain/bulk-sms.js';
import type { BulkJobRepository } from '../../../ports/bulk-sms-store.js';
import { ms, recipientTexts } from './rows.js';

export interface BulkJobRow {
  id: string;
  sender_id: string;
  request_hash: string;
  template_id: string | null;
  recipient_ids: string;
  texts: string;
  reserved_sms: number;
  created_at: number;
  finished_at: number | null;
}

export const toBulkJob = (row: BulkJobRow): BulkJob => ({
  id: row.id,
  senderId: row.sender_id,
  requestHash: row.request_hash,
  templateId: row.template_id,
  ...recipientTexts(row),
  reservedSms: row.reserved_sms,
  createdAt: new Date(row.created_at),
  finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
});

export function createBulkJobRepository(db: Database.Database): BulkJobRepository {
  const insert = db.prepare<BulkJobRow>(`
    INSERT INTO bulk_jobs (id, sender_id, request_hash, template_id, recipient_ids, texts, reserved_sms, created_at, finished_at)
    VALUES (@id, @sender_id, @request_hash, @template_id, @recipient_ids, @texts, @reserved_sms, @created_at, @finished_at)`);
  const unfinished = db.prepare<[number], BulkJobRow>('SELECT * FROM bulk_jobs WHERE finished_at IS NULL ORDER BY created_at, id LIMIT ?');
  const finish = db.prepare<[number, string]>('UPDATE bulk_jobs SET finished_at = ? WHERE id = ? AND finished_at IS NULL');
  const byId = db.prepare<[string], BulkJobRow>('SELECT * FROM bulk_jobs WHERE id = ?');
  const usedSince = db.prepare<[number], { n: number }>('SELECT coalesce(sum(reserved_sms), 0) AS n FROM bulk_jobs WHERE created_at >= ?');
  const newest = db.prepare<[number], BulkJobRow>('SELECT * FROM bulk_jobs ORDER BY created_at DESC, id DESC LIMIT ?');
  const newestOf = db.prepare<[string, number], BulkJobRow>(
    'SELECT * FROM bulk_jobs WHERE sender_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
  );

  // IMMEDIATE: the sum and the insert are one write transaction, so a second claim (this process or another)
  // waits for the first to commit and then counts it.
  const claim = db.transaction((job: BulkJob, perDay: number, daySince: number) => {
    const existing = byId.get(job.id);
    if (existing) return { job: toBulkJob(existing), created: false };
    if (perDay > 0) {
      const used = (usedSince.get(daySince) as { n: number }).n;
      if (used + job.reservedSms > perDay) throw new BulkLimitReached(used, perDay);
    }
    insert.run({
      id: job.id,
      sender_id: job.senderId,
      request_hash: job.requestHash,
      template_id: job.templateId,
      recipient_ids: JSON.stringify(job.recipientIds),
      texts: JSON.stringify(job.texts),
      reserved_sms: job.reservedSms,
      created_at: ms(job.createdAt),
      finished_at: job.finishedAt === null ? null : ms(job.finishedAt),
    });
    return { job, created: true };
  });

  return {
    async claim(job, limit) {
      return claim.immediate(job, limit.perDay, ms(limit.daySince));
    },
    async findById(id) {
      const row = byId.get(id);
      return row ? toBulkJob(row) : null;
    },
    async reservedSince(since) {
      return (usedSince.get(ms(since)) as { n: number }).n;
    },
    async list(senderId, limit) {
      return (senderId === null ? newest.all(limit) : newestOf.all(senderId, limit)).map(toBulkJob);
    },
    async unfinished(limit) {
      return unfinished.all(limit).map(toBulkJob);
    },
    async markFinished(id, at) {
      finish.run(ms(at), id);
    },
  };
}
