/**
 * `message:search` over real sockets: only what the searcher may read, Polish-aware, with a plain-text snippet and
 * the matches' offsets, paged, and a clear error for a bad query or filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { ConversationSummary } from '../../shared/schemas/index.js';
import { requestUnchecked, startTestApp, type ClientSocket, type TestApp } from './support/test-app.js';
import { call, errorOf, openDirect, send } from './support/messaging.js';

describe('message search over the wire', () => {
  let t: TestApp;
  let bartek: ClientSocket;
  let darek: ClientSocket;
  let direct: ConversationSummary;

  beforeAll(async () => {
    t = await startTestApp();
    const sockets = await Promise.all(['anna', 'bartek', 'darek'].map((l) => t.connectAs(l)));
    const anna = sockets[0] as ClientSocket;
    [bartek, darek] = sockets.slice(1) as [ClientSocket, ClientSocket];
    direct = await openDirect(t, anna, 'bartek');
    const group = await call(anna, 'conversation:createGroup', { name: 'Zarząd', memberIds: [await t.idOf('bartek')] });
    await send(anna, direct.id, 'Poufne: przejęcie firmy z Łodzi zaplanowane na piątek');
    await send(bartek, group.id, 'Żółty samochód służbowy stoi pod biurem');
    for (let i = 1; i <= 3; i++) await send(anna, group.id, `raport kwartalny ${i}`);
  });
  afterAll(async () => t.stop({ remove: true }));

  it('finds a member\'s message without Polish letters and marks the match in a plain-text snippet', async () => {
    const page = await call(bartek, 'message:search', { query: 'lodz' });
    expect(page.hits).toHaveLength(1);
    const hit = page.hits[0]!;
    expect(hit).toMatchObject({ conversationId: direct.id, senderId: await t.idOf('anna'), seq: 1 });
    const [start, end] = hit.snippet.highlights[0]!;
    expect(hit.snippet.text.slice(start, end)).toBe('Łodzi');
    const again = await call(bartek, 'message:search', { query: 'ŻÓŁTY "samochód służbowy"' });
    expect(again.hits.map((h) => h.snippet.text)).toEqual(['Żółty samochód służbowy stoi pod biurem']);
    expect(again.hits[0]!.snippet.highlights).toEqual([[0, 5], [6, 23]]);
  });

  it('never finds a message for someone who is not a member of its conversation', async () => {
    expect((await call(darek, 'message:search', { query: 'przejecie' })).hits).toEqual([]);
    expect((await call(darek, 'message:search', { query: 'zolty' })).hits).toEqual([]);
    // Naming the conversation gets the answer a made-up id gets.
    const named = await requestUnchecked(darek, 'message:search', { query: 'przejecie', conversationId: direct.id });
    const madeUp = await requestUnchecked(darek, 'message:search', { query: 'przejecie', conversationId: randomUUID() });
    expect(errorOf(named)).toEqual({ code: 'NOT_FOUND', message: 'No such conversation' });
    expect(named).toEqual(madeUp);
  });

  it('pages newest first through the cursor', async () => {
    const first = await call(bartek, 'message:search', { query: 'raport', limit: 2 });
    expect(first.hits.map((h) => h.snippet.text)).toEqual(['raport kwartalny 3', 'raport kwartalny 2']);
    const second = await call(bartek, 'message:search', { query: 'raport', limit: 2, cursor: first.nextCursor! });
    expect(second.hits.map((h) => h.snippet.text)).toEqual(['raport kwartalny 1']);
    expect(second.nextCursor).toBeNull();
  });

  it('answers a bad query or filter with an error naming the field', async () => {
    const cases: Array<[payload: unknown, field: string, rule: string]> = [
      [{ query: '' }, 'query', 'required'],
      [{ query: '?!' }, 'query', 'pattern'],
      [{ query: 'raport', from: 'yesterday' }, 'from', 'format'],
      [{ query: 'raport', from: '2025-03-04T00:00:00Z', to: '2025-03-03T00:00:00Z' }, 'to', 'range'],
      [{ query: 'raport', limit: 500 }, 'limit', 'range'],
      [{ query: 'raport', page: 2 }, 'page', 'unknown_field'],
      [{ query: 'raport', cursor: 'not-ours' }, '', ''],
    ];
    for (const [payload, field, rule] of cases) {
      const error = errorOf(await requestUnchecked(bartek, 'message:search', payload));
      expect(error.code, JSON.stringify(payload)).toBe('VALIDATION_FAILED');
      if (field) expect(error, JSON.stringify(payload)).toMatchObject({ field, rule });
    }
  });
});

describe('history around a message (the jump to a search hit)', () => {
  let t: TestApp;
  afterAll(async () => t.stop({ remove: true }));

  it('returns the message with up to half a page before and after it, and says whether more exist each way', async () => {
    t = await startTestApp();
    const [anna, darek] = (await Promise.all(['anna', 'darek'].map((l) => t.connectAs(l)))) as [ClientSocket, ClientSocket];
    const direct = await openDirect(t, anna, 'bartek');
    const sent = [];
    for (let i = 1; i <= 30; i++) sent.push(await send(anna, direct.id, `wiadomość ${i}`));
    const page = await call(anna, 'message:history', { conversationId: direct.id, around: sent[14]!.id, limit: 10 });
    expect(page.messages.map((m) => m.seq)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(page).toMatchObject({ hasMore: true, hasNewer: true });
    const edge = await call(anna, 'message:history', { conversationId: direct.id, around: sent[28]!.id, limit: 10 });
    expect(edge.messages.map((m) => m.seq)).toEqual([24, 25, 26, 27, 28, 29, 30]);
    expect(edge).toMatchObject({ hasMore: true, hasNewer: false });
    const outsider = await requestUnchecked(darek, 'message:history', { conversationId: direct.id, around: sent[0]!.id });
    expect(errorOf(outsider).code).toBe('NOT_FOUND');
  });
});
