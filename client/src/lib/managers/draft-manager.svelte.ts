/**
 * Unsent text per conversation, kept across switching conversations and page reloads, cleared on send. Stored in
 * localStorage under the signed-in employee's id, so the next person signing in on this browser sees none of it.
 */
import type { KeyValueStore } from '../logic/outbox.js';

const PREFIX = 'depesza.drafts.';

export class DraftManager {
  readonly #storage: KeyValueStore | null;
  readonly #myId: () => string | undefined;
  /**
   * The drafts of the employee they were loaded for. Plain fields, because reading may load them and templates read
   * them (Svelte forbids writing state while rendering); `#version` is the reactive part, bumped by every change.
   */
  #drafts: Record<string, string> = {};
  #loadedFor: string | undefined;
  #version = $state(0);

  constructor(storage: KeyValueStore | null, myId: () => string | undefined) {
    this.#storage = storage;
    this.#myId = myId;
  }

  /** The draft of a conversation, '' when none. */
  get(conversationId: string): string {
    void this.#version;
    this.#sync();
    return Object.hasOwn(this.#drafts, conversationId) ? (this.#drafts[conversationId] ?? '') : '';
  }

  has(conversationId: string): boolean {
    return this.get(conversationId).trim() !== '';
  }

  set(conversationId: string, text: string): void {
    this.#sync();
    const { [conversationId]: _old, ...rest } = this.#drafts;
    this.#drafts = text.trim() === '' ? rest : { ...rest, [conversationId]: text };
    this.#version++;
    this.#save();
  }

  /** After a send: the text is in the outbox now. */
  clear(conversationId: string): void {
    if (this.get(conversationId) !== '') this.set(conversationId, '');
  }

  reset(): void {
    this.#drafts = {};
    this.#loadedFor = undefined;
    this.#version++;
  }

  /** Loads the signed-in employee's drafts the first time they are asked for (or after someone else signed in). */
  #sync(): void {
    const me = this.#myId();
    if (me === this.#loadedFor) return;
    this.#loadedFor = me;
    this.#drafts = me ? this.#read(me) : {};
  }

  #read(me: string): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(this.#storage?.getItem(PREFIX + me) ?? '{}');
      if (!parsed || typeof parsed !== 'object') return {};
      return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    } catch {
      return {};
    }
  }

  #save(): void {
    const me = this.#loadedFor;
    if (!me || !this.#storage) return;
    try {
      if (Object.keys(this.#drafts).length === 0) this.#storage.removeItem(PREFIX + me);
      else this.#storage.setItem(PREFIX + me, JSON.stringify(this.#drafts));
    } catch {
      // Storage full or blocked: the draft still lives in this tab.
    }
  }
}
