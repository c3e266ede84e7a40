import type { ClientSession } from 'mongoose';
import type { StoredAttachment } from '../../../domain/entities.js';
import { AttachmentsUnavailable, type AppendMessageInput, type AttachmentRepository } from '../../../ports/store.js';
import type { AttachmentDoc, Models } from './models.js';

const toAttachment = (doc: AttachmentDoc): StoredAttachment => ({
  id: doc._id,
  uploaderId: doc.uploaderId,
  name: doc.name,
  size: doc.size,
  contentType: doc.contentType,
  sha256: doc.sha256,
  createdAt: doc.createdAt,
  messageId: doc.messageId ?? null,
  conversationId: doc.conversationId ?? null,
});

/** Inside the append's transaction: a throw aborts it, the message with it. */
export async function attachFiles({ Attachment }: Models, input: AppendMessageInput, session: ClientSession): Promise<void> {
  const missing: string[] = [];
  for (const id of input.attachmentIds ?? []) {
    const result = await Attachment.updateOne(
      { _id: id, uploaderId: input.senderId, messageId: null },
      { $set: { messageId: input.id, conversationId: input.conversationId } },
      { session },
    ).exec();
    if (result.modifiedCount === 0) missing.push(id);
  }
  if (missing.length > 0) throw new AttachmentsUnavailable(missing);
}

export function createAttachmentRepository({ Attachment }: Models): AttachmentRepository {
  return {
    async create(a) {
      await Attachment.create([{ _id: a.id, uploaderId: a.uploaderId, name: a.name, size: a.size, contentType: a.contentType, sha256: a.sha256, createdAt: a.createdAt, messageId: null, conversationId: null }]);
    },
    async findById(id) {
      const doc = await Attachment.findById(id).lean<AttachmentDoc>().exec();
      return doc ? toAttachment(doc) : null;
    },
    async listForMessages(messageIds) {
      if (messageIds.length === 0) return [];
      const docs = await Attachment.find({ messageId: { $in: [...new Set(messageIds)] } }).sort({ createdAt: 1, _id: 1 }).lean<AttachmentDoc[]>().exec();
      return docs.map(toAttachment);
    },
    async removeForMessage(messageId) {
      const docs = await Attachment.find({ messageId }, { sha256: 1 }).lean<Pick<AttachmentDoc, '_id' | 'sha256'>[]>().exec();
      await Attachment.deleteMany({ _id: { $in: docs.map((d) => d._id) } }).exec();
      const unreferenced: string[] = [];
      for (const sha256 of new Set(docs.map((d) => d.sha256))) {
        if (!(await Attachment.exists({ sha256 }))) unreferenced.push(sha256);
      }
      return unreferenced;
    },
    async removeUnattached(id) {
      await Attachment.deleteOne({ _id: id, messageId: null }).exec();
    },
    async isReferenced(sha256) {
      return (await Attachment.exists({ sha256 })) !== null;
    },
  };
}
