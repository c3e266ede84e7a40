/**
 * The behaviour every storage adapter must show, written against the `Store` port only. An adapter's own test
 * file calls `runStoreContract('sqlite', makeStore)`; each test gets a fresh, empty store.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Employee, SmsDispatch } from '../src/domain/entities.js';
import type { SmsStatus } from '../../shared/schemas/index.js';
import { runMessageChangesContract } from './store-contract-message-changes.js';
import { runAttachmentsContract } from './store-contract-attachments.js';
import { runSmsInboundContract } from './store-contract-sms-inbound.js';
import { runClientIdsContract } from './store-contract-client-ids.js';
import { runNotifyPrefsContract } from './store-contract-notify-prefs.js';
import { runQuietHoursContract } from './store-contract-quiet-hours.js';
import { GroupCapReached, type AppendMessageInput, type DispatchPlanner, type NewDispatch, type Store } from '../src/ports/store.js';
import { newEmployee, storePerTest, type MakeStore } from './support/store-per-test.js';

export type { MakeStore };
export { newEmployee };

const T0 = Date.parse('2025-03-03T08:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);
const MINUTE = 60_000;

/** Also used by the two-way SMS contract. */
export function newDispatch(
  recipientId: string,
  overrides: Partial<NewDispatch> = {},
): NewDispatch & Pick<SmsDispatch, 'sendIf' | 'deadlineAt' | 'heldUntil' | 'ignoreQuietHours' | 'origin'> {
  return {
    id: randomUUID(),
    recipientId,
    status: 'queued',
    reason: null,
    toE164: '+48500100200',
    text: 'Pilne: zadzwoń',
    parts: null,
    points: null,
    gatewayId: null,
    attempts: 0,
    nextAttemptAt: at(0),
    lockedUntil: null,
    sendIf: null,
    deadlineAt: null,
    heldUntil: null,
    ignoreQuietHours: false,
    origin: 'chat',
    ...overrides,
  };
}

export function runStoreContract(name: string, makeStore: MakeStore): void {
  runMessageChangesContract(name, makeStore);
  runAttachmentsContract(name, makeStore);
  runSmsInboundContract(name, makeStore);
  runClientIdsContract(name, makeStore);
  runNotifyPrefsContract(name, makeStore);
  runQuietHoursContract(name, makeStore);
  describe(`Store contract: ${name}`, () => {
    const store = storePerTest(makeStore);

    const seedEmployees = async (count: number): Promise<Employee[]> => {
      const created: Employee[] = [];
      for (let i = 0; i < count; i++) created.push(await store.employees.create(newEmployee()));
      return created;
    };

    const message = (conversationId: string, senderId: string, overrides: Partial<AppendMessageInput> = {}) => ({
      id: randomUUID(),
      conversationId,
      senderId,
      clientId: randomUUID(),
      text: 'hello',
      createdAt: at(0),
      notifySms: false,
      dispatches: [],
      ...overrides,
    });

    const openGroup = async (members: Employee[], createdAt = at(0)) => {
      const [creator, ...others] = members;
      const group = await store.conversations.createGroup({
        id: randomUUID(),
        name: 'Zmiana nocna',
        createdBy: creator!.id,
        memberIds: others.map((e) => e.id),
        createdAt,
      });
      return group.conversation;
    };

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      expect(['sqlite', 'mongo']).toContain(store.kind);
    });

    describe('employees', () => {
      it('creates an employee and finds it by id and by login in any letter case', async () => {
        const input = newEmployee({ login: 'Anna.Kowalska', title: 'Pielęgniarka', mobileRaw: '500 100 200' });
        const created = await store.employees.create({ ...input, mobileE164: '+48500100200', mobilePrivate: true });
        expect(created).toMatchObject({ ...input, mobileE164: '+48500100200', mobilePrivate: true });
        expect(created.createdAt).toBeInstanceOf(Date);
        expect(created.updatedAt.getTime()).toBe(created.createdAt.getTime());

        expect(await store.employees.findById(input.id)).toEqual(created);
        expect(await store.employees.findByLogin('anna.kowalska')).toEqual(created);
        expect(await store.employees.findByLogin('ANNA.KOWALSKA')).toEqual(created);
        expect(await store.employees.findByLogin('anna')).toBeNull();
        expect(await store.employees.findById(randomUUID())).toBeNull();
      });

      it('refuses a login that differs from a taken one only in letter case', async () => {
        await store.employees.create(newEmployee({ login: 'jan.nowak' }));
        await expect(store.employees.create(newEmployee({ login: 'Jan.Nowak' }))).rejects.toMatchObject({
          code: 'CONFLICT',
        });
        expect(await store.employees.count()).toBe(1);
      });

      it('updates only the given fields, clears a field given as null, and refuses a taken login', async () => {
        const [a, b] = await seedEmployees(2);
        await store.employees.update(a!.id, { title: 'Kierownik' });
        const updated = await store.employees.update(a!.id, {
          name: 'Nowe Imię',
          title: null,
          active: false,
          mobilePrivate: true,
        });
        expect(updated).toMatchObject({
          id: a!.id,
          login: a!.login,
          name: 'Nowe Imię',
          title: null,
          active: false,
          mobilePrivate: true,
          passwordHash: a!.passwordHash,
          role: 'employee',
        });
        expect(updated!.createdAt.getTime()).toBe(a!.createdAt.getTime());
        expect(await store.employees.findById(a!.id)).toEqual(updated);

        await expect(store.employees.update(a!.id, { login: b!.login.toUpperCase() })).rejects.toMatchObject({
          code: 'CONFLICT',
        });
        expect(await store.employees.update(randomUUID(), { name: 'Nobody' })).toBeNull();
      });

      it('finds several by id, lists active ones unless asked for all, and counts all', async () => {
        const [a, b, c] = await seedEmployees(3);
        await store.employees.update(c!.id, { active: false });

        const found = await store.employees.findByIds([a!.id, c!.id, randomUUID()]);
        expect(found.map((e) => e.id).sort()).toEqual([a!.id, c!.id].sort());
        expect(await store.employees.findByIds([])).toEqual([]);

        const active = await store.employees.list();
        expect(active.map((e) => e.id).sort()).toEqual([a!.id, b!.id].sort());
        const all = await store.employees.list({ includeInactive: true });
        expect(all.map((e) => e.id).sort()).toEqual([a!.id, b!.id, c!.id].sort());
        expect(await store.employees.count()).toBe(3);
      });

      it('upserts by login, matching existing logins in any letter case', async () => {
        const existing = await store.employees.create(newEmployee({ login: 'ewa.lis', name: 'Ewa' }));
        const result = await store.employees.upsertMany([
          newEmployee({ login: 'EWA.LIS', name: 'Ewa Lis', title: 'Lekarz' }),
          newEmployee({ login: 'piotr.wrona', name: 'Piotr' }),
        ]);
        expect(result).toEqual({ created: 1, updated: 1 });

        const ewa = await store.employees.findByLogin('ewa.lis');
        expect(ewa).toMatchObject({ id: existing.id, name: 'Ewa Lis', title: 'Lekarz' });
        expect(ewa!.createdAt.getTime()).toBe(existing.createdAt.getTime());
        expect(await store.employees.findByLogin('piotr.wrona')).toMatchObject({ name: 'Piotr' });
        expect(await store.employees.count()).toBe(2);
      });

      it('upserts all or nothing', async () => {
        const existing = await store.employees.create(newEmployee({ login: 'stary', name: 'Stary' }));
        // The second row reuses an existing id under a new login, which must fail and undo the first row.
        await expect(
          store.employees.upsertMany([
            newEmployee({ login: 'nowy.pierwszy' }),
            newEmployee({ login: 'stary', name: 'Zmieniony' }),
            newEmployee({ id: existing.id, login: 'nowy.drugi' }),
          ]),
        ).rejects.toThrow();
        expect(await store.employees.count()).toBe(1);
        expect(await store.employees.findByLogin('nowy.pierwszy')).toBeNull();
        expect(await store.employees.findByLogin('stary')).toMatchObject({ name: 'Stary' });
      });
    });

    describe('sessions', () => {
      it('finds a session only until it expires', async () => {
        const [a] = await seedEmployees(1);
        const session = { tokenHash: randomUUID(), employeeId: a!.id, createdAt: at(0), expiresAt: at(60 * MINUTE) };
        await store.sessions.create(session);
        expect(await store.sessions.findValid(session.tokenHash, at(59 * MINUTE))).toEqual(session);
        expect(await store.sessions.findValid(session.tokenHash, at(60 * MINUTE))).toBeNull();
        expect(await store.sessions.findValid(session.tokenHash, at(61 * MINUTE))).toBeNull();
        expect(await store.sessions.findValid(randomUUID(), at(0))).toBeNull();
        await store.sessions.delete(session.tokenHash);
        expect(await store.sessions.findValid(session.tokenHash, at(0))).toBeNull();
      });

      it('deletes an employee’s sessions and expired sessions, counting them', async () => {
        const [a, b] = await seedEmployees(2);
        const make = (employeeId: string, expiresInMinutes: number) => ({
          tokenHash: randomUUID(),
          employeeId,
          createdAt: at(0),
          expiresAt: at(expiresInMinutes * MINUTE),
        });
        const keep = make(b!.id, 120);
        for (const s of [make(a!.id, 10), make(a!.id, 120), make(b!.id, 10), keep]) await store.sessions.create(s);

        const current = make(a!.id, 120);
        await store.sessions.create(current);
        expect(await store.sessions.deleteForEmployee(a!.id, current.tokenHash)).toBe(2);
        expect(await store.sessions.findValid(current.tokenHash, at(0))).toEqual(current);
        expect(await store.sessions.deleteForEmployee(a!.id)).toBe(1);
        expect(await store.sessions.deleteExpired(at(10 * MINUTE))).toBe(1);
        expect(await store.sessions.deleteExpired(at(10 * MINUTE))).toBe(0);
        expect(await store.sessions.findValid(keep.tokenHash, at(11 * MINUTE))).toEqual(keep);
      });
    });

    describe('conversations', () => {
      it('never puts anyone in more groups than maxGroupsPerMember, however many add them at once', async () => {
        const [a, b, target] = await seedEmployees(3);
        const group = (i: number, by: Employee, cap?: number) =>
          store.conversations.createGroup({
            id: randomUUID(),
            name: `g${i}`,
            createdBy: by.id,
            memberIds: [by.id === a!.id ? b!.id : a!.id],
            createdAt: at(i),
            ...(cap === undefined ? {} : { maxGroupsPerMember: cap }),
          });
        const groups = [];
        for (let i = 0; i < 8; i += 1) groups.push(await group(i, i % 2 === 0 ? a! : b!));
        const results = await Promise.allSettled(
          groups.map((g) => store.conversations.addMembers(g.conversation.id, [target!.id], at(100), 3)),
        );
        const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        for (const r of refused) {
          expect(r.reason).toBeInstanceOf(GroupCapReached);
          expect((r.reason as GroupCapReached).employeeIds).toEqual([target!.id]);
        }
        const inGroups = (await store.conversations.listForEmployee(target!.id)).filter((c) => c.conversation.kind === 'group');
        expect(inGroups.length).toBeLessThanOrEqual(3);
        expect(inGroups.length).toBe(results.length - refused.length);
        // a and b are in 8 groups each: a ninth with a cap of 8 is refused and nothing is written.
        await expect(group(9, a!, 8)).rejects.toBeInstanceOf(GroupCapReached);
        expect((await store.conversations.listForEmployee(a!.id)).length).toBe(8);
        // Re-adding an existing member is no new group.
        expect(await store.conversations.addMembers(groups[0]!.conversation.id, [b!.id], at(200), 8)).not.toBeNull();
      });

      it('opens one direct conversation per pair, whoever opens it and however many open it at once', async () => {
        const [a, b, c] = await seedEmployees(3);
        const opened = await Promise.all([
          store.conversations.openDirect({ id: randomUUID(), a: a!.id, b: b!.id, createdAt: at(0) }),
          store.conversations.openDirect({ id: randomUUID(), a: b!.id, b: a!.id, createdAt: at(0) }),
          store.conversations.openDirect({ id: randomUUID(), a: a!.id, b: b!.id, createdAt: at(1) }),
        ]);
        const ids = new Set(opened.map((o) => o.conversation.id));
        expect(ids.size).toBe(1);
        const first = opened[0]!;
        expect(first.conversation).toMatchObject({ kind: 'direct', name: null, lastSeq: 0 });
        expect(first.conversation.directKey).toEqual(expect.any(String));
        expect(first.members.map((m) => m.employeeId).sort()).toEqual([a!.id, b!.id].sort());
        expect(first.members.every((m) => m.deliveredSeq === 0 && m.readSeq === 0)).toBe(true);

        const other = await store.conversations.openDirect({ id: randomUUID(), a: a!.id, b: c!.id, createdAt: at(0) });
        expect(other.conversation.id).not.toBe(first.conversation.id);
        expect(other.conversation.directKey).not.toBe(first.conversation.directKey);
      });

      it('creates a group, adds and removes members, and shows it only to members', async () => {
        const [a, b, c, d] = await seedEmployees(4);
        const created = await store.conversations.createGroup({
          id: randomUUID(),
          name: 'Oddział',
          createdBy: a!.id,
          memberIds: [a!.id, b!.id],
          createdAt: at(0),
        });
        expect(created.conversation).toMatchObject({
          kind: 'group',
          name: 'Oddział',
          directKey: null,
          createdBy: a!.id,
          lastSeq: 0,
        });
        expect(created.conversation.lastActivityAt.getTime()).toBe(at(0).getTime());
        expect(created.members.map((m) => m.employeeId).sort()).toEqual([a!.id, b!.id].sort());
        const id = created.conversation.id;

        expect(await store.conversations.findForMember(id, b!.id)).toEqual(created);
        expect(await store.conversations.findForMember(id, c!.id)).toBeNull();
        expect(await store.conversations.findForMember(randomUUID(), a!.id)).toBeNull();
        expect((await store.conversations.memberIdsIfMember(id, b!.id))?.sort()).toEqual(created.members.map((m) => m.employeeId).sort());
        expect(await store.conversations.memberIdsIfMember(id, c!.id)).toBeNull();
        expect(await store.conversations.memberIdsIfMember(randomUUID(), a!.id)).toBeNull();

        const grown = await store.conversations.addMembers(id, [c!.id, d!.id, b!.id], at(MINUTE));
        expect(grown!.members.map((m) => m.employeeId).sort()).toEqual([a!.id, b!.id, c!.id, d!.id].sort());
        const joined = grown!.members.find((m) => m.employeeId === c!.id)!;
        expect(joined.joinedAt.getTime()).toBe(at(MINUTE).getTime());
        const kept = grown!.members.find((m) => m.employeeId === b!.id)!;
        expect(kept.joinedAt.getTime()).toBe(at(0).getTime());
        expect(await store.conversations.addMembers(randomUUID(), [c!.id], at(0))).toBeNull();

        await store.conversations.removeMember(id, b!.id);
        expect(await store.conversations.findForMember(id, b!.id)).toBeNull();
        const after = await store.conversations.findForMember(id, a!.id);
        expect(after!.members.map((m) => m.employeeId).sort()).toEqual([a!.id, c!.id, d!.id].sort());
        expect(await store.conversations.memberIdsIfMember(id, b!.id)).toBeNull();
        expect((await store.conversations.memberIdsIfMember(id, d!.id))?.sort()).toEqual([a!.id, c!.id, d!.id].sort());
      });

      it('lists an employee’s conversations, most recently active first', async () => {
        const [a, b, c] = await seedEmployees(3);
        const older = await openGroup([a!, b!], at(0));
        const newer = await openGroup([a!, c!], at(MINUTE));
        const notMine = await openGroup([b!, c!], at(2 * MINUTE));

        let list = await store.conversations.listForEmployee(a!.id);
        expect(list.map((x) => x.conversation.id)).toEqual([newer.id, older.id]);
        expect(list[0]!.members.map((m) => m.employeeId).sort()).toEqual([a!.id, c!.id].sort());

        await store.messages.append(message(older.id, b!.id, { createdAt: at(5 * MINUTE) }));
        list = await store.conversations.listForEmployee(a!.id);
        expect(list.map((x) => x.conversation.id)).toEqual([older.id, newer.id]);
        expect(list[0]!.conversation.lastSeq).toBe(1);
        expect(list[0]!.conversation.lastActivityAt.getTime()).toBe(at(5 * MINUTE).getTime());
        expect(list.some((x) => x.conversation.id === notMine.id)).toBe(false);
        expect(await store.conversations.listForEmployee(randomUUID())).toEqual([]);
      });

      it('lists an empty direct conversation only for the one who opened it, for both once it has a message', async () => {
        const [a, b] = await seedEmployees(2);
        const direct = await store.conversations.openDirect({ id: randomUUID(), a: a!.id, b: b!.id, createdAt: at(0) });
        const ids = async (who: Employee) => (await store.conversations.listForEmployee(who.id)).map((x) => x.conversation.id);
        expect(await ids(a!)).toEqual([direct.conversation.id]);
        expect(await ids(b!)).toEqual([]);
        // Opening it again from the other side changes nothing: it is still empty.
        await store.conversations.openDirect({ id: randomUUID(), a: b!.id, b: a!.id, createdAt: at(1) });
        expect(await ids(b!)).toEqual([]);

        await store.messages.append(message(direct.conversation.id, a!.id));
        expect(await ids(b!)).toEqual([direct.conversation.id]);
      });

      it('raises receipts, never lowers them, and never past the last message', async () => {
        const [a, b, c] = await seedEmployees(3);
        const group = await openGroup([a!, b!]);
        for (let i = 0; i < 5; i++) await store.messages.append(message(group.id, a!.id));

        let m = await store.conversations.markReceipt(group.id, b!.id, 'delivered', 4);
        expect(m).toMatchObject({ conversationId: group.id, employeeId: b!.id, deliveredSeq: 4, readSeq: 0 });
        m = await store.conversations.markReceipt(group.id, b!.id, 'delivered', 2);
        expect(m).toMatchObject({ deliveredSeq: 4, readSeq: 0 });
        m = await store.conversations.markReceipt(group.id, b!.id, 'read', 3);
        expect(m).toMatchObject({ deliveredSeq: 4, readSeq: 3 });
        m = await store.conversations.markReceipt(group.id, b!.id, 'read', 1);
        expect(m).toMatchObject({ deliveredSeq: 4, readSeq: 3 });
        // Reading implies having received.
        m = await store.conversations.markReceipt(group.id, b!.id, 'read', 5);
        expect(m).toMatchObject({ deliveredSeq: 5, readSeq: 5 });
        m = await store.conversations.markReceipt(group.id, b!.id, 'read', 999);
        expect(m).toMatchObject({ deliveredSeq: 5, readSeq: 5 });

        const stored = await store.conversations.findForMember(group.id, b!.id);
        expect(stored!.members.find((x) => x.employeeId === b!.id)).toMatchObject({ deliveredSeq: 5, readSeq: 5 });
        expect(await store.conversations.markReceipt(group.id, c!.id, 'read', 1)).toBeNull();
        expect(await store.conversations.markReceipt(randomUUID(), b!.id, 'read', 1)).toBeNull();
      });
    });

    describe('messages', () => {
      it('appends with consecutive sequence numbers and lists pages both ways', async () => {
        const [a, b] = await seedEmployees(2);
        const group = await openGroup([a!, b!]);
        const results = [];
        for (let i = 1; i <= 7; i++) {
          results.push(
            await store.messages.append(
              message(group.id, i % 2 ? a!.id : b!.id, { text: `m${i}`, createdAt: at(i), notifySms: i === 3 }),
            ),
          );
        }
        expect(results.map((r) => r.created)).toEqual(Array(7).fill(true));
        expect(results.map((r) => r.message.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
        expect(results[2]!.message).toMatchObject({ text: 'm3', notifySms: true, senderId: a!.id });
        expect(results[2]!.message.createdAt.getTime()).toBe(at(3).getTime());

        const newest = await store.messages.listBefore(group.id, null, 3);
        expect(newest.map((m) => m.seq)).toEqual([7, 6, 5]);
        const older = await store.messages.listBefore(group.id, 5, 3);
        expect(older.map((m) => m.seq)).toEqual([4, 3, 2]);
        expect((await store.messages.listBefore(group.id, 2, 10)).map((m) => m.seq)).toEqual([1]);
        expect(await store.messages.listBefore(group.id, 1, 10)).toEqual([]);

        expect((await store.messages.listAfter(group.id, 0, 3)).map((m) => m.seq)).toEqual([1, 2, 3]);
        expect((await store.messages.listAfter(group.id, 5, 10)).map((m) => m.text)).toEqual(['m6', 'm7']);
        expect(await store.messages.listAfter(group.id, 7, 10)).toEqual([]);
        expect(await store.messages.listAfter(randomUUID(), 0, 10)).toEqual([]);

        expect(await store.messages.findById(results[3]!.message.id)).toEqual(results[3]!.message);
        expect(await store.messages.findById(randomUUID())).toBeNull();
        const { senderId, clientId } = results[4]!.message;
        expect(await store.messages.findBySenderClientId(senderId, clientId)).toEqual(results[4]!.message);
        expect(await store.messages.findBySenderClientId(b!.id, clientId)).toBeNull();

        const conversation = await store.conversations.findForMember(group.id, a!.id);
        expect(conversation!.conversation.lastSeq).toBe(7);
        expect(conversation!.conversation.lastActivityAt.getTime()).toBe(at(7).getTime());
        // What you send, you have read: each sender's marks follow their own latest message.
        const marks = (id: string) => conversation!.members.find((m) => m.employeeId === id);
        expect(marks(a!.id)).toMatchObject({ deliveredSeq: 7, readSeq: 7 });
        expect(marks(b!.id)).toMatchObject({ deliveredSeq: 6, readSeq: 6 });
      });

      it('returns the stored message for a repeated (sender, clientId) and writes nothing', async () => {
        const [a, b] = await seedEmployees(2);
        const group = await openGroup([a!, b!]);
        const input = message(group.id, a!.id, { notifySms: true, dispatches: [newDispatch(b!.id)] });
        const first = await store.messages.append(input);
        expect(first.created).toBe(true);

        const repeat = await store.messages.append({
          ...input,
          id: randomUUID(),
          text: 'different text',
          createdAt: at(MINUTE),
          dispatches: [newDispatch(b!.id)],
        });
        expect(repeat.created).toBe(false);
        expect(repeat.message).toEqual(first.message);
        expect(repeat.dispatches).toEqual(first.dispatches);

        expect((await store.messages.listAfter(group.id, 0, 10)).length).toBe(1);
        expect(await store.sms.listForMessages([first.message.id])).toHaveLength(1);
        const conversation = await store.conversations.findForMember(group.id, a!.id);
        expect(conversation!.conversation.lastSeq).toBe(1);

        // The same clientId from another sender is another message.
        const other = await store.messages.append(message(group.id, b!.id, { clientId: input.clientId }));
        expect(other).toMatchObject({ created: true, message: { seq: 2 } });
      });

      it('stores a repeat only once even when both arrive together', async () => {
        const [a, b] = await seedEmployees(2);
        const group = await openGroup([a!, b!]);
        const clientId = randomUUID();
        const results = await Promise.all(
          [0, 1, 2].map(() =>
            store.messages.append(message(group.id, a!.id, { clientId, dispatches: [newDispatch(b!.id)] })),
          ),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
        expect(results.every((r) => r.message.seq === 1)).toBe(true);
        expect(new Set(results.map((r) => r.dispatches[0]?.id)).size).toBe(1);
        expect(await store.sms.listForMessages([results[0]!.message.id])).toHaveLength(1);
        expect((await store.conversations.findForMember(group.id, a!.id))!.conversation.lastSeq).toBe(1);
      });

      it('numbers 200 concurrent appends across two conversations without gaps or repeats', async () => {
        const [a, b, c] = await seedEmployees(3);
        const first = await openGroup([a!, b!, c!]);
        const second = await openGroup([b!, c!]);
        const senders = [a!, b!, c!];
        const inputs = Array.from({ length: 200 }, (_, i) =>
          i % 2 === 0
            ? message(first.id, senders[i % 3]!.id, { text: `first ${i}` })
            : message(second.id, senders[1 + (i % 2)]!.id, { text: `second ${i}` }),
        );
        const results = await Promise.all(inputs.map((input) => store.messages.append(input)));
        expect(results.every((r) => r.created)).toBe(true);

        for (const conversation of [first, second]) {
          const mine = results.filter((r) => r.message.conversationId === conversation.id);
          expect(mine).toHaveLength(100);
          expect(mine.map((r) => r.message.seq).sort((x, y) => x - y)).toEqual(
            Array.from({ length: 100 }, (_, i) => i + 1),
          );
          const stored = await store.messages.listAfter(conversation.id, 0, 500);
          expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
          const found = await store.conversations.findForMember(conversation.id, b!.id);
          expect(found!.conversation.lastSeq).toBe(100);
        }
        // Within one conversation, the order of calls is the order of sequence numbers.
        const firstSeqs = results.filter((r) => r.message.conversationId === first.id).map((r) => r.message.seq);
        expect(firstSeqs).toEqual([...firstSeqs].sort((x, y) => x - y));
      });

      it('rejects only the failing append of a batch', async () => {
        const [a, b] = await seedEmployees(2);
        const group = await openGroup([a!, b!]);
        const settled = await Promise.allSettled([
          store.messages.append(message(group.id, a!.id, { text: 'one' })),
          store.messages.append(message(randomUUID(), a!.id, { text: 'nowhere' })),
          store.messages.append(message(group.id, b!.id, { text: 'two' })),
        ]);
        expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        const stored = await store.messages.listAfter(group.id, 0, 10);
        expect(stored.map((m) => [m.seq, m.text])).toEqual([
          [1, 'one'],
          [2, 'two'],
        ]);
        const rejected = settled[1] as PromiseRejectedResult;
        expect(rejected.reason).toBeInstanceOf(Error);
      });

      it('finds the newest message of each conversation', async () => {
        const [a, b, c] = await seedEmployees(3);
        const first = await openGroup([a!, b!]);
        const second = await openGroup([a!, c!]);
        const empty = await openGroup([b!, c!]);
        await store.messages.append(message(first.id, a!.id, { text: 'pierwsza' }));
        await store.messages.append(message(first.id, b!.id, { text: 'druga', createdAt: at(MINUTE) }));
        await store.messages.append(message(second.id, c!.id, { text: 'trzecia' }));

        const last = await store.messages.lastOf([first.id, second.id, empty.id, randomUUID()]);
        expect([...last.keys()].sort()).toEqual([first.id, second.id].sort());
        expect(last.get(first.id)).toMatchObject({ seq: 2, senderId: b!.id, text: 'druga', createdAt: at(MINUTE) });
        expect(last.get(second.id)).toMatchObject({ seq: 1, senderId: c!.id, text: 'trzecia' });
        expect(await store.messages.lastOf([])).toEqual(new Map());
      });

      it('counts the messages after a mark that mention someone or everyone, never their own', async () => {
        const [a, b, c] = await seedEmployees(3);
        const group = await openGroup([a!, b!, c!]);
        const other = await openGroup([a!, b!]);
        await store.messages.append(message(group.id, b!.id, { mentions: [a!.id] })); // 1
        await store.messages.append(message(group.id, b!.id, { mentions: [c!.id] })); // 2: not a
        await store.messages.append(message(group.id, c!.id, { mentionsAll: true })); // 3
        await store.messages.append(message(group.id, a!.id, { mentions: [a!.id], mentionsAll: true })); // 4: a's own
        await store.messages.append(message(group.id, c!.id, { mentions: [b!.id, a!.id] })); // 5
        await store.messages.append(message(other.id, b!.id)); // no mention

        const marks = (afterSeq: number) => [
          { conversationId: group.id, afterSeq },
          { conversationId: other.id, afterSeq: 0 },
        ];
        expect(await store.messages.countMentions(a!.id, marks(0))).toEqual(new Map([[group.id, 3]]));
        expect(await store.messages.countMentions(a!.id, marks(3))).toEqual(new Map([[group.id, 1]]));
        expect(await store.messages.countMentions(a!.id, marks(5))).toEqual(new Map());
        expect(await store.messages.countMentions(c!.id, marks(0))).toEqual(new Map([[group.id, 2]]));
        expect(await store.messages.countMentions(b!.id, marks(0))).toEqual(new Map([[group.id, 3]]));
        expect(await store.messages.countMentions(a!.id, [])).toEqual(new Map());
      });

      it('stores the SMS outbox with the message', async () => {
        const [a, b, c] = await seedEmployees(3);
        const group = await openGroup([a!, b!, c!]);
        const dispatches = [
          newDispatch(b!.id, { nextAttemptAt: at(0) }),
          newDispatch(c!.id, { status: 'not_sent', reason: { code: 'no_mobile' }, toE164: null, nextAttemptAt: null, origin: 'card' }),
        ];
        const result = await store.messages.append(
          message(group.id, a!.id, { notifySms: true, createdAt: at(MINUTE), dispatches }),
        );
        expect(result.dispatches).toHaveLength(2);
        for (const [i, stored] of result.dispatches.entries()) {
          expect(stored).toEqual({
            ...dispatches[i]!,
            messageId: result.message.id,
            conversationId: group.id,
            senderId: a!.id,
            createdAt: at(MINUTE),
            updatedAt: at(MINUTE),
          } satisfies SmsDispatch);
          expect(await store.sms.findById(stored.id)).toEqual(stored);
        }
      });
    });

    describe('sms dispatches', () => {
      const setup = async () => {
        const [a, b, c] = await seedEmployees(3);
        const group = await openGroup([a!, b!, c!]);
        return { a: a!, b: b!, c: c!, group };
      };

      it('leases due dispatches once until the lease runs out', async () => {
        const { a, b, c, group } = await setup();
        const { dispatches } = await store.messages.append(
          message(group.id, a.id, {
            dispatches: [
              newDispatch(b.id, { nextAttemptAt: at(2 * MINUTE) }),
              newDispatch(c.id, { nextAttemptAt: at(1 * MINUTE) }),
              newDispatch(b.id, { nextAttemptAt: at(10 * MINUTE) }),
              newDispatch(c.id, { status: 'not_sent', toE164: null, nextAttemptAt: at(0) }),
              newDispatch(c.id, { status: 'sent', nextAttemptAt: at(0) }),
            ],
          }),
        );
        const [dueLater, dueFirst, notDue] = dispatches;
        const now = at(3 * MINUTE);
        const lease = at(4 * MINUTE);

        const claimed = await store.sms.claimDue(now, lease, 10);
        expect(claimed.map((d) => d.id)).toEqual([dueFirst!.id, dueLater!.id]);
        expect(claimed.every((d) => d.lockedUntil?.getTime() === lease.getTime())).toBe(true);
        expect(claimed.every((d) => d.status === 'queued')).toBe(true);

        expect(await store.sms.claimDue(now, at(5 * MINUTE), 10)).toEqual([]);
        expect(await store.sms.claimDue(at(4 * MINUTE - 1), at(5 * MINUTE), 10)).toEqual([]);
        const again = await store.sms.claimDue(at(4 * MINUTE), at(6 * MINUTE), 1);
        expect(again.map((d) => d.id)).toEqual([dueFirst!.id]);

        const late = await store.sms.claimDue(at(11 * MINUTE), at(12 * MINUTE), 10);
        expect(late.map((d) => d.id)).toEqual([dueFirst!.id, dueLater!.id, notDue!.id]);
      });

      it('never hands the same dispatch to two concurrent claimers', async () => {
        const { a, b, group } = await setup();
        await store.messages.append(
          message(group.id, a.id, { dispatches: Array.from({ length: 20 }, () => newDispatch(b.id)) }),
        );
        const claims = await Promise.all(
          Array.from({ length: 6 }, () => store.sms.claimDue(at(MINUTE), at(2 * MINUTE), 5)),
        );
        const ids = claims.flat().map((d) => d.id);
        expect(ids).toHaveLength(20);
        expect(new Set(ids).size).toBe(20);
      });

      it('patches a dispatch and finds it by gateway id and by message', async () => {
        const { a, b, c, group } = await setup();
        const first = await store.messages.append(message(group.id, a.id, { dispatches: [newDispatch(b.id)] }));
        const second = await store.messages.append(message(group.id, a.id, { dispatches: [newDispatch(c.id)] }));
        const dispatch = first.dispatches[0]!;
        await store.sms.claimDue(at(0), at(MINUTE), 10);

        const sent = await store.sms.update(dispatch.id, {
          status: 'sent',
          gatewayId: 'smsapi-123',
          parts: 2,
          points: 0.32,
          attempts: 1,
          nextAttemptAt: null,
          lockedUntil: null,
        });
        expect(sent).toMatchObject({
          id: dispatch.id,
          status: 'sent',
          gatewayId: 'smsapi-123',
          parts: 2,
          points: 0.32,
          attempts: 1,
          nextAttemptAt: null,
          lockedUntil: null,
          reason: null,
          text: dispatch.text,
          toE164: dispatch.toE164,
          createdAt: dispatch.createdAt,
        });
        expect(await store.sms.findByGatewayId('smsapi-123')).toEqual(sent);
        expect(await store.sms.findByGatewayId('smsapi-999')).toBeNull();

        const undelivered = await store.sms.update(dispatch.id, { status: 'undelivered', reason: { code: 'delivery_failed', gatewayStatus: 'EXPIRED' } });
        expect(undelivered).toMatchObject({ status: 'undelivered', reason: { code: 'delivery_failed', gatewayStatus: 'EXPIRED' }, gatewayId: 'smsapi-123' });
        expect(await store.sms.update(randomUUID(), { status: 'sent' })).toBeNull();

        const listed = await store.sms.listForMessages([first.message.id, second.message.id, randomUUID()]);
        expect(listed.map((d) => d.id).sort()).toEqual([dispatch.id, second.dispatches[0]!.id].sort());
        expect(await store.sms.listForMessages([])).toEqual([]);
      });

      it('updates conditionally on the status: a writer that lost the race changes nothing', async () => {
        const { a, b, group } = await setup();
        const dispatch = (await store.messages.append(message(group.id, a.id, { dispatches: [newDispatch(b.id)] }))).dispatches[0]!;
        const delivered = await store.sms.update(dispatch.id, { status: 'delivered', gatewayId: 'smsapi-1' }, ['queued', 'unconfirmed']);
        expect(delivered).toMatchObject({ status: 'delivered', gatewayId: 'smsapi-1' });

        // The dispatcher read "queued" before the report landed: its "sent" must not go over "delivered".
        const lost = await store.sms.update(dispatch.id, { status: 'sent', gatewayId: 'smsapi-2', attempts: 1 }, ['queued', 'unconfirmed']);
        expect(lost).toBeNull();
        expect(await store.sms.findById(dispatch.id)).toEqual(delivered);
        expect(await store.sms.update(randomUUID(), { status: 'sent' }, ['queued'])).toBeNull();
        expect(await store.sms.update(dispatch.id, { points: 0.16 }, ['delivered'])).toMatchObject({ status: 'delivered', points: 0.16 });
      });

      it('stores a result and the notification made of it together, and neither when the status moved meanwhile', async () => {
        const { a, b, c, group } = await setup();
        const [toB, toC] = (await store.messages.append(message(group.id, a.id, { dispatches: [newDispatch(b.id), newDispatch(c.id)] }))).dispatches;
        const outcome = (d: SmsDispatch) => ({
          id: randomUUID(),
          employeeId: d.senderId,
          kind: 'sms_outcome' as const,
          messageId: d.messageId,
          conversationId: d.conversationId,
          recipientId: d.recipientId,
          recipientName: 'Bartek',
          status: d.status,
          reason: d.reason,
          createdAt: at(MINUTE),
          readAt: null,
        });
        const seen: SmsStatus[] = [];
        const sent = await store.sms.updateAndNotify(toB!.id, { status: 'sent', gatewayId: 'smsapi-1', attempts: 1 }, ['queued', 'unconfirmed'], (d) => {
          seen.push(d.status);
          return outcome(d);
        });
        // The notification is made of the dispatch as patched.
        expect(seen.at(-1)).toBe('sent');
        expect(sent?.dispatch).toMatchObject({ id: toB!.id, status: 'sent', gatewayId: 'smsapi-1', attempts: 1 });
        expect(sent?.dispatch).toEqual(await store.sms.findById(toB!.id));
        expect(await store.notifications.list(a.id, 10)).toEqual([sent?.notification]);

        // A report moved it on first: the late answer writes nothing and notifies nobody.
        const lost = await store.sms.updateAndNotify(toB!.id, { status: 'unconfirmed' }, ['queued'], outcome);
        expect(lost).toBeNull();
        expect(await store.sms.findById(toB!.id)).toEqual(sent?.dispatch);
        expect(await store.sms.updateAndNotify(randomUUID(), { status: 'sent' }, ['queued'], outcome)).toBeNull();

        // No notification asked for: the result alone.
        const quiet = await store.sms.updateAndNotify(toC!.id, { status: 'unconfirmed', attempts: 1 }, ['queued'], () => null);
        expect(quiet).toMatchObject({ dispatch: { status: 'unconfirmed', attempts: 1 }, notification: null });
        expect(await store.notifications.countUnread(a.id)).toBe(1);
      });

      it('counts dispatches that reached or will reach the gateway since a time', async () => {
        const { a, b, c, group } = await setup();
        await store.messages.append(
          message(group.id, a.id, {
            createdAt: at(0),
            dispatches: [newDispatch(b.id), newDispatch(c.id, { status: 'not_sent', toE164: null })],
          }),
        );
        await store.messages.append(
          message(group.id, a.id, {
            createdAt: at(10 * MINUTE),
            dispatches: [newDispatch(b.id, { status: 'delivered' }), newDispatch(c.id, { status: 'failed' })],
          }),
        );
        await store.messages.append(
          message(group.id, b.id, { createdAt: at(20 * MINUTE), dispatches: [newDispatch(c.id)] }),
        );

        const counts = (senderId: string, hour: Date, day: Date, recipientSince: Date) =>
          store.sms.countForCaps({
            senderId,
            recipientIds: [a.id, b.id, c.id],
            senderHourSince: hour,
            senderDaySince: day,
            recipientSince,
          });
        const fromA = await counts(a.id, at(10 * MINUTE), at(0), at(0));
        expect(fromA.senderLastHour).toBe(2);
        expect(fromA.senderLastDay).toBe(3);
        expect(Object.fromEntries(fromA.recipientWindow)).toEqual({ [b.id]: 2, [c.id]: 2 });
        const later = await counts(a.id, at(10 * MINUTE + 1), at(10 * MINUTE + 1), at(5 * MINUTE));
        expect(later.senderLastHour).toBe(0);
        expect(later.senderLastDay).toBe(0);
        expect(Object.fromEntries(later.recipientWindow)).toEqual({ [b.id]: 1, [c.id]: 2 });
        expect((await counts(b.id, at(0), at(0), at(0))).senderLastDay).toBe(1);
      });

      it('checks the SMS caps and reserves under them in one step, however many sends race', async () => {
        const { a, b, c, group } = await setup();
        const direct = await store.conversations.openDirect({ id: randomUUID(), a: a.id, b: b.id, createdAt: at(0) });
        const CAP_B = 5;
        const CAP_SENDER = 7;
        // A planner like the SMS escalation's: queue while under both caps, refuse with the cap's reason beyond.
        const planner = (recipients: Employee[]): DispatchPlanner => ({
          capQuery: {
            senderId: a.id,
            recipientIds: recipients.map((r) => r.id),
            senderHourSince: at(0),
            senderDaySince: at(0),
            recipientSince: at(0),
          },
          plan(counts) {
            let planned = 0;
            return recipients.map((r) => {
              const overSender = counts.senderLastHour + planned >= CAP_SENDER;
              const overRecipient = r.id === b.id && (counts.recipientWindow.get(r.id) ?? 0) >= CAP_B;
              if (!overSender && !overRecipient) planned += 1;
              return newDispatch(r.id, {
                status: overSender || overRecipient ? 'not_sent' : 'queued',
                reason: overSender
                  ? { code: 'sender_hour_limit', limit: CAP_SENDER }
                  : overRecipient
                    ? { code: 'recipient_limit', limit: CAP_B, windowMinutes: 10 }
                    : null,
              });
            });
          },
        });
        // Two conversations, so that no per-conversation ordering of an adapter can hide the race.
        const inputs = Array.from({ length: 40 }, (_, i) =>
          i % 2 === 0
            ? message(direct.conversation.id, a.id, { createdAt: at(MINUTE), notifySms: true, dispatches: planner([b]) })
            : message(group.id, a.id, { createdAt: at(MINUTE), notifySms: true, dispatches: planner([b, c]) }),
        );
        const results = await Promise.all(inputs.map((input) => store.messages.append(input)));

        const stored = await store.sms.report({ offset: 0, limit: 500 });
        expect(stored.total).toBe(60);
        const queued = stored.rows.filter((d) => d.status === 'queued');
        expect(queued).toHaveLength(CAP_SENDER);
        expect(queued.filter((d) => d.recipientId === b.id).length).toBeLessThanOrEqual(CAP_B);
        expect(stored.rows.filter((d) => d.status === 'not_sent').every((d) => d.reason !== null)).toBe(true);
        // What each append answered is what it stored.
        const answered = results.flatMap((r) => r.dispatches).map((d) => `${d.id}:${d.status}`).sort();
        expect(answered).toEqual(stored.rows.map((d) => `${d.id}:${d.status}`).sort());
      });

      it('asks no planner for a repeated send', async () => {
        const { a, b, group } = await setup();
        const first = message(group.id, a.id, { notifySms: true, dispatches: [newDispatch(b.id)] });
        await store.messages.append(first);
        let asked = 0;
        const repeat = await store.messages.append({
          ...first,
          id: randomUUID(),
          dispatches: {
            capQuery: { senderId: a.id, recipientIds: [b.id], senderHourSince: at(0), senderDaySince: at(0), recipientSince: at(0) },
            plan: () => {
              asked += 1;
              return [newDispatch(b.id)];
            },
          },
        });
        expect(repeat.created).toBe(false);
        expect(asked).toBe(0);
        expect(repeat.dispatches).toHaveLength(1);
      });

      it('reports newest first with filters, pages and a total', async () => {
        const { a, b, c, group } = await setup();
        // Nine messages a minute apart, alternating senders; each sends one SMS to each other member.
        const statuses = ['queued', 'sent', 'delivered', 'undelivered', 'not_sent', 'failed'] as const;
        const origins = ['chat', 'card', 'widget'] as const;
        let n = 0;
        for (let i = 0; i < 9; i++) {
          const sender = i % 2 === 0 ? a : b;
          const recipients = [a, b, c].filter((e) => e.id !== sender.id);
          await store.messages.append(
            message(group.id, sender.id, {
              createdAt: at(i * MINUTE),
              dispatches: recipients.map((r) => newDispatch(r.id, { status: statuses[n++ % statuses.length]!, origin: origins[i % origins.length]! })),
            }),
          );
        }

        const all = await store.sms.report({ offset: 0, limit: 100 });
        expect(all.total).toBe(18);
        expect(all.rows).toHaveLength(18);
        const times = all.rows.map((r) => r.createdAt.getTime());
        expect(times).toEqual([...times].sort((x, y) => y - x));

        const page2 = await store.sms.report({ offset: 5, limit: 5 });
        expect(page2.total).toBe(18);
        expect(page2.rows.map((r) => r.id)).toEqual(all.rows.slice(5, 10).map((r) => r.id));
        const beyond = await store.sms.report({ offset: 100, limit: 5 });
        expect(beyond).toEqual({ rows: [], total: 18 });

        const expectFiltered = async (
          filter: Parameters<Store['sms']['report']>[0],
          predicate: (d: SmsDispatch) => boolean,
        ) => {
          const result = await store.sms.report(filter);
          const expected = all.rows.filter(predicate);
          expect(result.total).toBe(expected.length);
          expect(result.rows.map((r) => r.id)).toEqual(expected.slice(filter.offset, filter.offset + filter.limit).map((r) => r.id));
          return result;
        };

        const failed = await expectFiltered(
          { statuses: ['undelivered', 'failed'], offset: 0, limit: 100 },
          (d) => d.status === 'undelivered' || d.status === 'failed',
        );
        expect(failed.total).toBe(6);
        await expectFiltered({ senderId: b.id, offset: 0, limit: 100 }, (d) => d.senderId === b.id);
        await expectFiltered({ recipientId: c.id, offset: 1, limit: 3 }, (d) => d.recipientId === c.id);
        await expectFiltered(
          { from: at(2 * MINUTE), to: at(5 * MINUTE), offset: 0, limit: 100 },
          (d) => d.createdAt >= at(2 * MINUTE) && d.createdAt < at(5 * MINUTE),
        );
        const combined = await expectFiltered(
          { statuses: ['queued'], senderId: a.id, recipientId: b.id, from: at(0), offset: 0, limit: 100 },
          (d) => d.status === 'queued' && d.senderId === a.id && d.recipientId === b.id,
        );
        expect(combined.total).toBeGreaterThan(0);
        expect(await store.sms.report({ senderId: c.id, offset: 0, limit: 10 })).toEqual({ rows: [], total: 0 });
        const fromCards = await expectFiltered({ origins: ['card'], offset: 0, limit: 100 }, (d) => d.origin === 'card');
        expect(fromCards.total).toBe(6);
        await expectFiltered({ origins: ['chat', 'widget'], senderId: a.id, offset: 0, limit: 100 }, (d) => d.origin !== 'card' && d.senderId === a.id);
      });

      it('tells when the next queued dispatch becomes due', async () => {
        const { a, b, c, group } = await setup();
        expect(await store.sms.nextDueAt()).toBeNull();
        const { dispatches } = await store.messages.append(
          message(group.id, a.id, {
            dispatches: [
              newDispatch(b.id, { nextAttemptAt: at(5 * MINUTE) }),
              newDispatch(c.id, { nextAttemptAt: at(3 * MINUTE) }),
              newDispatch(c.id, { status: 'sent', nextAttemptAt: at(MINUTE) }),
              newDispatch(c.id, { status: 'not_sent', toE164: null, nextAttemptAt: null }),
            ],
          }),
        );
        expect((await store.sms.nextDueAt())?.getTime()).toBe(at(3 * MINUTE).getTime());
        await store.sms.update(dispatches[1]!.id, { status: 'sent', nextAttemptAt: null });
        expect((await store.sms.nextDueAt())?.getTime()).toBe(at(5 * MINUTE).getTime());
        // A leased dispatch is not claimable again before its lease ends.
        await store.sms.claimDue(at(6 * MINUTE), at(8 * MINUTE), 10);
        expect((await store.sms.nextDueAt())?.getTime()).toBe(at(8 * MINUTE).getTime());
      });
    });

    describe('notifications', () => {
      const notification = (employeeId: string, minutes: number) => ({
        id: randomUUID(),
        employeeId,
        kind: 'sms_outcome' as const,
        messageId: randomUUID(),
        conversationId: randomUUID(),
        recipientId: randomUUID(),
        recipientName: `Person ${minutes}`,
        status: 'not_sent' as const,
        // A reason with parameters survives the round trip as data.
        reason: { code: 'recipient_limit' as const, limit: minutes, windowMinutes: 10 },
        createdAt: at(minutes * MINUTE),
        readAt: null,
      });

      it('lists newest first, counts unread, and marks read only the owner’s notifications', async () => {
        const [a, b] = await seedEmployees(2);
        const mine = [1, 3, 2, 4].map((m) => notification(a!.id, m));
        const theirs = notification(b!.id, 5);
        for (const n of [...mine, theirs]) await store.notifications.create(n);

        const listed = await store.notifications.list(a!.id, 3);
        expect(listed.map((n) => n.recipientName)).toEqual(['Person 4', 'Person 3', 'Person 2']);
        expect(listed[0]).toEqual(mine[3]);
        expect(await store.notifications.countUnread(a!.id)).toBe(4);

        await store.notifications.markRead(a!.id, [mine[0]!.id, mine[1]!.id, theirs.id], at(10 * MINUTE));
        expect(await store.notifications.countUnread(a!.id)).toBe(2);
        expect(await store.notifications.countUnread(b!.id)).toBe(1);
        const read = (await store.notifications.list(a!.id, 10)).find((n) => n.id === mine[0]!.id);
        expect(read!.readAt?.getTime()).toBe(at(10 * MINUTE).getTime());

        await store.notifications.markRead(a!.id, 'all', at(20 * MINUTE));
        expect(await store.notifications.countUnread(a!.id)).toBe(0);
        expect(await store.notifications.countUnread(b!.id)).toBe(1);
        const again = (await store.notifications.list(a!.id, 10)).find((n) => n.id === mine[0]!.id);
        expect(again!.readAt?.getTime()).toBe(at(10 * MINUTE).getTime());

        await store.notifications.markRead(b!.id, [], at(30 * MINUTE));
        expect(await store.notifications.countUnread(b!.id)).toBe(1);
        expect(await store.notifications.list(randomUUID(), 10)).toEqual([]);
      });
    });
  });
}
