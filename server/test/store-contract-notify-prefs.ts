/**
 * Notification choices on the server (issue 12): a member's mute per conversation (until a moment, or for good) and
 * an employee's do-not-disturb. Run by `runStoreContract` for every adapter.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Employee } from '../src/domain/entities.js';
import type { Store } from '../src/ports/store.js';
import { newEmployee } from './store-contract.js';
import { storePerTest, type MakeStore } from './support/store-per-test.js';

const T0 = Date.parse('2025-03-03T08:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);

export function runNotifyPrefsContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract, notification choices: ${name}`, () => {
    const store = storePerTest(makeStore);

    const employee = (): Promise<Employee> => store.employees.create(newEmployee({ id: randomUUID(), login: `u-${randomUUID().slice(0, 8)}` }));
    const group = async (creator: Employee, others: Employee[]) =>
      (
        await store.conversations.createGroup({
          id: randomUUID(),
          name: 'Zmiana nocna',
          createdBy: creator.id,
          memberIds: others.map((e) => e.id),
          createdAt: at(0),
        })
      ).conversation.id;

    it('starts with nothing muted and no do-not-disturb', async () => {
      const anna = await employee();
      const prefs = await store.notifyPrefs.get(anna.id);
      expect(prefs.doNotDisturbUntil).toBeNull();
      expect([...prefs.muted]).toEqual([]);
    });

    it('keeps a mute per member: until a moment, for good, and cleared', async () => {
      const [anna, bartek] = [await employee(), await employee()];
      const first = await group(anna, [bartek]);
      const second = await group(anna, [bartek]);

      expect(await store.notifyPrefs.setMute(first, anna.id, at(3_600_000))).toBe(true);
      expect(await store.notifyPrefs.setMute(second, anna.id, 'forever')).toBe(true);
      expect((await store.notifyPrefs.get(anna.id)).muted).toEqual(new Map<string, Date | 'forever'>([[first, at(3_600_000)], [second, 'forever']]));
      // Bartek's choices are his own.
      expect([...(await store.notifyPrefs.get(bartek.id)).muted]).toEqual([]);

      expect(await store.notifyPrefs.setMute(second, anna.id, at(60_000))).toBe(true);
      expect(await store.notifyPrefs.setMute(first, anna.id, null)).toBe(true);
      expect((await store.notifyPrefs.get(anna.id)).muted).toEqual(new Map([[second, at(60_000)]]));
    });

    it('refuses a mute of a conversation the employee is not a member of, writing nothing', async () => {
      const [anna, bartek, celina] = [await employee(), await employee(), await employee()];
      const theirs = await group(anna, [bartek]);
      expect(await store.notifyPrefs.setMute(theirs, celina.id, 'forever')).toBe(false);
      expect(await store.notifyPrefs.setMute('no-such-conversation', anna.id, 'forever')).toBe(false);
      expect([...(await store.notifyPrefs.get(celina.id)).muted]).toEqual([]);
      expect([...(await store.notifyPrefs.get(anna.id)).muted]).toEqual([]);
    });

    it('forgets the mute of a conversation the member left', async () => {
      const [anna, bartek] = [await employee(), await employee()];
      const id = await group(anna, [bartek]);
      await store.notifyPrefs.setMute(id, bartek.id, 'forever');
      await store.conversations.removeMember(id, bartek.id);
      expect([...(await store.notifyPrefs.get(bartek.id)).muted]).toEqual([]);
    });

    it('keeps do-not-disturb per employee until cleared', async () => {
      const [anna, bartek] = [await employee(), await employee()];
      expect(await store.notifyPrefs.setDoNotDisturb(anna.id, at(7_200_000))).toBe(true);
      expect((await store.notifyPrefs.get(anna.id)).doNotDisturbUntil).toEqual(at(7_200_000));
      expect((await store.notifyPrefs.get(bartek.id)).doNotDisturbUntil).toBeNull();
      expect(await store.notifyPrefs.setDoNotDisturb(anna.id, null)).toBe(true);
      expect((await store.notifyPrefs.get(anna.id)).doNotDisturbUntil).toBeNull();
      expect(await store.notifyPrefs.setDoNotDisturb('no-such-employee', at(1))).toBe(false);
    });
  });
}
