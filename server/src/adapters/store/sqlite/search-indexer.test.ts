/**
 * The search index filled after the append (search-indexer.mjs) by the store's timer and by searches: exact at
 * every search, one owner per doc with several writers at once, and resumed after a restart. Edits and deletions on either
 * side of the watermark: message-search.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSearchQuery } from '../../../../../shared/search-text.js';
import type { Store } from '../../../ports/store.js';
import { newEmployee } from '../../../../test/support/store-per-test.js';
import { openSqliteStore } from './sqlite-store.js';

describe('the index filled between appends and by searches', () => {
  let stores: Store[] = [];
  let raw: Database.Database | null = null;
  let dir = '';
  let file = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'depesza-indexer-'));
    file = join(dir, 'depesza.db');
  });
  afterEach(async () => {
    raw?.close();
    raw = null;
    for (const store of stores) await store.close();
    stores = [];
    rmSync(dir, { recursive: true, force: true });
  });
  const open = async (searchIndexEveryMs?: number) => {
    const store = await openSqliteStore({ file, searchIndexEveryMs });
    stores.push(store);
    return store;
  };
  const setUp = async (store: Store) => {
    const now = new Date();
    const a = await store.employees.create(newEmployee());
    const b = await store.employees.create(newEmployee());
    const c = await store.conversations.openDirect({ id: randomUUID(), a: a.id, b: b.id, createdAt: now });
    return { a: a.id, conversation: c.conversation.id };
  };
  const sayIn = (store: Store, who: { a: string; conversation: string }, text: string) =>
    store.messages.append({
      id: randomUUID(), conversationId: who.conversation, senderId: who.a, clientId: randomUUID(), text, createdAt: new Date(), notifySms: false, dispatches: [],
    });
  const search = async (store: Store, employeeId: string, query: string, limit = 50) =>
    (await store.messages.search({ employeeId, terms: parseSearchQuery(query), limit })).messages.map((m) => m.text);
  const rawState = () => {
    raw ??= new Database(file);
    return raw.prepare<[], { upto: number; last: number; indexed: number; texts: number }>(`
      SELECT (SELECT upto FROM search_index_watermark) AS upto, (SELECT coalesce(max(doc), 0) FROM message_search_docs) AS last,
             (SELECT count(*) FROM message_search_docsize) AS indexed, (SELECT count(*) FROM messages WHERE text <> '') AS texts`).get()!;
  };

  it('finds a message right after its append, whether the timer got to it or not', async () => {
    // With the timer, and without it (only the search itself can have indexed them); one store open at a time.
    for (const every of [undefined, 0]) {
      const store = await open(every);
      await findsAtOnce(store);
      await store.close();
    }
  });
  const findsAtOnce = async (store: Store) => {
    const who = await setUp(store);
    for (let i = 0; i < 3; i++) {
      const texts = Array.from({ length: 700 }, (_, j) => `partia${i} numer${i}x${j}`);
      await Promise.all(texts.map((text) => sayIn(store, who, text)));
      // More than a timer's batch since the last search: some or all of it can only have been indexed by this search.
      expect(await search(store, who.a, `numer${i}x699`)).toEqual([`partia${i} numer${i}x699`]);
      expect(await search(store, who.a, `numer${i}x0`)).toEqual([`partia${i} numer${i}x0`]);
      expect(await search(store, who.a, `partia${i}`, 1000)).toHaveLength(700);
    }
  };

  it('indexes appended messages in the background, with no search asking', async () => {
    const store = await open();
    const who = await setUp(store);
    await Promise.all(Array.from({ length: 1200 }, (_, j) => sayIn(store, who, `tło ${j}`)));
    // Each poll is a read of the file through another connection; the store's own thread never indexes here.
    await vi.waitFor(() => expect(rawState().upto).toBe(rawState().last), { timeout: 20_000, interval: 50 });
    expect(rawState()).toMatchObject({ indexed: 1200, texts: 1200 });
  });

  it('indexes each message exactly once with two stores, their searches and a thread indexing in a loop at once', async () => {
    // Without their timers, so that in the rounds where the test waits for the thread, nothing else can index first.
    const one = await open(0);
    const two = await open(0);
    const who = await setUp(one);
    // A writer on another thread, truly concurrent with this one: the indexer in a loop on its own connection.
    const thread = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const Database = require(workerData.sqlite);
       import(workerData.indexer).then(({ createSearchIndexer }) => {
         const db = new Database(workerData.file);
         // No sleeping in SQLite's busy handler: it retries at once, so it is in the race whenever the lock is free.
         db.pragma('busy_timeout = 0');
         const index = createSearchIndexer(db);
         let stop = false, passed = 0;
         parentPort.once('message', () => { stop = true; });
         parentPort.postMessage('ready');
         const loop = () => {
           if (stop) { db.close(); parentPort.postMessage(passed); return; }
           let n = 0;
           try { n = index(7); } catch (e) { if (e.code !== 'SQLITE_BUSY') throw e; }
           passed += n;
           if (n > 0) parentPort.postMessage('indexed');
           setImmediate(loop);
         };
         loop();
       });`,
      { eval: true, workerData: { file, sqlite: createRequire(import.meta.url).resolve('better-sqlite3'), indexer: new URL('./search-indexer.mjs', import.meta.url).href } },
    );
    await new Promise((resolve) => thread.once('message', resolve));
    const failed = new Promise((_, reject) => thread.once('error', reject));
    const threadIndexes = () => Promise.race([failed, new Promise((resolve) => thread.once('message', resolve))]);
    for (let round = 0; round < 12; round++) {
      const appended = Promise.all(Array.from({ length: 100 }, (_, j) => sayIn(round % 2 ? one : two, who, `razem r${round} n${j}`)));
      // Every other round the thread surely indexes some first; in the others the searches race it.
      if (round % 2 === 0) await Promise.all([appended, threadIndexes()]);
      await Promise.all([appended, search(round % 2 ? two : one, who.a, `r${round}`, 1), search(one, who.a, 'razem', 1)]);
    }
    expect(await search(one, who.a, 'razem', 2000)).toHaveLength(1200);
    expect(await search(two, who.a, 'r11', 200)).toHaveLength(100);
    const passed = new Promise<number>((resolve) => thread.on('message', (m) => typeof m === 'number' && resolve(m)));
    thread.postMessage('stop');
    expect(await passed, 'the thread indexed some of them itself').toBeGreaterThan(0);
    await new Promise((resolve) => thread.once('exit', resolve));
    const state = rawState();
    expect(state.upto).toBe(state.last);
    expect(state.indexed).toBe(1200);
    raw!.exec(`INSERT INTO message_search (message_search, rank) VALUES ('integrity-check', 0)`);
  });

  it('indexes after a restart what was stored but not yet indexed before it', async () => {
    const first = await open();
    const who = await setUp(first);
    await Promise.all(Array.from({ length: 50 }, (_, j) => sayIn(first, who, `przed restartem ${j}`)));
    await search(first, who.a, 'przed');
    await first.close();
    stores = [];
    // As if the process stopped right after these commits: their rows leave the index and the watermark goes back.
    const db = new Database(file);
    const upto = db.prepare('SELECT upto FROM search_index_watermark').pluck().get() as number;
    const from = upto - 20;
    db.transaction(() => {
      db.prepare(`INSERT INTO message_search (message_search, rowid, body, conversation)
        SELECT 'delete', d.doc, m.text, hex(d.conversation_id) FROM message_search_docs d
        JOIN messages m ON m.conversation_id = d.conversation_id AND m.seq = d.seq WHERE d.doc > ?`).run(from);
      db.prepare('UPDATE search_index_watermark SET upto = ?').run(from);
    }).immediate();
    expect(db.prepare('SELECT count(*) FROM message_search_docsize').pluck().get()).toBe(30);
    db.close();

    await open();
    await vi.waitFor(() => expect(rawState().upto).toBe(upto), { timeout: 20_000, interval: 50 });
    expect(rawState().indexed).toBe(50);
    raw!.exec(`INSERT INTO message_search (message_search, rank) VALUES ('integrity-check', 0)`);
  });
});
