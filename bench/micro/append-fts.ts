/**
 * What the search index costs an append, in process: `npx tsx bench/micro/append-fts.ts [rows] [rounds] [variants]`.
 * A store seeded once with `rows` messages (default 50,000; 1000 people in 500 pairs), then per round a fresh copy
 * of it opened through the adapter, 1000 unmeasured appends, and 4000 measured ones in commits of 1 and of 4.
 * Variants (alternating, so both share the machine's load): `trigger` — the FTS5 row written by the insert trigger
 * inside the append's transaction (the schema before issue 17's deferred indexing); `docs` — the trigger keeps only
 * the doc number, nothing is indexed (the bound); `deferred` — the schema as it is (rows indexed in batches off the
 * append; counted here: every thread's CPU, and a search at the end of the pass catches up whatever is left).
 * Reports CPU per append (the process: every thread; and the main thread alone), bytes written per append
 * through write calls (/proc/self/io: WAL frames and checkpoints), and the commit's p99 and max (back to back, so
 * a wait for the write lock while the worker indexes shows there); then, open loop, appends offered at RATE/s
 * (default 2000) for 5 s with group commit as configured: CPU per append and p50/p99/max from the scheduled moment.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../server/src/adapters/store/sqlite/sqlite-store.js';
import { SCHEMA_VERSION } from '../../server/src/adapters/store/sqlite/migrations.js';
import type { Store } from '../../server/src/ports/store.js';
import { uuidv7 } from '../../shared/ids.js';
import { openPairs, pairAppender, type Pair } from './pairs.js';
import { offerAtRate } from './open-loop.js';

type Variant = 'trigger' | 'docs' | 'deferred';

const rows = Number(process.argv[2] ?? 50_000);
const rounds = Number(process.argv[3] ?? 3);
const variants = (process.argv[4] ?? 'trigger,deferred').split(',') as Variant[];
const MEASURED = 4000;
const RATE = Number(process.env.RATE ?? 2000);
const OPEN_LOOP_MS = 5000;

const ticks = () => {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, fields 14 and 15 of the whole line; 100 ticks a second on Linux.
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
};
const written = () => Number(/^wchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? 0);

const appender = (store: Store, pairs: Pair[], start: number) => pairAppender(store, pairs, start, uuidv7);

async function seed(): Promise<{ file: string; pairs: Pair[] }> {
  const dir = path.join(tmpdir(), 'depesza-fts-seeds');
  const key = path.join(dir, `v${SCHEMA_VERSION}-${rows}`);
  if (existsSync(`${key}.sqlite`)) return { file: `${key}.sqlite`, pairs: JSON.parse(readFileSync(`${key}.json`, 'utf8')) as Pair[] };
  mkdirSync(dir, { recursive: true });
  const store = createSqliteStore({ file: `${key}.tmp`, maxAppendBatch: 4096 });
  const pairs = await openPairs(store, 1000);
  const append = appender(store, pairs, 0);
  for (let n = 0; n < rows; n += 2000) await Promise.all(Array.from({ length: Math.min(2000, rows - n) }, append));
  // A search indexes what the worker has not, so every round starts from a fully indexed store.
  await store.messages.search({ employeeId: pairs[0]!.a, terms: [{ words: ['lorem'], prefix: false }], limit: 1 });
  await store.close();
  writeFileSync(`${key}.json`, JSON.stringify(pairs));
  renameSync(`${key}.tmp`, `${key}.sqlite`);
  return { file: `${key}.sqlite`, pairs };
}

const OLD_INSERT_TRIGGER = `
  CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search_docs (conversation_id, seq) VALUES (new.conversation_id, new.seq);
    INSERT INTO message_search (rowid, body, conversation)
      SELECT last_insert_rowid(), replace(replace(new.text, 'ł', 'l'), 'Ł', 'L'), hex(new.conversation_id)
      WHERE new.text <> '';
  END;`;
const DOCS_ONLY_TRIGGER = `
  CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search_docs (conversation_id, seq) VALUES (new.conversation_id, new.seq);
  END;`;

/** Rewrites the copy's insert trigger to the variant's; with a watermark table, marks everything indexed. */
function prepare(file: string, variant: Variant): void {
  if (variant === 'deferred') return;
  const db = new Database(file);
  db.exec(`DROP TRIGGER message_search_insert; ${variant === 'trigger' ? OLD_INSERT_TRIGGER : DOCS_ONLY_TRIGGER}`);
  // Nothing left for a deferred indexer to do (its watermark above any doc), so it measures the trigger alone.
  const hasWatermark = db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'search_index_watermark'`).get();
  if (hasWatermark) db.exec(`UPDATE search_index_watermark SET upto = ${2 ** 52}`);
  db.close();
}

/** Appends offered at RATE/s for OPEN_LOOP_MS, each timed from its scheduled moment to its commit. */
async function openLoop(append: () => Promise<unknown>) {
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const sent = await offerAtRate(RATE, OPEN_LOOP_MS, append, latencies);
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((x, y) => x - y);
  const at = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(2));
  return { [`cpuUs@${RATE}/s`]: Math.round((cpu.user + cpu.system) / sent), p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
}

async function round(variant: Variant, source: { file: string; pairs: Pair[] }, start: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'depesza-fts-'));
  const file = path.join(dir, 'db.sqlite');
  copyFileSync(source.file, file);
  prepare(file, variant);
  const store = createSqliteStore({ file, maxAppendBatch: 4096 });
  const result: Record<string, string | number> = { variant };
  try {
    const append = appender(store, source.pairs, start);
    for (let done = 0; done < 1000; done += 1) await append();
    for (const perCommit of [1, 4]) {
      const cpu0 = process.cpuUsage();
      const main0 = ticks();
      const w0 = written();
      const commits: number[] = [];
      for (let done = 0; done < MEASURED; done += perCommit) {
        const t = performance.now();
        await Promise.all(Array.from({ length: perCommit }, append));
        commits.push(performance.now() - t);
      }
      commits.sort((x, y) => x - y);
      // Whatever the variant left unindexed is indexed now, and counted.
      await store.messages.search({ employeeId: source.pairs[0]!.a, terms: [{ words: ['lorem'], prefix: false }], limit: 1 });
      const cpu = process.cpuUsage(cpu0);
      result[`cpuUs@${perCommit}`] = Math.round((cpu.user + cpu.system) / MEASURED);
      result[`mainUs@${perCommit}`] = Math.round((ticks() - main0) / MEASURED);
      result[`KiB@${perCommit}`] = Number(((written() - w0) / 1024 / MEASURED).toFixed(1));
      // A commit waits when another connection (the indexing worker) holds the write lock.
      result[`p99ms@${perCommit}`] = Number(commits[Math.floor(commits.length * 0.99)]!.toFixed(2));
      result[`maxMs@${perCommit}`] = Number(commits[commits.length - 1]!.toFixed(1));
    }
    Object.assign(result, await openLoop(append));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

const source = await seed();
let start = rows;
for (let r = 0; r < rounds; r++) {
  for (const variant of variants) {
    console.log(JSON.stringify(await round(variant, source, start)));
    start += 1000 + 2 * MEASURED + RATE * 6;
  }
}
