import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchHit, SearchPage } from '../../../../shared/schemas/index.js';
import { FakeSocket, NO_ANSWER } from './testing/fake-socket.js';
import { dayRange, SEARCH_DEBOUNCE_MS, SearchManager } from './search-manager.svelte.js';

const hit = (id: string): SearchHit => ({
  messageId: id, conversationId: 'c1', seq: 1, senderId: 'e1', createdAt: '2025-03-03T08:00:00.000Z',
  snippet: { text: id, highlights: [], cutStart: false, cutEnd: false },
});

describe('SearchManager', () => {
  let socket: FakeSocket;
  let search: SearchManager;
  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    search = new SearchManager(socket);
  });
  afterEach(() => vi.useRealTimers());

  it('asks once after a pause in typing, with the filters', async () => {
    socket.answer('message:search', () => ({ hits: [hit('m1')], nextCursor: null }));
    search.update('Ł', {});
    search.update('Łó', {});
    search.update('Łódź', { senderId: 'e2', fromDay: '2025-03-01', toDay: '2025-03-01' });
    expect(search.status).toBe('searching');
    expect(socket.payloads('message:search')).toEqual([]);
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(socket.payloads('message:search')).toEqual([{ query: 'Łódź', senderId: 'e2', ...dayRange({ fromDay: '2025-03-01', toDay: '2025-03-01' }) }]);
    expect(search.hits.map((h) => h.messageId)).toEqual(['m1']);
    expect(search.status).toBe('done');
  });

  it('shows only the answer to the latest question', async () => {
    const answers: Array<(page: SearchPage) => void> = [];
    socket.answer('message:search', () => new Promise<SearchPage>((resolve) => answers.push(resolve)));
    search.update('stary', {});
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    search.update('nowy', {});
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    answers[1]!({ hits: [hit('new')], nextCursor: null });
    answers[0]!({ hits: [hit('old')], nextCursor: null });
    await vi.advanceTimersByTimeAsync(0);
    expect(search.hits.map((h) => h.messageId)).toEqual(['new']);
  });

  it('pages on with the cursor and clears for a query with nothing to search for', async () => {
    socket.answer('message:search', ({ cursor }) => (cursor ? { hits: [hit('m2')], nextCursor: null } : { hits: [hit('m1')], nextCursor: 'k1' }));
    search.update('raport', {});
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(search.hasMore).toBe(true);
    await search.more();
    expect(search.hits.map((h) => h.messageId)).toEqual(['m1', 'm2']);
    expect(socket.payloads('message:search')[1]).toMatchObject({ cursor: 'k1' });
    search.update(' ?! ', {});
    expect(search.hits).toEqual([]);
    expect(search.status).toBe('idle');
  });

  it('keeps the server error for the words', async () => {
    socket.answer('message:search', () => NO_ANSWER);
    socket.connected = false;
    search.update('raport', {});
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(search.status).toBe('error');
    expect(search.error?.code).toBe('DISCONNECTED');
  });

  it('turns local days into an inclusive range of instants', () => {
    const range = dayRange({ fromDay: '2025-03-01', toDay: '2025-03-02' });
    expect(new Date(range.to!).getTime() - new Date(range.from!).getTime()).toBe(2 * 24 * 3600_000);
  });
});
