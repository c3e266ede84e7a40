import type Database from 'better-sqlite3';

interface Counter {
  seq: number;
  rev: number;
  activity: number;
}

/**
 * Each conversation's last seq and rev, held by the single writer so that an append reads no counter row: a
 * conversation's row is read once (on its first append since the writer started or the file changed), advanced in
 * memory, and written once per batch however many of the batch's messages went to it, inside the batch's
 * transaction (so a crash or a rollback never leaves the row behind the messages).
 *
 * Another connection (a second process on the file, a CLI) may commit in between: `PRAGMA data_version` changes
 * then, and the writer reloads every counter at the start of its next batch. Writes to a counter row by this
 * connection outside appends (an edit's rev) must `forget` it.
 *
 * A journal undoes what a failed batch, or one failed item of it, advanced (the rows are written only at the end,
 * so SQLite's rollback has nothing of the counters to undo).
 */
export interface SequenceCounters {
  /** At the start of a batch's transaction. */
  begin(): void;
  /** The next seq and rev of the conversation, null when there is no such conversation. */
  next(conversationId: string, at: number): { seq: number; rev: number } | null;
  /** A point to undo back to. */
  mark(): number;
  undo(mark: number): void;
  /** Writes every counter advanced since `begin`, inside the batch's transaction. */
  writeBack(): void;
  /** After the batch committed: nothing of it is to be undone any more. Returns `value`. */
  settle<T>(value: T): T;
  forget(conversationId: string): void;
}

export function createSequenceCounters(db: Database.Database): SequenceCounters {
  const load = db.prepare<[string], { last_seq: number; last_rev: number; last_activity_at: number }>(
    'SELECT last_seq, last_rev, last_activity_at FROM conversations WHERE id = ?',
  );
  // max(): a sender with a slow clock must not move the conversation back in the list.
  const store = db.prepare<[number, number, number, string]>(
    'UPDATE conversations SET last_seq = ?, last_rev = ?, last_activity_at = max(last_activity_at, ?) WHERE id = ?',
  );
  const counters = new Map<string, Counter>();
  /** Each entry: a conversation and its counter before the change (undefined: it was not loaded). */
  const journal: Array<[string, Counter | undefined]> = [];
  const dirty = new Set<string>();
  let version = -1;

  return {
    begin() {
      journal.length = 0;
      dirty.clear();
      const now = db.pragma('data_version', { simple: true }) as number;
      if (now !== version) counters.clear();
      version = now;
    },
    next(conversationId, at) {
      let counter = counters.get(conversationId);
      if (!counter) {
        const row = load.get(conversationId);
        if (!row) return null;
        counter = { seq: row.last_seq, rev: row.last_rev, activity: row.last_activity_at };
      }
      journal.push([conversationId, counters.has(conversationId) ? counter : undefined]);
      const advanced = { seq: counter.seq + 1, rev: counter.rev + 1, activity: Math.max(counter.activity, at) };
      counters.set(conversationId, advanced);
      dirty.add(conversationId);
      return { seq: advanced.seq, rev: advanced.rev };
    },
    mark: () => journal.length,
    undo(mark) {
      while (journal.length > mark) {
        const [conversationId, before] = journal.pop() as [string, Counter | undefined];
        if (before) counters.set(conversationId, before);
        else counters.delete(conversationId);
      }
    },
    writeBack() {
      for (const conversationId of dirty) {
        const counter = counters.get(conversationId);
        if (counter) store.run(counter.seq, counter.rev, counter.activity, conversationId);
      }
      dirty.clear();
    },
    settle(value) {
      journal.length = 0;
      return value;
    },
    forget(conversationId) {
      counters.delete(conversationId);
    },
  };
}
