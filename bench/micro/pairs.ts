/** Pairs of people in direct conversations and an appender cycling through them, for the append micro-benchmarks. */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../server/src/ports/store.js';
import { uuidv7 } from '../../shared/ids.js';
import { importPeople } from '../lib/dataset.js';

export interface Pair {
  id: string;
  a: string;
  b: string;
}

export async function openPairs(store: Store, people: number): Promise<Pair[]> {
  const imported = await importPeople(store, people);
  const pairs: Pair[] = [];
  for (let i = 0; i + 1 < imported.length; i += 2) {
    const c = await store.conversations.openDirect({ id: randomUUID(), a: imported[i]!.id, b: imported[i + 1]!.id, createdAt: new Date() });
    pairs.push({ id: c.conversation.id, a: imported[i]!.id, b: imported[i + 1]!.id });
  }
  return pairs;
}

/** Message `start + 1`, then the next, each in the next pair, with the client id `clientId` makes. */
export function pairAppender(store: Store, pairs: Pair[], start: number, clientId: (at: number) => string): () => Promise<unknown> {
  let n = start;
  return () => {
    const pair = pairs[n % pairs.length]!;
    const at = Date.now();
    n += 1;
    return store.messages.append({
      id: uuidv7(at),
      conversationId: pair.id,
      senderId: (n >> 1) % 2 === 0 ? pair.a : pair.b,
      clientId: clientId(at),
      text: `message ${n} Lorem ipsum dolor sit amet, consectetur adipiscing elit.`,
      createdAt: new Date(at),
      notifySms: false,
      dispatches: [],
    });
  };
}
