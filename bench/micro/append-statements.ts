/**
 * Statements the SQLite store runs per append: `npx tsx bench/micro/append-statements.ts`. Every statement run
 * through better-sqlite3 (prepared or pragma, transaction control included) is counted while 400 messages are appended
 * in pairs' conversations, four per commit, then one per commit; triggers' statements are not seen by this count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../server/src/adapters/store/sqlite/sqlite-store.js';
import { uuidv7 } from '../../shared/ids.js';
import { importPeople } from '../lib/dataset.js';

const counts = new Map<string, number>();
let counting = false;
const proto = Database.prototype as unknown as { prepare: (sql: string) => Database.Statement; exec: (sql: string) => unknown };
const prepare = proto.prepare;
proto.prepare = function (this: Database.Database, sql: string) {
  const statement = prepare.call(this, sql) as unknown as Record<string, (...args: unknown[]) => unknown>;
  const key = sql.replace(/\s+/g, ' ').trim().slice(0, 90);
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    statement[method] = function (this: unknown, ...args: unknown[]) {
      if (counting) counts.set(key, (counts.get(key) ?? 0) + 1);
      return original.apply(this, args);
    };
  }
  return statement as unknown as Database.Statement;
};

const dir = mkdtempSync(path.join(tmpdir(), 'depesza-statements-'));
const store = createSqliteStore({ file: path.join(dir, 'db.sqlite') });
const people = await importPeople(store, 200);
const pairs: Array<{ id: string; a: string; b: string }> = [];
for (let i = 0; i + 1 < people.length; i += 2) {
  const c = await store.conversations.openDirect({ id: randomUUID(), a: people[i]!.id, b: people[i + 1]!.id, createdAt: new Date() });
  pairs.push({ id: c.conversation.id, a: people[i]!.id, b: people[i + 1]!.id });
}
let n = 0;
const append = () => {
  const pair = pairs[n % pairs.length]!;
  n += 1;
  const at = Date.now();
  return store.messages.append({
    id: uuidv7(at), conversationId: pair.id, senderId: n % 2 ? pair.a : pair.b, clientId: randomUUID(),
    text: `message ${n}`, createdAt: new Date(at), notifySms: false, dispatches: [],
  });
};
for (const perCommit of [4, 1]) {
  counts.clear();
  counting = true;
  const messages = 400;
  for (let done = 0; done < messages; done += perCommit) await Promise.all(Array.from({ length: perCommit }, append));
  counting = false;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`${perCommit} per commit: ${(total / messages).toFixed(2)} statements per message`);
  for (const [sql, count] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${(count / messages).toFixed(2)}  ${sql}`);
}
await store.close();
rmSync(dir, { recursive: true, force: true });
