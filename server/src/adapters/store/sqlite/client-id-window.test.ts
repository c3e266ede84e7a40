import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../../ports/clock.js';
import type { StoredMessage } from '../../../domain/entities.js';
import type { AppendMessageInput, Store } from '../../../ports/store.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

const T0 = Date.parse('2026-03-03T08:00:00.000Z');
const DAY = 24 * 3600_000;
const WEEK = 7 * DAY;

describe('SQLite idempotency window (client ids remembered for a week, then forgotten)', () => {
  let dir: string;
  let file: string;
  let now: number;
  const clock: Clock = { now: () => new Date(now), setTimer: () => () => undefined };
  const opened: Store[] = [];
  const open = async (options: Partial<SqliteStoreOptions> = {}) => {
    const store = await openSqliteStore({ file, clock, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'depesza-client-ids-'));
    file = join(dir, 'depesza.db');
    now = T0;
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const seedPair = async (store: Store) => {
    const person = (login: string) => ({
      id: randomUUID(), login, name: login, title: null, role: 'employee' as const, active: true,
      mobileRaw: null, mobileE164: null, mobilePrivate: false, passwordHash: '!',
    });
    const [a, b] = [await store.employees.create(person('a')), await store.employees.create(person('b'))];
    const direct = await store.conversations.openDirect({ id: randomUUID(), a: a.id, b: b.id, createdAt: new Date(T0) });
    return { a: a.id, conversationId: direct.conversation.id };
  };
  const message = (conversationId: string, senderId: string, clientId: string, createdAt: number): AppendMessageInput => ({
    id: randomUUID(), conversationId, senderId, clientId, text: 'hello', createdAt: new Date(createdAt), notifySms: false, dispatches: [],
  });

  it('recognises a resend after a restart inside the window, and treats one after the window as a new message', async () => {
    let store = await open();
    const { a, conversationId } = await seedPair(store);
    const clientId = randomUUID();
    const first = await store.messages.append(message(conversationId, a, clientId, T0));
    await store.close();

    // Restarted six days later: the week's ids are still there after pruning.
    now = T0 + 6 * DAY;
    store = await open();
    expect(await store.messages.forgetClientIds(new Date(now - WEEK))).toBe(0);
    const resent = await store.messages.append(message(conversationId, a, clientId, now));
    expect(resent).toMatchObject({ created: false, message: { id: first.message.id, seq: 1 } });

    // Past the window the id is forgotten; the message itself stays.
    now = T0 + WEEK + 1;
    expect(await store.messages.forgetClientIds(new Date(now - WEEK))).toBe(1);
    expect(await store.messages.findBySenderClientId(a, clientId)).toBeNull();
    expect((await store.messages.listBefore(conversationId, null, 10)).map((m) => m.id)).toEqual([first.message.id]);
    const late = await store.messages.append(message(conversationId, a, clientId, now));
    expect(late).toMatchObject({ created: true, message: { seq: 2 } });
  });

  it('prunes on its own timer, without a call from outside', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let store = await open({ clientIdWindowMs: WEEK, clientIdPruneEveryMs: 1000 });
    const { a, conversationId } = await seedPair(store);
    const old = randomUUID();
    const recent = randomUUID();
    await store.messages.append(message(conversationId, a, old, T0));
    await store.messages.append(message(conversationId, a, recent, T0 + 2 * DAY));
    now = T0 + WEEK + DAY;

    await vi.advanceTimersByTimeAsync(1000);
    // close() waits for a prune under way; reopened, the store shows what was committed.
    await store.close();
    vi.useRealTimers();
    store = await open();
    expect(await store.messages.findBySenderClientId(a, old)).toBeNull();
    expect(await store.messages.findBySenderClientId(a, recent)).not.toBeNull();
  });
});

/** A person, an integration account and a group with three messages' room, written by an older schema. */
function seedOldSchema(old: import('better-sqlite3').Database) {
  const insertEmployee = old.prepare(`INSERT INTO employees (id, login, name, title, role, active, mobile_raw, mobile_e164, mobile_private,
                                       password_hash, created_at, updated_at) VALUES (?, ?, ?, NULL, 'employee', 1, NULL, NULL, 0, 'h', 0, 0)`);
  const [person, robot, admin] = [randomUUID(), randomUUID(), randomUUID()];
  insertEmployee.run(person, 'person', 'Person');
  insertEmployee.run(robot, 'integration:zabbix', 'Zabbix');
  insertEmployee.run(admin, 'admin', 'Admin');
  old.prepare(`INSERT INTO integrations (id, name, employee_id, token_hash, per_minute, created_by, created_at, revoked_at)
               VALUES (?, 'Zabbix', ?, 'hash', 60, ?, 0, NULL)`).run(randomUUID(), robot, admin);
  const conversationId = randomUUID();
  old.prepare(`INSERT INTO conversations (id, kind, name, direct_key, created_by, created_at, last_seq, last_activity_at)
               VALUES (?, 'group', 'g', NULL, ?, 0, 3, 0)`).run(conversationId, person);
  const insertMessage = old.prepare<[string, string, number, number, number, string, string, number]>(
    `INSERT INTO messages (id, conversation_id, seq, rev, text_rev, sender_id, client_id, text, created_at, notify_sms)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'text', ?, 0)`);
  return { person, robot, conversationId, insertMessage };
}

describe('SQLite upgrade to the idempotency window', () => {
  it('keeps the last week of client ids and every integration account’s, and forgets older ones of people', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { migrate, migrations } = await import('./migrations.js');
    const dir = mkdtempSync(join(tmpdir(), 'depesza-client-ids-upgrade-'));
    const file = join(dir, 'depesza.db');
    try {
      const old = new Database(file);
      // The step before this one, found by content: the lead renumbers steps when merging.
      migrate(old, migrations.findIndex((step) => typeof step === 'string' && step.includes('message_client_ids')));
      const { person, robot, conversationId, insertMessage } = seedOldSchema(old);
      // rev and text_rev take the seq, as the rev migration gave existing messages.
      const say = (seq: number, sender: string, clientId: string, at: number) =>
        insertMessage.run(randomUUID(), conversationId, seq, seq, seq, sender, clientId, at);
      say(1, person, 'person-old', T0 - 8 * DAY);
      say(2, robot, 'robot-old', T0 - 30 * DAY);
      say(3, person, 'person-recent', T0);
      old.close();

      const store = await openSqliteStore({ file });
      try {
        expect(await store.messages.findBySenderClientId(person, 'person-recent')).toMatchObject({ seq: 3 });
        expect(await store.messages.findBySenderClientId(robot, 'robot-old')).toMatchObject({ seq: 2 });
        expect(await store.messages.findBySenderClientId(person, 'person-old')).toBeNull();
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite idempotency window keys (a hash of sender and client id)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'depesza-client-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const person = (login: string) => ({
    id: randomUUID(), login, name: login, title: null, role: 'employee' as const, active: true,
    mobileRaw: null, mobileE164: null, mobilePrivate: false, passwordHash: '!',
  });

  it('tells pairs apart whose keys collide, and a pruned or removed neighbour hides none behind it', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { createClientIdWindow } = await import('./client-id-window.js');
    const file = join(dir, 'depesza.db');
    const store = await openSqliteStore({ file });
    const [a, b] = [await store.employees.create(person('a')), await store.employees.create(person('b'))];
    const { conversation } = await store.conversations.openDirect({ id: randomUUID(), a: a.id, b: b.id, createdAt: new Date(T0) });
    const sent: StoredMessage[] = [];
    for (const [sender, clientId] of [[a.id, 'one'], [b.id, 'one'], [a.id, 'two'], [a.id, 'three']] as const) {
      sent.push((await store.messages.append({
        id: randomUUID(), conversationId: conversation.id, senderId: sender, clientId, text: 'x', createdAt: new Date(T0), notifySms: false, dispatches: [],
      })).message);
    }
    await store.close();

    // Every pair hashed to one key: the window must probe and compare the full ids.
    const db = new Database(file);
    try {
      db.exec('DELETE FROM message_client_keys');
      const window = createClientIdWindow(db, () => 1000);
      const remember = (i: number, at: number) => {
        const found = window.lookup(sent[i]!.senderId, sent[i]!.clientId);
        if (found.existing) throw new Error(`message ${i} already remembered`);
        window.remember(found.key, sent[i]!.senderId, sent[i]!.id, at);
        return found.key;
      };
      expect([remember(0, T0 - WEEK), remember(1, T0), remember(2, T0)]).toEqual([1000, 1001, 1002]);
      const idOf = (i: number) => window.lookup(sent[i]!.senderId, sent[i]!.clientId).existing?.id ?? null;
      expect([idOf(0), idOf(1), idOf(2), idOf(3)]).toEqual([sent[0]!.id, sent[1]!.id, sent[2]!.id, null]);

      // The first key's pair is forgotten; those stored behind it are still found.
      expect(Array.from({ length: 64 }, (_, slice) => window.prune(slice, T0 - DAY)).reduce((x, y) => x + y)).toBe(1);
      expect([idOf(0), idOf(1), idOf(2)]).toEqual([null, sent[1]!.id, sent[2]!.id]);
      expect(window.lookup(sent[3]!.senderId, sent[3]!.clientId)).toEqual({ existing: null, key: 1000 });

      // A row whose message was removed outright answers nothing, and its key is free again.
      db.prepare('DELETE FROM messages WHERE id = ?').run(sent[1]!.id);
      expect(idOf(1)).toBeNull();
      expect(remember(0, T0)).toBe(1000);
      expect(remember(3, T0)).toBe(1001);
      expect([idOf(0), idOf(2), idOf(3)]).toEqual([sent[0]!.id, sent[2]!.id, sent[3]!.id]);
      expect(db.prepare('SELECT count(*) AS n FROM message_client_keys').get()).toEqual({ n: 3 });

      // Eight pairs on one key fill its whole probe range: the ninth is refused rather than stored twice.
      const full = createClientIdWindow(db, () => 5000);
      for (let i = 0; i < 8; i++) {
        const found = full.lookup(a.id, `fill-${i}`);
        if (!found.existing) full.remember(found.key, a.id, sent[0]!.id, T0);
      }
      expect(() => full.lookup(a.id, 'ninth')).toThrow(/all 8 keys/);
    } finally {
      db.close();
    }
  });

  it('upgrades a real file from the text-keyed window, keeping every pair and which are an integration’s', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { migrate, migrations } = await import('./migrations.js');
    const { clientIdsByHashKey } = await import('./client-keys-migration.js');
    const file = join(dir, 'depesza.db');
    const old = new Database(file);
    // The step before this one, found by content: the lead renumbers steps when merging.
    migrate(old, migrations.indexOf(clientIdsByHashKey));
    const { person: human, robot, conversationId, insertMessage } = seedOldSchema(old);
    const remembered = old.prepare('INSERT INTO message_client_ids (sender_id, client_id, message_id, at) VALUES (?, ?, ?, ?)');
    const say = (seq: number, sender: string, clientId: string, at: number) => {
      const id = randomUUID();
      insertMessage.run(id, conversationId, seq, seq, seq, sender, clientId, at);
      remembered.run(sender, clientId, id, at);
    };
    say(1, human, 'person-1', T0 - DAY);
    say(2, robot, 'robot-1', T0 - DAY);
    say(3, human, 'person-2', T0);
    old.close();

    const store = await openSqliteStore({ file });
    try {
      expect(await store.messages.findBySenderClientId(human, 'person-1')).toMatchObject({ seq: 1 });
      expect(await store.messages.findBySenderClientId(robot, 'robot-1')).toMatchObject({ seq: 2 });
      expect(await store.messages.findBySenderClientId(human, 'person-2')).toMatchObject({ seq: 3 });
      const resent = await store.messages.append({
        id: randomUUID(), conversationId, senderId: human, clientId: 'person-2', text: 'again', createdAt: new Date(T0), notifySms: false, dispatches: [],
      });
      expect(resent).toMatchObject({ created: false, message: { seq: 3, text: 'text' } });
      // A year on: people's pairs are forgotten, the integration account's kept.
      expect(await store.messages.forgetClientIds(new Date(T0 + 365 * DAY))).toBe(2);
      expect(await store.messages.findBySenderClientId(human, 'person-2')).toBeNull();
      expect(await store.messages.findBySenderClientId(robot, 'robot-1')).toMatchObject({ seq: 2 });
    } finally {
      await store.close();
    }
  });
});
