/**
 * Admin alerts on MongoDB. Raising is a compare-and-set on the kind's state document: of several processes
 * reading the same low balance, one flips `raised` (or inserts the state); the others match nothing, or lose the
 * insert to the unique `_id`, and store no alert.
 */
import type { AdminAlert, AdminAlertRepository } from '../../../ports/store.js';
import type { AdminAlertDoc, Models } from './models.js';
import { isDuplicateKey } from './mongo-connection.js';

const KIND = 'sms_balance_low';

const toAlert = (doc: AdminAlertDoc): AdminAlert => ({
  id: doc._id,
  kind: doc.kind,
  points: doc.points,
  warnBelow: doc.warnBelow,
  createdAt: doc.createdAt,
});

export function createAdminAlertRepository({ AdminAlert, AlertState }: Models): AdminAlertRepository {
  async function raise(): Promise<boolean> {
    try {
      await AlertState.findOneAndUpdate({ _id: KIND, raised: { $ne: true } }, { $set: { raised: true } }, { upsert: true }).exec();
      return true;
    } catch (error) {
      // Raised already: the filter missed the existing document and the upsert's insert hit its _id.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  return {
    async recordBalance(input) {
      if (input.points >= input.warnBelow) {
        await AlertState.updateOne({ _id: KIND }, { $set: { raised: false } }).exec();
        return null;
      }
      if (!(await raise())) return null;
      const doc: AdminAlertDoc = { _id: input.id, kind: KIND, points: input.points, warnBelow: input.warnBelow, createdAt: input.at };
      await AdminAlert.create([doc]);
      return toAlert(doc);
    },
    async list(limit) {
      const docs = await AdminAlert.find().sort({ createdAt: -1, _id: -1 }).limit(limit).lean<AdminAlertDoc[]>().exec();
      return docs.map(toAlert);
    },
  };
}
