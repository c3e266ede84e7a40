/**
 * Message search, the behaviour every storage adapter must show (issue 12). Called from each adapter's test file
 * next to runStoreContract. `writeText` changes a message's text the way a later feature's write would, by a path
 * that knows nothing of search (a second SQLite connection; a plain mongoose update), so the index is shown to follow
 * every write of the text, not only the ones this suite's author thought of.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../shared/search-text.js';
import type { Employee } from '../src/domain/entities.js';
import type { MessageSearchQuery, Store } from '../src/ports/store.js';
import { newEmployee } from './store-contract.js';

export interface SearchTestStore {
  store: Store;
  /** Sets a stored message's text ('' = the tombstone of a deletion) outside the Store port. */
  writeText(messageId: string, text: string): Promise<void>;
  cleanup(): Promise<void>;
}

const T0 = Date.parse('2025-03-03T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

export function runSearchContract(name: string, make: () => Promise<SearchTestStore>): void {
  describe(`Store contract, message search: ${name}`, () => {
    let t: SearchTestStore;
    let anna: Employee;
    let bartek: Employee;
    let celina: Employee;
    let group: string;
    let direct: string;
    let minute = 0;

    beforeEach(async () => {
      t = await make();
      minute = 0;
      [anna, bartek, celina] = [
        await t.store.employees.create(newEmployee()),
        await t.store.employees.create(newEmployee()),
        await t.store.employees.create(newEmployee()),
      ] as [Employee, Employee, Employee];
      group = (await t.store.conversations.createGroup({ id: randomUUID(), name: 'Biuro', createdBy: anna.id, memberIds: [anna.id, bartek.id, celina.id], createdAt: at(0) })).conversation.id;
      direct = (await t.store.conversations.openDirect({ id: randomUUID(), a: anna.id, b: bartek.id, createdAt: at(0) })).conversation.id;
    });
    afterEach(async () => {
      await t.cleanup();
    });

    /** Appends one message a minute after the previous one; returns its id. */
    const say = async (conversationId: string, sender: Employee, text: string): Promise<string> => {
      minute += 1;
      const { message } = await t.store.messages.append({
        id: randomUUID(), conversationId, senderId: sender.id, clientId: randomUUID(), text, createdAt: at(minute), notifySms: false, dispatches: [],
      });
      return message.id;
    };
    const find = async (who: Employee, query: string, more: Partial<MessageSearchQuery> = {}): Promise<string[]> => {
      const result = await t.store.messages.search({ employeeId: who.id, terms: parseSearchQuery(query), limit: 50, ...more });
      return result.messages.map((m) => m.text);
    };

    it('ignores diacritics and letter case, ł included, in the text and in the query', async () => {
      await say(group, anna, 'Spotkanie w Łodzi, ul. Piotrkowska');
      await say(group, anna, 'Jedzie Łódź Kaliska');
      await say(group, anna, 'ŻÓŁTY samochód stoi pod biurem');
      await say(group, anna, 'nic ciekawego');
      expect(await find(bartek, 'Lodz')).toEqual(['Jedzie Łódź Kaliska', 'Spotkanie w Łodzi, ul. Piotrkowska']);
      expect(await find(bartek, 'łódź')).toEqual(['Jedzie Łódź Kaliska', 'Spotkanie w Łodzi, ul. Piotrkowska']);
      expect(await find(bartek, 'zolty')).toEqual(['ŻÓŁTY samochód stoi pod biurem']);
      expect(await find(bartek, 'Żółty SAMOCHOD')).toEqual(['ŻÓŁTY samochód stoi pod biurem']);
    });

    it('matches the start of a word while typing, never the middle of one', async () => {
      await say(group, anna, 'Zamówienie samochodu służbowego');
      expect(await find(bartek, 'samoch')).toEqual(['Zamówienie samochodu służbowego']);
      expect(await find(bartek, 'sl')).toEqual(['Zamówienie samochodu służbowego']);
      expect(await find(bartek, 'amochod')).toEqual([]);
      expect(await find(bartek, 'owienie')).toEqual([]);
    });

    it('requires every word, and a quoted phrase as adjacent whole words in order', async () => {
      await say(group, anna, 'żółty samochód na parkingu');
      await say(group, anna, 'samochód żółty na parkingu');
      await say(group, anna, 'żółtym samochodem');
      expect(await find(bartek, '"zolty samochod"')).toEqual(['żółty samochód na parkingu']);
      expect(await find(bartek, 'samochod zolty')).toEqual(['żółtym samochodem', 'samochód żółty na parkingu', 'żółty samochód na parkingu']);
      expect(await find(bartek, '"zolt"')).toEqual([]);
      expect(await find(bartek, 'zolty parking kot')).toEqual([]);
      // An unclosed quote while typing: the phrase so far, its last word a prefix.
      expect(await find(bartek, '"zoltym samoch')).toEqual(['żółtym samochodem']);
    });

    it('finds only messages of conversations the employee is a member of now', async () => {
      await say(direct, anna, 'tajny plan dla Bartka');
      await say(group, anna, 'plan dla wszystkich');
      expect(await find(celina, 'plan')).toEqual(['plan dla wszystkich']);
      expect(await find(bartek, 'plan')).toEqual(['plan dla wszystkich', 'tajny plan dla Bartka']);
      await t.store.conversations.removeMember(group, bartek.id);
      expect(await find(bartek, 'plan')).toEqual(['tajny plan dla Bartka']);
      expect(await find(celina, 'tajny')).toEqual([]);
    });

    it('filters by sender, conversation and time', async () => {
      await say(group, anna, 'raport 1'); // minute 1
      await say(group, bartek, 'raport 2'); // minute 2
      await say(direct, anna, 'raport 3'); // minute 3
      expect(await find(bartek, 'raport', { senderId: anna.id })).toEqual(['raport 3', 'raport 1']);
      expect(await find(bartek, 'raport', { conversationId: group })).toEqual(['raport 2', 'raport 1']);
      expect(await find(bartek, 'raport', { from: at(2), to: at(3) })).toEqual(['raport 2']);
      expect(await find(bartek, 'raport', { from: at(2) })).toEqual(['raport 3', 'raport 2']);
      expect(await find(celina, 'raport', { conversationId: direct })).toEqual([]);
    });

    it('narrows to the member\'s conversations and the one asked for, however few or many, as memberships change', async () => {
      // Bartek is in 22 conversations (beyond any "few" an adapter may treat apart), Celina in the group alone.
      const others: string[] = [];
      for (let i = 0; i < 20; i++) {
        others.push((await t.store.conversations.createGroup({ id: randomUUID(), name: `Zespół ${i}`, createdBy: anna.id, memberIds: [anna.id, bartek.id], createdAt: at(0) })).conversation.id);
      }
      for (let i = 0; i < 20; i++) await say(others[i] as string, anna, `faktura z zespołu ${i}`);
      await say(group, anna, 'faktura dla biura');
      await say(direct, bartek, 'faktura prywatna');
      for (let i = 0; i < 5; i++) await say(others[0] as string, anna, `inna faktura ${i}`);

      expect(await find(celina, 'faktura')).toEqual(['faktura dla biura']);
      expect(await find(celina, 'fak', { conversationId: others[0] as string })).toEqual([]);
      expect(await find(celina, 'faktura', { conversationId: direct })).toEqual([]);
      const all = await find(bartek, 'faktura');
      expect(all).toHaveLength(27);
      expect(all.slice(0, 3)).toEqual(['inna faktura 4', 'inna faktura 3', 'inna faktura 2']);
      expect(await find(bartek, 'fak', { conversationId: group })).toEqual(['faktura dla biura']);
      expect(await find(bartek, 'faktura', { conversationId: others[7] as string })).toEqual(['faktura z zespołu 7']);
      // A page of a quiet conversation while a busy one says the same word after it.
      const page = await t.store.messages.search({ employeeId: bartek.id, terms: parseSearchQuery('faktura'), limit: 1, conversationId: others[3] as string });
      expect(page.messages.map((m) => m.text)).toEqual(['faktura z zespołu 3']);
      expect(page.nextCursor).toBeNull();

      await t.store.conversations.addMembers(others[5] as string, [celina.id], at(100));
      expect(await find(celina, 'faktura')).toEqual(['faktura dla biura', 'faktura z zespołu 5']);
      await t.store.conversations.removeMember(group, celina.id);
      await t.store.conversations.removeMember(others[5] as string, celina.id);
      expect(await find(celina, 'faktura')).toEqual([]);
      expect(await find(celina, 'faktura', { conversationId: group })).toEqual([]);
      await t.store.conversations.removeMember(group, bartek.id);
      expect(await find(bartek, 'faktura')).toHaveLength(26);
      expect(await find(bartek, 'faktura', { conversationId: group })).toEqual([]);
    });

    it('finds an edited text, and never a deleted one, in the conversation asked for', async () => {
      const edited = await say(group, anna, 'spotkanie we wtorek');
      const deleted = await say(group, anna, 'spotkanie w piątek');
      await say(direct, anna, 'spotkanie we wtorek');
      await t.store.messages.change(group, edited, () => ({ text: 'spotkanie w czwartek', editedAt: at(10) }));
      await t.writeText(deleted, '');
      expect(await find(bartek, 'wtorek', { conversationId: group })).toEqual([]);
      expect(await find(bartek, 'wtorek', { conversationId: direct })).toEqual(['spotkanie we wtorek']);
      expect(await find(bartek, 'czwartek', { conversationId: group })).toEqual(['spotkanie w czwartek']);
      expect(await find(bartek, 'spotkanie', { conversationId: group })).toEqual(['spotkanie w czwartek']);
      expect(await find(celina, 'spotkanie')).toEqual(['spotkanie w czwartek']);
    });

    it('pages through one conversation newest first, with every filter, while other conversations say the same', async () => {
      for (let i = 1; i <= 12; i++) {
        await say(group, i % 3 === 0 ? bartek : anna, `raport ${i}`);
        await say(direct, anna, `raport d${i}`);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await t.store.messages.search({
          employeeId: bartek.id, terms: parseSearchQuery('rap'), limit: 3, conversationId: group, senderId: anna.id, from: at(2),
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.messages.map((m) => m.text));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      // Anna's (not every third), from minute 2 on (not 'raport 1'), in the group only.
      expect(seen).toEqual(['raport 11', 'raport 10', 'raport 8', 'raport 7', 'raport 5', 'raport 4', 'raport 2']);
      expect(await find(celina, 'raport', { conversationId: direct })).toEqual([]);
    });

    it('follows edits and deletions of the text at once', async () => {
      const edited = await say(group, anna, 'spotkanie we wtorek');
      const deleted = await say(group, anna, 'hasło do wifi: pingwin');
      await t.writeText(edited, 'spotkanie w środę');
      await t.writeText(deleted, '');
      expect(await find(bartek, 'wtorek')).toEqual([]);
      expect(await find(bartek, 'srode')).toEqual(['spotkanie w środę']);
      expect(await find(bartek, 'pingwin')).toEqual([]);
      expect(await find(bartek, 'haslo')).toEqual([]);
      await t.writeText(edited, 'spotkanie odwołane');
      expect(await find(bartek, 'spotkanie')).toEqual(['spotkanie odwołane']);
    });

    it('follows edits and deletions made through the store port (issue 11), and never finds a deleted text', async () => {
      const edited = await say(group, anna, 'spotkanie we wtorek');
      const deleted = await say(group, anna, 'hasło do wifi: pingwin');
      await t.store.messages.change(group, edited, () => ({ text: 'spotkanie w czwartek', editedAt: at(10) }));
      await t.store.messages.change(group, deleted, () => ({ text: '', deletedAt: at(11), deletedBy: anna.id }));
      expect(await find(bartek, 'wtorek')).toEqual([]);
      expect(await find(bartek, 'czwart')).toEqual(['spotkanie w czwartek']);
      expect(await find(bartek, 'pingwin')).toEqual([]);
      expect(await find(bartek, '"haslo do wifi"')).toEqual([]);
    });

    it('pages newest first without repeats or gaps, and refuses a cursor it did not give', async () => {
      for (let i = 1; i <= 5; i++) await say(group, anna, `notatka ${i}`);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 5; page++) {
        const result = await t.store.messages.search({ employeeId: bartek.id, terms: parseSearchQuery('notatka'), limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...result.messages.map((m) => m.text));
        if (result.nextCursor === null) break;
        cursor = result.nextCursor;
      }
      expect(seen).toEqual(['notatka 5', 'notatka 4', 'notatka 3', 'notatka 2', 'notatka 1']);
      await expect(t.store.messages.search({ employeeId: bartek.id, terms: parseSearchQuery('notatka'), limit: 2, cursor: 'x y' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });
}
