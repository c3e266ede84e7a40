import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPEND_BATCH_CHANNEL } from '../append-batch-channel.js';
import { AttachmentsUnavailable, type Store } from '../../../ports/store.js';
import { openSqliteStore } from './sqlite-store.js';

/** Sequence counters held in memory by the writer (sequence-counters.ts), against real files. */
describe('SQLite sequence counters in the writer', () => {
  let dir: string;
  let file: string;
  const opened: Store[] = [];
  const open = async (appendCommitWindowMs?: number) => {
    const store = await openSqliteStore({ file, appendCommitWindowMs });
    opened.push(store);
    return store;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'depesza-counters-'));
    file = join(dir, 'depesza.db');
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const seedGroup = async (store: Store) => {
    const person = (login: string) => ({
      id: randomUUID(), login, name: login, title: null, role: 'employee' as const, active: true,
      mobileRaw: null, mobileE164: null, mobilePrivate: false, passwordHash: '!',
    });
    const [a, b] = [await store.employees.create(person('a')), await store.employees.create(person('b'))];
    const group = await store.conversations.createGroup({ id: randomUUID(), name: 'g', createdBy: a.id, memberIds: [b.id], createdAt: new Date() });
    return { a: a.id, b: b.id, conversationId: group.conversation.id };
  };
  const send = (store: Store, conversationId: string, senderId: string, text: string, extra: { attachmentIds?: string[] } = {}) =>
    store.messages.append({
      id: randomUUID(), conversationId, senderId, clientId: randomUUID(), text, createdAt: new Date(), notifySms: false, dispatches: [], ...extra,
    });
  const marks = (conversationId: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return {
        conversation: db.prepare('SELECT last_seq, last_rev FROM conversations WHERE id = ?').get(conversationId),
        members: db.prepare('SELECT employee_id, read_seq FROM memberships WHERE conversation_id = ? ORDER BY employee_id').all(conversationId),
      };
    } finally {
      db.close();
    }
  };

  it('numbers messages without a gap or a repeat while two connections (like two processes) append and edit', async () => {
    const first = await open();
    const { a, b, conversationId } = await seedGroup(first);
    const second = await open();
    const results = [];
    for (let round = 0; round < 5; round++) {
      // Each store's counter is stale after the other's commit; both batches run at once.
      results.push(...(await Promise.all([send(first, conversationId, a, `1-${round}-x`), send(first, conversationId, a, `1-${round}-y`), send(second, conversationId, b, `2-${round}`)])));
      const edited = await second.messages.change(conversationId, results[0]!.message.id, () => ({ text: `edit ${round}` }));
      expect(edited?.changed).toBe(true);
    }
    expect(results.map((r) => r.message.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const revs = (await first.messages.listAfterRev(conversationId, 0, 100)).map((m) => m.rev);
    expect(new Set(revs).size).toBe(revs.length);
    expect(marks(conversationId).conversation).toEqual({ last_seq: 15, last_rev: 20 });
  });

  it('leaves no gap for an item of a batch that failed, and raises the sender’s read mark once per batch to its last message', async () => {
    const store = await open();
    const { a, conversationId } = await seedGroup(store);
    const outcomes = await Promise.allSettled([
      send(store, conversationId, a, 'one'),
      send(store, conversationId, a, 'not mine', { attachmentIds: [randomUUID()] }),
      send(store, conversationId, a, 'two'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(AttachmentsUnavailable);
    expect(outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.message.seq] : []))).toEqual([1, 2]);
    expect((await send(store, conversationId, a, 'three')).message.seq).toBe(3);
    const after = marks(conversationId);
    expect(after.conversation).toEqual({ last_seq: 3, last_rev: 3 });
    expect(after.members.find((m) => (m as { employee_id: string }).employee_id === a)).toMatchObject({ read_seq: 3 });
  });

  it('continues from the file after a restart', async () => {
    let store = await open();
    const { a, conversationId } = await seedGroup(store);
    await Promise.all([send(store, conversationId, a, 'one'), send(store, conversationId, a, 'two')]);
    await store.close();
    store = await open();
    expect((await send(store, conversationId, a, 'three')).message.seq).toBe(3);
  });

  it('with a commit window, appends a turn of the event loop apart share one commit, acknowledged only after it', async () => {
    const store = await open(50);
    const { a, conversationId } = await seedGroup(store);
    const acked: string[] = [];
    // Each commit's size, and how many appends had been acknowledged when it started.
    const batches: Array<{ size: number; ackedBefore: number }> = [];
    const onBatch = (size: unknown) => batches.push({ size: size as number, ackedBefore: acked.length });
    subscribe(APPEND_BATCH_CHANNEL, onBatch);
    try {
      const first = send(store, conversationId, a, 'one').then((r) => acked.push(r.message.text));
      // Without a window the first append would be committed alone in this turn.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      const second = send(store, conversationId, a, 'two').then((r) => acked.push(r.message.text));
      await Promise.all([first, second]);
    } finally {
      unsubscribe(APPEND_BATCH_CHANNEL, onBatch);
    }
    expect({ batches, acked }).toEqual({ batches: [{ size: 2, ackedBefore: 0 }], acked: ['one', 'two'] });
    expect(marks(conversationId).conversation).toEqual({ last_seq: 2, last_rev: 2 });
  });
});
