/**
 * `npx tsx bench/micro/sms-statements.ts [messages] [--paced]`: what one urgent message (one SMS) costs the server's main
 * thread in SQLite work, counted rather than timed (the count does not depend on the machine's load). The real app
 * and the fake SMSAPI over loopback; better-sqlite3's statements and commits are counted while Anna sends
 * `messages` plain messages, then as many with an SMS each, every SMS sent and reported before the count stops.
 * `--paced`: each urgent message waits for the previous SMS to reach the fake and 20 ms more, as at 50 SMS/s, so
 * the dispatcher never finds two SMS to take in one go.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { startFakeSmsapi } from '../../server/src/dev/fake-smsapi.js';
import { request } from '../../server/test/support/test-app.js';
import { employee, ok, openDirect, startSmsApp } from '../../server/test/support/sms.js';

const counts = { statements: 0, writes: 0, commits: 0 };
const bySource = new Map<string, number>();
const probe = new Database(':memory:');
const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
type Counted = { source: string; database: Database.Database };
for (const method of ['run', 'get', 'all', 'iterate']) {
  const original = statementProto[method] as (...args: unknown[]) => unknown;
  statementProto[method] = function (this: Counted, ...args: unknown[]) {
    counts.statements += 1;
    const key = this.source.replace(/\s+/g, ' ').trim();
    bySource.set(key.slice(0, 90), (bySource.get(key.slice(0, 90)) ?? 0) + 1);
    const write = /^(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(key);
    if (write) counts.writes += 1;
    // A commit: COMMIT (db.transaction() runs its BEGIN and COMMIT through statements too), or a write outside any
    // transaction, which SQLite commits by itself.
    if (/^COMMIT\b/i.test(key) || (write && !this.database.inTransaction)) counts.commits += 1;
    return original.apply(this, args);
  };
}
probe.close();

const n = Number(process.argv[2] ?? 200);
const paced = process.argv.includes('--paced');
const fake = await startFakeSmsapi({ autoDeliverMs: null });
const t = await startSmsApp(fake, {
  env: {
    RATE_LIMIT_MESSAGES_PER_MINUTE: '10000000',
    RATE_LIMIT_EVENTS_PER_MINUTE: '10000000',
    SMS_LIMIT_RECIPIENT: '100000',
    SMS_LIMIT_SENDER_PER_HOUR: '100000',
    SMS_LIMIT_SENDER_PER_DAY: '100000',
  },
  deps: { smsDispatcher: { baseBackoffMs: 20, pollMs: 5000 } },
});
try {
  const anna = await employee(t, 'anna');
  const conversationId = await openDirect(anna.socket, await t.idOf('bartek'));
  const send = (notifySms: boolean) => request(anna.socket, 'message:send', { conversationId, clientId: randomUUID(), text: 'Serwer leży', notifySms });
  const measure = async (notifySms: boolean) => {
    for (let i = 0; i < 20; i++) ok(await send(notifySms)); // warm
    await t.app.services.dispatcher?.drain();
    while (fake.accepted.length < (notifySms ? 20 : 0)) await new Promise((r) => setImmediate(r));
    const before = { ...counts };
    bySource.clear();
    const accepted = fake.accepted.length;
    for (let i = 0; i < n; i++) {
      ok(await send(notifySms));
      if (!paced || !notifySms) continue;
      // As the bench's 50 SMS/s: each SMS is alone in the outbox, nothing to batch with.
      while (fake.accepted.length < accepted + i + 1) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setTimeout(r, 20));
    }
    if (notifySms) while (fake.accepted.length < accepted + n) await new Promise((r) => setTimeout(r, 5));
    await t.app.services.dispatcher?.drain();
    return {
      statements: (counts.statements - before.statements) / n,
      writes: (counts.writes - before.writes) / n,
      commits: (counts.commits - before.commits) / n,
    };
  };
  const plain = await measure(false);
  const urgent = await measure(true);
  if (process.env.SHOW_STATEMENTS) for (const [sql, count] of [...bySource].sort((a, b) => b[1] - a[1])) console.log(`${(count / n).toFixed(2).padStart(6)}  ${sql}`);
  const fmt = (x: number) => x.toFixed(2);
  console.log(`per plain message:  ${fmt(plain.statements)} statements (${fmt(plain.writes)} writes), ${fmt(plain.commits)} commits`);
  console.log(`per urgent message: ${fmt(urgent.statements)} statements (${fmt(urgent.writes)} writes), ${fmt(urgent.commits)} commits`);
  console.log(`SMS adds:           ${fmt(urgent.statements - plain.statements)} statements (${fmt(urgent.writes - plain.writes)} writes), ${fmt(urgent.commits - plain.commits)} commits`);
} finally {
  await t.stop({ remove: true });
  await fake.close();
}
