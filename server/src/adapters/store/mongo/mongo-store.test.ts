/**
 * The MongoDB store. Without a server (MongoDB cannot be installed on the development machines): the models'
 * validation, the declared indexes and the clear failure on an unreachable URI, all for real. With
 * MONGODB_URI set (a replica set, e.g. `mongodb://localhost:27017/?replicaSet=rs0`): the shared store contract,
 * two stores racing like two processes, and the SQLite → MongoDB copy; each test uses a fresh database, dropped after.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runStoreContract } from '../../../../test/store-contract.js';
import { runSmsPathsContract } from '../../../../test/store-contract-sms-paths.js';
import { runBulkContract } from '../../../../test/store-contract-bulk.js';
import { newEmployee } from '../../../../test/support/store-per-test.js';
import { openStore } from '../open-store.js';
import { loadConfig } from '../../../config.js';
import type { NewDispatch, NewEmployee, Store } from '../../../ports/store.js';
import { parseSearchQuery } from '../../../../../shared/search-text.js';
import { copyStore, EMPTY_COUNTS } from '../../../services/store-copy.js';
import { openSqliteExport } from '../sqlite/sqlite-export.js';
import { openSqliteStore } from '../sqlite/sqlite-store.js';
import { pickSocketAdapter } from '../../socket/pick-socket-adapter.js';
import { openMongoImport } from './mongo-import.js';
import {
  connectMongo,
  databaseNameOf,
  describeMongoUri,
  isDuplicateKey,
  scrubSecrets,
} from './mongo-connection.js';
import { openMongoStore } from './mongo-store.js';
import {
  conversationSchema,
  createModels,
  employeeSchema,
  messageSchema,
  notificationSchema,
  sessionSchema,
  smsDispatchSchema,
  type Models,
} from './models.js';

const MONGODB_URI = process.env.MONGODB_URI?.trim() || undefined;
if (!MONGODB_URI) console.warn('MongoDB tests skipped: set MONGODB_URI=mongodb://... to run them');

/** A closed local port: nothing listens on 1, so the connection is refused at once. */
const UNREACHABLE = 'mongodb://user:secret@127.0.0.1:1/depesza';

describe('MongoDB models (no server needed)', () => {
  let connection: Connection;
  let models: Models;
  beforeAll(() => {
    // A connection that never connects: models and validateSync work without a server.
    connection = mongoose.createConnection();
    models = createModels(connection);
  });
  afterAll(async () => connection.close());

  const now = new Date('2025-03-03T08:00:00Z');
  type Validatable = new (doc: Record<string, unknown>) => { validateSync(): { errors: Record<string, unknown> } | null | undefined };
  /** The paths validateSync refuses, sorted. */
  const check = (model: Validatable, doc: Record<string, unknown>) => Object.keys(new model(doc).validateSync()?.errors ?? {}).sort();

  const employee = {
    _id: randomUUID(),
    login: 'anna',
    name: 'Anna',
    title: null,
    role: 'admin',
    active: true,
    mobileRaw: '501 234 567',
    mobileE164: '+48501234567',
    mobilePrivate: false,
    passwordHash: 'scrypt$x',
    createdAt: now,
    updatedAt: now,
  };
  const member = { employeeId: randomUUID(), joinedAt: now, deliveredSeq: 0, readSeq: 0 };
  const conversation = {
    _id: randomUUID(),
    kind: 'direct',
    name: null,
    directKey: 'a:b',
    createdBy: member.employeeId,
    createdAt: now,
    lastSeq: 0,
    lastActivityAt: now,
    members: [member],
  };
  const message = {
    _id: randomUUID(),
    conversationId: conversation._id,
    seq: 1,
    senderId: member.employeeId,
    clientId: randomUUID(),
    text: 'Cześć',
    createdAt: now,
    notifySms: false,
  };
  const dispatch = {
    _id: randomUUID(),
    messageId: message._id,
    conversationId: conversation._id,
    senderId: member.employeeId,
    recipientId: randomUUID(),
    status: 'queued',
    reason: null,
    toE164: '+48501234567',
    text: 'Pilne',
    parts: 1,
    points: 0.16,
    gatewayId: null,
    attempts: 0,
    nextAttemptAt: now,
    lockedUntil: null,
    createdAt: now,
    updatedAt: now,
  };
  const notification = {
    _id: randomUUID(),
    employeeId: member.employeeId,
    kind: 'sms_outcome',
    messageId: randomUUID(),
    conversationId: randomUUID(),
    recipientId: randomUUID(),
    recipientName: 'Bartek',
    status: 'not_sent',
    reason: { code: 'mobile_private' },
    createdAt: now,
    readAt: null,
  };
  const session = { _id: 'hash', employeeId: member.employeeId, createdAt: now, expiresAt: now };

  it('accepts well-formed documents', () => {
    expect(check(models.Employee, employee)).toEqual([]);
    expect(check(models.Conversation, conversation)).toEqual([]);
    expect(check(models.Conversation, { ...conversation, kind: 'group', name: 'Zmiana', directKey: null })).toEqual([]);
    expect(check(models.Message, message)).toEqual([]);
    expect(check(models.SmsDispatch, dispatch)).toEqual([]);
    expect(check(models.SmsDispatch, { ...dispatch, status: 'not_sent', toE164: null, parts: null, points: null, nextAttemptAt: null })).toEqual([]);
    expect(check(models.Notification, notification)).toEqual([]);
    expect(check(models.Session, session)).toEqual([]);
  });

  it('refuses malformed employees', () => {
    expect(check(models.Employee, { ...employee, login: '', role: 'boss', mobileE164: '501 234 567', passwordHash: undefined })).toEqual(
      ['login', 'mobileE164', 'passwordHash', 'role'],
    );
    expect(check(models.Employee, { ...employee, createdAt: 'not a date', active: undefined })).toEqual(['active', 'createdAt']);
  });

  it('refuses malformed conversations and memberships', () => {
    expect(check(models.Conversation, { ...conversation, kind: 'channel', directKey: null })).toEqual(['kind']);
    // A direct conversation needs its pair key; a group must not have one.
    expect(check(models.Conversation, { ...conversation, directKey: null })).toEqual(['directKey']);
    expect(check(models.Conversation, { ...conversation, kind: 'group', directKey: 'a:b' })).toEqual(['directKey']);
    expect(check(models.Conversation, { ...conversation, lastSeq: -1 })).toEqual(['lastSeq']);
    const errors = check(models.Conversation, { ...conversation, members: [{ ...member, readSeq: 1.5, employeeId: '' }] });
    expect(errors).toEqual(expect.arrayContaining(['members.0.employeeId', 'members.0.readSeq']));
  });

  it('refuses malformed messages, dispatches, notifications and sessions', () => {
    expect(check(models.Message, { ...message, seq: 0, text: '' })).toEqual(['seq', 'text']);
    expect(check(models.Message, { ...message, seq: 2.5, clientId: undefined })).toEqual(['clientId', 'seq']);
    expect(check(models.SmsDispatch, { ...dispatch, status: 'lost', parts: -1, attempts: 0.5, points: -1 })).toEqual([
      'attempts',
      'parts',
      'points',
      'status',
    ]);
    expect(check(models.Notification, { ...notification, kind: 'email', employeeId: undefined })).toEqual(['employeeId', 'kind']);
    expect(check(models.Session, { ...session, expiresAt: undefined })).toEqual(['expiresAt']);
  });

  it('declares the indexes the store relies on, with uniqueness and collation', () => {
    const indexesOf = (schema: { indexes(): Array<[Record<string, unknown>, Record<string, unknown>]> }) =>
      schema.indexes().map(([fields, options]) => ({ fields, ...options }));
    expect(indexesOf(employeeSchema)).toContainEqual(
      expect.objectContaining({ fields: { login: 1 }, unique: true, collation: { locale: 'en', strength: 2 } }),
    );
    expect(indexesOf(messageSchema)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ fields: { senderId: 1, clientId: 1 }, unique: true }),
        expect.objectContaining({ fields: { conversationId: 1, seq: 1 }, unique: true }),
      ]),
    );
    expect(indexesOf(smsDispatchSchema)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ fields: { gatewayId: 1 } }),
        expect.objectContaining({ fields: { messageId: 1 } }),
        expect.objectContaining({ fields: { status: 1, nextAttemptAt: 1 } }),
        expect.objectContaining({ fields: { senderId: 1, createdAt: 1 } }),
        expect.objectContaining({ fields: { recipientId: 1, createdAt: 1 } }),
      ]),
    );
    expect(indexesOf(notificationSchema)).toContainEqual(expect.objectContaining({ fields: { employeeId: 1, createdAt: -1 } }));
    expect(indexesOf(conversationSchema)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          fields: { directKey: 1 },
          unique: true,
          partialFilterExpression: { directKey: { $type: 'string' } },
        }),
        expect.objectContaining({ fields: { 'members.employeeId': 1, lastActivityAt: -1 } }),
      ]),
    );
    expect(indexesOf(sessionSchema)).toEqual(
      expect.arrayContaining([expect.objectContaining({ fields: { employeeId: 1 } }), expect.objectContaining({ fields: { expiresAt: 1 } })]),
    );
    // Indexes are built at start by the store, never in the background behind its back.
    for (const schema of [employeeSchema, sessionSchema, conversationSchema, messageSchema, smsDispatchSchema, notificationSchema]) {
      expect(schema.get('autoIndex')).toBe(false);
      expect(schema.get('autoCreate')).toBe(false);
    }
  });
});

describe('MongoDB connection errors (no server needed)', () => {
  const expectClearError = (error: unknown) => {
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('MongoDB');
    expect(message).toContain('127.0.0.1');
    expect(message).not.toContain('secret');
    return message;
  };

  it('fails within seconds on an unreachable URI, naming MongoDB and the host but not the password', async () => {
    const started = Date.now();
    const error = await openMongoStore({ uri: UNREACHABLE }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(6_000);
    const message = expectClearError(error);
    expect(message).toMatch(/^cannot connect to MongoDB at mongodb:\/\/\*\*\*@127\.0\.0\.1:1\/depesza: /);
  });

  it('is what the app gets when MONGODB_URI is set: no fallback to SQLite', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'depesza-mongo-fallback-'));
    try {
      const config = loadConfig({ MONGODB_URI: UNREACHABLE, DATA_DIR: dataDir });
      const error = await openStore(config).then(
        (store) => store.close().then(() => null),
        (e: unknown) => e,
      );
      expectClearError(error);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('fails the same way for the Socket.IO adapter and for the copy target', async () => {
    expectClearError(await pickSocketAdapter({ redisUrl: null, mongodbUri: UNREACHABLE }).catch((e: unknown) => e));
    expectClearError(await openMongoImport({ uri: UNREACHABLE }).catch((e: unknown) => e));
    expect(await pickSocketAdapter({ redisUrl: null, mongodbUri: null })).toBeNull();
  });

  it('names a malformed URI without its password', async () => {
    const error = await connectMongo('mongodb://user:secret@').catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^cannot connect to MongoDB at mongodb:\/\/\*\*\*@: /);
    expect((error as Error).message).not.toContain('secret');
  });

  it('redacts URIs and scrubs secrets from driver messages', () => {
    expect(describeMongoUri('mongodb://app:p%40ss@db1:27017,db2:27017/depesza?replicaSet=rs0')).toBe(
      'mongodb://***@db1:27017,db2:27017/depesza?replicaSet=rs0',
    );
    expect(describeMongoUri('mongodb://db/x?tls=true&tlsCertificateKeyFilePassword=hunter2')).toBe(
      'mongodb://db/x?tls=true&tlsCertificateKeyFilePassword=***',
    );
    expect(scrubSecrets('auth failed for p@ss and p%40ss', 'mongodb://app:p%40ss@db/x')).toBe('auth failed for *** and ***');
    expect(databaseNameOf('mongodb://h:1/depesza?replicaSet=rs0')).toBe('depesza');
    expect(databaseNameOf('mongodb://h:1/?replicaSet=rs0')).toBeNull();
    expect(databaseNameOf('mongodb+srv://u:p@cluster.example/prod')).toBe('prod');
  });

  it('recognises duplicate-key errors by index name', () => {
    const error = Object.assign(new Error('E11000 duplicate key error collection: d.messages index: sender_client_unique dup key: { }'), {
      code: 11000,
    });
    expect(isDuplicateKey(error)).toBe(true);
    expect(isDuplicateKey(error, 'sender_client_unique')).toBe(true);
    expect(isDuplicateKey(error, 'conversation_seq_unique')).toBe(false);
    const bulk = { code: 11000, writeErrors: [{ code: 11000, errmsg: 'E11000 duplicate key error index: _id_ dup key' }] };
    expect(isDuplicateKey(bulk, '_id_')).toBe(true);
    expect(isDuplicateKey(new Error('other'))).toBe(false);
  });
});

describe.skipIf(!MONGODB_URI)('MongoDB store against a real server (MONGODB_URI)', () => {
  const uri = MONGODB_URI as string;
  const run = `depesza_test_${Date.now().toString(36)}_${process.pid}`;
  let counter = 0;
  let admin: Connection;
  const databases = new Set<string>();
  const freshDatabase = () => {
    const name = `${run}_${++counter}`;
    databases.add(name);
    return name;
  };
  const drop = async (name: string) => {
    await admin.useDb(name, { useCache: false }).dropDatabase();
    databases.delete(name);
  };

  beforeAll(async () => {
    admin = await connectMongo(uri);
  });
  afterAll(async () => {
    for (const name of [...databases]) await drop(name).catch(() => undefined);
    await admin?.close();
  });

  const makeMongoStore = async () => {
    const dbName = freshDatabase();
    const store = await openMongoStore({ uri, dbName });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await drop(dbName);
      },
    };
  };
  runStoreContract('mongo', makeMongoStore);
  runSmsPathsContract('mongo', makeMongoStore);
  runBulkContract('mongo', makeMongoStore);

  describe('two stores on one database, like two processes', () => {
    let dbName: string;
    let first: Store;
    let second: Store;
    beforeAll(async () => {
      dbName = freshDatabase();
      [first, second] = await Promise.all([openMongoStore({ uri, dbName }), openMongoStore({ uri, dbName })]);
    });
    afterAll(async () => {
      await Promise.all([first?.close(), second?.close()]);
      await drop(dbName);
    });

    it('numbers concurrent appends from both without gaps or repeats, and stores a racing repeat once', async () => {
      const a = await first.employees.create(newEmployee());
      const b = await first.employees.create(newEmployee());
      const group = await first.conversations.createGroup({ id: randomUUID(), name: 'g', createdBy: a.id, memberIds: [b.id], createdAt: new Date() });
      const id = group.conversation.id;
      const message = (senderId: string, clientId = randomUUID()) => ({
        id: randomUUID(),
        conversationId: id,
        senderId,
        clientId,
        text: 't',
        createdAt: new Date(),
        notifySms: false,
        dispatches: [],
      });
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) => (i % 2 ? first : second).messages.append(message(i % 3 ? a.id : b.id))),
      );
      expect(results.map((r) => r.message.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));

      const clientId = randomUUID();
      const repeats = await Promise.all([first, second, first, second].map((store) => store.messages.append(message(a.id, clientId))));
      expect(repeats.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(repeats.map((r) => r.message.seq))).toEqual(new Set([61]));
      expect((await second.conversations.findForMember(id, a.id))!.conversation.lastSeq).toBe(61);
    });

    it('hands each due dispatch to exactly one of the two', async () => {
      const a = await first.employees.create(newEmployee());
      const b = await first.employees.create(newEmployee());
      const group = await first.conversations.createGroup({ id: randomUUID(), name: 'g', createdBy: a.id, memberIds: [b.id], createdAt: new Date() });
      await first.messages.append({
        id: randomUUID(),
        conversationId: group.conversation.id,
        senderId: a.id,
        clientId: randomUUID(),
        text: 't',
        createdAt: new Date(),
        notifySms: true,
        dispatches: Array.from({ length: 30 }, () => queued(b.id)),
      });
      const now = new Date();
      const lease = new Date(now.getTime() + 60_000);
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? first : second).sms.claimDue(now, lease, 5)));
      const ids = claims.flat().map((d) => d.id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    });

    it('created the declared indexes in the database', async () => {
      const db = admin.useDb(dbName, { useCache: false });
      const employees = await db.collection('employees').indexes();
      expect(employees).toContainEqual(
        expect.objectContaining({ key: { login: 1 }, unique: true, collation: expect.objectContaining({ locale: 'en', strength: 2 }) }),
      );
      const messages = await db.collection('messages').indexes();
      expect(messages).toContainEqual(expect.objectContaining({ key: { senderId: 1, clientId: 1 }, unique: true }));
      expect(messages).toContainEqual(expect.objectContaining({ key: { conversationId: 1, seq: 1 }, unique: true }));
      const dispatches = await db.collection('sms_dispatches').indexes();
      expect(dispatches).toContainEqual(expect.objectContaining({ key: { status: 1, nextAttemptAt: 1 } }));
      expect(dispatches).toContainEqual(expect.objectContaining({ key: { gatewayId: 1 } }));
      const notifications = await db.collection('notifications').indexes();
      expect(notifications).toContainEqual(expect.objectContaining({ key: { employeeId: 1, createdAt: -1 } }));
    });
  });

  describe('copy from SQLite', () => {
    let dir: string;
    let source: Store;
    afterEach(async () => {
      await source?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** A small installation: two employees, a session, a direct and a group conversation, messages, SMS, a notification. */
    async function fillSqlite(): Promise<{ store: Store; ids: Record<string, string> }> {
      dir = mkdtempSync(path.join(tmpdir(), 'depesza-copy-'));
      const store = await openSqliteStore({ file: path.join(dir, 'depesza.sqlite') });
      const mk = (login: string, mobile: string | null): NewEmployee =>
        newEmployee({
          login,
          name: login,
          title: login === 'Anna' ? 'Szefowa' : null,
          role: login === 'Anna' ? 'admin' : 'employee',
          mobileRaw: mobile,
          mobileE164: mobile ? `+48${mobile.replace(/\D/g, '')}` : null,
          passwordHash: `scrypt$${login}`,
        });
      const anna = await store.employees.create(mk('Anna', '501 234 567'));
      const bartek = await store.employees.create(mk('bartek', '512 345 678'));
      await store.sessions.create({ tokenHash: 'token-hash', employeeId: anna.id, createdAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000) });
      const direct = await store.conversations.openDirect({ id: randomUUID(), a: anna.id, b: bartek.id, createdAt: new Date() });
      const group = await store.conversations.createGroup({ id: randomUUID(), name: 'Zespół', createdBy: anna.id, memberIds: [bartek.id], createdAt: new Date() });
      for (let i = 1; i <= 5; i++) {
        await store.messages.append({
          id: randomUUID(),
          conversationId: direct.conversation.id,
          senderId: i % 2 ? anna.id : bartek.id,
          clientId: randomUUID(),
          text: `wiadomość ${i}`,
          createdAt: new Date(Date.now() + i),
          notifySms: false,
          dispatches: [],
        });
      }
      const urgent = await store.messages.append({
        id: randomUUID(),
        conversationId: group.conversation.id,
        senderId: anna.id,
        clientId: randomUUID(),
        text: 'Pilne!',
        createdAt: new Date(),
        notifySms: true,
        dispatches: [queued(bartek.id)],
      });
      await store.sms.update(urgent.dispatches[0]!.id, { status: 'sent', gatewayId: 'GW-1', parts: 1, points: 0.16, attempts: 1, nextAttemptAt: null });
      await store.conversations.markReceipt(direct.conversation.id, bartek.id, 'read', 3);
      // Kinds kept outside the core tables: a mute, "do not disturb", a template, an integration, a bulk job.
      await store.notifyPrefs.setMute(direct.conversation.id, bartek.id, 'forever');
      await store.notifyPrefs.setDoNotDisturb(anna.id, new Date('2030-01-01T08:00:00Z'));
      const at = new Date('2026-11-30T12:00:00Z');
      await store.smsTemplates.create({ id: randomUUID(), name: 'Awaria', text: '{imię}, awaria', createdAt: at, updatedAt: at });
      await store.integrations.create({
        id: randomUUID(),
        name: 'monitoring',
        employeeId: bartek.id,
        tokenHash: 'f'.repeat(64),
        perMinute: 60,
        createdBy: anna.id,
        createdAt: at,
        revokedAt: null,
      });
      await store.bulkJobs.claim(
        { id: randomUUID(), senderId: anna.id, requestHash: 'b1', templateId: null, recipientIds: [bartek.id], texts: { [bartek.id]: 'x' }, reservedSms: 1, createdAt: at, finishedAt: null },
        { perDay: 100, daySince: new Date(at.getTime() - 3_600_000) },
      );
      await store.notifications.create({
        id: randomUUID(),
        employeeId: anna.id,
        kind: 'sms_outcome',
        messageId: urgent.message.id,
        conversationId: group.conversation.id,
        recipientId: urgent.dispatches[0]!.recipientId,
        recipientName: 'Bartek',
        status: 'sent',
        reason: null,
        createdAt: new Date(),
        readAt: null,
      });
      return {
        store,
        ids: {
          anna: anna.id,
          bartek: bartek.id,
          direct: direct.conversation.id,
          group: group.conversation.id,
          urgent: urgent.message.id,
          dispatch: urgent.dispatches[0]!.id,
        },
      };
    }

    /** Everything readable through the port, for comparing two stores. */
    async function snapshot(store: Store, ids: Record<string, string>) {
      return {
        employees: await store.employees.list({ includeInactive: true }),
        anna: await store.employees.findByLogin('anna'),
        session: await store.sessions.findValid('token-hash', new Date()),
        conversations: await store.conversations.listForEmployee(ids.anna!),
        direct: await store.messages.listAfter(ids.direct!, 0, 100),
        group: await store.messages.listAfter(ids.group!, 0, 100),
        dispatch: await store.sms.findById(ids.dispatch!),
        byGateway: await store.sms.findByGatewayId('GW-1'),
        notifications: await store.notifications.list(ids.anna!, 10),
        annaPrefs: await store.notifyPrefs.get(ids.anna!),
        bartekPrefs: await store.notifyPrefs.get(ids.bartek!),
        templates: await store.smsTemplates.list(),
        integration: await store.integrations.findByTokenHash('f'.repeat(64)),
        bulkJobs: await store.bulkJobs.list(null, 10),
        // Copied messages are found by search (the copy sets their search words itself).
        found: (await store.messages.search({ employeeId: ids.anna!, terms: parseSearchQuery('pilne'), limit: 10 })).messages.map((m) => m.id),
      };
    }

    it('copies everything, keeping ids and sequence numbers, into an empty database only', async () => {
      const filled = await fillSqlite();
      source = filled.store;
      const expected = await snapshot(source, filled.ids);
      await source.close();

      const dbName = freshDatabase();
      const from = openSqliteExport(dir);
      const to = await openMongoImport({ uri, dbName });
      try {
        const copied = await copyStore(from, to, { batchSize: 2 });
        expect(copied).toEqual({
          ...EMPTY_COUNTS,
          files: 0,
          missingFiles: 0,
          employees: 2,
          doNotDisturb: 1,
          mutes: 1,
          smsTemplates: 1,
          integrations: 1,
          bulkJobs: 1,
          sessions: 1,
          conversations: 2,
          memberships: 4,
          messages: 6,
          smsDispatches: 1,
          notifications: 1,
        });
        // A second copy into the same database is refused: nothing is duplicated or overwritten.
        await expect(copyStore(openSqliteExport(dir), to)).rejects.toThrow(/already holds data/);
      } finally {
        await from.close();
        await to.close();
      }

      const target = await openMongoStore({ uri, dbName });
      try {
        expect(await snapshot(target, filled.ids)).toEqual(expected);
        // The counter came along: the next message continues the sequence.
        const next = await target.messages.append({
          id: randomUUID(),
          conversationId: filled.ids.direct!,
          senderId: filled.ids.anna!,
          clientId: randomUUID(),
          text: 'po przeprowadzce',
          createdAt: new Date(),
          notifySms: false,
          dispatches: [],
        });
        expect(next.message.seq).toBe(6);
      } finally {
        await target.close();
      }
    });

    it('runs as `npm run store -- copy` and prints the counts', async () => {
      const filled = await fillSqlite();
      source = filled.store;
      await source.close();
      const dbName = freshDatabase();
      const target = withDatabase(uri, dbName);
      const result = await runCli(['copy', '--from', `sqlite:${dir}`, '--to', target]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/employees\s+2/);
      expect(result.stdout).toMatch(/messages\s+6/);
      expect(result.stdout).toMatch(/SMS dispatches\s+1/);
      const store = await openMongoStore({ uri, dbName });
      try {
        expect((await store.messages.listAfter(filled.ids.direct!, 0, 10)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
      } finally {
        await store.close();
      }
    });
  });
});

function queued(recipientId: string): NewDispatch {
  return {
    id: randomUUID(),
    recipientId,
    status: 'queued',
    reason: null,
    toE164: '+48501234567',
    text: 'Pilne',
    parts: null,
    points: null,
    gatewayId: null,
    attempts: 0,
    nextAttemptAt: new Date(0),
    lockedUntil: null,
  };
}

/** The URI with its database replaced (query string kept). */
function withDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error('unexpected MONGODB_URI form');
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = path.resolve(import.meta.dirname, '../../../../..');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'server/src/cli/store.ts', ...args], {
      cwd: root,
      env: { ...process.env, MONGODB_URI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
