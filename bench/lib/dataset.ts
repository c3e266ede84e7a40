/**
 * The bench's data, written through Depesza's own storage layer before any server starts: employees imported by
 * the directory service (with cheap scrypt parameters, which travel inside each hash, so the real server's
 * sign-in is cheap too), direct pairs and groups, and the history data sets.
 */
import path from 'node:path';
import type { ImportRow } from '../../shared/schemas/index.js';
import { createSqliteStore } from '../../server/src/adapters/store/sqlite/sqlite-store.js';
import { createEventBus } from '../../server/src/services/event-bus.js';
import type { Store } from '../../server/src/ports/store.js';
import { createDirectoryService } from '../../server/src/services/directory.js';

export const BENCH_PASSWORD = 'bench-password-1';
/** Cheap on purpose: the bench measures messaging, not password hashing. */
const CHEAP_SCRYPT = { N: 1024, r: 8, p: 1 };

export interface Person {
  id: string;
  login: string;
}

export interface Chat {
  id: string;
  /** Indices into the people list. */
  members: number[];
}

export interface Dataset {
  dataDir: string;
  people: Person[];
  pairs: Chat[];
  groups: Chat[];
}

export const dbFile = (dataDir: string) => path.join(dataDir, 'depesza.sqlite');

export function benchLogin(index: number): string {
  return `bench${String(index).padStart(5, '0')}`;
}

export async function importPeople(store: Store, count: number, loginOf: (i: number) => string = benchLogin): Promise<Person[]> {
  const rows: ImportRow[] = Array.from({ length: count }, (_, i) => ({
    login: loginOf(i),
    name: `Bench Person ${i}`,
    password: BENCH_PASSWORD,
    // Valid Polish mobile numbers (500 xxx xxx), so every one can receive an SMS in the SMS scenario.
    mobile: `+48 ${500_000_000 + i}`,
  }));
  const directory = createDirectoryService({ store, events: createEventBus(() => undefined), passwordParams: CHEAP_SCRYPT });
  for (let start = 0; start < rows.length; start += 1000) await directory.importRows(rows.slice(start, start + 1000));
  const people: Person[] = [];
  for (let i = 0; i < count; i++) {
    const found = await store.employees.findByLogin(loginOf(i));
    if (!found) throw new Error(`imported ${loginOf(i)} is missing`);
    people.push({ id: found.id, login: found.login });
  }
  return people;
}

export async function prepareDataset(
  dataDir: string,
  options: { people: number; pairPeople: number; groupPeople: number; groupSize: number },
): Promise<Dataset> {
  const store = createSqliteStore({ file: dbFile(dataDir) });
  try {
    const people = await importPeople(store, options.people);
    const now = new Date();
    const pairs: Chat[] = [];
    for (let i = 0; i + 1 < options.pairPeople; i += 2) {
      const found = await store.conversations.openDirect({ id: crypto.randomUUID(), a: people[i]!.id, b: people[i + 1]!.id, createdAt: now });
      pairs.push({ id: found.conversation.id, members: [i, i + 1] });
    }
    const groups: Chat[] = [];
    for (let start = 0; start + options.groupSize <= options.groupPeople; start += options.groupSize) {
      const members = Array.from({ length: options.groupSize }, (_, k) => start + k);
      const found = await store.conversations.createGroup({
        id: crypto.randomUUID(),
        name: `Bench group ${start / options.groupSize}`,
        createdBy: people[start]!.id,
        memberIds: members.map((m) => people[m]!.id),
        createdAt: now,
      });
      groups.push({ id: found.conversation.id, members });
    }
    return { dataDir, people, pairs, groups };
  } finally {
    await store.close();
  }
}
