import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../ports/store.js';
import { runStoreContract } from '../../../../test/store-contract.js';
import { migrate, SCHEMA_VERSION, schemaVersionOf } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';

runStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'depesza-store-'));
  const store = await openSqliteStore({ file: join(dir, 'depesza.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

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
