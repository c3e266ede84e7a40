/**
 * Copies a whole store into an empty one and proves nothing was lost: the target's counts must equal what was
 * read, and what was read must equal the source's counts. The source is read from one snapshot, so writes made to
 * it meanwhile would not be copied: stop Depesza before copying.
 */
import type { StoreCounts, StoreExport, StoreImport } from '../ports/store-copy.js';

export const EMPTY_COUNTS: StoreCounts = {
  employees: 0,
  sessions: 0,
  conversations: 0,
  memberships: 0,
  messages: 0,
  smsDispatches: 0,
  notifications: 0,
};

export const COUNT_LABELS: Record<keyof StoreCounts, string> = {
  employees: 'employees',
  sessions: 'sessions',
  conversations: 'conversations',
  memberships: 'memberships',
  messages: 'messages',
  smsDispatches: 'SMS dispatches',
  notifications: 'notifications',
};

export function describeCounts(counts: StoreCounts): string {
  return (Object.keys(COUNT_LABELS) as (keyof StoreCounts)[]).map((key) => `${counts[key]} ${COUNT_LABELS[key]}`).join(', ');
}

function differences(expected: StoreCounts, actual: StoreCounts): string[] {
  return (Object.keys(COUNT_LABELS) as (keyof StoreCounts)[])
    .filter((key) => expected[key] !== actual[key])
    .map((key) => `${COUNT_LABELS[key]}: expected ${expected[key]}, found ${actual[key]}`);
}

export interface CopyOptions {
  batchSize?: number;
  /** Called after each batch with what has been copied so far. */
  onProgress?: (copied: StoreCounts) => void;
}

export async function copyStore(from: StoreExport, to: StoreImport, options: CopyOptions = {}): Promise<StoreCounts> {
  const batchSize = options.batchSize ?? 1000;
  const present = await to.counts();
  if (Object.values(present).some((n) => n > 0)) {
    throw new Error(
      `${to.description} already holds data (${describeCounts(present)}); copy into an empty database, ` +
        'or drop this one first if it holds only an earlier, interrupted copy',
    );
  }

  const copied: StoreCounts = { ...EMPTY_COUNTS };
  const step = async <T>(rows: AsyncIterable<T[]>, insert: (batch: T[]) => Promise<void>, count: (batch: T[]) => void) => {
    for await (const batch of rows) {
      if (batch.length === 0) continue;
      await insert(batch);
      count(batch);
      options.onProgress?.({ ...copied });
    }
  };
  // Referenced rows first: employees, then what points at them.
  await step(from.employees(batchSize), (b) => to.insertEmployees(b), (b) => (copied.employees += b.length));
  await step(from.sessions(batchSize), (b) => to.insertSessions(b), (b) => (copied.sessions += b.length));
  await step(from.conversations(batchSize), (b) => to.insertConversations(b), (b) => {
    copied.conversations += b.length;
    copied.memberships += b.reduce((n, c) => n + c.members.length, 0);
  });
  await step(from.messages(batchSize), (b) => to.insertMessages(b), (b) => (copied.messages += b.length));
  await step(from.smsDispatches(batchSize), (b) => to.insertSmsDispatches(b), (b) => (copied.smsDispatches += b.length));
  await step(from.notifications(batchSize), (b) => to.insertNotifications(b), (b) => (copied.notifications += b.length));

  const written = differences(copied, await to.counts());
  if (written.length > 0) throw new Error(`${to.description} does not hold what was copied (${written.join('; ')})`);
  const source = differences(await from.counts(), copied);
  if (source.length > 0) {
    throw new Error(`${from.description} was not read completely (${source.join('; ')})`);
  }
  return copied;
}
