/**
 * The store contract for exactly-once within the idempotency window (issue 17): a repeat of a client id is
 * recognised while the window holds it, whichever shape the id has, and an integration's ids are never forgotten.
 * Adapters may remember longer (MongoDB keeps every id); what one forgets is tested in its own file.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AppendMessageInput, Store } from '../src/ports/store.js';
import { uuidv7 } from '../../shared/ids.js';
import { storePerTest, type MakeStore } from './support/store-per-test.js';

const T0 = Date.parse('2026-03-03T08:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);
const DAY = 24 * 3600_000;

export function runClientIdsContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract, client ids: ${name}`, () => {
    const store = storePerTest(makeStore);

    const employee = async (login: string) =>
      store.employees.create({
        id: randomUUID(), login, name: login, title: null, role: 'employee', active: true,
        mobileRaw: null, mobileE164: null, mobilePrivate: false, passwordHash: '!',
      });

    const pair = async () => {
      const [a, b] = [await employee(`a-${randomUUID().slice(0, 8)}`), await employee(`b-${randomUUID().slice(0, 8)}`)];
      const direct = await store.conversations.openDirect({ id: randomUUID(), a: a.id, b: b.id, createdAt: at(0) });
      return { a, b, conversationId: direct.conversation.id };
    };

    const message = (conversationId: string, senderId: string, clientId: string, createdAt = at(0)): AppendMessageInput => ({
      id: uuidv7(createdAt.getTime()), conversationId, senderId, clientId, text: 'hello', createdAt, notifySms: false, dispatches: [],
    });

    it('recognises repeats of random and time-ordered client ids stored after the window’s far end', async () => {
      const { a, conversationId } = await pair();
      const random = await store.messages.append(message(conversationId, a.id, randomUUID(), at(0)));
      const ordered = await store.messages.append(message(conversationId, a.id, uuidv7(T0 + 1), at(1)));
      expect(await store.messages.forgetClientIds(at(-DAY))).toBe(0);

      for (const first of [random, ordered]) {
        const repeat = await store.messages.append(message(conversationId, a.id, first.message.clientId, at(2 * DAY)));
        expect(repeat).toMatchObject({ created: false, message: { id: first.message.id, seq: first.message.seq } });
        expect(await store.messages.findBySenderClientId(a.id, first.message.clientId)).toMatchObject({ id: first.message.id });
      }
      expect((await store.messages.listBefore(conversationId, null, 10)).map((m) => m.seq)).toEqual([2, 1]);
    });

    it('never forgets the client ids of an integration account, which finds its deliveries through them', async () => {
      const { b } = await pair();
      const account = await employee(`integration:${randomUUID()}`);
      const admin = await employee(`admin-${randomUUID().slice(0, 8)}`);
      await store.integrations.create({
        id: randomUUID(), name: 'Zabbix', employeeId: account.id, tokenHash: randomUUID(), perMinute: 60,
        createdBy: admin.id, createdAt: at(0), revokedAt: null,
      });
      const direct = await store.conversations.openDirect({ id: randomUUID(), a: account.id, b: b.id, createdAt: at(0) });
      const clientId = randomUUID();
      const first = await store.messages.append(message(direct.conversation.id, account.id, clientId, at(0)));

      await store.messages.forgetClientIds(at(365 * DAY));

      expect(await store.messages.findBySenderClientId(account.id, clientId)).toMatchObject({ id: first.message.id });
      const repeat = await store.messages.append(message(direct.conversation.id, account.id, clientId, at(366 * DAY)));
      expect(repeat).toMatchObject({ created: false, message: { id: first.message.id } });
    });
  });
}
