/**
 * Issue 12's part of the store contract: attachment metadata, attached to a message inside its append (all or
 * nothing), listed per message, and removed with the hashes nothing refers to any more. Run by `runStoreContract`.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredAttachment } from '../src/domain/entities.js';
import { AttachmentsUnavailable, type AppendMessageInput, type Store } from '../src/ports/store.js';
import { storePerTest, twoInAGroup, type MakeStore } from './support/store-per-test.js';

const T0 = Date.parse('2025-03-03T08:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);
const hash = (c: string) => c.repeat(64);

export function runAttachmentsContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract, attachments: ${name}`, () => {
    const store = storePerTest(makeStore);

    const setUp = () => twoInAGroup(store, at(0));

    const upload = async (uploaderId: string, sha256: string, offset = 0): Promise<StoredAttachment> => {
      const attachment: StoredAttachment = {
        id: randomUUID(),
        uploaderId,
        name: 'raport – zażółć.pdf',
        size: 1234,
        contentType: 'application/pdf',
        sha256,
        createdAt: at(offset),
        messageId: null,
        conversationId: null,
      };
      await store.attachments.create(attachment);
      return attachment;
    };

    const input = (conversationId: string, senderId: string, attachmentIds: string[]): AppendMessageInput => ({
      id: randomUUID(),
      conversationId,
      senderId,
      clientId: randomUUID(),
      text: 'w załączniku',
      createdAt: at(10),
      notifySms: false,
      dispatches: [],
      attachmentIds,
    });

    it('attaches the sender\'s own uploads to the message in its append, listed oldest first', async () => {
      const { a, conversationId } = await setUp();
      const first = await upload(a.id, hash('a'), 1);
      const second = await upload(a.id, hash('b'), 2);
      expect(await store.attachments.findById(first.id)).toEqual(first);
      const { message } = await store.messages.append(input(conversationId, a.id, [second.id, first.id]));
      const listed = await store.attachments.listForMessages([message.id]);
      expect(listed.map((x) => x.id)).toEqual([first.id, second.id]);
      expect(listed[0]).toEqual({ ...first, messageId: message.id, conversationId });
    });

    it('refuses someone else\'s or an attached upload, writing neither the message nor any attachment', async () => {
      const { a, b, conversationId } = await setUp();
      const mine = await upload(a.id, hash('c'));
      const theirs = await upload(b.id, hash('d'));
      const refused = input(conversationId, a.id, [mine.id, theirs.id]);
      await expect(store.messages.append(refused)).rejects.toBeInstanceOf(AttachmentsUnavailable);
      expect(await store.messages.findBySenderClientId(a.id, refused.clientId)).toBeNull();
      expect((await store.attachments.findById(mine.id))?.messageId).toBeNull();

      await store.messages.append(input(conversationId, a.id, [mine.id]));
      const again = input(conversationId, a.id, [mine.id]);
      await expect(store.messages.append(again)).rejects.toMatchObject({ ids: [mine.id] });
      await expect(store.messages.append(input(conversationId, a.id, [randomUUID()]))).rejects.toBeInstanceOf(AttachmentsUnavailable);
    });

    it('removes a message\'s attachments and answers only the hashes nothing else refers to', async () => {
      const { a, conversationId } = await setUp();
      const shared = await upload(a.id, hash('e'));
      const only = await upload(a.id, hash('f'));
      const sameBytes = await upload(a.id, hash('e'));
      const { message } = await store.messages.append(input(conversationId, a.id, [shared.id, only.id]));
      const { message: other } = await store.messages.append(input(conversationId, a.id, [sameBytes.id]));

      expect(await store.attachments.removeForMessage(message.id)).toEqual([hash('f')]);
      expect(await store.attachments.listForMessages([message.id, other.id])).toHaveLength(1);
      expect(await store.attachments.isReferenced(hash('e'))).toBe(true);
      expect(await store.attachments.isReferenced(hash('f'))).toBe(false);
      expect(await store.attachments.removeForMessage(other.id)).toEqual([hash('e')]);
      expect(await store.attachments.removeForMessage(other.id)).toEqual([]);
    });

    it('removes an upload only while no message carries it', async () => {
      const { a, conversationId } = await setUp();
      const free = await upload(a.id, hash('1'));
      const carried = await upload(a.id, hash('2'));
      await store.messages.append(input(conversationId, a.id, [carried.id]));
      await store.attachments.removeUnattached(free.id);
      await store.attachments.removeUnattached(carried.id);
      expect(await store.attachments.findById(free.id)).toBeNull();
      expect((await store.attachments.findById(carried.id))?.messageId).not.toBeNull();
    });
  });
}
