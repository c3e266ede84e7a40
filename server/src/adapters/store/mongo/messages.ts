/**
 * Messages and the SMS outbox.
 *
 * Why a transaction (and not dispatches embedded in the message document): the append must be atomic across
 * three documents anyway — the conversation's counter (`lastSeq` plus the sender's own marks), the message, and
 * its dispatches. Reserving a sequence number outside a transaction leaves a permanent hole whenever the insert
 * that follows fails (a crash, a failover, a repeat racing on another process), and clients treat a hole as
 * missing messages. In one transaction, committed with write concern `majority`, either everything is stored or
 * nothing is: no hole, no message without its outbox, no outbox without its message. Dispatches then live in
 * their own collection, where the dispatcher's lease (findOneAndUpdate), the delivery reports (by gateway id) and
 * the report query them by index. The price is that MongoDB must be a replica set (a single node is enough);
 * mongo-store.ts checks that at start.
 *
 * Within this process, appends to one conversation run one after another, in call order: sequence numbers then
 * follow the order of calls, a repeat queued behind its original sees it and writes nothing, and the
 * conversation's document is not fought over by our own transactions. Other processes' transactions on the same
 * conversation conflict with ours at the counter; the driver retries the loser (TransientTransactionError).
 */
import { attachFiles } from './attachments.js';
import type { Connection } from 'mongoose';
import { notFound } from '../../../domain/errors.js';
import type { SmsDispatch, StoredMessage } from '../../../domain/entities.js';
import type { AppendMessageInput, AppendResult, ChangeResult, CorrectionInput, MessageChange, MessageRepository } from '../../../ports/store.js';
import { fromDispatch, fromMessage, toDispatch, toMessage } from './docs.js';
import { isDuplicateKey } from './mongo-connection.js';
import { decideDispatches, ensureCapLocks } from './sms-caps.js';
import { WAITING, type ConversationDoc, type MessageDoc, type Models, type SmsDispatchDoc } from './models.js';
import { createMessageSearch } from './message-search.js';
import { searchableWords } from '../../../../../shared/search-text.js';
import { DURABLE_TRANSACTION } from './write-concern.js';

export interface MongoMessageRepository extends MessageRepository {
  /** Rejects later appends and resolves once every append already accepted has settled. */
  drain(): Promise<void>;
}

export function createMessageRepository(connection: Connection, models: Models): MongoMessageRepository {
  const { Conversation, Message, SmsDispatch, AckReminder } = models;
  /** Per conversation: the promise of its last queued append (never rejects). */
  const tails = new Map<string, Promise<void>>();
  let accepting = true;

  async function existingResult(senderId: string, clientId: string): Promise<AppendResult | null> {
    const doc = await Message.findOne({ senderId, clientId }).lean<MessageDoc>().exec();
    if (!doc) return null;
    const dispatches = await SmsDispatch.find({ messageId: doc._id }).sort({ createdAt: 1, _id: 1 }).lean<SmsDispatchDoc[]>().exec();
    return { message: toMessage(doc), dispatches: dispatches.map(toDispatch), created: false };
  }

  async function appendNow(input: AppendMessageInput): Promise<AppendResult> {
    // A repeat writes nothing, not even a counter increment.
    const repeat = await existingResult(input.senderId, input.clientId);
    if (repeat) return repeat;
    if (!Array.isArray(input.dispatches)) await ensureCapLocks(models, input.dispatches.capQuery);
    try {
      return await connection.transaction(async (session) => {
        const counter = await Conversation.findOneAndUpdate(
          { _id: input.conversationId },
          // $max: a sender with a slow clock must not move the conversation back in the list.
          { $inc: { lastSeq: 1, lastRev: 1 }, $max: { lastActivityAt: input.createdAt } },
          { session, returnDocument: 'after', projection: { lastSeq: 1, lastRev: 1 } },
        )
          .lean<Pick<ConversationDoc, '_id' | 'lastSeq' | 'lastRev'>>()
          .exec();
        if (!counter) throw notFound('Conversation not found');
        const seq = counter.lastSeq;
        const rev = counter.lastRev;
        // What you send, you have read (and received).
        await Conversation.updateOne(
          { _id: input.conversationId },
          { $max: { 'members.$[me].deliveredSeq': seq, 'members.$[me].readSeq': seq } },
          { session, arrayFilters: [{ 'me.employeeId': input.senderId }] },
        ).exec();

        const message: StoredMessage = {
          id: input.id,
          conversationId: input.conversationId,
          seq,
          senderId: input.senderId,
          clientId: input.clientId,
          text: input.text,
          createdAt: input.createdAt,
          notifySms: input.notifySms,
          rev,
          textRev: rev,
          editedAt: null,
          deletedAt: null,
          deletedBy: null,
          replyToId: input.replyToId ?? null,
          reactions: [],
          mentions: input.mentions ?? [],
          mentionsAll: input.mentionsAll ?? false,
          ...(input.ackReminders && input.ackReminders.length > 0 ? { ackOf: input.ackReminders.length } : {}),
          ...(input.viaSms ? { viaSms: true as const } : {}),
        };
        // Decided here, inside the transaction, so that the SMS caps are checked and reserved in one step.
        const dispatches: SmsDispatch[] = (await decideDispatches(models, input, session)).map((dispatch) => ({
          ...dispatch,
          sendIf: dispatch.sendIf ?? null,
          deadlineAt: dispatch.deadlineAt ?? null,
          heldUntil: dispatch.heldUntil ?? null,
          ignoreQuietHours: dispatch.ignoreQuietHours ?? false,
          origin: dispatch.origin ?? 'chat',
          messageId: message.id,
          conversationId: message.conversationId,
          senderId: message.senderId,
          createdAt: message.createdAt,
          updatedAt: message.createdAt,
        }));
        await Message.insertMany([{ ...fromMessage(message), searchText: searchableWords(message.text) }], { session });
        await attachFiles(models, input, session);
        if (input.ackReminders && input.ackReminders.length > 0) {
          await AckReminder.insertMany(
            input.ackReminders.map((r) => ({
              _id: `${message.id}:${r.employeeId}`,
              messageId: message.id,
              employeeId: r.employeeId,
              conversationId: message.conversationId,
              nextAt: r.firstAt,
              untilAt: r.untilAt,
              lockedUntil: null,
            })),
            { session },
          );
        }
        if (dispatches.length > 0) await SmsDispatch.insertMany(dispatches.map(fromDispatch), { session });
        return { message, dispatches, created: true };
      }, DURABLE_TRANSACTION);
    } catch (error) {
      // The same (sender, clientId) committed by another process meanwhile: the transaction was rolled back
      // whole, the counter included, and the stored message is the answer.
      if (isDuplicateKey(error, 'sender_client_unique')) {
        const stored = await existingResult(input.senderId, input.clientId);
        if (stored) return stored;
      }
      throw error;
    }
  }

  /**
   * The rev comes from `$inc` on the conversation inside the transaction: two changes of one conversation (from any
   * process) conflict on that document, the loser is retried after the winner committed, so revs become visible in
   * order and a reader by rev never skips one that commits later. The rule is judged on the message as read in the
   * same transaction, so a delete cannot slip in between an edit's check and its write.
   */
  async function changeNow(conversationId: string, messageId: string, decide: MessageChange): Promise<ChangeResult | null> {
    return connection.transaction(async (session) => {
      const doc = await Message.findOne({ _id: messageId, conversationId }).session(session).lean<MessageDoc>().exec();
      if (!doc) return null;
      const current = toMessage(doc);
      const patch = decide(current);
      if (!patch) return { message: current, changed: false };
      const counter = await Conversation.findOneAndUpdate(
        { _id: conversationId },
        { $inc: { lastRev: 1 } },
        { session, returnDocument: 'after', projection: { lastRev: 1 } },
      )
        .lean<Pick<ConversationDoc, '_id' | 'lastRev'>>()
        .exec();
      if (!counter) throw notFound('Conversation not found');
      const next: StoredMessage = { ...current, ...patch, rev: counter.lastRev, textRev: 'text' in patch ? counter.lastRev : current.textRev };
      const { _id, ...fields } = fromMessage(next);
      await Message.updateOne({ _id }, { $set: fields }, { session }).exec();
      if (patch.deletedAt) {
        await SmsDispatch.updateMany({ messageId, status: { $nin: WAITING } }, { $set: { text: '' } }, { session }).exec();
      }
      return { message: next, changed: true };
    }, DURABLE_TRANSACTION);
  }

  /**
   * The marker document's `_id` is the (message, text rev) pair: a second correction, in this process or another,
   * fails on it (a write conflict the driver retries into a duplicate key, or the duplicate key itself) and stores
   * nothing. The caps are locked and counted inside the same transaction, as for an append.
   */
  async function storeCorrection(input: CorrectionInput): Promise<{ dispatches: SmsDispatch[]; created: boolean }> {
    await ensureCapLocks(models, input.dispatches.capQuery);
    try {
      return await connection.transaction(async (session) => {
        await models.SmsCorrection.insertMany(
          [{ _id: `${input.messageId}:${input.textRev}`, messageId: input.messageId, textRev: input.textRev, createdAt: input.createdAt }],
          { session },
        );
        const dispatches: SmsDispatch[] = (await decideDispatches(models, input, session)).map((dispatch) => ({
          ...dispatch,
          sendIf: dispatch.sendIf ?? null,
          deadlineAt: dispatch.deadlineAt ?? null,
          heldUntil: dispatch.heldUntil ?? null,
          ignoreQuietHours: dispatch.ignoreQuietHours ?? false,
          origin: dispatch.origin ?? 'chat',
          messageId: input.messageId,
          conversationId: input.conversationId,
          senderId: input.senderId,
          createdAt: input.createdAt,
          updatedAt: input.createdAt,
        }));
        if (dispatches.length > 0) await SmsDispatch.insertMany(dispatches.map(fromDispatch), { session });
        return { dispatches, created: true };
      }, DURABLE_TRANSACTION);
    } catch (error) {
      if (isDuplicateKey(error)) return { dispatches: [], created: false };
      throw error;
    }
  }

  return {
    change: changeNow,
    storeCorrection,

    async findByIds(ids) {
      if (ids.length === 0) return [];
      const docs = await Message.find({ _id: { $in: ids } }).lean<MessageDoc[]>().exec();
      return docs.map(toMessage);
    },

    async listAfterRev(conversationId, afterRev, limit) {
      if (limit <= 0) return [];
      const docs = await Message.find({ conversationId, rev: { $gt: afterRev } })
        .sort({ rev: 1 })
        .limit(limit)
        .lean<MessageDoc[]>()
        .exec();
      return docs.map(toMessage);
    },

    append(input) {
      if (!accepting) return Promise.reject(new Error('the MongoDB store is closed'));
      const key = input.conversationId;
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(() => appendNow(input));
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },

    async findBySenderClientId(senderId, clientId) {
      const doc = await Message.findOne({ senderId, clientId }).lean<MessageDoc>().exec();
      return doc ? toMessage(doc) : null;
    },

    // The unique (senderId, clientId) index stays over all history: WiredTiger journals the key, not the page it
    // lands on, and its cache is sized to the machine (half the RAM by default), so a random id costs a cache
    // miss only on a history far larger than SQLite's. Nothing is forgotten, which the port allows.
    async forgetClientIds() {
      return 0;
    },

    async listBefore(conversationId, beforeSeq, limit) {
      if (limit <= 0) return [];
      const filter = beforeSeq === null ? { conversationId } : { conversationId, seq: { $lt: beforeSeq } };
      const docs = await Message.find(filter).sort({ seq: -1 }).limit(limit).lean<MessageDoc[]>().exec();
      return docs.map(toMessage);
    },

    async listAfter(conversationId, afterSeq, limit) {
      if (limit <= 0) return [];
      const docs = await Message.find({ conversationId, seq: { $gt: afterSeq } })
        .sort({ seq: 1 })
        .limit(limit)
        .lean<MessageDoc[]>()
        .exec();
      return docs.map(toMessage);
    },

    async findById(id) {
      const doc = await Message.findById(id).lean<MessageDoc>().exec();
      return doc ? toMessage(doc) : null;
    },

    search: createMessageSearch(models),
    async lastOf(conversationIds) {
      const ids = [...new Set(conversationIds)];
      if (ids.length === 0) return new Map();
      const counters = await Conversation.find({ _id: { $in: ids }, lastSeq: { $gt: 0 } }, { lastSeq: 1 })
        .lean<Array<Pick<ConversationDoc, '_id' | 'lastSeq'>>>()
        .exec();
      if (counters.length === 0) return new Map();
      // Each pair hits the (conversationId, seq) unique index.
      const docs = await Message.find({ $or: counters.map((c) => ({ conversationId: c._id, seq: c.lastSeq })) })
        .lean<MessageDoc[]>()
        .exec();
      return new Map(docs.map((doc) => [doc.conversationId, toMessage(doc)]));
    },

    async countMentions(employeeId, marks) {
      const counts = new Map<string, number>();
      if (marks.length === 0) return counts;
      const rows = await Message.aggregate<{ _id: string; n: number }>([
        {
          $match: {
            $or: marks.map((m) => ({ conversationId: m.conversationId, seq: { $gt: m.afterSeq } })),
            senderId: { $ne: employeeId },
          },
        },
        { $match: { $or: [{ mentionsAll: true }, { mentions: employeeId }] } },
        { $group: { _id: '$conversationId', n: { $sum: 1 } } },
      ]).exec();
      for (const row of rows) counts.set(row._id, row.n);
      return counts;
    },

    async drain() {
      accepting = false;
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}
