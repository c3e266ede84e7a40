import { GroupCapReached, type ConversationRepository, type ConversationWithMembers } from '../../../ports/store.js';
import { toConversationWithMembers, toMembership } from './docs.js';
import { isDuplicateKey } from './mongo-connection.js';
import type { ConversationDoc, MemberDoc, Models } from './models.js';

/** A pair's key does not depend on who opened the conversation (the same form as the SQLite store's). */
export const directKeyOf = (a: string, b: string): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

const newMember = (employeeId: string, joinedAt: Date): MemberDoc => ({ employeeId, joinedAt, deliveredSeq: 0, readSeq: 0 });

export function createConversationRepository({ Conversation }: Models): ConversationRepository {
  const byId = async (id: string): Promise<ConversationWithMembers | null> => {
    const doc = await Conversation.findById(id).lean<ConversationDoc>().exec();
    return doc ? toConversationWithMembers(doc) : null;
  };
  const byDirectKey = async (directKey: string): Promise<ConversationWithMembers | null> => {
    const doc = await Conversation.findOne({ directKey }).lean<ConversationDoc>().exec();
    return doc ? toConversationWithMembers(doc) : null;
  };

  /**
   * The group cap without a multi-document transaction: write first, then count, and undo what this call wrote
   * when someone is over the cap. Every writer counts after its own write, so parallel adders can only err on the
   * side of refusing (both undo), never leave anyone above the cap.
   */
  const overCap = async (employeeIds: string[], cap: number): Promise<string[]> => {
    const over: string[] = [];
    for (const employeeId of employeeIds) {
      if ((await Conversation.countDocuments({ kind: 'group', 'members.employeeId': employeeId }).exec()) > cap) over.push(employeeId);
    }
    return over;
  };

  return {
    async openDirect({ id, a, b, createdAt }) {
      const directKey = directKeyOf(a, b);
      const existing = await byDirectKey(directKey);
      if (existing) return existing;
      const doc: ConversationDoc = {
        _id: id,
        kind: 'direct',
        name: null,
        directKey,
        createdBy: a,
        createdAt,
        lastSeq: 0,
        lastRev: 0,
        lastActivityAt: createdAt,
        members: [...new Set([a, b])].map((employeeId) => newMember(employeeId, createdAt)),
      };
      try {
        // The conversation and its members are one document: one atomic insert.
        await Conversation.create(doc);
        return toConversationWithMembers(doc);
      } catch (error) {
        // Another opener (perhaps another process) won the race on the unique direct key: theirs is the one.
        if (!isDuplicateKey(error, 'direct_key_unique')) throw error;
        const winner = await byDirectKey(directKey);
        if (!winner) throw error;
        return winner;
      }
    },

    async createGroup({ id, name, createdBy, memberIds, createdAt, maxGroupsPerMember }) {
      const doc: ConversationDoc = {
        _id: id,
        kind: 'group',
        name,
        directKey: null,
        createdBy,
        createdAt,
        lastSeq: 0,
        lastRev: 0,
        lastActivityAt: createdAt,
        members: [...new Set([createdBy, ...memberIds])].map((employeeId) => newMember(employeeId, createdAt)),
      };
      await Conversation.create(doc);
      if (maxGroupsPerMember !== undefined) {
        const over = await overCap(doc.members.map((m) => m.employeeId), maxGroupsPerMember);
        if (over.length > 0) {
          await Conversation.deleteOne({ _id: id }).exec();
          throw new GroupCapReached(over);
        }
      }
      return toConversationWithMembers(doc);
    },

    async addMembers(conversationId, employeeIds, at, maxGroupsPerMember) {
      const found = await Conversation.findById(conversationId, { kind: 1 }).lean<Pick<ConversationDoc, 'kind'>>().exec();
      if (!found) return null;
      // One conditional push per member: a member already there (or added concurrently) is never added twice,
      // and keeps the time they first joined.
      const added: string[] = [];
      for (const employeeId of new Set(employeeIds)) {
        const result = await Conversation.updateOne(
          { _id: conversationId, 'members.employeeId': { $ne: employeeId } },
          { $push: { members: newMember(employeeId, at) } },
        ).exec();
        if (result.modifiedCount > 0) added.push(employeeId);
      }
      if (maxGroupsPerMember !== undefined && found.kind === 'group' && added.length > 0) {
        const over = await overCap(added, maxGroupsPerMember);
        if (over.length > 0) {
          await Conversation.updateOne({ _id: conversationId }, { $pull: { members: { employeeId: { $in: added } } } }).exec();
          throw new GroupCapReached(over);
        }
      }
      return byId(conversationId);
    },

    async removeMember(conversationId, employeeId) {
      await Conversation.updateOne({ _id: conversationId }, { $pull: { members: { employeeId } } }).exec();
    },

    async findForMember(conversationId, employeeId) {
      const doc = await Conversation.findOne({ _id: conversationId, 'members.employeeId': employeeId })
        .lean<ConversationDoc>()
        .exec();
      return doc ? toConversationWithMembers(doc) : null;
    },

    async groupMemberIds(conversationId) {
      const doc = await Conversation.findOne({ _id: conversationId, kind: 'group' }, { 'members.employeeId': 1 })
        .lean<Pick<ConversationDoc, 'members'>>()
        .exec();
      return doc ? doc.members.map((m) => m.employeeId) : null;
    },

    async memberIdsIfMember(conversationId, employeeId) {
      const doc = await Conversation.findOne({ _id: conversationId, 'members.employeeId': employeeId }, { 'members.employeeId': 1 })
        .lean<Pick<ConversationDoc, 'members'>>()
        .exec();
      return doc ? doc.members.map((m) => m.employeeId) : null;
    },

    async listForEmployee(employeeId) {
      // One query: members are embedded, so the list and everyone's marks come from the same snapshot of each.
      const docs = await Conversation.find({
        'members.employeeId': employeeId,
        $or: [{ kind: 'group' }, { lastSeq: { $gt: 0 } }, { createdBy: employeeId }],
      })
        .sort({ lastActivityAt: -1, _id: 1 })
        .lean<ConversationDoc[]>()
        .exec();
      return docs.map(toConversationWithMembers);
    },

    async markReceipt(conversationId, employeeId, kind, seq) {
      const member = { _id: conversationId, 'members.employeeId': employeeId };
      const current = await Conversation.findOne(member, { lastSeq: 1 }).lean<Pick<ConversationDoc, '_id' | 'lastSeq'>>().exec();
      if (!current) return null;
      // Never past the last message. lastSeq only grows, so clamping to the value just read stays correct even
      // when a message is appended in between. $max never lowers a mark; reading implies having received.
      const mark = Math.min(seq, current.lastSeq);
      const raise: Record<string, number> = { 'members.$.deliveredSeq': mark };
      if (kind === 'read') raise['members.$.readSeq'] = mark;
      const after = await Conversation.findOneAndUpdate(member, { $max: raise }, { returnDocument: 'after' })
        .select({ members: { $elemMatch: { employeeId } } })
        .lean<Pick<ConversationDoc, '_id' | 'members'>>()
        .exec();
      const mine = after?.members?.find((m) => m.employeeId === employeeId);
      return mine ? toMembership(conversationId, mine) : null;
    },
  };
}
