/** Message search (`message:search`): the request with its filters, and one page of hits. */
import { Type, type Static } from 'typebox';
import { SEARCH_QUERY_MAX_LENGTH } from '../limits.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });

export const SEARCH_PAGE_SIZE = 20;
export { SEARCH_QUERY_MAX_LENGTH };

export const SearchRequest = Type.Object(
  {
    /** Words (each may be the start of a word) and "quoted phrases"; every one must occur. */
    query: Type.String({ minLength: 1, maxLength: SEARCH_QUERY_MAX_LENGTH }),
    /** Only messages sent by this employee. */
    senderId: Type.Optional(Id),
    /** Only this conversation (one the searcher is a member of). */
    conversationId: Type.Optional(Id),
    /** Sent at or after this moment (ISO 8601). */
    from: Type.Optional(Type.String({ format: 'date-time' })),
    /** Sent before this moment (ISO 8601). */
    to: Type.Optional(Type.String({ format: 'date-time' })),
    /** The `nextCursor` of the previous page. */
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
export type SearchRequest = Static<typeof SearchRequest>;

/** Part of a message around the match; `highlights` are [start, end) offsets into `text` (plain text, no markup). */
export const SearchSnippet = Type.Object({
  text: Type.String(),
  highlights: Type.Array(Type.Tuple([Type.Integer(), Type.Integer()])),
  /** Text was cut before / after the snippet. */
  cutStart: Type.Boolean(),
  cutEnd: Type.Boolean(),
});
export type SearchSnippet = Static<typeof SearchSnippet>;

export const SearchHit = Type.Object({
  messageId: Id,
  conversationId: Id,
  seq: Type.Integer(),
  senderId: Id,
  createdAt: Type.String(),
  snippet: SearchSnippet,
});
export type SearchHit = Static<typeof SearchHit>;

export const SearchPage = Type.Object({
  hits: Type.Array(SearchHit),
  /** Pass as `cursor` for the next (older) page; null when there is none. */
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type SearchPage = Static<typeof SearchPage>;
