/**
 * Statements the SQLite store runs per append, and the time each takes: `npx tsx bench/micro/append-statements.ts [n] [pairs|group]`.
 * Every prepared statement run through better-sqlite3 is counted and timed (wall time of the synchronous call,
 * triggers included in their statement's) while `n` messages (default 4000, after as many unmeasured) are appended
 * in pairs' conversations (or, with `group`, all by one sender in one conversation), four per commit, then one per commit; "commit" is the rest of the batch's transaction
 * (BEGIN, COMMIT and the JavaScript around the statements).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { subscribe } from 'node:diagnostics_channel';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../server/src/adapters/store/sqlite/sqlite-store.js';
import { uuidv7 } from '../../shared/ids.js';
import { importPeople } from '../lib/dataset.js';
import { APPEND_BATCH_CHANNEL } from '../../server/src/adapters/store/append-batch-channel.js';

const counts = new Map<string, number>();
const times = new Map<string, number>();
let counting = false;
const proto = Database.prototype as unknown as { prepare: (sql: string) => Database.Statement; exec: (sql: string) => unknown };
const prepare = proto.prepare;
proto.prepare = function (this: Database.Database, sql: string) {
  const statement = prepare.call(this, sql) as unknown as Record<string, (...args: unknown[]) => unknown>;
  const key = sql.replace(/\s+/g, ' ').trim().slice(0, 90);
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    statement[method] = function (this: unknown, ...args: unknown[]) {
      if (!counting) return original.apply(this, args);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const t = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        times.set(key, (times.get(key) ?? 0) + performance.now() - t);
      }
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
const oneGroup = process.argv[3] === 'group';
const append = () => {
  const pair = pairs[oneGroup ? 0 : n % pairs.length]!;
  n += 1;
  const at = Date.now();
  return store.messages.append({
    id: uuidv7(at), conversationId: pair.id, senderId: n % 2 || oneGroup ? pair.a : pair.b, clientId: randomUUID(),
    text: `message ${n}`, createdAt: new Date(at), notifySms: false, dispatches: [],
  });
};
const messages = Number(process.argv[2] ?? 4000);
// The batch's whole flush, timed from the channel's publish (just before the transaction) to the resolution.
let batchMs = 0;
let batchStarted = 0;
subscribe(APPEND_BATCH_CHANNEL, () => {
  batchStarted = performance.now();
});
for (const perCommit of [4, 1]) {
  for (let done = 0; done < messages; done += perCommit) await Promise.all(Array.from({ length: perCommit }, append));
  counts.clear();
  times.clear();
  batchMs = 0;
  counting = true;
  for (let done = 0; done < messages; done += perCommit) {
    await Promise.all(Array.from({ length: perCommit }, append));
    batchMs += performance.now() - batchStarted;
  }
  counting = false;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const statementsMs = [...times.values()].reduce((a, b) => a + b, 0);
  const us = (ms: number) => ((ms * 1000) / messages).toFixed(1).padStart(6);
  console.log(`${perCommit} per commit: ${(total / messages).toFixed(2)} statements and ${us(batchMs)} µs per message`);
  for (const [sql, count] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${(count / messages).toFixed(2)} ${us(times.get(sql) ?? 0)} µs  ${sql}`);
  console.log(`       ${us(batchMs - statementsMs)} µs  commit and the rest of the batch`);
}
await store.close();
rmSync(dir, { recursive: true, force: true });
