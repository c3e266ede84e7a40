/**
 * Message search over the FTS5 index kept by the triggers of schema step 7 (migrations.ts). The index is
 * contentless (the text lives once, in `messages`) and holds the text with ł folded to l; FTS5's unicode61
 * tokenizer with remove_diacritics 2 folds the rest. Its rowids are `message_search_docs.doc`, numbered in insert
 * order, so "newest first" is FTS5's own rowid order and a page stops as soon as it is full.
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

export function createMessageSearch(db: Database.Database): (query: MessageSearchQuery) => Promise<MessageSearchResult> {
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
    const rows = select.all({
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
