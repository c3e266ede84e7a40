/**
 * Message search: what one employee may find (messages of conversations they are a member of, never deleted
 * text), with filters, as pages of hits with a plain-text snippet and the matches' offsets.
 */
import type { SearchPage, SearchRequest } from '../../../shared/schemas/index.js';
import { SEARCH_PAGE_SIZE } from '../../../shared/schemas/index.js';
import { parseSearchQuery } from '../../../shared/search-text.js';
import type { Employee } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import { makeSnippet } from '../domain/search-snippet.js';
import type { Store } from '../ports/store.js';

export function createSearchService(deps: { store: Store }) {
  const { store } = deps;
  return {
    async search(me: Employee, request: SearchRequest): Promise<SearchPage> {
      const terms = parseSearchQuery(request.query);
      if (terms.length === 0) {
        throw new DomainError('VALIDATION_FAILED', 'query has no letters or digits to search for', { field: 'query', rule: 'pattern' });
      }
      const from = request.from === undefined ? undefined : new Date(request.from);
      const to = request.to === undefined ? undefined : new Date(request.to);
      if (from && to && from.getTime() >= to.getTime()) {
        throw new DomainError('VALIDATION_FAILED', 'to must be later than from', { field: 'to', rule: 'range' });
      }
      // The same answer for a conversation that does not exist and one that is not yours.
      if (request.conversationId !== undefined && !(await store.conversations.memberIdsIfMember(request.conversationId, me.id))) {
        throw notFound('No such conversation');
      }
      const result = await store.messages.search({
        employeeId: me.id,
        terms,
        ...(request.senderId !== undefined ? { senderId: request.senderId } : {}),
        ...(request.conversationId !== undefined ? { conversationId: request.conversationId } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
        limit: request.limit ?? SEARCH_PAGE_SIZE,
      });
      return {
        hits: result.messages.map((m) => ({
          messageId: m.id,
          conversationId: m.conversationId,
          seq: m.seq,
          senderId: m.senderId,
          createdAt: m.createdAt.toISOString(),
          snippet: makeSnippet(m.text, terms),
        })),
        nextCursor: result.nextCursor,
      };
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
