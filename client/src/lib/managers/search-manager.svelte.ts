/**
 * Message search while typing: waits for a pause in typing, asks `message:search`, shows only the answer to the
 * latest question (an earlier one answering late is dropped), and pages on with the server's cursor.
 */
import type { SearchHit, SearchRequest } from '../../../../shared/schemas/index.js';
import { parseSearchQuery } from '../../../../shared/search-text.js';
import { toApiError, type ApiError } from '../errors.js';
import type { SocketPort } from '../socket.js';

export const SEARCH_DEBOUNCE_MS = 250;

export interface SearchFilters {
  senderId?: string;
  conversationId?: string;
  /** Local calendar days, YYYY-MM-DD, both inclusive. */
  fromDay?: string;
  toDay?: string;
}

/** Local calendar days to the request's instants: `to` is the start of the day after `toDay`. */
export function dayRange(filters: SearchFilters): Pick<SearchRequest, 'from' | 'to'> {
  const start = (day: string) => new Date(`${day}T00:00:00`);
  const range: Pick<SearchRequest, 'from' | 'to'> = {};
  if (filters.fromDay) range.from = start(filters.fromDay).toISOString();
  if (filters.toDay) {
    const end = start(filters.toDay);
    end.setDate(end.getDate() + 1);
    range.to = end.toISOString();
  }
  return range;
}

export class SearchManager {
  readonly #socket: SocketPort;
  #hits = $state.raw<SearchHit[]>([]);
  #status = $state<'idle' | 'searching' | 'done' | 'error'>('idle');
  #error = $state<ApiError | null>(null);
  #nextCursor = $state<string | null>(null);
  #query = '';
  #filters: SearchFilters = {};
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by every new question; an answer for an older one is ignored. */
  #generation = 0;

  constructor(socket: SocketPort) {
    this.#socket = socket;
  }

  get hits(): SearchHit[] {
    return this.#hits;
  }
  get status(): 'idle' | 'searching' | 'done' | 'error' {
    return this.#status;
  }
  get error(): ApiError | null {
    return this.#error;
  }
  get hasMore(): boolean {
    return this.#nextCursor !== null;
  }

  /** The query or filters changed: search after a pause in typing; nothing to search for clears the results. */
  update(query: string, filters: SearchFilters): void {
    this.#query = query;
    this.#filters = filters;
    this.#generation++;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (parseSearchQuery(query).length === 0) {
      this.#clear();
      return;
    }
    this.#status = 'searching';
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#fetch(false);
    }, SEARCH_DEBOUNCE_MS);
  }

  async more(): Promise<void> {
    if (this.#nextCursor === null || this.#status === 'searching') return;
    this.#status = 'searching';
    await this.#fetch(true);
  }

  reset(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#generation++;
    this.#query = '';
    this.#clear();
  }

  #clear(): void {
    this.#hits = [];
    this.#nextCursor = null;
    this.#error = null;
    this.#status = 'idle';
  }

  async #fetch(append: boolean): Promise<void> {
    const generation = this.#generation;
    const { senderId, conversationId } = this.#filters;
    const request: SearchRequest = {
      query: this.#query.trim(),
      ...(senderId ? { senderId } : {}),
      ...(conversationId ? { conversationId } : {}),
      ...dayRange(this.#filters),
      ...(append && this.#nextCursor ? { cursor: this.#nextCursor } : {}),
    };
    try {
      const page = await this.#socket.request('message:search', request);
      if (generation !== this.#generation) return;
      this.#hits = append ? [...this.#hits, ...page.hits] : page.hits;
      this.#nextCursor = page.nextCursor;
      this.#error = null;
      this.#status = 'done';
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#error = toApiError(error);
      this.#status = 'error';
    }
  }
}
