/**
 * The copy service and the SQLite export, for real on a SQLite file; the target is an in-memory StoreImport
 * (the MongoDB target itself is tested in the MongoDB-gated suite of mongo-store.test.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createFsFileStore } from '../adapters/files/fs-file-store.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteExport } from '../adapters/store/sqlite/sqlite-export.js';
import { openSqliteStore } from '../adapters/store/sqlite/sqlite-store.js';
import { parseArgs, runStoreCli, UsageError } from '../cli/store.js';
import type { CopiedRows, CopyKind, StoreCounts, StoreImport } from '../ports/store-copy.js';
import type { Employee } from '../domain/entities.js';
import type { NewEmployee, Store } from '../ports/store.js';
import { COPY_ORDER, copyStore, EMPTY_COUNTS } from './store-copy.js';

function memoryImport(preset: Partial<StoreCounts> = {}) {
  const rows = Object.fromEntries(COPY_ORDER.map((kind) => [kind, [] as unknown[]])) as { [K in CopyKind]: CopiedRows[K][] };
  let batches = 0;
  const files = new Map<string, string>();
  const target: StoreImport & { rows: typeof rows; batches: () => number; files: typeof files } = {
    description: 'memory',
    rows,
    files,
    batches: () => batches,
    async counts() {
      const counts = { ...EMPTY_COUNTS, memberships: rows.conversations.reduce((n, c) => n + c.members.length, 0) };
      for (const kind of COPY_ORDER) counts[kind] = rows[kind].length;
      return { ...counts, ...preset };
    },
    async insert(kind, batch) {
      batches++;
      (rows[kind] as unknown[]).push(...batch);
    },
    async putFile(source, size) {
      const bytes = Buffer.concat(await source.toArray());
      expect(bytes.length).toBeLessThanOrEqual(size);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      files.set(sha256, bytes.toString());
      return sha256;
    },
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

  async function fill(): Promise<{ conversationIds: string[]; people: Employee[]; firstMessageId: string }> {
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
    const messageIds = Array.from({ length: 7 }, () => randomUUID());
    for (let i = 0; i < 7; i++) {
      await store.messages.append({
        id: messageIds[i]!,
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
    return { conversationIds: [direct.conversation.id, group.conversation.id], people, firstMessageId: messageIds[0]! };
  }

  /** A row of every other kind, written through the store's own repositories. */
  async function fillTheRest({ conversationIds, people, firstMessageId }: Awaited<ReturnType<typeof fill>>) {
    const [ala, ola, ela, iza, ula] = people as [Employee, Employee, Employee, Employee, Employee];
    const [direct, group] = conversationIds as [string, string];
    const at = new Date('2026-11-30T12:00:00Z');
    await store.notifyPrefs.setDoNotDisturb(ala.id, new Date('2026-12-01T08:00:00Z'));
    await store.notifyPrefs.setMute(direct, ola.id, 'forever');
    await store.notifyPrefs.setMute(group, iza.id, new Date('2026-12-02T08:00:00Z'));

    const asked = randomUUID();
    await store.messages.append({
      id: asked,
      conversationId: group,
      senderId: ela.id,
      clientId: randomUUID(),
      text: 'please confirm',
      createdAt: at,
      notifySms: false,
      dispatches: [],
      ackReminders: [ola, iza].map((p) => ({ employeeId: p.id, firstAt: new Date(at.getTime() + 60_000), untilAt: new Date(at.getTime() + 3_600_000) })),
    });
    await store.acks.acknowledge(asked, ola.id, new Date(at.getTime() + 1000));
    const noCaps = { senderId: ela.id, recipientIds: [], senderHourSince: at, senderDaySince: at, recipientSince: at };
    await store.messages.storeCorrection({
      messageId: firstMessageId,
      conversationId: group,
      senderId: ela.id,
      textRev: 2,
      createdAt: at,
      dispatches: { capQuery: noCaps, plan: () => [] },
    });
    // Two attachments share one file; a third's file is gone from DATA_DIR already.
    const kept = await createFsFileStore(path.join(dir, 'files')).put(Readable.from([Buffer.from('plan piętra')]), { maxBytes: 100 });
    for (const [sha256, size] of [[kept.sha256, kept.size], [kept.sha256, kept.size], ['a'.repeat(64), 3]] as const) {
      await store.attachments.create({
        id: randomUUID(),
        uploaderId: ala.id,
        name: 'plan.pdf',
        size,
        contentType: 'application/pdf',
        sha256,
        createdAt: at,
        messageId: null,
        conversationId: null,
      });
    }
    await store.smsTemplates.create({ id: randomUUID(), name: 'Awaria', text: '{imię}, awaria', createdAt: at, updatedAt: at });
    const integration = await store.integrations.create({
      id: randomUUID(),
      name: 'monitoring',
      employeeId: ula.id,
      tokenHash: 'f'.repeat(64),
      perMinute: 60,
      createdBy: ala.id,
      createdAt: at,
      revokedAt: null,
    });
    await store.apiNotifications.claim({
      id: randomUUID(),
      integrationId: integration.id,
      idempotencyKey: 'k1',
      requestHash: 'r1',
      recipientIds: [ola.id],
      texts: { [ola.id]: 'disk full' },
      sms: 'now',
      ifUnreadMinutes: 5,
      createdAt: at,
    });
    await store.bulkJobs.claim(
      { id: randomUUID(), senderId: ala.id, requestHash: 'b1', templateId: null, recipientIds: [ola.id, ela.id], texts: { [ola.id]: 'x', [ela.id]: 'y' }, reservedSms: 2, createdAt: at, finishedAt: null },
      { perDay: 100, daySince: new Date(at.getTime() - 3_600_000) },
    );
    await store.inboundSms.record({ gatewayId: 'MO-1', senderKey: 'salted', reason: 'unknown_number', text: 'kto to?', sentAt: at, receivedAt: at });
    await store.adminAlerts.recordBalance({ id: randomUUID(), points: 5, warnBelow: 10, at });
    return { asked, integrationId: integration.id };
  }

  it('reads every row from one snapshot, in batches, keeping ids and sequence numbers', async () => {
    const { conversationIds } = await fill();
    const from = openSqliteExport(dir);
    const to = memoryImport();
    try {
      const copied = await copyStore(from, to, { batchSize: 2 });
      expect(copied).toEqual({
        ...EMPTY_COUNTS,
        files: 0,
        missingFiles: 0,
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

  it('copies every other kind as the store reads it: mutes, do not disturb, acknowledgements, corrections, templates, integrations (hashed tokens), bulk jobs, attachments, SMS replies, alerts', async () => {
    const filled = await fill();
    const { asked, integrationId } = await fillTheRest(filled);
    const [ala, ola, , iza] = filled.people as [Employee, Employee, Employee, Employee];
    const from = openSqliteExport(dir);
    const to = memoryImport();
    try {
      const copied = await copyStore(from, to, { batchSize: 2 });
      expect(copied).toEqual({
        files: 1,
        missingFiles: 1,
        employees: 5,
        doNotDisturb: 1,
        sessions: 1,
        conversations: 2,
        memberships: 7,
        mutes: 2,
        messages: 8,
        smsDispatches: 2,
        smsCorrections: 1,
        acknowledgements: 1,
        ackReminders: 1,
        notifications: 1,
        attachments: 3,
        smsTemplates: 1,
        integrations: 1,
        apiNotifications: 1,
        bulkJobs: 1,
        inboundSms: 1,
        adminAlerts: 1,
        alertStates: 1,
      });
      const { rows } = to;
      expect(rows.doNotDisturb).toEqual([{ employeeId: ala.id, until: (await store.notifyPrefs.get(ala.id)).doNotDisturbUntil }]);
      const mutes = [];
      for (const employee of filled.people) {
        for (const [conversationId, until] of (await store.notifyPrefs.get(employee.id)).muted) mutes.push({ conversationId, employeeId: employee.id, until });
      }
      expect(rows.mutes).toHaveLength(2);
      expect(rows.mutes).toEqual(expect.arrayContaining(mutes));
      expect(rows.acknowledgements).toEqual(await store.acks.listForMessages([asked]));
      expect(rows.ackReminders).toEqual([expect.objectContaining({ messageId: asked, employeeId: iza.id, lockedUntil: null })]);
      expect(rows.ackReminders[0]!.employeeId).not.toBe(ola.id);
      expect(rows.smsCorrections).toEqual([{ messageId: filled.firstMessageId, textRev: 2, createdAt: new Date('2026-11-30T12:00:00Z') }]);
      for (const attachment of rows.attachments) expect(attachment).toEqual(await store.attachments.findById(attachment.id));
      expect([...to.files.values()]).toEqual(['plan piętra']);
      expect(rows.smsTemplates).toEqual(await store.smsTemplates.list());
      expect(rows.integrations).toEqual([await store.integrations.findById(integrationId)]);
      expect(rows.integrations[0]!.tokenHash).toBe('f'.repeat(64));
      expect(rows.apiNotifications).toEqual([await store.apiNotifications.findById(rows.apiNotifications[0]!.id)]);
      expect(rows.bulkJobs).toEqual(await store.bulkJobs.list(null, 10));
      expect(rows.inboundSms).toEqual(await store.inboundSms.list(10));
      expect(rows.adminAlerts).toEqual(await store.adminAlerts.list(10));
      expect(rows.alertStates).toEqual([{ kind: 'sms_balance_low', raised: true }]);
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
