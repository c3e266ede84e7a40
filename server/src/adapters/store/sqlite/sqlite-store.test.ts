import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../ports/store.js';
import { runStoreContract } from '../../../../test/store-contract.js';
import { migrate, migrations, SCHEMA_VERSION, schemaVersionOf } from './migrations.js';
import { runSmsPathsContract } from '../../../../test/store-contract-sms-paths.js';
import { runBulkContract } from '../../../../test/store-contract-bulk.js';
import { openSqliteStore } from './sqlite-store.js';

const makeSqliteStore = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'depesza-store-'));
  const store = await openSqliteStore({ file: join(dir, 'depesza.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
runStoreContract('sqlite', makeSqliteStore);
runSmsPathsContract('sqlite', makeSqliteStore);
runBulkContract('sqlite', makeSqliteStore);

describe('SQLite store', () => {
  let dir: string;
  let file: string;
  const opened: Store[] = [];
  const open = async (options: { maxAppendBatch?: number } = {}) => {
    const store = await openSqliteStore({ file, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'depesza-sqlite-'));
    file = join(dir, 'nested', 'folder', 'depesza.db');
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const employee = (login: string) => ({
    id: randomUUID(),
    login,
    name: login,
    title: null,
    role: 'employee' as const,
    active: true,
    mobileRaw: null,
    mobileE164: null,
    mobilePrivate: false,
    passwordHash: 'hash',
  });

  it('creates the folder, switches to WAL and records the schema version', async () => {
    await open();
    expect(existsSync(file)).toBe(true);
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(schemaVersionOf(raw)).toBe(SCHEMA_VERSION);
    } finally {
      raw.close();
    }
  });

  it('enforces foreign keys', async () => {
    const store = await open();
    await expect(
      store.sessions.create({ tokenHash: 'x', employeeId: randomUUID(), createdAt: new Date(), expiresAt: new Date() }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    const a = await store.employees.create(employee('ala'));
    const group = await store.conversations.createGroup({
      id: randomUUID(),
      name: 'g',
      createdBy: a.id,
      memberIds: [],
      createdAt: new Date(),
    });
    // A dispatch to a recipient that does not exist fails the whole append, message included.
    const clientId = randomUUID();
    await expect(
      store.messages.append({
        id: randomUUID(),
        conversationId: group.conversation.id,
        senderId: a.id,
        clientId,
        text: 'x',
        createdAt: new Date(),
        notifySms: true,
        dispatches: [
          {
            id: randomUUID(),
            recipientId: randomUUID(),
            status: 'queued',
            reason: null,
            toE164: '+48500100200',
            text: 'x',
            parts: null,
            points: null,
            gatewayId: null,
            attempts: 0,
            nextAttemptAt: new Date(),
            lockedUntil: null,
          },
        ],
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(await store.messages.findBySenderClientId(a.id, clientId)).toBeNull();
    expect((await store.conversations.findForMember(group.conversation.id, a.id))!.conversation.lastSeq).toBe(0);
  });

  it('upgrades a database written by an older schema version, keeping its data', async () => {
    mkdirSync(join(dir, 'nested', 'folder'), { recursive: true });
    const old = new Database(file);
    migrate(old, 1);
    expect(schemaVersionOf(old)).toBe(1);
    const id = randomUUID();
    old
      .prepare(
        `INSERT INTO employees (id, login, name, title, role, active, mobile_raw, mobile_e164, mobile_private,
                                password_hash, created_at, updated_at)
         VALUES (?, 'Stary.Login', 'Stary', NULL, 'admin', 1, NULL, NULL, 0, 'h', 1000, 1000)`,
      )
      .run(id);
    old.close();

    const store = await open();
    expect(await store.employees.findByLogin('stary.login')).toMatchObject({ id, role: 'admin' });
    const group = await store.conversations.createGroup({
      id: randomUUID(),
      name: 'po migracji',
      createdBy: id,
      memberIds: [],
      createdAt: new Date(),
    });
    const appended = await store.messages.append({
      id: randomUUID(),
      conversationId: group.conversation.id,
      senderId: id,
      clientId: randomUUID(),
      text: 'działa',
      createdAt: new Date(),
      notifySms: false,
      dispatches: [],
    });
    expect(appended.message.seq).toBe(1);
    await store.close();

    const raw = new Database(file, { readonly: true });
    try {
      expect(schemaVersionOf(raw)).toBe(SCHEMA_VERSION);
    } finally {
      raw.close();
    }
  });

  it('gives messages stored before revs existed their seq as rev, and continues the counter from there', async () => {
    mkdirSync(join(dir, 'nested', 'folder'), { recursive: true });
    const old = new Database(file);
    // The step before issue 11's, found by content: the lead renumbers steps when merging.
    const revStep = migrations.findIndex((step) => typeof step === 'string' && step.includes('sms_corrections'));
    migrate(old, revStep);
    const a = randomUUID();
    old.prepare(`INSERT INTO employees (id, login, name, title, role, active, mobile_raw, mobile_e164, mobile_private,
                                        password_hash, created_at, updated_at)
                 VALUES (?, 'a', 'A', NULL, 'employee', 1, NULL, NULL, 0, 'h', 1000, 1000)`).run(a);
    const conversationId = randomUUID();
    old.prepare(`INSERT INTO conversations (id, kind, name, direct_key, created_by, created_at, last_seq, last_activity_at)
                 VALUES (?, 'group', 'g', NULL, ?, 1000, 2, 1000)`).run(conversationId, a);
    old.prepare('INSERT INTO memberships VALUES (?, ?, 1000, 0, 0)').run(conversationId, a);
    for (const seq of [1, 2]) {
      old.prepare(`INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, text, created_at, notify_sms)
                   VALUES (?, ?, ?, ?, ?, ?, 1000, 0)`).run(randomUUID(), conversationId, seq, a, `client-${seq}`, `text ${seq}`);
    }
    old.close();

    const store = await open();
    expect((await store.messages.listAfterRev(conversationId, 0, 10)).map((m) => [m.seq, m.rev, m.textRev, m.reactions, m.deletedAt])).toEqual([
      [1, 1, 1, [], null],
      [2, 2, 2, [], null],
    ]);
    expect((await store.conversations.findForMember(conversationId, a))?.conversation.lastRev).toBe(2);
    const next = await store.messages.append({
      id: randomUUID(), conversationId, senderId: a, clientId: 'client-3', text: 'after', createdAt: new Date(), notifySms: false, dispatches: [],
    });
    expect(next.message).toMatchObject({ seq: 3, rev: 3 });
  });

  it('upgrades messages and their SMS dispatches from schema 3 to the conversation-ordered table', async () => {
    mkdirSync(join(dir, 'nested', 'folder'), { recursive: true });
    const old = new Database(file);
    migrate(old, 3);
    const [a, b] = [randomUUID(), randomUUID()];
    const insertEmployee = old.prepare(
      `INSERT INTO employees (id, login, name, title, role, active, mobile_raw, mobile_e164, mobile_private,
                              password_hash, created_at, updated_at)
       VALUES (?, ?, ?, NULL, 'employee', 1, NULL, NULL, 0, 'h', 1000, 1000)`,
    );
    insertEmployee.run(a, 'a', 'A');
    insertEmployee.run(b, 'b', 'B');
    const conversationId = randomUUID();
    old.prepare(`INSERT INTO conversations (id, kind, name, direct_key, created_by, created_at, last_seq, last_activity_at)
                 VALUES (?, 'group', 'g', NULL, ?, 1000, 3, 1000)`).run(conversationId, a);
    for (const who of [a, b]) old.prepare('INSERT INTO memberships VALUES (?, ?, 1000, 0, 0)').run(conversationId, who);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    // Inserted out of order: the new table keeps them in sequence order regardless.
    for (const seq of [2, 1, 3]) {
      old.prepare(`INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, text, created_at, notify_sms)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(ids[seq - 1], conversationId, seq, a, `client-${seq}`, `text ${seq}`, 1000 + seq, seq === 3 ? 1 : 0);
    }
    const dispatchId = randomUUID();
    old.prepare(`INSERT INTO sms_dispatches (id, message_id, conversation_id, sender_id, recipient_id, status, reason, to_e164,
                                             text, parts, points, gateway_id, attempts, next_attempt_at, locked_until,
                                             created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, 'delivered', NULL, '48500100200', 'text 3', 1, 0.16, 'gw-1', 1, NULL, NULL, 1003, 1004)`)
      .run(dispatchId, ids[2], conversationId, a, b);
    old.close();

    const store = await open();
    const page = await store.messages.listBefore(conversationId, null, 10);
    expect(page.map((m) => [m.seq, m.id, m.text])).toEqual([
      [3, ids[2], 'text 3'],
      [2, ids[1], 'text 2'],
      [1, ids[0], 'text 1'],
    ]);
    expect(await store.messages.findBySenderClientId(a, 'client-2')).toMatchObject({ id: ids[1], seq: 2 });
    expect(await store.sms.listForMessages([ids[2] as string])).toEqual([
      expect.objectContaining({ id: dispatchId, messageId: ids[2], status: 'delivered', gatewayId: 'gw-1' }),
    ]);
    // The sequence goes on where it was, and the idempotency key still holds.
    const next = await store.messages.append({
      id: randomUUID(), conversationId, senderId: b, clientId: 'client-4', text: 'after', createdAt: new Date(), notifySms: false, dispatches: [],
    });
    expect(next.message.seq).toBe(4);
    const repeat = await store.messages.append({
      id: randomUUID(), conversationId, senderId: a, clientId: 'client-1', text: 'again', createdAt: new Date(), notifySms: false, dispatches: [],
    });
    expect(repeat).toMatchObject({ created: false, message: { id: ids[0], seq: 1 } });
    // Foreign keys are back on after the upgrade: a sender who does not exist is refused.
    await expect(store.messages.append({
      id: randomUUID(), conversationId, senderId: randomUUID(), clientId: 'client-5', text: 'ghost', createdAt: new Date(), notifySms: false, dispatches: [],
    })).rejects.toThrow(/FOREIGN KEY/);

    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('foreign_key_check')).toEqual([]);
      expect(raw.prepare("SELECT sql FROM sqlite_schema WHERE name = 'messages'").pluck().get()).toMatch(/WITHOUT ROWID/);
    } finally {
      raw.close();
    }
  });

  it('refuses a database from a newer Depesza and leaves it untouched', async () => {
    mkdirSync(join(dir, 'nested', 'folder'), { recursive: true });
    const future = SCHEMA_VERSION + 4;
    const raw = new Database(file);
    raw.pragma(`user_version = ${future}`);
    raw.close();

    await expect(openSqliteStore({ file })).rejects.toThrow(
      `database schema version ${future} is newer than this Depesza (knows up to ${SCHEMA_VERSION}); upgrade Depesza`,
    );
    const after = new Database(file, { readonly: true });
    try {
      expect(schemaVersionOf(after)).toBe(future);
      expect(after.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
    } finally {
      after.close();
    }
  });

  it('keeps data across close and reopen, and continues the sequence', async () => {
    let store = await open();
    const a = await store.employees.create(employee('Basia'));
    const group = await store.conversations.createGroup({
      id: randomUUID(),
      name: 'trwałe',
      createdBy: a.id,
      memberIds: [],
      createdAt: new Date(),
    });
    const send = (s: Store, text: string) =>
      s.messages.append({
        id: randomUUID(),
        conversationId: group.conversation.id,
        senderId: a.id,
        clientId: randomUUID(),
        text,
        createdAt: new Date(),
        notifySms: false,
        dispatches: [],
      });
    await send(store, 'one');
    // Not awaited before close: close must commit what is queued.
    const pending = send(store, 'two');
    await store.close();
    await expect(pending).resolves.toMatchObject({ created: true, message: { seq: 2 } });
    await expect(send(store, 'too late')).rejects.toThrow(/closed/);

    store = await open();
    expect(await store.employees.findByLogin('basia')).toMatchObject({ id: a.id });
    expect((await send(store, 'three')).message.seq).toBe(3);
    const texts = (await store.messages.listAfter(group.conversation.id, 0, 10)).map((m) => m.text);
    expect(texts).toEqual(['one', 'two', 'three']);
  });

  it('commits bursts larger than one batch', async () => {
    const store = await open({ maxAppendBatch: 16 });
    const a = await store.employees.create(employee('cezary'));
    const group = await store.conversations.createGroup({
      id: randomUUID(),
      name: 'burst',
      createdBy: a.id,
      memberIds: [],
      createdAt: new Date(),
    });
    const clientIds = Array.from({ length: 50 }, () => randomUUID());
    const results = await Promise.all(
      [...clientIds, ...clientIds].map((clientId) =>
        store.messages.append({
          id: randomUUID(),
          conversationId: group.conversation.id,
          senderId: a.id,
          clientId,
          text: clientId,
          createdAt: new Date(),
          notifySms: false,
          dispatches: [],
        }),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(50);
    expect(results.slice(50).every((r) => !r.created)).toBe(true);
    expect(results.slice(0, 50).map((r) => r.message.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
