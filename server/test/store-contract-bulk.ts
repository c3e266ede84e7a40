/**
 * The store contract for departments in the directory and bulk SMS jobs (issue 13); every adapter runs it next to
 * `runStoreContract`.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BulkLimitReached, type BulkJob } from '../src/domain/bulk-sms.js';
import type { Store } from '../src/ports/store.js';
import { newEmployee, type MakeStore } from './store-contract.js';
import { storePerTest } from './support/store-per-test.js';

const T0 = Date.parse('2026-03-03T08:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);

export function runBulkContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract, departments and bulk SMS: ${name}`, () => {
    const store = storePerTest(makeStore);

    it('keeps a department through create, update, clearing and an upsert, and none when never given', async () => {
      const created = await store.employees.create(newEmployee({ login: 'ola', department: 'Sprzedaż' }));
      expect(created.department).toBe('Sprzedaż');
      expect((await store.employees.findByLogin('ola'))?.department).toBe('Sprzedaż');
      const plain = await store.employees.create(newEmployee({ login: 'jan' }));
      expect((await store.employees.findById(plain.id))?.department).toBeNull();

      expect((await store.employees.update(created.id, { name: 'Ola Nowak' }))?.department).toBe('Sprzedaż');
      expect((await store.employees.update(created.id, { department: 'Magazyn' }))?.department).toBe('Magazyn');
      expect((await store.employees.update(created.id, { department: null }))?.department).toBeNull();

      await store.employees.upsertMany([newEmployee({ login: 'OLA', name: 'Ola', department: 'IT' }), newEmployee({ login: 'ewa', department: 'IT' })]);
      const all = await store.employees.list();
      expect(all.map((e) => [e.login.toLowerCase(), e.department]).sort()).toEqual([
        ['ewa', 'IT'],
        ['jan', null],
        ['ola', 'IT'],
      ]);
    });

    it("answers a group's members to anyone, and nothing for a direct conversation or an unknown id", async () => {
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => store.employees.create(newEmployee())));
      const group = await store.conversations.createGroup({ id: randomUUID(), name: 'Dyżur', createdBy: a!.id, memberIds: [a!.id, b!.id], createdAt: at(0) });
      expect((await store.conversations.groupMemberIds(group.conversation.id))?.sort()).toEqual([a!.id, b!.id].sort());
      const direct = await store.conversations.openDirect({ id: randomUUID(), a: a!.id, b: c!.id, createdAt: at(0) });
      expect(await store.conversations.groupMemberIds(direct.conversation.id)).toBeNull();
      expect(await store.conversations.groupMemberIds(randomUUID())).toBeNull();
    });

    const job = async (reservedSms: number, overrides: Partial<BulkJob> = {}): Promise<BulkJob> => {
      const sender = await store.employees.create(newEmployee());
      return {
        id: randomUUID(),
        senderId: sender.id,
        requestHash: 'h',
        templateId: null,
        recipientIds: ['r1', 'r2'],
        texts: { r1: 'Dzień dobry, Ola', r2: 'Dzień dobry, Jan' },
        reservedSms,
        createdAt: at(0),
        finishedAt: null,
        ...overrides,
      };
    };

    it('claims a job once per id, keeping the first, and lists them newest first', async () => {
      const first = await job(2);
      expect(await store.bulkJobs.claim(first, { perDay: 0, daySince: at(-1) })).toEqual({ job: first, created: true });
      const again = await store.bulkJobs.claim({ ...first, requestHash: 'other', reservedSms: 1 }, { perDay: 0, daySince: at(-1) });
      expect(again).toEqual({ job: first, created: false });
      expect(await store.bulkJobs.findById(first.id)).toEqual(first);
      expect(await store.bulkJobs.findById(randomUUID())).toBeNull();

      const later = await job(1, { createdAt: at(1000) });
      await store.bulkJobs.claim(later, { perDay: 0, daySince: at(-1) });
      expect((await store.bulkJobs.list(null, 10)).map((j) => j.id)).toEqual([later.id, first.id]);
      expect((await store.bulkJobs.list(first.senderId, 10)).map((j) => j.id)).toEqual([first.id]);
      expect((await store.bulkJobs.list(null, 1)).map((j) => j.id)).toEqual([later.id]);
    });

    it('never reserves past the daily limit, however many claim at once, and counts only since the day began', async () => {
      const yesterday = await job(9, { createdAt: at(-86_400_000) });
      await store.bulkJobs.claim(yesterday, { perDay: 10, daySince: at(-2 * 86_400_000) });
      const jobs = await Promise.all(Array.from({ length: 8 }, () => job(3)));
      const results = await Promise.allSettled(jobs.map((j) => store.bulkJobs.claim(j, { perDay: 10, daySince: at(-1000) })));
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      // 3 of 3 SMS each fit in 10 three times; yesterday's 9 do not count today.
      expect(won).toHaveLength(3);
      expect(lost).toHaveLength(5);
      for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(BulkLimitReached);
      expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ used: 9, limit: 10 });
      expect(await store.bulkJobs.list(null, 20)).toHaveLength(4);
      expect(await store.bulkJobs.reservedSince(at(-1000))).toBe(9);
      expect(await store.bulkJobs.reservedSince(at(-2 * 86_400_000))).toBe(18);
    });

    it('lists unfinished jobs oldest first until each is marked finished, keeping the first finish time', async () => {
      const older = await job(1, { createdAt: at(-5000) });
      const newer = await job(1);
      const done = await job(1, { finishedAt: at(10) });
      for (const j of [newer, older, done]) await store.bulkJobs.claim(j, { perDay: 0, daySince: at(-86_400_000) });
      expect((await store.bulkJobs.unfinished(10)).map((j) => j.id)).toEqual([older.id, newer.id]);
      expect((await store.bulkJobs.unfinished(1)).map((j) => j.id)).toEqual([older.id]);

      await store.bulkJobs.markFinished(older.id, at(100));
      await store.bulkJobs.markFinished(older.id, at(200));
      expect((await store.bulkJobs.findById(older.id))?.finishedAt).toEqual(at(100));
      expect((await store.bulkJobs.unfinished(10)).map((j) => j.id)).toEqual([newer.id]);
      expect((await store.bulkJobs.findById(done.id))?.finishedAt).toEqual(at(10));
    });

    it('answers a repeat of a stored job even when the day is full', async () => {
      const first = await job(5);
      await store.bulkJobs.claim(first, { perDay: 5, daySince: at(-1) });
      await expect(store.bulkJobs.claim(first, { perDay: 5, daySince: at(-1) })).resolves.toMatchObject({ created: false });
      await expect(store.bulkJobs.claim(await job(1), { perDay: 5, daySince: at(-1) })).rejects.toBeInstanceOf(BulkLimitReached);
    });
  });
}
