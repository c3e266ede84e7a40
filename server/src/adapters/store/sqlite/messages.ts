import type Database from 'better-sqlite3';
import { reasonToJson } from '../../../sms/stored-reason.js';
import { notFound } from '../../../domain/errors.js';
import type { SmsDispatch, StoredMessage } from '../../../domain/entities.js';
import { AttachmentsUnavailable, type AppendMessageInput, type AppendResult, type ChangeResult, type CorrectionInput, type MessageChange, type MessageRepository, type NewDispatch } from '../../../ports/store.js';
import { appendBatches } from '../append-batch-channel.js';
import { fromMessage, jsonList, ms, msOrNull, toDispatch, toMessage, type DispatchRow, type MessageRow } from './rows.js';
import { createMessageSearch } from './message-search.js';
import { createClientIdWindow, PRUNE_SLICES } from './client-id-window.js';
import { createSequenceCounters } from './sequence-counters.js';
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
  options: { maxBatch?: number; commitWindowMs?: number } = {},
): SqliteMessageRepository {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const commitWindowMs = options.commitWindowMs ?? 0;

  const clientIds = createClientIdWindow(db);
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
  const byIds = db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id IN (SELECT value FROM json_each(?))');
  const afterRev = db.prepare<[string, number, number], MessageRow>(
    'SELECT * FROM messages WHERE conversation_id = ? AND rev > ? ORDER BY rev ASC LIMIT ?',
  );
  const inConversation = db.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE id = ? AND conversation_id = ?');
  const counters = createSequenceCounters(db);
  const nextRev = db.prepare<[string], { last_rev: number }>(
    'UPDATE conversations SET last_rev = last_rev + 1 WHERE id = ? RETURNING last_rev',
  );
  const insertMessage = db.prepare<MessageRow>(`
    INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, text, created_at, notify_sms, rev, text_rev,
                          edited_at, deleted_at, deleted_by, reply_to_id, reactions, mentions, mentions_all)
    VALUES (@id, @conversation_id, @seq, @sender_id, @client_id, @text, @created_at, @notify_sms, @rev, @text_rev,
            @edited_at, @deleted_at, @deleted_by, @reply_to_id, @reactions, @mentions, @mentions_all)`);
  const rewriteMessage = db.prepare<MessageRow>(`
    UPDATE messages SET text = @text, rev = @rev, text_rev = @text_rev, edited_at = @edited_at, deleted_at = @deleted_at,
                        deleted_by = @deleted_by, reactions = @reactions, mentions = @mentions, mentions_all = @mentions_all
    WHERE id = @id`);
  // A dispatch still waiting needs its text to be sent (or retried); every other one keeps none of a deleted message.
  const eraseDispatchTexts = db.prepare<[string]>(
    "UPDATE sms_dispatches SET text = '' WHERE message_id = ? AND status NOT IN ('queued', 'unconfirmed')",
  );
  // One row per conversation through the (conversation_id, seq) index: the list's previews cost one lookup each.
  const lastOfConversation = db.prepare<[string], MessageRow>(`
    SELECT m.* FROM conversations c JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
    WHERE c.id = ?`);
  // Walks only the unread part of the conversation, by the same index.
  const mentionCount = db.prepare<{ conversationId: string; afterSeq: number; employeeId: string }, { n: number }>(`
    SELECT count(*) AS n FROM messages m
    WHERE m.conversation_id = @conversationId AND m.seq > @afterSeq AND m.sender_id <> @employeeId
      AND (m.mentions_all = 1 OR EXISTS (SELECT 1 FROM json_each(m.mentions) WHERE value = @employeeId))`);
  const lastOf = db.transaction((ids: string[]) => {
    const found = new Map<string, StoredMessage>();
    for (const id of ids) {
      const row = lastOfConversation.get(id);
      if (row) found.set(id, toMessage(row));
    }
    return found;
  });
  const countMentions = db.transaction((employeeId: string, marks: ReadonlyArray<{ conversationId: string; afterSeq: number }>) => {
    const counts = new Map<string, number>();
    for (const { conversationId, afterSeq } of marks) {
      const n = mentionCount.get({ conversationId, afterSeq, employeeId })?.n ?? 0;
      if (n > 0) counts.set(conversationId, n);
    }
    return counts;
  });
  // What you send, you have read: without this the sender's own message would count as unread for them.
  const raiseSenderMarks = db.prepare<[number, number, string, string]>(`
    UPDATE memberships SET delivered_seq = max(delivered_seq, ?), read_seq = max(read_seq, ?)
    WHERE conversation_id = ? AND employee_id = ?`);
  const insertDispatch = db.prepare<DispatchRow>(`
    INSERT INTO sms_dispatches (id, message_id, conversation_id, sender_id, recipient_id, status, reason, to_e164,
                                text, parts, points, gateway_id, attempts, next_attempt_at, locked_until,
                                send_if, deadline_at, held_until, ignore_quiet_hours, origin, created_at, updated_at)
    VALUES (@id, @message_id, @conversation_id, @sender_id, @recipient_id, @status, @reason, @to_e164,
            @text, @parts, @points, @gateway_id, @attempts, @next_attempt_at, @locked_until,
            @send_if, @deadline_at, @held_until, @ignore_quiet_hours, @origin, @created_at, @updated_at)`);
  const setAckOf = db.prepare<[number, string]>('UPDATE messages SET ack_of = ? WHERE id = ?');
  const setViaSms = db.prepare<[string]>('UPDATE messages SET via_sms = 1 WHERE id = ?');
  const insertReminder = db.prepare<[string, string, string, number, number]>(
    'INSERT INTO ack_reminders (message_id, employee_id, conversation_id, next_at, until_at) VALUES (?, ?, ?, ?, ?)',
  );
  const dispatchesOf = db.prepare<[string], DispatchRow>(
    'SELECT * FROM sms_dispatches WHERE message_id = ? ORDER BY created_at, id',
  );
  const countForCaps = prepareCapCounter(db);

  const insertDispatches = (planned: NewDispatch[], messageId: string, conversationId: string, senderId: string, at: number): SmsDispatch[] =>
    planned.map((dispatch) => {
      const stored: DispatchRow = {
        id: dispatch.id,
        message_id: messageId,
        conversation_id: conversationId,
        sender_id: senderId,
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
        send_if: dispatch.sendIf ?? null,
        deadline_at: msOrNull(dispatch.deadlineAt ?? null),
        held_until: msOrNull(dispatch.heldUntil ?? null),
        ignore_quiet_hours: dispatch.ignoreQuietHours ? 1 : 0,
        origin: dispatch.origin ?? 'chat',
        created_at: at,
        updated_at: at,
      };
      insertDispatch.run(stored);
      return toDispatch(stored);
    });

  const markCorrection = db.prepare<[string, number, number]>(
    'INSERT INTO sms_corrections (message_id, text_rev, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  // IMMEDIATE: the marker, the caps' counts and the dispatches under one write lock, for any number of processes.
  const correctOnce = db.transaction((input: CorrectionInput) => {
    const at = ms(input.createdAt);
    if (markCorrection.run(input.messageId, input.textRev, at).changes === 0) return { dispatches: [], created: false };
    const planned = decideDispatches(input, countForCaps);
    return { dispatches: insertDispatches(planned, input.messageId, input.conversationId, input.senderId, at), created: true };
  });

  const claimAttachment = db.prepare<[string, string, string, string]>(
    'UPDATE attachments SET message_id = ?, conversation_id = ? WHERE id = ? AND uploader_id = ? AND message_id IS NULL',
  );
  /** Inside the append's transaction: a throw rolls the message back with it. */
  const attachFiles = (input: AppendMessageInput): void => {
    const ids = input.attachmentIds ?? [];
    const missing = ids.filter((id) => claimAttachment.run(input.id, input.conversationId, id, input.senderId).changes === 0);
    if (missing.length > 0) throw new AttachmentsUnavailable(missing);
  };

  const appendOne = (input: AppendMessageInput): AppendResult => {
    // Looked up inside the batch's transaction, so a repeat queued behind its original in the same batch
    // sees the original's row and writes nothing.
    const known = clientIds.lookup(input.senderId, input.clientId);
    if (known.existing) {
      const { existing } = known;
      return { message: toMessage(existing), dispatches: dispatchesOf.all(existing.id).map(toDispatch), created: false };
    }
    const createdAt = ms(input.createdAt);
    const counter = counters.next(input.conversationId, createdAt);
    if (!counter) throw notFound('Conversation not found');
    const row = fromMessage({
      id: input.id,
      conversationId: input.conversationId,
      seq: counter.seq,
      senderId: input.senderId,
      clientId: input.clientId,
      text: input.text,
      createdAt: input.createdAt,
      notifySms: input.notifySms,
      rev: counter.rev,
      textRev: counter.rev,
      editedAt: null,
      deletedAt: null,
      deletedBy: null,
      replyToId: input.replyToId ?? null,
      reactions: [],
      mentions: input.mentions ?? [],
      mentionsAll: input.mentionsAll ?? false,
    });
    insertMessage.run(row);
    clientIds.remember(known.key, row.sender_id, row.id, createdAt);
    attachFiles(input);
    if (input.ackReminders && input.ackReminders.length > 0) {
      setAckOf.run(input.ackReminders.length, row.id);
      row.ack_of = input.ackReminders.length;
      for (const r of input.ackReminders) {
        insertReminder.run(row.id, r.employeeId, row.conversation_id, ms(r.firstAt), ms(r.untilAt));
      }
    }
    if (input.viaSms) {
      setViaSms.run(row.id);
      row.via_sms = 1;
    }
    senderMarks.set(`${row.conversation_id} ${row.sender_id}`, { conversationId: row.conversation_id, senderId: row.sender_id, seq: row.seq });
    // The SMS caps are counted here, inside the IMMEDIATE transaction: it holds the database's one write lock, so
    // no other append (of this batch before it, of any process on this file) can slip in between count and insert.
    const dispatches = insertDispatches(decideDispatches(input, countForCaps), row.id, row.conversation_id, row.sender_id, createdAt);
    return { message: toMessage(row), dispatches, created: true };
  };

  // What you send, you have read: one write per sender and conversation of a batch, with the batch's last seq,
  // after the items (a failed item's mark is taken back with it).
  const senderMarks = new Map<string, { conversationId: string; senderId: string; seq: number }>();
  const beginBatch = (): void => {
    counters.begin();
    senderMarks.clear();
  };
  const endBatch = (): void => {
    counters.writeBack();
    for (const mark of senderMarks.values()) raiseSenderMarks.run(mark.seq, mark.seq, mark.conversationId, mark.senderId);
  };

  // The common case: every item succeeds, and one plain transaction commits them all. Any failure throws out of
  // it and rolls back the whole batch, which is then redone item by item below.
  const appendBatchAllOrNothing = db.transaction((inputs: AppendMessageInput[]): Outcome[] => {
    beginBatch();
    const outcomes: Outcome[] = inputs.map((input) => ({ ok: true, result: appendOne(input) }));
    endBatch();
    return outcomes;
  });

  // A nested better-sqlite3 transaction is a SAVEPOINT, so a failing item is rolled back alone. Savepoints cost
  // several times the insert itself, hence only on this path, which is taken only after a failure.
  const appendOneInSavepoint = db.transaction(appendOne);
  const appendBatchItemByItem = db.transaction((inputs: AppendMessageInput[]): Outcome[] => {
    beginBatch();
    const outcomes = inputs.map((input): Outcome => {
      const counted = counters.mark();
      const marks = new Map(senderMarks);
      try {
        return { ok: true, result: appendOneInSavepoint(input) };
      } catch (error) {
        counters.undo(counted);
        senderMarks.clear();
        for (const [key, mark] of marks) senderMarks.set(key, mark);
        // Some errors (disk full, I/O) make SQLite roll back the whole transaction; carrying on would run the
        // remaining items in autocommit mode, outside the batch, so abort the batch instead.
        if (!db.inTransaction) throw error;
        return { ok: false, error };
      }
    });
    endBatch();
    return outcomes;
  });

  // IMMEDIATE takes the write lock up front, so another process cannot make a batch fail halfway with SQLITE_BUSY.
  const commitBatch = (inputs: AppendMessageInput[]): Outcome[] => {
    // The counters advanced by a batch whose transaction did not commit (COMMIT itself included) are taken back.
    try {
      return counters.settle(appendBatchAllOrNothing.immediate(inputs));
    } catch {
      counters.undo(0);
      try {
        return counters.settle(appendBatchItemByItem.immediate(inputs));
      } catch (error) {
        counters.undo(0);
        throw error;
      }
    }
  };

  // IMMEDIATE: the rule is judged on the state this write lock protects, so a delete cannot slip in between an
  // edit's check and its write (which would put the deleted text back).
  const changeOne = db.transaction((conversationId: string, messageId: string, decide: MessageChange): ChangeResult | null => {
    const row = inConversation.get(messageId, conversationId);
    if (!row) return null;
    const current = toMessage(row);
    const patch = decide(current);
    if (!patch) return { message: current, changed: false };
    // The appends' counters read the row again on their next use, whether this transaction commits or not.
    counters.forget(conversationId);
    const counter = nextRev.get(conversationId);
    if (!counter) throw notFound('Conversation not found');
    const next = { ...current, ...patch, rev: counter.last_rev, textRev: 'text' in patch ? counter.last_rev : current.textRev };
    rewriteMessage.run(fromMessage(next));
    if (patch.deletedAt) eraseDispatchTexts.run(messageId);
    return { message: next, changed: true };
  });

  let queue: PendingAppend[] = [];
  let scheduled: NodeJS.Immediate | NodeJS.Timeout | null = null;
  let accepting = true;

  const flush = (): void => {
    if (scheduled) {
      clearImmediate(scheduled as NodeJS.Immediate);
      clearTimeout(scheduled as NodeJS.Timeout);
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
        else scheduled ??= commitWindowMs > 0 ? setTimeout(flush, commitWindowMs) : setImmediate(flush);
      });
    },

    async findBySenderClientId(senderId, clientId) {
      const { existing } = clientIds.lookup(senderId, clientId);
      return existing ? toMessage(existing) : null;
    },

    async forgetClientIds(before) {
      // A slice of the keys per write, with the event loop free in between: appends wait for one short write at most.
      let removed = 0;
      for (let slice = 0; slice < PRUNE_SLICES && accepting; slice++) {
        removed += clientIds.prune(slice, before.getTime());
        await new Promise((resolve) => setImmediate(resolve));
      }
      return removed;
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

    async findByIds(ids) {
      return ids.length === 0 ? [] : byIds.all(jsonList(ids)).map(toMessage);
    },

    async change(conversationId, messageId, decide) {
      return changeOne.immediate(conversationId, messageId, decide);
    },

    async storeCorrection(input) {
      return correctOnce.immediate(input);
    },

    async listAfterRev(conversationId, since, limit) {
      return afterRev.all(conversationId, since, limit).map(toMessage);
    },
    search: createMessageSearch(db),

    async lastOf(conversationIds) {
      // Deferred (read) transaction: one snapshot for the whole list.
      return lastOf.deferred([...new Set(conversationIds)]);
    },

    async countMentions(employeeId, marks) {
      return countMentions.deferred(employeeId, marks);
    },

    flush,

    stopAccepting() {
      accepting = false;
    },
  };
}
