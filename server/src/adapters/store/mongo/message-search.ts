/**
 * Message search on MongoDB.
 *
 * What MongoDB's text index can and cannot do here: it is diacritic-insensitive (version 3) and, with
 * default_language "none", neither stems nor drops stop words; but it matches whole words only (no prefix while
 * typing), it cannot fold ł (no Unicode decomposition), and a quoted phrase in $text is checked against the
 * stored string with diacritics. So every message carries `searchText`: its words folded (lower case, diacritics
 * dropped, ł→l) and joined by single spaces with a space at each end. The text index on it narrows a query by its
 * complete words; an anchored regex over `searchText` decides exactly (every term, phrases as adjacent words, the
 * last word of a term as a prefix), within the member's conversations. A query of one word being typed has no
 * complete word and is answered by the regex over the member's conversations alone (index conversation_created),
 * whose cost grows with the number of messages in them.
 *
 * A query with $text reads the text index alone and filters by conversation afterwards (a text index cannot be
 * combined with another, and one with a conversation prefix would need an equality on it): in one quiet
 * conversation, or for a member of few, it reads every matching message of the whole store. So when the
 * conversations searched hold few messages in all (their lastSeq), the words narrow nothing and the regex walks
 * those conversations newest first instead.
 */
import { searchableWords, type SearchTerm } from '../../../../../shared/search-text.js';
import { invalid } from '../../../domain/errors.js';
import type { MessageSearchQuery, MessageSearchResult } from '../../../ports/store.js';
import { toMessage } from './docs.js';
import type { MessageDoc, Models } from './models.js';

/** Gives messages stored before search existed their `searchText`; finds nothing once done. */
export async function backfillSearchText(models: Models): Promise<void> {
  const messages = models.Message.collection;
  const batch: Array<{ updateOne: { filter: { _id: string }; update: { $set: { searchText: string } } } }> = [];
  const flush = async () => {
    if (batch.length > 0) await messages.bulkWrite(batch.splice(0) as never, { ordered: false });
  };
  for await (const doc of messages.find<{ _id: string; text: string }>({ searchText: { $exists: false } }, { projection: { text: 1 } })) {
    batch.push({ updateOne: { filter: { _id: doc._id }, update: { $set: { searchText: searchableWords(doc.text) } } } });
    if (batch.length >= 1000) await flush();
  }
  await flush();
}

/** Up to this many messages in the conversations searched, they are read newest first without the text index. */
export const SCAN_WITHOUT_TEXT_INDEX = 20_000;

const escapeRegex = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** ` w1 w2` followed by a space (whole last word) or anything (prefix): searchText has a space at each end. */
export function termRegex(term: SearchTerm): string {
  return ` ${term.words.map(escapeRegex).join(' ')}${term.prefix ? '' : ' '}`;
}

/** Words that are certainly complete: inside a closed phrase, or any but the last of an open term. */
function completeWords(terms: SearchTerm[]): string[] {
  return terms.flatMap((t) => (t.prefix ? t.words.slice(0, -1) : t.words));
}

function parseCursor(cursor: string): { at: Date; id: string } {
  const match = /^(\d{1,15})_(.{1,64})$/.exec(cursor);
  if (!match) throw invalid('cursor is not one this server gave out');
  return { at: new Date(Number(match[1])), id: match[2] as string };
}

export function createMessageSearch(models: Models): (query: MessageSearchQuery) => Promise<MessageSearchResult> {
  const { Conversation, Message } = models;
  return async (query) => {
    let memberOf = await Conversation.find({ 'members.employeeId': query.employeeId }, { _id: 1, lastSeq: 1 })
      .lean<Array<{ _id: string; lastSeq: number }>>()
      .exec();
    if (query.conversationId !== undefined) memberOf = memberOf.filter((c) => c._id === query.conversationId);
    if (memberOf.length === 0) return { messages: [], nextCursor: null };
    const conversationIds = memberOf.map((c) => c._id);
    const fewMessages = memberOf.reduce((sum, c) => sum + c.lastSeq, 0) <= SCAN_WITHOUT_TEXT_INDEX;

    const and: Record<string, unknown>[] = query.terms.map((term) => ({ searchText: { $regex: termRegex(term) } }));
    if (query.cursor !== undefined) {
      const { at, id } = parseCursor(query.cursor);
      and.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: id } }] });
    }
    const createdAt: Record<string, Date> = {};
    if (query.from) createdAt.$gte = query.from;
    if (query.to) createdAt.$lt = query.to;
    const words = fewMessages ? [] : completeWords(query.terms);
    const filter: Record<string, unknown> = {
      conversationId: { $in: conversationIds },
      ...(query.senderId !== undefined ? { senderId: query.senderId } : {}),
      ...(Object.keys(createdAt).length > 0 ? { createdAt } : {}),
      // Unquoted words in $search are OR-ed: the index only narrows; the regexes above decide.
      ...(words.length > 0 ? { $text: { $search: words.join(' ') } } : {}),
      $and: and,
    };
    const docs = await Message.find(filter).sort({ createdAt: -1, _id: -1 }).limit(query.limit + 1).lean<MessageDoc[]>().exec();
    const page = docs.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      messages: page.map(toMessage),
      nextCursor: docs.length > query.limit && last ? `${last.createdAt.getTime()}_${last._id}` : null,
    };
  };
}
