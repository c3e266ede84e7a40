/**
 * The MongoDB counterpart of SQLite schema step 6 (issue 10): SMS reasons and notifications stored as English
 * sentences become codes; and of the later step that drops the English 'a former colleague' stored as a name. Runs
 * at every start and finds nothing once done (every query looks for the old shape: a string reason, a notification
 * with `text`, that stand-in name), so no version marker is needed. Through the raw collections: the models'
 * schemas no longer describe the old shape.
 */
import { outcomeFromNotificationText, reasonFromSentence } from '../../../sms/legacy-sentences.js';
import type { Models } from './models.js';

interface OldNotification {
  _id: string;
  text: string;
  messageId?: string | null;
}

export async function convertLegacySmsText(models: Models): Promise<void> {
  const dispatches = models.SmsDispatch.collection;
  for await (const doc of dispatches.find<{ _id: string; reason: string; attempts?: number }>({ reason: { $type: 'string' } })) {
    await dispatches.updateOne({ _id: doc._id } as never, { $set: { reason: reasonFromSentence(doc.reason, doc.attempts ?? 0) } });
  }

  const notifications = models.Notification.collection;
  for await (const doc of notifications.find<OldNotification>({ text: { $exists: true } })) {
    const outcome = outcomeFromNotificationText(doc.text);
    const recipientId = outcome && doc.messageId ? await recipientOf(models, doc.messageId, outcome.recipientName) : null;
    if (outcome === null || recipientId === null) {
      // Cannot be shown in the sender's language without knowing whom it was about.
      await notifications.deleteOne({ _id: doc._id } as never);
      continue;
    }
    await notifications.updateOne({ _id: doc._id } as never, {
      $set: { kind: 'sms_outcome', recipientId, recipientName: outcome.recipientName, status: outcome.status, reason: outcome.reason },
      $unset: { text: '' },
    });
  }

  // (session 10, SQLite's step after the search watermark) Someone no longer in the directory was named with the
  // English words 'a former colleague'; now the name is null and the client words it.
  for await (const doc of notifications.find<{ _id: string; recipientId: string }>({ recipientName: FORMER_COLLEAGUE })) {
    if (await models.Employee.exists({ _id: doc.recipientId })) continue;
    await notifications.updateOne({ _id: doc._id } as never, { $set: { recipientName: null } });
  }
}

/** What the server once stored as the name of a recipient no longer in the directory. */
const FORMER_COLLEAGUE = 'a former colleague';

/** The recipient of this message's SMS with this name, or its only recipient. */
async function recipientOf(models: Models, messageId: string, name: string): Promise<string | null> {
  const dispatches = await models.SmsDispatch.find({ messageId }, { recipientId: 1 }).lean();
  if (dispatches.length === 1) return dispatches[0]?.recipientId ?? null;
  const named = await models.Employee.findOne({ _id: { $in: dispatches.map((d) => d.recipientId) }, name }, { _id: 1 }).lean();
  return named?._id ?? null;
}
