/**
 * Message search over the FTS5 index of schema step 7 (migrations.ts), filled in batches by search-indexer.mjs; a
 * search first indexes whatever is not yet, so it is as exact as an index written by the append. The index is
 * contentless (the text lives once, in `messages`) and holds the text with ł folded to l; FTS5's unicode61
 * tokenizer with remove_diacritics 2 folds the rest. Its rowids are `message_search_docs.doc`, numbered in insert
 * order, so "newest first" is FTS5's own rowid order and a page stops as soon as it is full.
 *
 * The index's second column holds the hex of the message's conversation id (the last search step). A search in
 * one conversation, or by a member of few, names those conversations in the MATCH itself: FTS5 then walks their short
 * doclists and seeks in the words', where a filter after the MATCH would read every newer match of a common word in
 * the whole store and drop all but a few. A member of many conversations is filtered by the membership join alone:
 * an OR of hundreds of doclists costs more than the matches it saves.
 */
import type Database from 'better-sqlite3';
import type { SearchTerm } from '../../../../../shared/search-text.js';
import { invalid } from '../../../domain/errors.js';
import type { MessageSearchQuery, MessageSearchResult } from '../../../ports/store.js';
import { toMessage, type MessageRow } from './rows.js';
import { createSearchIndexer, INDEX_BATCH } from './search-indexer.mjs';

export interface SearchParams {
  employee: string;
  match: string;
  sender: string | null;
  conversation: string | null;
  since: number | null;
  until: number | null;
  before: number | null;
  limit: number;
}

/** Up to this many conversations of a member are named in the MATCH; the gain was gone by 64 (README, Search). */
export const FEW_CONVERSATIONS = 16;

/** The token the index holds for a conversation: what SQLite's hex() gives for the id's UTF-8 bytes. */
export const conversationToken = (conversationId: string): string => Buffer.from(conversationId, 'utf8').toString('hex');

/**
 * `body : ("w1 w2" AND "w3" *)`: each term a phrase of whole words, the last word of an open one a prefix, all
 * required, in the text column only (a prefix must not reach the conversation tokens); with conversations, one of
 * them is required too.
 */
export function toFtsMatch(terms: SearchTerm[], conversationIds: readonly string[] = []): string {
  const words = terms
    .map((term) => `"${term.words.join(' ').replaceAll('"', '""')}"${term.prefix ? ' *' : ''}`)
    .join(' AND ');
  if (conversationIds.length === 0) return `body : (${words})`;
  return `conversation : (${conversationIds.map((id) => `"${conversationToken(id)}"`).join(' OR ')}) AND body : (${words})`;
}

/** One page of hits newest first from `index` (the store's FTS5 table, or the search's own copy of the tail). */
const searchSql = (index: string) => `
    SELECT m.*, s.rowid AS doc
    FROM ${index} s
    JOIN message_search_docs d ON d.doc = s.rowid
    JOIN messages m ON m.conversation_id = d.conversation_id AND m.seq = d.seq
    JOIN memberships ms ON ms.conversation_id = m.conversation_id AND ms.employee_id = @employee
    WHERE ${index} MATCH @match
      AND (@before IS NULL OR s.rowid < @before)
      AND (@sender IS NULL OR m.sender_id = @sender)
      AND (@conversation IS NULL OR m.conversation_id = @conversation)
      AND (@since IS NULL OR m.created_at >= @since)
      AND (@until IS NULL OR m.created_at < @until)
    ORDER BY s.rowid DESC
    LIMIT @limit`;

/** One page of hits newest first; exported for bench/micro/search-narrowing.ts. */
export const SEARCH_SQL = searchSql('message_search');

/** SQLite's "another connection holds the lock" (SQLITE_BUSY and its extended codes). */
const isBusy = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY');

/**
 * When the index cannot catch up (another process holds the write lock past busy_timeout), the docs above the
 * watermark are indexed into this connection's own TEMP table, which needs no lock on the file: the same columns,
 * tokenizer and prefixes as `message_search` (schema step 7), so the same MATCH finds the same messages.
 */
function createTailSearch(db: Database.Database) {
  db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.message_search_tail USING fts5(
      body, conversation, prefix = '2 3', tokenize = "unicode61 remove_diacritics 2"
    )`);
  const upto = db.prepare<[], number>('SELECT upto FROM search_index_watermark').pluck();
  const clear = db.prepare('DELETE FROM temp.message_search_tail');
  const fill = db.prepare<[number]>(`
    INSERT INTO temp.message_search_tail (rowid, body, conversation)
      SELECT d.doc, replace(replace(m.text, 'ł', 'l'), 'Ł', 'L'), hex(d.conversation_id)
      FROM message_search_docs d JOIN messages m ON m.conversation_id = d.conversation_id AND m.seq = d.seq
      WHERE d.doc > ? AND m.text <> ''`);
  const selectTail = db.prepare<SearchParams, MessageRow & { doc: number }>(searchSql('message_search_tail'));
  const selectIndexed = db.prepare<SearchParams, MessageRow & { doc: number }>(SEARCH_SQL);
  // One read transaction: the watermark, the tail and the index seen at one moment (WAL), so another process moving
  // the watermark meanwhile can neither hide a message nor show it twice. Only the TEMP table is written.
  return db.transaction((params: SearchParams) => {
    const watermark = upto.get() as number;
    clear.run();
    fill.run(watermark);
    // Every tail doc is newer than every indexed one: the tail's hits come first, newest first, then the index's.
    const tail = selectTail.all(params);
    const below = params.before === null ? watermark + 1 : Math.min(params.before, watermark + 1);
    const indexed = tail.length < params.limit ? selectIndexed.all({ ...params, before: below }) : [];
    clear.run();
    return [...tail, ...indexed].slice(0, params.limit);
  });
}

export function createMessageSearch(db: Database.Database): (query: MessageSearchQuery) => Promise<MessageSearchResult> {
  const fewMemberships = db.prepare<{ employee: string; cap: number }, { conversation_id: string }>(
    'SELECT conversation_id FROM memberships WHERE employee_id = @employee LIMIT @cap',
  );
  /**
   * The conversations to name in the MATCH: the one asked for, or all of a member of few; [] = do not narrow; null =
   * a member of none. The membership join in the search decides in any case: this list only narrows.
   */
  const narrowTo = (query: MessageSearchQuery): string[] | null => {
    if (query.conversationId !== undefined) return [query.conversationId];
    const ids = fewMemberships.all({ employee: query.employeeId, cap: FEW_CONVERSATIONS + 1 }).map((r) => r.conversation_id);
    if (ids.length === 0) return null;
    return ids.length <= FEW_CONVERSATIONS ? ids : [];
  };

  const select = db.prepare<SearchParams, MessageRow & { doc: number }>(SEARCH_SQL);
  const indexNew = createSearchIndexer(db);
  const CATCH_UP_BATCH = INDEX_BATCH * 8;
  let tailSearch: ReturnType<typeof createTailSearch> | null = null;

  /**
   * Every acknowledged message is findable: what the store's timer has not indexed yet is indexed here, or, when
   * another process holds the write lock longer than busy_timeout, searched beside the index. False: not caught up.
   */
  const catchUp = (): boolean => {
    try {
      while (indexNew(CATCH_UP_BATCH) === CATCH_UP_BATCH);
      return true;
    } catch (error) {
      if (!isBusy(error)) throw error;
      return false;
    }
  };

  return async (query) => {
    let before: number | null = null;
    if (query.cursor !== undefined) {
      if (!/^[1-9]\d{0,15}$/.test(query.cursor)) throw invalid('cursor is not one this server gave out');
      before = Number(query.cursor);
    }
    const conversations = narrowTo(query);
    if (conversations === null) return { messages: [], nextCursor: null };
    const params: SearchParams = {
      employee: query.employeeId,
      match: toFtsMatch(query.terms, conversations),
      sender: query.senderId ?? null,
      conversation: query.conversationId ?? null,
      since: query.from?.getTime() ?? null,
      until: query.to?.getTime() ?? null,
      before,
      limit: query.limit + 1,
    };
    const rows = catchUp() ? select.all(params) : (tailSearch ??= createTailSearch(db))(params);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { messages: page.map(toMessage), nextCursor: rows.length > query.limit && last ? String(last.doc) : null };
  };
}
