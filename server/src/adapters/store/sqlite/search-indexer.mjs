// @ts-check
/**
 * Indexing new messages for search in batches, outside the append's transaction (issue 17). In the append, the FTS5
 * row cost a third of a one-message commit's CPU and ~40% of its written pages: FTS5 writes a segment per transaction
 * and merges them, so hundreds of messages indexed in one transaction cost a fraction of as many one-message ones.
 *
 * The insert trigger only numbers the message (message_search_docs); `search_index_watermark.upto` is the highest
 * doc whose text is in the index. The store's connection moves it on every INDEX_EVERY_MS, and every search does first,
 * so a message is findable as soon as it is acknowledged. Read, index and move on in ONE IMMEDIATE transaction, so
 * two connections (processes sharing the file) never index a doc twice. The update and delete triggers touch the
 * index only at or below the watermark: an FTS5 'delete' of a row it never held corrupts a contentless index.
 *
 * Not on the checkpoint worker's connection, though that would take the work off the main thread: measured
 * (bench/micro/append-fts.ts, README), the worker's indexing transaction holds the write lock the appends then wait
 * for in SQLite's busy handler, which sleeps the main thread (1, 2, 5, 10 ms…): p99 of appends offered at 1.5k/s
 * went from 5–8 ms to 21–34 ms in the same runs. Between the appends on the same connection, a batch is a short pause
 * and no wait.
 *
 * Plain JavaScript with a declaration beside it, so that a test can run it on a second thread as a concurrent writer.
 */

/**
 * How often the store indexes what was appended since: often enough that a batch (~50 messages at 2k/s, ~0.5–1.5 ms)
 * is a short pause between appends; its CPU per message measured the same at 25 and 100 ms.
 */
export const INDEX_EVERY_MS = 25;

/** Docs per batch: what 10k appends/s leave in INDEX_EVERY_MS; a search catches up on more in larger ones. */
export const INDEX_BATCH = 256;

/**
 * @param {import('better-sqlite3').Database} db
 * @returns {(limit?: number) => number} indexes up to `limit` docs above the watermark; returns how many docs it passed
 */
export function createSearchIndexer(db) {
  const upto = db.prepare('SELECT upto FROM search_index_watermark').pluck();
  const range = db.prepare(`
    SELECT max(doc) AS last, count(*) AS n
    FROM (SELECT doc FROM message_search_docs WHERE doc > ? ORDER BY doc LIMIT ?)`);
  const insert = db.prepare(`
    INSERT INTO message_search (rowid, body, conversation)
      SELECT d.doc, replace(replace(m.text, 'ł', 'l'), 'Ł', 'L'), hex(d.conversation_id)
      FROM message_search_docs d JOIN messages m ON m.conversation_id = d.conversation_id AND m.seq = d.seq
      WHERE d.doc > ? AND d.doc <= ? AND m.text <> ''
      ORDER BY d.doc`);
  const advance = db.prepare('UPDATE search_index_watermark SET upto = ?');
  const batch = db.transaction((/** @type {number} */ limit) => {
    const from = /** @type {number} */ (upto.get());
    const { last, n } = /** @type {{ last: number | null, n: number }} */ (range.get(from, limit));
    if (last === null) return 0;
    insert.run(from, last);
    advance.run(last);
    return n;
  });
  // Read outside any transaction: with nothing new, neither the timer nor a search takes the write lock.
  const behind = db.prepare(
    'SELECT EXISTS (SELECT 1 FROM message_search_docs WHERE doc > (SELECT upto FROM search_index_watermark))',
  ).pluck();
  return (limit = INDEX_BATCH) => (behind.get() ? batch.immediate(limit) : 0);
}
