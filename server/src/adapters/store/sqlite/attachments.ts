import type Database from 'better-sqlite3';
import type { StoredAttachment } from '../../../domain/entities.js';
import type { AttachmentRepository } from '../../../ports/store.js';
import { jsonList } from './rows.js';

export interface AttachmentRow {
  id: string;
  uploader_id: string;
  name: string;
  size: number;
  content_type: string;
  sha256: string;
  created_at: number;
  message_id: string | null;
  conversation_id: string | null;
}

export const toAttachment = (row: AttachmentRow): StoredAttachment => ({
  id: row.id,
  uploaderId: row.uploader_id,
  name: row.name,
  size: row.size,
  contentType: row.content_type,
  sha256: row.sha256,
  createdAt: new Date(row.created_at),
  messageId: row.message_id,
  conversationId: row.conversation_id,
});

export function createAttachmentRepository(db: Database.Database): AttachmentRepository {
  const insert = db.prepare<[string, string, string, number, string, string, number]>(
    'INSERT INTO attachments (id, uploader_id, name, size, content_type, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], AttachmentRow>('SELECT * FROM attachments WHERE id = ?');
  const forMessages = db.prepare<[string], AttachmentRow>(
    'SELECT * FROM attachments WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id',
  );
  const removeOf = db.prepare<[string], { sha256: string }>('DELETE FROM attachments WHERE message_id = ? RETURNING sha256');
  const removeFree = db.prepare<[string]>('DELETE FROM attachments WHERE id = ? AND message_id IS NULL');
  const referenced = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM attachments WHERE sha256 = ? LIMIT 1');

  // One transaction: the hashes answered are unreferenced as of the commit that removed the rows.
  const removeForMessage = db.transaction((messageId: string): string[] => {
    const hashes = [...new Set(removeOf.all(messageId).map((r) => r.sha256))];
    return hashes.filter((sha256) => referenced.get(sha256) === undefined);
  });

  return {
    async create(a) {
      insert.run(a.id, a.uploaderId, a.name, a.size, a.contentType, a.sha256, a.createdAt.getTime());
    },
    async findById(id) {
      const row = byId.get(id);
      return row ? toAttachment(row) : null;
    },
    async listForMessages(messageIds) {
      if (messageIds.length === 0) return [];
      return forMessages.all(jsonList(messageIds)).map(toAttachment);
    },
    async removeForMessage(messageId) {
      return removeForMessage.immediate(messageId);
    },
    async removeUnattached(id) {
      removeFree.run(id);
    },
    async isReferenced(sha256) {
      return referenced.get(sha256) !== undefined;
    },
  };
}
