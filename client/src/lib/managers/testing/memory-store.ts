import type { KeyValueStore } from '../../logic/outbox.js';

/** localStorage's interface over a Map; one instance shared by two OutboxStores is two tabs of one browser. */
export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}
