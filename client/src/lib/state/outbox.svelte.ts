/**
 * Messages pressed Send on but not yet acknowledged by the server. Every change is written to localStorage (per
 * employee) before anything is emitted, so a reload restores and resends them.
 */
import { forgetEntry, loadOutbox, persistEntry, type KeyValueStore, type OutboxEntry } from '../logic/outbox.js';

function browserStorage(): KeyValueStore | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export class OutboxStore {
  #entries = $state.raw<OutboxEntry[]>([]);
  #employeeId: string | null = null;
  readonly #storage: () => KeyValueStore | null;

  /** `storage` is localStorage in the app (shared by the employee's tabs); tests pass one store to two "tabs". */
  constructor(storage: () => KeyValueStore | null = browserStorage) {
    this.#storage = storage;
  }

  get entries(): readonly OutboxEntry[] {
    return this.#entries;
  }

  /** Restores this employee's unsent messages (including ones another tab left behind). */
  load(employeeId: string): void {
    this.#employeeId = employeeId;
    const store = this.#storage();
    this.#entries = store ? loadOutbox(store, employeeId) : [];
  }

  forConversation(conversationId: string): OutboxEntry[] {
    return this.#entries.filter((e) => e.conversationId === conversationId);
  }

  get(clientId: string): OutboxEntry | undefined {
    return this.#entries.find((e) => e.clientId === clientId);
  }

  put(entry: OutboxEntry): void {
    const store = this.#storage();
    if (store && this.#employeeId) persistEntry(store, this.#employeeId, entry);
    const at = this.#entries.findIndex((e) => e.clientId === entry.clientId);
    this.#entries = at < 0 ? [...this.#entries, entry] : this.#entries.map((e, i) => (i === at ? entry : e));
  }

  remove(clientId: string): void {
    const store = this.#storage();
    if (store && this.#employeeId) forgetEntry(store, this.#employeeId, clientId);
    if (this.#entries.some((e) => e.clientId === clientId)) {
      this.#entries = this.#entries.filter((e) => e.clientId !== clientId);
    }
  }

  /** On sign-out: forget the in-memory copy; the stored one waits for this employee's next sign-in. */
  unload(): void {
    this.#employeeId = null;
    this.#entries = [];
  }
}

export const outbox = new OutboxStore();
