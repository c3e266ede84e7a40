/** The set-up every store contract shares: a fresh store (of the adapter under test) for each test. */
import { afterEach, beforeEach } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Employee } from '../../src/domain/entities.js';
import type { NewEmployee, Store } from '../../src/ports/store.js';

export type MakeStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

/**
 * Call inside a describe block. The answer is one object refilled with each test's store before the test runs, so
 * a contract reads `store.messages` as it would read the store itself; the store is cleaned up after the test.
 */
export function storePerTest(makeStore: MakeStore): Store {
  const store = {} as Store;
  let cleanup: (() => Promise<void>) | null = null;
  beforeEach(async () => {
    const made = await makeStore();
    for (const key of Object.keys(store)) delete (store as unknown as Record<string, unknown>)[key];
    Object.assign(store, made.store);
    cleanup = made.cleanup;
  });
  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
  });
  return store;
}

/** An employee to create, unique unless `overrides` say otherwise. */
export function newEmployee(overrides: Partial<NewEmployee> = {}): NewEmployee {
  const id = randomUUID();
  return {
    id,
    login: `user-${id.slice(0, 8)}`,
    name: `Employee ${id.slice(0, 4)}`,
    title: null,
    role: 'employee',
    active: true,
    mobileRaw: null,
    mobileE164: null,
    mobilePrivate: false,
    passwordHash: 'scrypt$hash',
    ...overrides,
  };
}

/** Two employees (unique logins) in a new group conversation created by the first. */
export async function twoInAGroup(store: Store, createdAt: Date): Promise<{ a: Employee; b: Employee; conversationId: string }> {
  const employee = (login: string) => store.employees.create(newEmployee({ login, name: login }));
  const a = await employee(`a-${randomUUID().slice(0, 6)}`);
  const b = await employee(`b-${randomUUID().slice(0, 6)}`);
  const group = await store.conversations.createGroup({ id: randomUUID(), name: 'G', createdBy: a.id, memberIds: [b.id], createdAt });
  return { a, b, conversationId: group.conversation.id };
}
