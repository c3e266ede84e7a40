import type Database from 'better-sqlite3';
import { reasonToJson } from '../../../sms/stored-reason.js';
import { notFound } from '../../../domain/errors.js';
import type { SmsDispatch } from '../../../domain/entities.js';
import type { AppendMessageInput, AppendResult, MessageRepository } from '../../../ports/store.js';
import { appendBatches } from '../append-batch-channel.js';
import { ms, msOrNull, toDispatch, toMessage, type DispatchRow, type MessageRow } from './rows.js';
import { decideDispatches, prepareCapCounter } from './sms-cap-counts.js';

/** A batch larger than this is flushed at once rather than waiting for the next turn of the event loop. */
export const DEFAULT_MAX_BATCH = 256;

interface PendingAppend {
  input: AppendMessageInput;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

export interface SqliteMessageRepository extends MessageRepository {
  /** Commits every queued append now; called by close() so that no acknowledged-to-be write is lost. */
  flush(): void;
  /** Rejects later appends; queued ones are still flushed by the caller. */
  stopAccepting(): void;
}

export function createMessageRepository(
  db: Database.Database,
  options: { maxBatch?: number } = {},
): SqliteMessageRepository {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;

  const bySenderClient = db.prepare<[string, string], MessageRow>(
    'SELECT * FROM messages WHERE sender_id = ? AND client_id = ?',
  );
  const byId = db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id = ?');
  const newest = db.prepare<[string, number], MessageRow>(
    'SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?',
  );
  const before = db.prepare<[string, number, number], MessageRow>(
    'SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
  );
  const after = db.prepare<[string, number, number], MessageRow>(
    'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq ASC LIMIT ?',
  );
  // max(): a sender with a slow clock must not move the conversation back in the list.
  const nextSeq = db.prepare<[number, string], { last_seq: number }>(`
    UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = max(last_activity_at, ?)
    WHERE id = ?
    RETURNING last_seq`);
  const insertMessage = db.prepare<MessageRow>(`
    INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, text, created_at, notify_sms)
    VALUES (@id, @conversation_id, @seq, @sender_id, @client_id, @text, @created_at, @notify_sms)`);
  // What you send, you have read: without this the sender's own message would count as unread for them.
  const raiseSenderMarks = db.prepare<[number, number, string, string]>(`
    UPDATE memberships SET delivered_seq = max(delivered_seq, ?), read_seq = max(read_seq, ?)
    WHERE conversation_id = ? AND employee_id = ?`);
  const insertDispatch = db.prepare<DispatchRow>(`
    INSERT INTO sms_dispatches (id, message_id, conversation_id, sender_id, recipient_id, status, reason, to_e164,
                                text, parts, points, gateway_id, attempts, next_attempt_at, locked_until,
                                created_at, updated_at)
    VALUES (@id, @message_id, @conversation_id, @sender_id, @recipient_id, @status, @reason, @to_e164,
            @text, @parts, @points, @gateway_id, @attempts, @next_attempt_at, @locked_until,
            @created_at, @updated_at)`);
  const dispatchesOf = db.prepare<[string], DispatchRow>(
    'SELECT * FROM sms_dispatches WHERE message_id = ? ORDER BY created_at, id',
  );
  const countForCaps = prepareCapCounter(db);

  const appendOne = (input: AppendMessageInput): AppendResult => {
    // Looked up inside the batch's transaction, so a repeat queued behind its original in the same batch
    // sees the original's row and writes nothing.
    const existing = bySenderClient.get(input.senderId, input.clientId);
    if (existing) {
      return { message: toMessage(existing), dispatches: dispatchesOf.all(existing.id).map(toDispatch), created: false };
    }
    const createdAt = ms(input.createdAt);
    const counter = nextSeq.get(createdAt, input.conversationId);
    if (!counter) throw notFound('Conversation not found');
    const row: MessageRow = {
      id: input.id,
      conversation_id: input.conversationId,
      seq: counter.last_seq,
      sender_id: input.senderId,
      client_id: input.clientId,
      text: input.text,
      created_at: createdAt,
      notify_sms: input.notifySms ? 1 : 0,
    };
    insertMessage.run(row);
    raiseSenderMarks.run(row.seq, row.seq, row.conversation_id, row.sender_id);
    // The SMS caps are counted here, inside the IMMEDIATE transaction: it holds the database's one write lock, so
    // no other append (of this batch before it, of any process on this file) can slip in between count and insert.
    const dispatches: SmsDispatch[] = decideDispatches(input, countForCaps).map((dispatch) => {
      const stored: DispatchRow = {
        id: dispatch.id,
        message_id: row.id,
        conversation_id: row.conversation_id,
        sender_id: row.sender_id,
        recipient_id: dispatch.recipientId,
        status: dispatch.status,
        reason: reasonToJson(dispatch.reason),
        to_e164: dispatch.toE164,
        text: dispatch.text,
        parts: dispatch.parts,
        points: dispatch.points,
        gateway_id: dispatch.gatewayId,
        attempts: dispatch.attempts,
        next_attempt_at: msOrNull(dispatch.nextAttemptAt),
        locked_until: msOrNull(dispatch.lockedUntil),
        created_at: createdAt,
        updated_at: createdAt,
      };
      insertDispatch.run(stored);
      return toDispatch(stored);
    });
    return { message: toMessage(row), dispatches, created: true };
  };

  // The common case: every item succeeds, and one plain transaction commits them all. Any failure throws out of
  // it and rolls back the whole batch, which is then redone item by item below.
  const appendBatchAllOrNothing = db.transaction((inputs: AppendMessageInput[]): Outcome[] =>
    inputs.map((input) => ({ ok: true, result: appendOne(input) })),
  );

  // A nested better-sqlite3 transaction is a SAVEPOINT, so a failing item is rolled back alone. Savepoints cost
  // several times the insert itself, hence only on this path, which is taken only after a failure.
  const appendOneInSavepoint = db.transaction(appendOne);
  const appendBatchItemByItem = db.transaction((inputs: AppendMessageInput[]): Outcome[] =>
    inputs.map((input) => {
      try {
        return { ok: true, result: appendOneInSavepoint(input) };
      } catch (error) {
        // Some errors (disk full, I/O) make SQLite roll back the whole transaction; carrying on would run the
        // remaining items in autocommit mode, outside the batch, so abort the batch instead.
        if (!db.inTransaction) throw error;
        return { ok: false, error };
      }
    }),
  );

  // IMMEDIATE takes the write lock up front, so another process cannot make a batch fail halfway with SQLITE_BUSY.
  const commitBatch = (inputs: AppendMessageInput[]): Outcome[] => {
    try {
      return appendBatchAllOrNothing.immediate(inputs);
    } catch {
      return appendBatchItemByItem.immediate(inputs);
    }
  };

  let queue: PendingAppend[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  let accepting = true;

  const flush = (): void => {
    if (scheduled) {
      clearImmediate(scheduled);
      scheduled = null;
    }
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    if (appendBatches.hasSubscribers) appendBatches.publish(batch.length);
    let outcomes: Outcome[];
    try {
      outcomes = commitBatch(batch.map((item) => item.input));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    // Resolved only here, after COMMIT returned: an ack means the message is stored.
    batch.forEach((item, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) item.resolve(outcome.result);
      else item.reject(outcome ? outcome.error : new Error('append outcome missing'));
    });
  };

  return {
    append(input) {
      return new Promise<AppendResult>((resolve, reject) => {
        if (!accepting) {
          reject(new Error('the SQLite store is closed'));
          return;
        }
        queue.push({ input, resolve, reject });
        if (queue.length >= maxBatch) flush();
        else scheduled ??= setImmediate(flush);
      });
    },

    async findBySenderClientId(senderId, clientId) {
      const row = bySenderClient.get(senderId, clientId);
      return row ? toMessage(row) : null;
    },

    async listBefore(conversationId, beforeSeq, limit) {
      const rows = beforeSeq === null ? newest.all(conversationId, limit) : before.all(conversationId, beforeSeq, limit);
      return rows.map(toMessage);
    },

    async listAfter(conversationId, afterSeq, limit) {
      return after.all(conversationId, afterSeq, limit).map(toMessage);
    },

    async findById(id) {
      const row = byId.get(id);
      return row ? toMessage(row) : null;
    },

    flush,

    stopAccepting() {
      accepting = false;
    },
  };
}
