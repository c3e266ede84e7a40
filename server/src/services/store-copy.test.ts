/**
 * The copy service and the SQLite export, for real on a SQLite file; the target is an in-memory StoreImport
 * (the MongoDB target itself is tested in the MongoDB-gated suite of mongo-store.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteExport } from '../adapters/store/sqlite/sqlite-export.js';
import { openSqliteStore } from '../adapters/store/sqlite/sqlite-store.js';
import { parseArgs, runStoreCli, UsageError } from '../cli/store.js';
import type { StoreCounts, StoreImport } from '../ports/store-copy.js';
import type { NewEmployee, Store } from '../ports/store.js';
import { copyStore, EMPTY_COUNTS } from './store-copy.js';

function memoryImport(preset: Partial<StoreCounts> = {}) {
  const rows = {
    employees: [] as unknown[],
    sessions: [] as unknown[],
    conversations: [] as Array<{ members: unknown[] }>,
    messages: [] as Array<{ id: string; seq: number; conversationId: string }>,
    smsDispatches: [] as unknown[],
    notifications: [] as unknown[],
  };
  let batches = 0;
  const target: StoreImport & { rows: typeof rows; batches: () => number } = {
    description: 'memory',
    rows,
    batches: () => batches,
    async counts() {
      return {
        employees: rows.employees.length,
        sessions: rows.sessions.length,
        conversations: rows.conversations.length,
        memberships: rows.conversations.reduce((n, c) => n + c.members.length, 0),
        messages: rows.messages.length,
        smsDispatches: rows.smsDispatches.length,
        notifications: rows.notifications.length,
        ...preset,
      };
    },
    insertEmployees: async (b) => void (batches++, rows.employees.push(...b)),
    insertSessions: async (b) => void (batches++, rows.sessions.push(...b)),
    insertConversations: async (b) => void (batches++, rows.conversations.push(...b)),
    insertMessages: async (b) => void (batches++, rows.messages.push(...b)),
    insertSmsDispatches: async (b) => void (batches++, rows.smsDispatches.push(...b)),
    insertNotifications: async (b) => void (batches++, rows.notifications.push(...b)),
    async close() {},
  };
  return target;
}

describe('copying a SQLite store', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'depesza-copy-'));
    store = await openSqliteStore({ file: path.join(dir, 'depesza.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const employee = (login: string): NewEmployee => ({
    id: randomUUID(),
    login,
    name: login,
    title: null,
    role: 'employee',
    active: true,
    mobileRaw: '501 234 567',
    mobileE164: '+48501234567',
    mobilePrivate: false,
    passwordHash: 'h',
  });

  async function fill(): Promise<{ conversationIds: string[] }> {
    const people = [];
    for (const login of ['ala', 'ola', 'ela', 'iza', 'ula']) people.push(await store.employees.create(employee(login)));
    const [ala, ola, ela] = people;
    await store.sessions.create({ tokenHash: 't1', employeeId: ala!.id, createdAt: new Date(), expiresAt: new Date(Date.now() + 1e6) });
    const direct = await store.conversations.openDirect({ id: randomUUID(), a: ala!.id, b: ola!.id, createdAt: new Date() });
    const group = await store.conversations.createGroup({
      id: randomUUID(),
      name: 'g',
      createdBy: ala!.id,
      memberIds: people.slice(1).map((p) => p.id),
      createdAt: new Date(),
    });
    for (let i = 0; i < 7; i++) {
      await store.messages.append({
        id: randomUUID(),
        conversationId: i % 2 ? direct.conversation.id : group.conversation.id,
        senderId: i % 2 ? ola!.id : ela!.id,
        clientId: randomUUID(),
        text: `m${i}`,
        createdAt: new Date(),
        notifySms: i === 0,
        dispatches:
          i === 0
            ? [ala!, ola!].map((r) => ({
                id: randomUUID(),
                recipientId: r.id,
                status: 'queued' as const,
                reason: null,
                toE164: '+48501234567',
                text: 'm0',
                parts: 1,
                points: null,
                gatewayId: null,
                attempts: 0,
                nextAttemptAt: new Date(),
                lockedUntil: null,
              }))
            : [],
      });
    }
    await store.notifications.create({
      id: randomUUID(),
      employeeId: ala!.id,
      kind: 'sms_outcome',
      messageId: randomUUID(),
      conversationId: randomUUID(),
      recipientId: randomUUID(),
      recipientName: 'Bartek',
      status: 'not_sent',
      reason: { code: 'gateway_refused', gatewayCode: 103, refusal: 'no_credit' },
      createdAt: new Date(),
      readAt: null,
    });
    return { conversationIds: [direct.conversation.id, group.conversation.id] };
  }

  it('reads every row from one snapshot, in batches, keeping ids and sequence numbers', async () => {
    const { conversationIds } = await fill();
    const from = openSqliteExport(dir);
    const to = memoryImport();
    try {
      const copied = await copyStore(from, to, { batchSize: 2 });
      expect(copied).toEqual({
        employees: 5,
        sessions: 1,
        conversations: 2,
        memberships: 7,
        messages: 7,
        smsDispatches: 2,
        notifications: 1,
      });
      expect(to.batches()).toBe(3 + 1 + 1 + 4 + 1 + 1);
      for (const id of conversationIds) {
        const stored = await store.messages.listAfter(id, 0, 100);
        const copiedMessages = to.rows.messages.filter((m) => m.conversationId === id).sort((x, y) => x.seq - y.seq);
        expect(copiedMessages).toEqual(stored);
      }
      const ids = new Set((await store.employees.list()).map((e) => e.id));
      expect(new Set((to.rows.employees as Array<{ id: string }>).map((e) => e.id))).toEqual(ids);
      const conversations = await store.conversations.listForEmployee((await store.employees.findByLogin('ala'))!.id);
      expect(to.rows.conversations).toEqual(expect.arrayContaining(conversations));
    } finally {
      await from.close();
    }
  });

  it('opens the database read-only, by folder or by file, and refuses a missing one', async () => {
    await fill();
    const byFile = openSqliteExport(path.join(dir, 'depesza.sqlite'));
    expect(byFile.description).toBe(`sqlite:${path.join(dir, 'depesza.sqlite')}`);
    await byFile.close();
    // The live store can still write while an export holds its snapshot (WAL).
    const held = openSqliteExport(dir);
    await store.employees.create(employee('nowy'));
    expect((await held.counts()).employees).toBe(5);
    await held.close();
    expect(() => openSqliteExport(path.join(dir, 'missing'))).toThrow(/no SQLite database/);
  });

  it('refuses a target that already holds data, and a target that lost rows', async () => {
    await fill();
    const from = openSqliteExport(dir);
    try {
      await expect(copyStore(from, memoryImport({ employees: 3 }))).rejects.toThrow(/memory already holds data \(3 employees/);
      const lossy = memoryImport();
      let calls = 0;
      const emptyAtFirst = { ...lossy, counts: async () => (calls++ === 0 ? { ...EMPTY_COUNTS } : { ...(await lossy.counts()), messages: 6 }) };
      await expect(copyStore(from, emptyAtFirst)).rejects.toThrow(/does not hold what was copied \(messages: expected 7, found 6\)/);
    } finally {
      await from.close();
    }
  });
});

describe('npm run store', () => {
  it('parses `copy --from sqlite:DIR --to URI`, with --to defaulting to MONGODB_URI', () => {
    expect(parseArgs(['copy', '--from', 'sqlite:./data', '--to', 'mongodb://h/db'])).toEqual({
      command: 'copy',
      from: './data',
      to: 'mongodb://h/db',
    });
    expect(parseArgs(['copy', '--from=sqlite:/d'], { MONGODB_URI: 'mongodb+srv://c/x' })).toMatchObject({ to: 'mongodb+srv://c/x' });
    expect(() => parseArgs([], {})).toThrow(UsageError);
    expect(() => parseArgs(['move'], {})).toThrow(/unknown command "move"/);
    expect(() => parseArgs(['copy', '--from', './data', '--to', 'mongodb://h/db'], {})).toThrow(/sqlite:DATA_DIR/);
    expect(() => parseArgs(['copy', '--from', 'sqlite:./data'], {})).toThrow(/--to MONGODB_URI is required/);
    expect(() => parseArgs(['copy', '--from', 'sqlite:d', '--to', 'postgres://x'], {})).toThrow(/mongodb/);
    expect(() => parseArgs(['copy', '--from', 'sqlite:d', '--to', 'mongodb://u:secret@h', '--force'], {})).toThrow(/unknown argument/);
  });

  it('prints usage on a bad command line and a clear error for an unreachable target, without the password', async () => {
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    expect(await runStoreCli(['copy'], io)).toBe(2);
    expect(lines.join('\n')).toMatch(/Usage: npm run store -- copy/);

    const dir = mkdtempSync(path.join(tmpdir(), 'depesza-cli-'));
    try {
      const store = await openSqliteStore({ file: path.join(dir, 'depesza.sqlite') });
      await store.close();
      lines.length = 0;
      const code = await runStoreCli(['copy', '--from', `sqlite:${dir}`, '--to', 'mongodb://app:secret@127.0.0.1:1/depesza'], io);
      expect(code).toBe(1);
      expect(lines.join('\n')).toContain('cannot connect to MongoDB at mongodb://***@127.0.0.1:1/depesza');
      expect(lines.join('\n')).not.toContain('secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
