/**
 * Message search over the FTS5 index kept by the triggers of schema step 7 (migrations.ts). The index is
 * contentless (the text lives once, in `messages`) and holds the text with ł folded to l; FTS5's unicode61
 * tokenizer with remove_diacritics 2 folds the rest. Its rowids are `message_search_docs.doc`, numbered in insert
 * order, so "newest first" is FTS5's own rowid order and a page stops as soon as it is full.
 *
 * That walk reads every match of the words until a page is full, and throws away those outside the filter: for a
 * common word in one quiet conversation, most of the index. So a search in a conversation of at most
 * CONVERSATION_FIRST_MAX messages walks the conversation's own messages instead, newest first, asking FTS5 about
 * each by rowid (a seek, not a scan): its cost is bounded by the conversation's size, not the company's history.
 * A larger conversation is walked by the words as before — there the words' matches come often enough.
 */
import type Database from 'better-sqlite3';
import type { SearchTerm } from '../../../../../shared/search-text.js';
import { invalid } from '../../../domain/errors.js';
import type { MessageSearchQuery, MessageSearchResult } from '../../../ports/store.js';
import { toMessage, type MessageRow } from './rows.js';

interface SearchParams {
  employee: string;
  match: string;
  sender: string | null;
  conversation: string | null;
  since: number | null;
  until: number | null;
  before: number | null;
  limit: number;
}

/** `"w1 w2"` (a phrase of whole words) or `"w1 w2" *` (its last word a prefix), all required. */
export function toFtsMatch(terms: SearchTerm[]): string {
  return terms
    .map((term) => `"${term.words.join(' ').replaceAll('"', '""')}"${term.prefix ? ' *' : ''}`)
    .join(' AND ');
}

/** Measured with `npm run bench -- --only=search` (README "Benchmarks"). */
export const CONVERSATION_FIRST_MAX = 5000;

export function createMessageSearch(db: Database.Database): (query: MessageSearchQuery) => Promise<MessageSearchResult> {
  const sizeOf = db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM conversations WHERE id = ?');
  // By the (conversation_id, seq) index of the docs, newest first; docs are numbered in insert order, so within a
  // conversation seq order is doc order and the cursor (a doc) works the same as in the walk by words.
  const inConversation = db.prepare<SearchParams, MessageRow & { doc: number }>(`
    SELECT m.*, d.doc AS doc
    FROM memberships ms
    JOIN message_search_docs d ON d.conversation_id = ms.conversation_id
    JOIN messages m ON m.conversation_id = d.conversation_id AND m.seq = d.seq
    WHERE ms.conversation_id = @conversation AND ms.employee_id = @employee
      AND (@before IS NULL OR d.doc < @before)
      AND (@sender IS NULL OR m.sender_id = @sender)
      AND (@since IS NULL OR m.created_at >= @since)
      AND (@until IS NULL OR m.created_at < @until)
      AND EXISTS (SELECT 1 FROM message_search s WHERE s.rowid = d.doc AND message_search MATCH @match)
    ORDER BY d.seq DESC
    LIMIT @limit`);
  const select = db.prepare<SearchParams, MessageRow & { doc: number }>(`
    SELECT m.*, s.rowid AS doc
    FROM message_search s
    JOIN message_search_docs d ON d.doc = s.rowid
    JOIN messages m ON m.conversation_id = d.conversation_id AND m.seq = d.seq
    JOIN memberships ms ON ms.conversation_id = m.conversation_id AND ms.employee_id = @employee
    WHERE message_search MATCH @match
      AND (@before IS NULL OR s.rowid < @before)
      AND (@sender IS NULL OR m.sender_id = @sender)
      AND (@conversation IS NULL OR m.conversation_id = @conversation)
      AND (@since IS NULL OR m.created_at >= @since)
      AND (@until IS NULL OR m.created_at < @until)
    ORDER BY s.rowid DESC
    LIMIT @limit`);

  return async (query) => {
    let before: number | null = null;
    if (query.cursor !== undefined) {
      if (!/^[1-9]\d{0,15}$/.test(query.cursor)) throw invalid('cursor is not one this server gave out');
      before = Number(query.cursor);
    }
    const size = query.conversationId === undefined ? undefined : sizeOf.get(query.conversationId)?.last_seq;
    const plan = size !== undefined && size <= CONVERSATION_FIRST_MAX ? inConversation : select;
    const rows = plan.all({
      employee: query.employeeId,
      match: toFtsMatch(query.terms),
      sender: query.senderId ?? null,
      conversation: query.conversationId ?? null,
      since: query.from?.getTime() ?? null,
      until: query.to?.getTime() ?? null,
      before,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { messages: page.map(toMessage), nextCursor: rows.length > query.limit && last ? String(last.doc) : null };
  };
}
