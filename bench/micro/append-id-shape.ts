/**
 * In-process micro-benchmark of the append path by client id shape: `npx tsx bench/micro/append-id-shape.ts [rows]`.
 * For v7 (time-ordered) and v4 (random) client ids in turn: a fresh SQLite store seeded with `rows` messages of that
 * shape (1000 people in 500 pairs), then 20,000 appends in commits of 4 (about what group commit gathers at 2k/s).
 * Reports CPU per message (every thread of this process, so the checkpoint worker too), commit p50/p99, and bytes
 * written and read through syscalls per message (/proc/self/io: WAL frames, checkpoints, and SQLite page-cache misses).
 * Both shapes run in the same process one after the other, so they share the machine's load.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../server/src/adapters/store/sqlite/sqlite-store.js';
import type { Store } from '../../server/src/ports/store.js';
import { uuidv7 } from '../../shared/ids.js';
import { openPairs, pairAppender, type Pair } from './pairs.js';

type Shape = 'v7' | 'v4';

/** Bytes through read/write calls: of the main thread (the commits: page-cache misses, WAL frames) and in all. */
function io(): { read: number; written: number; mainRead: number; mainWritten: number } {
  const parse = (file: string) => {
    const text = readFileSync(file, 'utf8');
    return (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  };
  const all = parse('/proc/self/io');
  const main = parse(`/proc/self/task/${process.pid}/io`);
  return { read: all('rchar'), written: all('wchar'), mainRead: main('rchar'), mainWritten: main('wchar') };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}


const SEEDS = path.join(tmpdir(), 'depesza-idshape-seeds');

function storeOptions(file: string) {
  const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  return { file, maxAppendBatch: 4096, cacheSizeMiB: env('CACHE_MIB'), mmapSizeMiB: env('MMAP_MIB') };
}

/** A store with `rows` messages of one shape, built once and kept under SEEDS (set SEED_KEY per schema version). */
async function seeded(shape: Shape, rows: number, dir: string): Promise<{ file: string; pairs: Pair[] }> {
  const key = path.join(SEEDS, `${process.env.SEED_KEY ?? 'current'}-${shape}-${rows}`);
  const file = path.join(dir, 'db.sqlite');
  if (existsSync(`${key}.sqlite`)) {
    copyFileSync(`${key}.sqlite`, file);
    return { file, pairs: JSON.parse(readFileSync(`${key}.json`, 'utf8')) as Pair[] };
  }
  const store = createSqliteStore({ file, maxAppendBatch: 4096 });
  const pairs = await openPairs(store, 1000);
  const append = appender(store, pairs, shape, 0);
  const started = performance.now();
  for (let n = 0; n < rows; n += 2000) await Promise.all(Array.from({ length: Math.min(2000, rows - n) }, append));
  console.error(`seeded ${rows} ${shape} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  await store.close();
  mkdirSync(SEEDS, { recursive: true });
  copyFileSync(file, `${key}.tmp`);
  writeFileSync(`${key}.json`, JSON.stringify(pairs));
  renameSync(`${key}.tmp`, `${key}.sqlite`);
  return { file, pairs };
}

function appender(store: Store, pairs: Pair[], shape: Shape, start: number): () => Promise<unknown> {
  return pairAppender(store, pairs, start, (at) => (shape === 'v7' ? uuidv7(at) : randomUUID()));
}

async function run(shape: Shape, rows: number, measured: number): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(tmpdir(), `depesza-idshape-${shape}-`));
  const seed = await seeded(shape, rows, dir);
  if (process.env.VARIANT) applyVariant(seed.file, process.env.VARIANT);
  const opened = performance.now();
  const store: Store = createSqliteStore(storeOptions(seed.file));
  const openS = (performance.now() - opened) / 1000;
  // FORGET=1: the seeded history is older than the idempotency window (a store in its second month), so the
  // window's table holds only what is appended from here on. Stores without a window have nothing to forget.
  if (process.env.FORGET && 'forgetClientIds' in store.messages) await store.messages.forgetClientIds(new Date());
  try {
    const append = appender(store, seed.pairs, shape, rows);
    // A first pass warms SQLite's cache the way a running server's would be; then the measured pass.
    for (let done = 0; done < 4000; done += 4) await Promise.all([append(), append(), append(), append()]);
    await new Promise((r) => setTimeout(r, 1000));
    const commits: number[] = [];
    const cpu0 = process.cpuUsage();
    const io0 = io();
    const started = performance.now();
    for (let done = 0; done < measured; done += 4) {
      const t = performance.now();
      await Promise.all([append(), append(), append(), append()]);
      commits.push(performance.now() - t);
    }
    const wallS = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const io1 = io();
    commits.sort((x, y) => x - y);
    return {
      shape,
      rows,
      openS: Number(openS.toFixed(1)),
      variant: [process.env.VARIANT, process.env.CACHE_MIB && `cache ${process.env.CACHE_MIB} MiB`, process.env.MMAP_MIB && `mmap ${process.env.MMAP_MIB} MiB`].filter(Boolean).join(', ') || 'as configured',
      cpuUsPerMsg: Number(((cpu.user + cpu.system) / measured).toFixed(1)),
      wallUsPerMsg: Number(((wallS * 1e6) / measured).toFixed(1)),
      commitP50Ms: Number(percentile(commits, 50).toFixed(3)),
      commitP99Ms: Number(percentile(commits, 99).toFixed(3)),
      writtenKiBPerMsg: Number(((io1.written - io0.written) / 1024 / measured).toFixed(1)),
      readKiBPerMsg: Number(((io1.read - io0.read) / 1024 / measured).toFixed(1)),
      commitReadKiBPerMsg: Number(((io1.mainRead - io0.mainRead) / 1024 / measured).toFixed(2)),
      commitWrittenKiBPerMsg: Number(((io1.mainWritten - io0.mainWritten) / 1024 / measured).toFixed(2)),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Ablations for measuring what each part of the append costs; never used by the server. */
function applyVariant(file: string, variant: string): void {
  const db = new Database(file);
  if (variant === 'nofts') db.exec('DROP TRIGGER message_search_insert');
  if (variant === 'noprefix') {
    db.exec(`DROP TABLE message_search; CREATE VIRTUAL TABLE message_search USING fts5(body, content = '', tokenize = "unicode61 remove_diacritics 2");
             INSERT INTO message_search (message_search, rank) VALUES ('secure-delete', 1);`);
  }
  db.close();
}

const rows = Number(process.argv[2] ?? 300_000);
const shapes = (process.argv[3] ?? 'v7,v4,v7,v4').split(',') as Shape[];
for (const shape of shapes) console.log(JSON.stringify(await run(shape, rows, 20_000)));
