/**
 * Copies a whole store into an empty one and proves nothing was lost: the target's counts must equal what was
 * read, and what was read must equal the source's counts. The source is read from one snapshot, so writes made to
 * it meanwhile would not be copied: stop Depesza before copying.
 */
import type { CopiedRows, CopyKind, StoreCounts, StoreExport, StoreImport } from '../ports/store-copy.js';

/**
 * The order of writing: a kind comes after every kind it refers to (mutes update members of copied conversations,
 * "do not disturb" updates copied employees, and so on).
 */
export const COPY_ORDER: readonly CopyKind[] = [
  'employees',
  'doNotDisturb',
  'sessions',
  'conversations',
  'mutes',
  'messages',
  'smsDispatches',
  'smsCorrections',
  'acknowledgements',
  'ackReminders',
  'notifications',
  'attachments',
  'smsTemplates',
  'integrations',
  'apiNotifications',
  'bulkJobs',
  'inboundSms',
  'adminAlerts',
  'alertStates',
];

export const COUNT_LABELS: Record<keyof StoreCounts, string> = {
  employees: 'employees',
  doNotDisturb: 'do not disturb',
  sessions: 'sessions',
  conversations: 'conversations',
  memberships: 'memberships',
  mutes: 'muted conversations',
  messages: 'messages',
  smsDispatches: 'SMS dispatches',
  smsCorrections: 'SMS corrections',
  acknowledgements: 'acknowledgements',
  ackReminders: 'acknowledgement reminders',
  notifications: 'notifications',
  attachments: 'attachments',
  smsTemplates: 'SMS templates',
  integrations: 'integrations',
  apiNotifications: 'integration notifications',
  bulkJobs: 'bulk SMS jobs',
  inboundSms: 'SMS replies kept for admins',
  adminAlerts: 'admin alerts',
  alertStates: 'alert states',
};

export const EMPTY_COUNTS: StoreCounts = Object.fromEntries(Object.keys(COUNT_LABELS).map((key) => [key, 0])) as StoreCounts;

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

/** What was copied; `files` are attachments' bytes, `missingFiles` the ones the source itself no longer had. */
export type CopyResult = StoreCounts & { files: number; missingFiles: number };

export async function copyStore(from: StoreExport, to: StoreImport, options: CopyOptions = {}): Promise<CopyResult> {
  const batchSize = options.batchSize ?? 1000;
  const present = await to.counts();
  if (Object.values(present).some((n) => n > 0)) {
    throw new Error(
      `${to.description} already holds data (${describeCounts(present)}); copy into an empty database, ` +
        'or drop this one first if it holds only an earlier, interrupted copy',
    );
  }

  const copied: StoreCounts = { ...EMPTY_COUNTS };
  /** Attachments' bytes are kept once per hash, however many attachments share them. */
  const sizes = new Map<string, number>();
  for (const kind of COPY_ORDER) {
    for await (const batch of from.rows(kind, batchSize)) {
      if (batch.length === 0) continue;
      await to.insert(kind, batch);
      copied[kind] += batch.length;
      if (kind === 'attachments') for (const a of batch as CopiedRows['attachments'][]) sizes.set(a.sha256, a.size);
      if (kind === 'conversations') {
        copied.memberships += (batch as { members: unknown[] }[]).reduce((n, c) => n + c.members.length, 0);
      }
      options.onProgress?.({ ...copied });
    }
  }

  const written = differences(copied, await to.counts());
  if (written.length > 0) throw new Error(`${to.description} does not hold what was copied (${written.join('; ')})`);
  const source = differences(await from.counts(), copied);
  if (source.length > 0) {
    throw new Error(`${from.description} was not read completely (${source.join('; ')})`);
  }
  return { ...copied, ...(await copyFiles(from, to, sizes)) };
}

async function copyFiles(from: StoreExport, to: StoreImport, sizes: Map<string, number>): Promise<{ files: number; missingFiles: number }> {
  let files = 0;
  let missingFiles = 0;
  for (const [sha256, size] of sizes) {
    const bytes = await from.openFile(sha256);
    // Its download fails in the source too; the copy keeps the record rather than invent bytes or stop.
    if (bytes === null) {
      missingFiles++;
      continue;
    }
    const stored = await to.putFile(bytes, size);
    if (stored !== sha256) throw new Error(`the bytes stored under ${sha256} read back as ${stored}`);
    files++;
  }
  return { files, missingFiles };
}
