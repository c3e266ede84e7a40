/**
 * The SMS caps on MongoDB. Counting inside the append's transaction is not enough by itself: snapshot isolation
 * lets two transactions each count 9 of a cap of 10 and each insert a dispatch (write skew), since they write
 * different documents. So each transaction first writes the lock documents of its sender and recipients; two
 * transactions that touch one of them conflict (WriteConflict, a TransientTransactionError), the driver retries
 * the loser, and its new snapshot counts the winner's dispatches. Check and reserve are then one step across
 * every process that shares the database.
 */
import type { ClientSession } from 'mongoose';
import type { AppendMessageInput, NewDispatch, SmsCapCounts, SmsCapQuery } from '../../../ports/store.js';
import type { Models } from './models.js';
import { isDuplicateKey } from './mongo-connection.js';

// With a monthly limit every send also writes the one company-wide lock: the month's count is everyone's, so
// sends must conflict with each other (and retry) whoever sends to whom.
const lockKeys = (query: SmsCapQuery): string[] =>
  [`sender:${query.senderId}`, ...query.recipientIds.map((id) => `recipient:${id}`), ...(query.monthSince ? ['month'] : [])].sort();

/**
 * Creates missing lock documents outside the transaction: an upsert inside one could race another transaction's
 * insert of the same _id and fail with a duplicate key, which the driver does not retry.
 */
export async function ensureCapLocks({ SmsCapLock }: Models, query: SmsCapQuery): Promise<void> {
  try {
    await SmsCapLock.bulkWrite(
      lockKeys(query).map((key) => ({
        updateOne: { filter: { _id: key }, update: { $setOnInsert: { reservations: 0 } }, upsert: true },
      })),
      { ordered: false },
    );
  } catch (error) {
    // Another send created the same lock first: it exists, which is all this asks for.
    if (!isDuplicateKey(error)) throw error;
  }
}

export async function takeCapLocks({ SmsCapLock }: Models, query: SmsCapQuery, session: ClientSession): Promise<void> {
  await SmsCapLock.bulkWrite(
    lockKeys(query).map((key) => ({ updateOne: { filter: { _id: key }, update: { $inc: { reservations: 1 } } } })),
    { session, ordered: true },
  );
}

/** The cap counts in two indexed aggregations; inside a transaction when `session` is given. */
export async function countForCaps(
  { SmsDispatch }: Models,
  query: SmsCapQuery,
  session: ClientSession | null = null,
): Promise<SmsCapCounts> {
  const [sender] = await SmsDispatch.aggregate<{ hour: number; day: number }>([
    // A dispatch waiting for its "if unread" deadline or held for quiet hours reserves nothing until it is decided
    // (sendIf and heldUntil null; a null filter also matches documents from before either field).
    { $match: { senderId: query.senderId, createdAt: { $gte: query.senderDaySince }, status: { $ne: 'not_sent' }, sendIf: null, heldUntil: null } },
    {
      $group: {
        _id: null,
        hour: { $sum: { $cond: [{ $gte: ['$createdAt', query.senderHourSince] }, 1, 0] } },
        day: { $sum: 1 },
      },
    },
  ]).session(session);
  const recipients =
    query.recipientIds.length === 0
      ? []
      : await SmsDispatch.aggregate<{ _id: string; n: number }>([
          {
            $match: {
              recipientId: { $in: query.recipientIds },
              createdAt: { $gte: query.recipientSince },
              status: { $ne: 'not_sent' },
              sendIf: null,
              heldUntil: null,
            },
          },
          { $group: { _id: '$recipientId', n: { $sum: 1 } } },
        ]).session(session);
  const month = query.monthSince
    ? await SmsDispatch.countDocuments({ createdAt: { $gte: query.monthSince }, status: { $ne: 'not_sent' }, sendIf: null, heldUntil: null }).session(session)
    : 0;
  return {
    senderLastHour: sender?.hour ?? 0,
    senderLastDay: sender?.day ?? 0,
    recipientWindow: new Map(recipients.map((row) => [row._id, row.n])),
    month,
  };
}

/** The dispatches to store with a message, decided inside the transaction of `session`. */
export async function decideDispatches(models: Models, input: Pick<AppendMessageInput, 'dispatches'>, session: ClientSession): Promise<NewDispatch[]> {
  if (Array.isArray(input.dispatches)) return input.dispatches;
  const planner = input.dispatches;
  await takeCapLocks(models, planner.capQuery, session);
  return planner.plan(await countForCaps(models, planner.capQuery, session));
}
