/**
 * Gives documents from before issue 11 their change counters: a conversation's `lastRev` starts at its `lastSeq`
 * and a message's `rev` at its `seq`, as if each had been written once. Idempotent, run at every start; the
 * conversations go first so that a write racing the backfill continues from `lastSeq`, never from 0.
 */
import type { Models } from './models.js';

export async function backfillRevs(models: Models): Promise<void> {
  await models.Conversation.updateMany({ lastRev: { $exists: false } }, [{ $set: { lastRev: '$lastSeq' } }]).exec();
  await models.Message.updateMany({ rev: { $exists: false } }, [{ $set: { rev: '$seq', textRev: '$seq' } }]).exec();
}
