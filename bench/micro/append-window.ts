/**
 * The group-commit window against latency, in process: `npx tsx bench/micro/append-window.ts [rate] [windows]`.
 * One SQLite store (1000 people in 500 pairs, 20,000 messages before measuring), appends offered open-loop at
 * `rate`/s (default 2000) for 6 s per window (default 0,1,2,4 ms, each twice, alternating), random (v4) and
 * time-ordered (v7) client ids alternating per message. Reports, per window: process CPU per message, appends per
 * commit, and the latency from an append's scheduled moment to its resolution (the ack's moment: after COMMIT).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createSqliteStore } from '../../server/src/adapters/store/sqlite/sqlite-store.js';
import { APPEND_BATCH_CHANNEL } from '../../server/src/adapters/store/append-batch-channel.js';
import type { Store } from '../../server/src/ports/store.js';
import { uuidv7 } from '../../shared/ids.js';
import { importPeople } from '../lib/dataset.js';
import { offerAtRate } from './open-loop.js';

const rate = Number(process.argv[2] ?? 2000);
const windows = (process.argv[3] ?? '0,1,2,4').split(',').map(Number);
const STEP_MS = 6000;
const dir = mkdtempSync(path.join(tmpdir(), 'depesza-window-'));
const file = path.join(dir, 'db.sqlite');

type Pair = { id: string; a: string; b: string };
let n = 0;
const appendTo = (store: Store, pairs: Pair[]) => {
  const pair = pairs[n % pairs.length]!;
  n += 1;
  const at = Date.now();
  return store.messages.append({
    id: uuidv7(at), conversationId: pair.id, senderId: n % 2 ? pair.a : pair.b, clientId: n % 2 ? randomUUID() : uuidv7(at),
    text: `message ${n} Lorem ipsum dolor sit amet, consectetur adipiscing elit.`, createdAt: new Date(at), notifySms: false, dispatches: [],
  });
};

const seed = createSqliteStore({ file });
const people = await importPeople(seed, 1000);
const pairs: Pair[] = [];
for (let i = 0; i + 1 < people.length; i += 2) {
  const c = await seed.conversations.openDirect({ id: randomUUID(), a: people[i]!.id, b: people[i + 1]!.id, createdAt: new Date() });
  pairs.push({ id: c.conversation.id, a: people[i]!.id, b: people[i + 1]!.id });
}
for (let done = 0; done < 20_000; done += 500) await Promise.all(Array.from({ length: 500 }, () => appendTo(seed, pairs)));
await seed.close();

async function step(windowMs: number) {
  const store = createSqliteStore({ file, appendCommitWindowMs: windowMs });
  let commits = 0;
  const onBatch = () => { commits += 1; };
  // Warm the cache at the same rate before measuring.
  const drive = (ms: number, latencies: number[] | null) => offerAtRate(rate, ms, () => appendTo(store, pairs), latencies);
  await drive(1500, null);
  subscribe(APPEND_BATCH_CHANNEL, onBatch);
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const sent = await drive(STEP_MS, latencies);
  const cpu = process.cpuUsage(cpu0);
  unsubscribe(APPEND_BATCH_CHANNEL, onBatch);
  await store.close();
  latencies.sort((x, y) => x - y);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return {
    windowMs, rate, sent,
    cpuUsPerMsg: Number(((cpu.user + cpu.system) / sent).toFixed(1)),
    perCommit: Number((sent / commits).toFixed(2)),
    p50Ms: Number(at(0.5).toFixed(2)), p99Ms: Number(at(0.99).toFixed(2)), maxMs: Number(at(1).toFixed(2)),
  };
}

for (let round = 0; round < 2; round++) for (const w of windows) console.log(JSON.stringify(await step(w)));
rmSync(dir, { recursive: true, force: true });
