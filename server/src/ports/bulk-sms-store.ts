/** The store's part for bulk SMS jobs (issue 13); see store.ts. */
import type { BulkJob } from '../domain/bulk-sms.js';

export interface BulkJobRepository {
  /**
   * Stores the job unless one with its id exists (then returns that one, `created: false`, and reserves nothing).
   * With `perDay` > 0 the day's reservations since `daySince` plus this job's `reservedSms` must stay within it,
   * else BulkLimitReached is thrown and nothing is written. Checking and reserving are one atomic step, so
   * parallel jobs (other processes too) never pass the limit together.
   */
  claim(job: BulkJob, limit: { perDay: number; daySince: Date }): Promise<{ job: BulkJob; created: boolean }>;
  findById(id: string): Promise<BulkJob | null>;
  /** The SMS reserved by jobs created since `since` (for the preview's "left today"; advisory). */
  reservedSince(since: Date): Promise<number>;
  /** Newest first; all senders' when `senderId` is null. */
  list(senderId: string | null, limit: number): Promise<BulkJob[]>;
  /** Jobs not yet finished, oldest first: the runner resumes them after a restart. */
  unfinished(limit: number): Promise<BulkJob[]>;
  /** Marks the job finished (once; a later call keeps the first time). */
  markFinished(id: string, at: Date): Promise<void>;
}
