import type { SessionRepository } from '../../../ports/store.js';
import { fromSession, toSession } from './docs.js';
import type { Models, SessionDoc } from './models.js';

export function createSessionRepository({ Session }: Models): SessionRepository {
  return {
    async create(session) {
      await Session.create(fromSession(session));
    },
    async findValid(tokenHash, now) {
      const doc = await Session.findOne({ _id: tokenHash, expiresAt: { $gt: now } }).lean<SessionDoc>().exec();
      return doc ? toSession(doc) : null;
    },
    async delete(tokenHash) {
      await Session.deleteOne({ _id: tokenHash }).exec();
    },
    async deleteForEmployee(employeeId, exceptTokenHash) {
      const filter = exceptTokenHash === undefined ? { employeeId } : { employeeId, _id: { $ne: exceptTokenHash } };
      return (await Session.deleteMany(filter).exec()).deletedCount;
    },
    async deleteExpired(now) {
      return (await Session.deleteMany({ expiresAt: { $lte: now } }).exec()).deletedCount;
    },
  };
}
