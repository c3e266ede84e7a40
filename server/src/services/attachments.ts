/**
 * File attachments (issue 12): uploads streamed into the FileStore, metadata in the Store, downloads for members
 * of the message's conversation only (the uploader alone while no message carries the file), and files removed
 * once a deleted message was the last to refer to them.
 */
import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import type { AttachmentView } from '../../../shared/schemas/index.js';
import { cleanContentType, cleanFileName, isInlineImage } from '../domain/attachment-rules.js';
import type { Employee, StoredAttachment, StoredMessage } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import { FileTooLarge, type FileStore } from '../ports/file-store.js';
import type { Store } from '../ports/store.js';

export interface AttachmentServiceDeps {
  store: Store;
  files: FileStore;
  clock: Clock;
  maxBytes: number;
}

export interface Download {
  attachment: StoredAttachment;
  body: Readable;
  /** A raster image the browser may show; everything else is only downloaded. */
  inline: boolean;
}

const NO_SUCH_FILE = 'No such file';

export const toAttachmentView = (a: StoredAttachment): AttachmentView => ({
  id: a.id,
  name: a.name,
  size: a.size,
  contentType: a.contentType,
  image: isInlineImage(a.contentType),
});

export function createAttachmentService(deps: AttachmentServiceDeps) {
  const { store, files } = deps;

  function tooLarge(): DomainError {
    return new DomainError('ATTACHMENT_TOO_LARGE', `The file is larger than ${deps.maxBytes} bytes`, { limit: deps.maxBytes });
  }

  /** Members of its conversation; the uploader alone while no message carries it. Others learn nothing. */
  async function mayRead(me: Employee, a: StoredAttachment): Promise<boolean> {
    if (a.conversationId === null) return a.uploaderId === me.id;
    return (await store.conversations.memberIdsIfMember(a.conversationId, me.id)) !== null;
  }

  return {
    maxBytes: deps.maxBytes,
    tooLarge,

    async upload(me: Employee, input: { source: Readable; name: string | undefined; contentType: string | undefined }): Promise<AttachmentView> {
      let stored;
      try {
        stored = await files.put(input.source, { maxBytes: deps.maxBytes });
      } catch (error) {
        if (error instanceof FileTooLarge) throw tooLarge();
        throw error;
      }
      const attachment: StoredAttachment = {
        id: randomUUID(),
        uploaderId: me.id,
        name: cleanFileName(input.name),
        size: stored.size,
        contentType: cleanContentType(input.contentType),
        sha256: stored.sha256,
        createdAt: deps.clock.now(),
        messageId: null,
        conversationId: null,
      };
      await store.attachments.create(attachment);
      // The same bytes may have been deleted (their last message went) between the write and the record: then the
      // record would point at nothing. releaseForMessage looks for a record before deleting, so once the record
      // exists the bytes stay; only this narrow race is left, and it is answered as a retryable failure.
      const check = await files.open(stored.sha256);
      if (!check) {
        await store.attachments.removeUnattached(attachment.id);
        throw new DomainError('SERVICE_UNAVAILABLE', 'The file was removed while it was stored; send it again', { retryAfterMs: 0 });
      }
      check.destroy();
      return toAttachmentView(attachment);
    },

    async open(me: Employee, id: string): Promise<Download> {
      const attachment = await store.attachments.findById(id);
      if (!attachment || !(await mayRead(me, attachment))) throw notFound(NO_SUCH_FILE);
      const body = await files.open(attachment.sha256);
      if (!body) throw notFound(NO_SUCH_FILE);
      return { attachment, body, inline: isInlineImage(attachment.contentType) };
    },

    /** Each message's files; none for a deleted message. */
    async viewsFor(messages: StoredMessage[]): Promise<Map<string, AttachmentView[]>> {
      const ids = messages.filter((m) => m.deletedAt === null).map((m) => m.id);
      const byMessage = new Map<string, AttachmentView[]>();
      for (const a of await store.attachments.listForMessages(ids)) {
        const list = byMessage.get(a.messageId as string) ?? [];
        list.push(toAttachmentView(a));
        byMessage.set(a.messageId as string, list);
      }
      return byMessage;
    },

    /** After a message was deleted: its attachments go, and the bytes of those nothing else refers to. */
    async releaseForMessage(messageId: string): Promise<void> {
      for (const sha256 of await store.attachments.removeForMessage(messageId)) {
        // Looked at again just before: an upload of the same bytes may have landed since the removal.
        if (!(await store.attachments.isReferenced(sha256))) await files.delete(sha256);
      }
    },
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
