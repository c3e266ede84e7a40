// @ts-check
/**
 * Indexing new messages for search in batches, outside the append's transaction (issue 17). In the append, the FTS5
 * row cost a third of the append's CPU and ~40% of its written pages: FTS5 writes a segment per transaction and
 * merges them, so a batch of hundreds of messages in one transaction costs a fraction of as many one-message ones.
 *
 * The insert trigger only numbers the message (message_search_docs); `search_index_watermark.upto` is the highest
 * doc whose text is in the index. Any connection may move it on (the checkpoint worker every ~100 ms; a search first,
 * so a message is findable as soon as it is acknowledged): read, index and move on in ONE IMMEDIATE transaction, so
 * two connections can never index the same doc twice. The update and delete triggers touch the index only for docs
 * at or below the watermark: an FTS5 'delete' of a row it never held corrupts a contentless index.
 *
 * Plain JavaScript: the checkpoint worker (checkpoint-worker.mjs) runs it as well as the store.
 */

/** Docs per transaction: large enough that a segment holds hundreds of messages, small enough to hold the write lock ~ms. */
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
  return (limit = INDEX_BATCH) => batch.immediate(limit);
}
