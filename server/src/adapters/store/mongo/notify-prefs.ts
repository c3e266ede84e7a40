import type { MuteUntil, NotifyPrefsRepository } from '../../../ports/store.js';
import type { ConversationDoc, EmployeeDoc, Models } from './models.js';

/** A member's mute lives in their entry of the conversation's `members` (one atomic update); DND on the employee. */
export function createNotifyPrefsRepository({ Conversation, Employee }: Models): NotifyPrefsRepository {
  return {
    async setMute(conversationId, employeeId, until) {
      const result = await Conversation.updateOne(
        { _id: conversationId, 'members.employeeId': employeeId },
        {
          $set: {
            'members.$.mutedUntil': until instanceof Date ? until : null,
            'members.$.mutedForever': until === 'forever',
          },
        },
      ).exec();
      return result.matchedCount > 0;
    },
    async setDoNotDisturb(employeeId, until) {
      const result = await Employee.updateOne({ _id: employeeId }, { $set: { doNotDisturbUntil: until } }).exec();
      return result.matchedCount > 0;
    },
    async get(employeeId) {
      const [employee, conversations] = await Promise.all([
        Employee.findById(employeeId, { doNotDisturbUntil: 1 }).lean<Pick<EmployeeDoc, '_id' | 'doNotDisturbUntil'>>().exec(),
        Conversation.find(
          { members: { $elemMatch: { employeeId, $or: [{ mutedForever: true }, { mutedUntil: { $type: 'date' } }] } } },
          { members: { $elemMatch: { employeeId } } },
        )
          .lean<Array<Pick<ConversationDoc, '_id' | 'members'>>>()
          .exec(),
      ]);
      const muted = new Map<string, MuteUntil>();
      for (const conversation of conversations) {
        const mine = conversation.members[0];
        if (mine?.mutedForever) muted.set(conversation._id, 'forever');
        else if (mine?.mutedUntil) muted.set(conversation._id, mine.mutedUntil);
      }
      return { doNotDisturbUntil: employee?.doNotDisturbUntil ?? null, muted };
    },
  };
}
