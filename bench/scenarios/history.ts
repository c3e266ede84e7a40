/**
 * Scenario 3: "50 before a cursor" on a large store. Messages are written through the SQLite adapter's own
 * group-commit append in batches of 10,000 (1,000,000 over 1000 conversations, the 10 hot ones holding half,
 * interleaved as they would arrive), and the same at 100,000. Random conversations (half the queries on hot ones)
 * and random cursors; timed in process (the store's listBefore and the messaging service's history, which adds
 * the membership check) and over the wire (`message:history` on the real server, against the relay's canned page).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSqliteStore } from '../../server/src/adapters/store/sqlite/sqlite-store.js';
import { systemClock } from '../../server/src/ports/clock.js';
import { createEventBus } from '../../server/src/services/event-bus.js';
import type { Store } from '../../server/src/ports/store.js';
import { createMessagingService } from '../../server/src/services/messaging.js';
import { uuidv7 } from '../../shared/ids.js';
import { HISTORY_PAGE_SIZE } from '../../shared/limits.js';
import { closeAll, connectClient, emitWithAck, signIn, type ServerKind } from '../lib/clients.js';
import { BenchFailure, type BenchContext, type ScenarioResult } from '../lib/context.js';
import { BENCH_PASSWORD, dbFile, importPeople } from '../lib/dataset.js';
import { newHistogram, summarize, type Histogram } from '../lib/load.js';
import { seededRandom } from '../lib/random.js';
import { startDepesza, startRelay, type ServerHandle } from '../lib/servers.js';
import { median, row, type LatencySummary, type Row } from '../lib/stats.js';

const CONVERSATIONS = 1000;
const HOT = 10;
const COLLEAGUES = 20;
const TEXT_LENGTH = 80;
const WORDS = 'the report is ready please check invoice meeting moved to monday call me when you can thanks deploy went fine'.split(' ');

interface HistorySet {
  dataDir: string;
  total: number;
  readerId: string;
  readerLogin: string;
  conversations: Array<{ id: string; lastSeq: number }>;
  loadSeconds: number;
}

function textOf(random: () => number): string {
  let text = '';
  while (text.length < TEXT_LENGTH) text += `${WORDS[Math.floor(random() * WORDS.length)]} `;
  return text.slice(0, TEXT_LENGTH);
}

/** Which conversation the next message goes to: half to the 10 hot ones, half spread over the other 990. */
function pickConversation(random: () => number): number {
  return random() < 0.5 ? Math.floor(random() * HOT) : HOT + Math.floor(random() * (CONVERSATIONS - HOT));
}

export async function buildHistorySet(dataDir: string, total: number, log: (m: string) => void): Promise<HistorySet> {
  mkdirSync(dataDir, { recursive: true });
  const started = performance.now();
  const store = createSqliteStore({ file: dbFile(dataDir), maxAppendBatch: 10_000 });
  try {
    const loginOf = (i: number) => `hist${String(i).padStart(3, '0')}`;
    const people = await importPeople(store, COLLEAGUES + 1, loginOf);
    const reader = people[0]!;
    const now = Date.now() - total;
    const conversations: Array<{ id: string; lastSeq: number; other: string }> = [];
    for (let k = 0; k < CONVERSATIONS; k++) {
      const other = people[1 + (k % COLLEAGUES)]!.id;
      const found = await store.conversations.createGroup({
        id: randomUUID(),
        name: `History ${k}`,
        createdBy: reader.id,
        memberIds: [reader.id, other],
        createdAt: new Date(now),
      });
      conversations.push({ id: found.conversation.id, lastSeq: 0, other });
    }
    const random = seededRandom(total);
    const chunk = 10_000;
    for (let done = 0; done < total; done += chunk) {
      const appends: Array<Promise<unknown>> = [];
      for (let i = 0; i < Math.min(chunk, total - done); i++) {
        const conversation = conversations[pickConversation(random)]!;
        conversation.lastSeq += 1;
        appends.push(
          store.messages.append({
            // As the server and the web client make them (time-ordered).
            id: uuidv7(now + done + i),
            conversationId: conversation.id,
            senderId: conversation.lastSeq % 2 === 0 ? reader.id : conversation.other,
            clientId: uuidv7(now + done + i),
            text: textOf(random),
            createdAt: new Date(now + done + i),
            notifySms: false,
            dispatches: [],
          }),
        );
      }
      await Promise.all(appends);
      if ((done + chunk) % 200_000 === 0) log(`  history: ${done + chunk} of ${total} messages stored`);
    }
    const loadSeconds = (performance.now() - started) / 1000;
    log(`  history: ${total} messages stored in ${loadSeconds.toFixed(1)} s (${Math.round(total / loadSeconds)}/s)`);
    return {
      dataDir,
      total,
      readerId: reader.id,
      readerLogin: reader.login,
      conversations: conversations.map(({ id, lastSeq }) => ({ id, lastSeq })),
      loadSeconds,
    };
  } finally {
    await store.close();
  }
}

type Query = { conversationId: string; beforeSeq: number };

/**
 * The query mix: same seed for every measurement, so every side answers the same questions. Every query asks for a
 * full page — a conversation with more than a page of messages, a cursor with at least 50 before it — so the small
 * and the big store do the same work per query and only their size differs (random cursors in short conversations
 * would make the small store's pages shorter, and the comparison meaningless).
 */
function queries(set: HistorySet, count: number, seed: number): Query[] {
  const random = seededRandom(seed);
  const page = HISTORY_PAGE_SIZE;
  if (!set.conversations.some((c) => c.lastSeq > page)) throw new BenchFailure(`no history conversation holds more than ${page} messages`);
  return Array.from({ length: count }, () => {
    let conversation = set.conversations[pickConversation(random)]!;
    while (conversation.lastSeq <= page) conversation = set.conversations[pickConversation(random)]!;
    // beforeSeq in page+1 .. lastSeq+1: exactly `page` messages before it.
    return { conversationId: conversation.id, beforeSeq: page + 1 + Math.floor(random() * (conversation.lastSeq - page + 1)) };
  });
}

async function timeEach(items: Query[], call: (q: Query) => Promise<unknown>, histogram: Histogram | null): Promise<void> {
  for (const item of items) await timeOne(item, call, histogram);
}

async function timeOne(
  item: Query,
  call: (q: Query) => Promise<unknown>,
  histogram: Histogram | null,
): Promise<void> {
  const started = performance.now();
  await call(item);
  histogram?.recordValue(Math.max(1, Math.round((performance.now() - started) * 1000)));
}

interface InProcess {
  store: LatencySummary;
  service: LatencySummary;
}

interface OpenSet {
  set: HistorySet;
  listBefore: (q: Query) => Promise<unknown>;
  history: (q: Query) => Promise<{ messages: unknown[] }>;
  close: () => Promise<void>;
}

async function openSet(set: HistorySet): Promise<OpenSet> {
  const store: Store = createSqliteStore({ file: dbFile(set.dataDir) });
  const messaging = createMessagingService({ store, clock: systemClock, events: createEventBus(() => undefined), messageMaxLength: 4000, sms: null, groupsPerEmployee: 300 });
  const me = await store.employees.findById(set.readerId);
  if (!me) throw new Error('history reader is missing');
  return {
    set,
    listBefore: (q) => store.messages.listBefore(q.conversationId, q.beforeSeq, HISTORY_PAGE_SIZE + 1),
    history: (q) => messaging.history(me, q),
    close: () => store.close(),
  };
}

/**
 * Both stores open at once, and their queries interleaved one by one (small, big, small, big…): whatever the
 * machine does meanwhile (a neighbour, GC, the JIT) falls on both alike, so the growth ratio compares sizes, not
 * moments. Run one after the other, the small store's p50 moved by 40% between runs on this machine.
 */
async function inProcessPair(small: HistorySet, big: HistorySet, count: number, warmup: number): Promise<{ small: InProcess; big: InProcess }> {
  const sides = [await openSet(small), await openSet(big)] as const;
  try {
    const run = async (n: number, seed: number, record: boolean) => {
      const histograms = sides.map(() => ({ store: newHistogram(), service: newHistogram() }));
      const mixes = sides.map((side) => ({ store: queries(side.set, n, seed), service: queries(side.set, n, seed + 1) }));
      for (let i = 0; i < n; i++) {
        for (const [k, side] of sides.entries()) {
          await timeOne(mixes[k]!.store[i]!, side.listBefore, record ? histograms[k]!.store : null);
          await timeOne(mixes[k]!.service[i]!, side.history, record ? histograms[k]!.service : null);
        }
      }
      return histograms;
    };
    await run(warmup, 7, false);
    const [a, b] = await run(count, 1, true);
    // The answers must be real pages, or the timings mean nothing.
    for (const side of sides) {
      const sample = await side.history(queries(side.set, 1, 3)[0]!);
      if (sample.messages.length !== HISTORY_PAGE_SIZE) {
        throw new BenchFailure(`history returned ${sample.messages.length} messages where a full page of ${HISTORY_PAGE_SIZE} exists`);
      }
    }
    return {
      small: { store: summarize(a!.store), service: summarize(a!.service) },
      big: { store: summarize(b!.store), service: summarize(b!.service) },
    };
  } finally {
    for (const side of sides) await side.close();
  }
}

async function overTheWire(ctx: BenchContext, set: HistorySet, kind: ServerKind, count: number): Promise<LatencySummary> {
  let server: ServerHandle | null = null;
  try {
    server = kind === 'relay' ? await startRelay() : await startDepesza(set.dataDir);
    const cookie = kind === 'depesza' ? await signIn(server.url, set.readerLogin, BENCH_PASSWORD) : undefined;
    const client = await connectClient(server.url, kind, { id: set.readerId, ...(cookie ? { cookie } : {}) });
    try {
      await sleep(200);
      const ask = async (q: Query) => {
        const answer = await emitWithAck<{ ok: boolean; data?: { messages: unknown[] }; error?: { code: string } }>(client.socket, 'message:history', q);
        if (!answer.ok || !answer.data || answer.data.messages.length === 0) {
          throw new BenchFailure(`message:history on ${kind} did not return a page: ${JSON.stringify(answer.error ?? answer).slice(0, 200)}`);
        }
      };
      await timeEach(queries(set, 300, 9), ask, null);
      const histogram = newHistogram();
      await timeEach(queries(set, count, 4), ask, histogram);
      if (client.drops > 0) throw new BenchFailure(`the history client on ${kind} was disconnected`);
      ctx.log(`  history wire ${kind}: p50 ${summarize(histogram).p50Ms.toFixed(2)} ms p99 ${summarize(histogram).p99Ms.toFixed(2)} ms`);
      return summarize(histogram);
    } finally {
      closeAll([client]);
    }
  } finally {
    await server?.stop();
  }
}

function mergeSummaries(list: LatencySummary[]): LatencySummary {
  // Rounds are merged by their medians: each is itself a few thousand samples.
  return {
    count: list.reduce((t, s) => t + s.count, 0),
    p50Ms: median(list.map((s) => s.p50Ms)),
    p99Ms: median(list.map((s) => s.p99Ms)),
    maxMs: Math.max(...list.map((s) => s.maxMs)),
  };
}

export async function historyScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const big = ctx.quick ? 50_000 : 1_000_000;
  const small = big / 10;
  const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
  ctx.log(`  history: loading ${label(big)} and ${label(small)} messages through the SQLite adapter`);
  const bigSet = await buildHistorySet(path.join(ctx.tmpDir, `history-${label(big)}`), big, ctx.log);
  const smallSet = await buildHistorySet(path.join(ctx.tmpDir, `history-${label(small)}`), small, ctx.log);

  const count = ctx.quick ? 1500 : 10_000;
  const inBig: InProcess[] = [];
  const inSmall: InProcess[] = [];
  const wire: Record<ServerKind, LatencySummary[]> = { relay: [], depesza: [] };
  // The first pass only warms the code (JIT) and the page cache of both files.
  await inProcessPair(smallSet, bigSet, 200, ctx.quick ? 1000 : 2000);
  for (let round = 1; round <= ctx.rounds; round++) {
    const pair = await inProcessPair(smallSet, bigSet, count, 500);
    inSmall.push(pair.small);
    inBig.push(pair.big);
    for (const kind of ['relay', 'depesza'] as const) wire[kind].push(await overTheWire(ctx, bigSet, kind, ctx.quick ? 600 : 3000));
  }
  const storeSmall = mergeSummaries(inSmall.map((r) => r.store));
  const storeBig = mergeSummaries(inBig.map((r) => r.store));
  const serviceSmall = mergeSummaries(inSmall.map((r) => r.service));
  const serviceBig = mergeSummaries(inBig.map((r) => r.service));
  const wireRelay = mergeSummaries(wire.relay);
  const wireDepesza = mergeSummaries(wire.depesza);
  ctx.log(`  history in process: store ${label(small)} p50 ${storeSmall.p50Ms} ms, ${label(big)} p50 ${storeBig.p50Ms} ms`);

  const s = '3 history';
  const growth = `baseline = ${label(small)} messages, Depesza = ${label(big)}; ratio = growth`;
  const rows: Row[] = [
    row(s, 'in process', 'store.listBefore p50', 'ms', storeSmall.p50Ms, storeBig.p50Ms, growth),
    row(s, 'in process', 'store.listBefore p99', 'ms', storeSmall.p99Ms, storeBig.p99Ms),
    row(s, 'in process', 'messaging.history p50', 'ms', serviceSmall.p50Ms, serviceBig.p50Ms),
    row(s, 'in process', 'messaging.history p99', 'ms', serviceSmall.p99Ms, serviceBig.p99Ms),
    row(s, `wire, ${label(big)} store`, 'message:history p50', 'ms', wireRelay.p50Ms, wireDepesza.p50Ms, 'baseline = relay answering a canned page'),
    row(s, `wire, ${label(big)} store`, 'message:history p99', 'ms', wireRelay.p99Ms, wireDepesza.p99Ms),
    row(s, 'load', 'messages stored through append', '/s', null, big / bigSet.loadSeconds),
  ];
  return {
    rows,
    details: { big: { total: big, loadSeconds: bigSet.loadSeconds }, small: { total: small, loadSeconds: smallSet.loadSeconds }, inBig, inSmall, wire },
    facts: {
      historyInProcessP50: serviceBig.p50Ms,
      historyInProcessP99: serviceBig.p99Ms,
      historyStoreP50: storeBig.p50Ms,
      historyStoreP99: storeBig.p99Ms,
      historyWireP99: wireDepesza.p99Ms,
      historyGrowthP50: serviceBig.p50Ms / serviceSmall.p50Ms,
    },
  };
}
