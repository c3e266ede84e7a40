/**
 * Runs bulk SMS jobs after their request was answered (issue 13): one job at a time, in the order they came, and
 * at start every job a previous process left unfinished. Each recipient's message carries a client id derived
 * from the job and the recipient, and the store appends a (sender, client id) only once, inside its transaction:
 * a resumed job — or two processes resuming the same one — skips who already has it, so nothing is sent twice.
 * A job that fails is tried again after a backoff, so a passing fault does not leave it waiting for the next start.
 */
import type { BulkJob } from '../domain/bulk-sms.js';
import { derivedClientId } from '../domain/derived-client-id.js';
import type { Employee } from '../domain/entities.js';
import { DomainError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { DomainEvents } from '../ports/events.js';
import type { Store } from '../ports/store.js';
import type { MessagingService } from './messaging.js';

export interface BulkSmsRunnerDeps {
  store: Store;
  clock: Clock;
  events: DomainEvents;
  messaging: Pick<MessagingService, 'openDirect' | 'send'>;
  /** Told of every failure; the failed job stays unfinished and is tried again after a backoff (RETRY_*). */
  onError: (error: unknown) => void;
}

/** More unfinished jobs than this at a start is far beyond the daily bulk limit; the rest wait for the next start. */
const RESUME_LIMIT = 100;

/**
 * A job that failed (the store or the gateway's path briefly down) is tried again after 30 s, doubling up to 30 min:
 * soon enough that a blip delays a bulk by seconds, rare enough that a lasting fault does not flood the log.
 */
export const RETRY_FIRST_MS = 30_000;
export const RETRY_MAX_MS = 30 * 60_000;

export function createBulkSmsRunner(deps: BulkSmsRunnerDeps) {
  const { store, events } = deps;
  const queued = new Set<string>();
  const retries = new Map<string, { attempts: number; cancel: () => void }>();
  let tail: Promise<void> = Promise.resolve();
  let stopped = true;

  async function openDirect(me: Employee, recipientId: string) {
    try {
      return await deps.messaging.openDirect(me, recipientId);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') return null;
      throw error;
    }
  }

  function progress(job: BulkJob, stored: number, finished: boolean): void {
    events.publish('bulk.progress', { senderId: job.senderId, progress: { jobId: job.id, stored, total: job.recipientIds.length, finished } });
  }

  /** Stores each recipient's message (and SMS) unless already stored; returns early, unfinished, when stopped. */
  async function deliver(job: BulkJob): Promise<void> {
    const sender = await store.employees.findById(job.senderId);
    let stored = 0;
    for (const recipientId of sender ? job.recipientIds : []) {
      if (stopped) return;
      const clientId = derivedClientId(job.id, recipientId);
      if (!(await store.messages.findBySenderClientId(job.senderId, clientId))) {
        const conversation = await openDirect(sender as Employee, recipientId);
        // Deactivated since the job was claimed: nothing goes to them, and the summary shows no message.
        if (conversation) {
          await deps.messaging.send(
            sender as Employee,
            { conversationId: conversation.id, clientId, text: job.texts[recipientId] ?? '', notifySms: true },
            { bulk: true },
          );
        }
      }
      stored += 1;
      if (stored < job.recipientIds.length) progress(job, stored, false);
    }
    await store.bulkJobs.markFinished(job.id, deps.clock.now());
    progress(job, job.recipientIds.length, true);
  }

  function retryLater(jobId: string, error: unknown): void {
    deps.onError(error);
    if (stopped) return;
    retries.get(jobId)?.cancel();
    const attempts = (retries.get(jobId)?.attempts ?? 0) + 1;
    const delay = Math.min(RETRY_FIRST_MS * 2 ** (attempts - 1), RETRY_MAX_MS);
    retries.set(jobId, { attempts, cancel: deps.clock.setTimer(delay, () => void retry(jobId)) });
  }

  /** Reads the job again: a request or another process may have finished it meanwhile. */
  async function retry(jobId: string): Promise<void> {
    try {
      const job = await store.bulkJobs.findById(jobId);
      if (job) enqueue(job);
    } catch (error) {
      retryLater(jobId, error);
    }
  }

  function enqueue(job: BulkJob): void {
    if (stopped || job.finishedAt !== null || queued.has(job.id)) return;
    queued.add(job.id);
    tail = tail
      .then(async () => {
        if (stopped) return;
        await deliver(job);
        if (!stopped) retries.delete(job.id);
      })
      .catch((error: unknown) => retryLater(job.id, error))
      .finally(() => queued.delete(job.id));
  }

  return {
    /** Queues a claimed job (a no-op for one already queued or finished, or while stopped). */
    enqueue,

    /** Starts taking jobs, first the unfinished ones a previous process left. */
    async start(): Promise<void> {
      stopped = false;
      try {
        for (const job of await store.bulkJobs.unfinished(RESUME_LIMIT)) enqueue(job);
      } catch (error) {
        deps.onError(error);
      }
    },

    /** Lets the recipient in progress finish and takes no more; what is left stays for the next start. */
    async stop(): Promise<void> {
      stopped = true;
      for (const { cancel } of retries.values()) cancel();
      retries.clear();
      await tail;
    },

    /** Resolves once every queued job is done; for tests. */
    async idle(): Promise<void> {
      let seen: Promise<void>;
      do {
        seen = tail;
        await seen;
      } while (seen !== tail);
    },
  };
}

export type BulkSmsRunner = ReturnType<typeof createBulkSmsRunner>;
