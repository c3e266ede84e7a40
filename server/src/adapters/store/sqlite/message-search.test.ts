import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../../../../shared/search-text.js';
import { runSearchContract } from '../../../../test/store-contract-search.js';
import { createMessageSearch, toFtsMatch, SEARCH_SQL } from './message-search.js';
import { migrate, migrations } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';
import { createSearchIndexer } from './search-indexer.mjs';

runSearchContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'depesza-search-'));
  const file = join(dir, 'depesza.db');
  const store = await openSqliteStore({ file });
  // Another connection, as any other code path writing `messages` would be: only the schema's triggers can help it.
  const other = new Database(file);
  other.pragma('busy_timeout = 5000');
  const setText = other.prepare<[string, string]>('UPDATE messages SET text = ? WHERE id = ?');
  return {
    store,
    async writeText(messageId, text) {
      setText.run(text, messageId);
    },
    async cleanup() {
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite message search index', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'depesza-search-'));
    file = join(dir, 'depesza.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Anna, the only member of group c1. */
  const seedMember = (db: Database.Database) => {
    const now = Date.now();
    db.prepare(`INSERT INTO employees (id, login, name, title, role, active, mobile_raw, mobile_e164, mobile_private, password_hash, created_at, updated_at)
      VALUES ('e1', 'anna', 'Anna', NULL, 'employee', 1, NULL, NULL, 0, 'x', ?, ?)`).run(now, now);
    db.prepare(`INSERT INTO conversations (id, kind, name, direct_key, created_by, created_at, last_seq, last_activity_at)
      VALUES ('c1', 'group', 'G', NULL, 'e1', ?, 2, ?)`).run(now, now);
    db.prepare(`INSERT INTO memberships (conversation_id, employee_id, joined_at) VALUES ('c1', 'e1', ?)`).run(now);
  };
  const seed = (db: Database.Database) => {
    const now = Date.now();
    seedMember(db);
    // rev (issue 11's step, which runs before search's) is unique per conversation.
    const insert = db.prepare(`INSERT INTO messages (conversation_id, seq, rev, id, sender_id, client_id, text, created_at, notify_sms)
      VALUES ('c1', ?, ?, ?, 'e1', ?, ?, ?, 0)`);
    insert.run(1, 1, 'm1', randomUUID(), 'Wyjazd do Łodzi w piątek', now);
    insert.run(2, 2, 'm2', randomUUID(), 'żółta kartka', now + 1);
  };

  it('indexes the messages stored before the search step when the database is upgraded', async () => {
    const db = new Database(file);
    const searchStep = migrations.findIndex((step) => typeof step === 'string' && step.includes('CREATE VIRTUAL TABLE message_search'));
    expect(searchStep).toBeGreaterThan(0);
    migrate(db, searchStep);
    seed(db);
    db.close();
    const store = await openSqliteStore({ file });
    try {
      const found = await store.messages.search({ employeeId: 'e1', terms: parseSearchQuery('lodz'), limit: 10 });
      expect(found.messages.map((m) => m.id)).toEqual(['m1']);
      const newest = await store.messages.search({ employeeId: 'e1', terms: parseSearchQuery('w'), limit: 10 });
      expect(newest.messages.map((m) => m.id)).toEqual(['m1']);
      const both = await store.messages.search({ employeeId: 'e1', terms: parseSearchQuery('zolta'), limit: 10 });
      expect(both.messages.map((m) => m.id)).toEqual(['m2']);
    } finally {
      await store.close();
    }
  });

  it('drops a deleted row and an edited text\'s old words from the index itself (secure-delete)', async () => {
    const db = new Database(file);
    migrate(db);
    seed(db);
    // Indexed in a batch after the append (search-indexer.mjs); edits and deletions after it reach the index at once.
    expect(createSearchIndexer(db)()).toBe(2);
    const terms = () => db.prepare<[], { term: string }>('SELECT term FROM temp.search_vocab').all().map((r) => r.term);
    db.exec(`CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, message_search, 'row')`);
    expect(terms()).toContain('piatek');
    db.prepare(`UPDATE messages SET text = 'przełożone' WHERE id = 'm1'`).run();
    expect(terms()).not.toContain('piatek');
    expect(terms()).toContain('przelozone');
    db.prepare(`DELETE FROM messages WHERE id = 'm2'`).run();
    expect(terms()).not.toContain('kartka');
    expect(db.prepare('SELECT count(*) AS n FROM message_search_docs').get()).toEqual({ n: 1 });
    db.close();
  });

  it('rebuilds the index with the conversation column when a database of the step before is upgraded, cursors kept', async () => {
    const step = migrations.findIndex((s) => typeof s === 'string' && s.includes('fts5(\n    body, conversation,'));
    expect(step, "the schema step that adds the conversation column").toBeGreaterThan(0);
    const db = new Database(file);
    migrate(db, step);
    seed(db);
    const now = Date.now();
    db.prepare(`INSERT INTO conversations (id, kind, name, direct_key, created_by, created_at, last_seq, last_activity_at)
      VALUES ('c2', 'group', 'H', NULL, 'e1', ?, 2, ?)`).run(now, now);
    db.prepare(`INSERT INTO memberships (conversation_id, employee_id, joined_at) VALUES ('c2', 'e1', ?)`).run(now);
    const insert = db.prepare(`INSERT INTO messages (conversation_id, seq, rev, id, sender_id, client_id, text, created_at, notify_sms)
      VALUES ('c2', ?, ?, ?, 'e1', ?, ?, ?, 0)`);
    insert.run(1, 1, 'm3', randomUUID(), 'żółta kartka w Łodzi', now + 2);
    insert.run(2, 2, 'm4', randomUUID(), 'kartka', now + 3);
    const docsBefore = db.prepare('SELECT doc, conversation_id, seq FROM message_search_docs ORDER BY doc').all();
    db.close();

    const store = await openSqliteStore({ file });
    try {
      const search = async (query: string, more: { conversationId?: string; cursor?: string; limit?: number } = {}) => {
        const found = await store.messages.search({ employeeId: 'e1', terms: parseSearchQuery(query), limit: more.limit ?? 10, ...more });
        return { ids: found.messages.map((m) => m.id), next: found.nextCursor };
      };
      expect((await search('kartka')).ids).toEqual(['m4', 'm3', 'm2']);
      expect((await search('kartka', { conversationId: 'c1' })).ids).toEqual(['m2']);
      expect((await search('lodz', { conversationId: 'c2' })).ids).toEqual(['m3']);
      expect((await search('lodz', { conversationId: 'c1' })).ids).toEqual(['m1']);
      // A conversation token is no word: hex of 'c1' is 6331, and a prefix of it finds nothing.
      expect((await search('633')).ids).toEqual([]);
      const first = await search('kart', { limit: 1 });
      expect(first.ids).toEqual(['m4']);
      expect((await search('kart', { limit: 5, cursor: first.next as string })).ids).toEqual(['m3', 'm2']);
      expect(new Database(file, { readonly: true }).prepare('SELECT doc, conversation_id, seq FROM message_search_docs ORDER BY doc').all()).toEqual(docsBefore);
      await store.messages.change('c2', 'm3', () => ({ text: '', deletedAt: new Date(now + 10), deletedBy: 'e1' }));
      expect((await search('lodz', { conversationId: 'c2' })).ids).toEqual([]);
      expect((await search('kartka', { conversationId: 'c2' })).ids).toEqual(['m4']);
    } finally {
      await store.close();
    }
  });

  it('takes a conversation\'s token out of the index with its last text', () => {
    const db = new Database(file);
    migrate(db);
    seed(db);
    createSearchIndexer(db)();
    db.exec(`CREATE VIRTUAL TABLE temp.search_cols USING fts5vocab(main, message_search, 'col')`);
    const tokens = () => db.prepare<[], { term: string }>(`SELECT term FROM temp.search_cols WHERE col = 'conversation'`).all().map((r) => r.term);
    expect(tokens()).toEqual([Buffer.from('c1').toString('hex')]);
    db.prepare(`UPDATE messages SET text = '' WHERE id = 'm1'`).run();
    expect(tokens()).toEqual([Buffer.from('c1').toString('hex')]);
    db.prepare(`DELETE FROM messages WHERE id = 'm2'`).run();
    expect(tokens()).toEqual([]);
    db.close();
  });

  describe('indexed after the append, behind a watermark (search-indexer.mjs)', () => {
    let db: Database.Database;
    let seq = 0;
    beforeEach(() => {
      db = new Database(file);
      migrate(db);
      seq = 0;
      seedMember(db);
    });
    afterEach(() => db.close());

    const say = (id: string, text: string) => {
      seq += 1;
      db.prepare(`INSERT INTO messages (conversation_id, seq, rev, id, sender_id, client_id, text, created_at, notify_sms)
        VALUES ('c1', ?, ?, ?, 'e1', ?, ?, ?, 0)`).run(seq, seq, id, randomUUID(), text, Date.now() + seq);
    };
    /** What the index answers by itself, without catching up first. */
    const found = (query: string) =>
      db.prepare<Record<string, unknown>, { id: string }>(SEARCH_SQL).all({
        employee: 'e1', match: toFtsMatch(parseSearchQuery(query)), sender: null, conversation: null, since: null, until: null, before: null, limit: 50,
      }).map((r) => r.id);
    const words = () => {
      db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, message_search, 'row')`);
      return db.prepare<[], { term: string }>('SELECT term FROM temp.vocab').all().map((r) => r.term);
    };
    const watermark = () => db.prepare('SELECT upto FROM search_index_watermark').pluck().get() as number;
    /** FTS5's own check: a 'delete' of a row the index never held would leave it inconsistent. */
    const intact = () => db.exec(`INSERT INTO message_search (message_search, rank) VALUES ('integrity-check', 0)`);

    it('leaves a new message out of the index until a batch indexes it, then finds it', () => {
      say('m1', 'wyjazd do Łodzi');
      expect(found('lodz')).toEqual([]);
      expect(createSearchIndexer(db)()).toBe(1);
      expect(found('lodz')).toEqual(['m1']);
      expect(createSearchIndexer(db)()).toBe(0);
      intact();
    });

    it('indexes the latest text of a message edited before it was indexed, and never the old one', () => {
      say('m1', 'stary tekst');
      say('m2', 'zostaje');
      db.prepare(`UPDATE messages SET text = 'nowa treść' WHERE id = 'm1'`).run();
      db.prepare(`UPDATE messages SET text = '' WHERE id = 'm2'`).run();
      createSearchIndexer(db)();
      intact();
      expect(found('nowa')).toEqual(['m1']);
      expect(found('stary')).toEqual([]);
      expect(found('zostaje')).toEqual([]);
      expect(words()).not.toContain('stary');
      // Edited again once indexed: the index follows at once.
      db.prepare(`UPDATE messages SET text = 'trzecia wersja' WHERE id = 'm1'`).run();
      db.prepare(`UPDATE messages SET text = 'wrócił' WHERE id = 'm2'`).run();
      intact();
      expect(found('nowa')).toEqual([]);
      expect(found('trzecia')).toEqual(['m1']);
      expect(found('wrocil')).toEqual(['m2']);
    });

    it('forgets a message deleted before it was indexed, and one deleted after, keeping the others', () => {
      say('m1', 'kartka pierwsza');
      say('m2', 'kartka druga');
      createSearchIndexer(db)();
      say('m3', 'kartka trzecia');
      say('m4', 'kartka czwarta');
      db.prepare(`DELETE FROM messages WHERE id IN ('m2', 'm3')`).run();
      intact();
      expect(found('kartka')).toEqual(['m1']);
      createSearchIndexer(db)();
      intact();
      expect(found('kartka')).toEqual(['m4', 'm1']);
      expect(words()).not.toContain('druga');
      expect(words()).not.toContain('trzecia');
    });

    it('numbers a message above the watermark when the newest indexed ones were deleted, so it is still indexed', () => {
      say('m1', 'alfa');
      say('m2', 'beta');
      createSearchIndexer(db)();
      expect(watermark()).toBe(2);
      db.prepare(`DELETE FROM messages WHERE id = 'm2'`).run();
      say('m3', 'gamma');
      const doc = db.prepare(`SELECT doc FROM message_search_docs WHERE seq = 3`).pluck().get() as number;
      expect(doc).toBeGreaterThan(2);
      db.prepare(`UPDATE messages SET text = 'delta' WHERE id = 'm3'`).run();
      intact();
      createSearchIndexer(db)();
      expect(found('delta')).toEqual(['m3']);
      expect(found('gamma')).toEqual([]);
      intact();
    });

    it('answers while another process holds the write lock: what is not indexed yet is found beside the index, by the same rules', async () => {
      db.pragma('journal_mode = WAL');
      say('m1', 'wyjazd do Łodzi');
      say('m2', 'kartka żółta');
      createSearchIndexer(db)();
      say('m3', 'powrót z Łodzi');
      say('m4', 'Żółta kartka dla Łukasza');
      const search = createMessageSearch(db);
      const ids = async (query: string, more: { limit?: number; cursor?: string; conversationId?: string } = {}) => {
        const page = await search({ employeeId: 'e1', terms: parseSearchQuery(query), limit: 10, ...more });
        return { ids: page.messages.map((m) => m.id), next: page.nextCursor ?? undefined };
      };
      // Another process in the middle of a long write: the catch-up cannot take the lock within busy_timeout.
      db.pragma('busy_timeout = 20');
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      try {
        expect((await ids('lodz')).ids).toEqual(['m3', 'm1']);
        expect((await ids('zolt')).ids).toEqual(['m4', 'm2']);
        expect((await ids('lukasza')).ids).toEqual(['m4']);
        expect((await ids('kartka', { conversationId: 'c1' })).ids).toEqual(['m4', 'm2']);
        expect((await ids('c1')).ids).toEqual([]);
        // A page boundary between the tail and the index: each message once, newest first.
        const first = await ids('kartka', { limit: 1 });
        expect(first.ids).toEqual(['m4']);
        const second = await ids('kartka', { limit: 1, cursor: first.next });
        expect(second.ids).toEqual(['m2']);
        expect(second.next).toBeUndefined();
        expect(watermark()).toBe(2);
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      // The lock released: the next search catches the index up itself.
      expect((await ids('lodz')).ids).toEqual(['m3', 'm1']);
      expect(watermark()).toBe(4);
      intact();
    });

    it('indexes in batches of the given size, oldest first', () => {
      for (let i = 1; i <= 5; i++) say(`m${i}`, `słowo ${i}`);
      const index = createSearchIndexer(db);
      expect(index(2)).toBe(2);
      expect(found('slowo')).toEqual(['m2', 'm1']);
      expect(index(2)).toBe(2);
      expect(index(2)).toBe(1);
      expect(index(2)).toBe(0);
      expect(found('slowo')).toEqual(['m5', 'm4', 'm3', 'm2', 'm1']);
    });
  });
});
