/**
 * Bulk SMS (issue 13): an admin sends one text (or a template rendered per recipient) to many colleagues at once.
 * Each recipient gets an ordinary message in their direct conversation with the sender, with an SMS by the usual
 * rules; the job keeps what was asked so that a retry repeats it and sends nothing twice.
 */

export interface BulkJob {
  /** Chosen by the client: a retried request carries the same id and is the same job. */
  id: string;
  senderId: string;
  /** Of the request body: the same id with another body is refused instead of answered with the first. */
  requestHash: string;
  templateId: string | null;
  recipientIds: string[];
  /** Per recipient id, the text it gets (templates render per recipient). */
  texts: Record<string, string>;
  /** SMS counted against the daily bulk limit: the recipients the rules let an SMS reach when the job was claimed. */
  reservedSms: number;
  createdAt: Date;
  /**
   * When every recipient's message was stored; null while the background runner still has recipients to go (a job
   * unfinished at a restart is resumed by the next process).
   */
  finishedAt: Date | null;
}

/** Thrown by claim: the job would take the day's bulk SMS past the limit; nothing was written. */
export class BulkLimitReached extends Error {
  constructor(
    readonly used: number,
    readonly limit: number,
  ) {
    super(`bulk SMS limit reached: ${used} of ${limit} used today`);
    this.name = 'BulkLimitReached';
  }
}

/** Departments and titles match regardless of case, spacing at the ends and Unicode spelling. */
export function groupKey(value: string): string {
  return value.normalize('NFKC').trim().toLocaleLowerCase('pl');
}
