/**
 * "SMS if unread" on MongoDB. Each side writes a waiting dispatch only through a filter that still requires the
 * wait (status queued, sendIf set): a compare-and-set on the document, so of the reader and the deadline (in any
 * process) exactly one decides it. The deadline's side also checks and reserves the SMS caps, so it runs in a
 * transaction behind the same cap locks as the append (sms-caps.ts).
 */
import type { Connection } from 'mongoose';
import type { SmsDispatch } from '../../../domain/entities.js';
import type { Clock } from '../../../ports/clock.js';
import type { DeadlineDecider, DispatchPatch } from '../../../ports/store.js';
import { toDispatch, toEmployee } from './docs.js';
import type { ConversationDoc, EmployeeDoc, MessageDoc, Models, SmsDispatchDoc } from './models.js';
import { countForCaps, ensureCapLocks, takeCapLocks } from './sms-caps.js';
import { DURABLE_TRANSACTION } from './write-concern.js';

// Waiting for a deadline, or held for quiet hours.
const STILL_WAITING: { status: 'queued'; $or: Array<Record<string, { $type: string }>> } = {
  status: 'queued',
  $or: [{ sendIf: { $type: 'string' } }, { heldUntil: { $type: 'date' } }],
};
// Only "if unread" waits end with a read.
const WAITING_FOR_READ = { status: 'queued', sendIf: 'unread' } as const;

/** A field given as null clears it; an absent (undefined) one is left alone. */
export function setOf(patch: DispatchPatch, now: Date): Record<string, unknown> {
  const set: Record<string, unknown> = { updatedAt: now };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) set[key] = value;
  return set;
}

export function createWaitingSms(connection: Connection, models: Models, clock: Clock) {
  const { SmsDispatch, Message, Conversation, Employee, Acknowledgement } = models;

  return {
    async settleRead(
      input: { conversationId: string; recipientId: string; readSeq: number },
      patchFor: (dispatch: SmsDispatch) => DispatchPatch,
    ): Promise<SmsDispatch[]> {
      const candidates = await SmsDispatch.find({ recipientId: input.recipientId, conversationId: input.conversationId, ...WAITING_FOR_READ })
        .lean<SmsDispatchDoc[]>()
        .exec();
      if (candidates.length === 0) return [];
      const seqs = await Message.find({ _id: { $in: candidates.map((d) => d.messageId) } }, { seq: 1 })
        .lean<Pick<MessageDoc, '_id' | 'seq'>[]>()
        .exec();
      const read = new Set(seqs.filter((m) => m.seq <= input.readSeq).map((m) => m._id));
      const settled: SmsDispatch[] = [];
      for (const candidate of candidates.filter((d) => read.has(d.messageId))) {
        const doc = await SmsDispatch.findOneAndUpdate(
          { _id: candidate._id, ...WAITING_FOR_READ },
          { $set: setOf(patchFor(toDispatch(candidate)), clock.now()) },
          { returnDocument: 'after', runValidators: true },
        )
          .lean<SmsDispatchDoc>()
          .exec();
        if (doc) settled.push(toDispatch(doc));
      }
      return settled;
    },

    async settleDeadline(id: string, decider: DeadlineDecider): Promise<SmsDispatch | null> {
      const first = await SmsDispatch.findOne({ _id: id, ...STILL_WAITING }).lean<SmsDispatchDoc>().exec();
      if (!first) return null;
      const capQuery = decider.capQuery(toDispatch(first));
      await ensureCapLocks(models, capQuery);
      return connection.transaction(async (session) => {
        await takeCapLocks(models, capQuery, session);
        const doc = await SmsDispatch.findOne({ _id: id, ...STILL_WAITING }).session(session).lean<SmsDispatchDoc>().exec();
        if (!doc) return null;
        const dispatch = toDispatch(doc);
        const [message, conversation, recipient, ack] = await Promise.all([
          Message.findById(dispatch.messageId, { seq: 1 }).session(session).lean<Pick<MessageDoc, 'seq'>>().exec(),
          Conversation.findById(dispatch.conversationId, { members: 1 }).session(session).lean<Pick<ConversationDoc, 'members'>>().exec(),
          Employee.findById(dispatch.recipientId).session(session).lean<EmployeeDoc>().exec(),
          Acknowledgement.exists({ _id: `${dispatch.messageId}:${dispatch.recipientId}` }).session(session).exec(),
        ]);
        const member = conversation?.members.find((m) => m.employeeId === dispatch.recipientId);
        const patch = decider.decide({
          dispatch,
          messageSeq: message?.seq ?? 0,
          readSeq: member ? member.readSeq : null,
          acknowledged: ack !== null,
          recipient: recipient ? toEmployee(recipient) : null,
          counts: await countForCaps(models, capQuery, session),
        });
        const updated = await SmsDispatch.findOneAndUpdate(
          { _id: id, ...STILL_WAITING },
          { $set: setOf(patch, clock.now()) },
          { session, returnDocument: 'after', runValidators: true },
        )
          .lean<SmsDispatchDoc>()
          .exec();
        return updated ? toDispatch(updated) : null;
      }, DURABLE_TRANSACTION);
    },
  };
}
