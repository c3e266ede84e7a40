/**
 * Scenario: message search over the history scenario's store (1,000,000 messages in 1000 conversations, the reader
 * a member of all; --quick: 50,000). The query mix is what a person types: a word being typed (prefix), whole
 * words, two words, a quoted phrase, a word found nowhere, and the costly case for a newest-first FTS walk — a
 * common word filtered to one quiet conversation, where most matches are read and thrown away. Timed in process
 * (store.messages.search) and over the wire (`message:search` on the real server). No baseline: the relay has
 * no search.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSqliteStore } from '../../server/src/adapters/store/sqlite/sqlite-store.js';
import { parseSearchQuery } from '../../shared/search-text.js';
import { closeAll, connectClient, emitWithAck, signIn } from '../lib/clients.js';
import { BenchFailure, type BenchContext, type ScenarioResult } from '../lib/context.js';
import { BENCH_PASSWORD, dbFile } from '../lib/dataset.js';
import { newHistogram, summarize, type Histogram } from '../lib/load.js';
import { seededRandom } from '../lib/random.js';
import { startDepesza, type ServerHandle } from '../lib/servers.js';
import { row, type LatencySummary } from '../lib/stats.js';
import { buildHistorySet } from './history.js';

interface SearchQuery {
  query: string;
  conversationId?: string;
}

const TYPED = ['inv', 'meet', 'rep', 'depl', 'mond', 'tha'];
const WHOLE = ['invoice', 'meeting', 'report', 'deploy', 'monday'];
const PAIRS = ['invoice monday', 'call thanks', 'report ready'];
const PHRASES = ['"please check"', '"meeting moved to monday"', '"deploy went fine"'];
const NOWHERE = ['żółty', 'Łódź', 'przelew'];

function mix(conversations: Array<{ id: string; lastSeq: number }>, count: number, seed: number): SearchQuery[] {
  const random = seededRandom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
  const quiet = conversations.filter((c) => c.lastSeq > 0).sort((a, b) => a.lastSeq - b.lastSeq).slice(0, 200);
  return Array.from({ length: count }, (_, i) => {
    switch (i % 6) {
      case 0: return { query: pick(TYPED) };
      case 1: return { query: pick(WHOLE) };
      case 2: return { query: pick(PAIRS) };
      case 3: return { query: pick(PHRASES) };
      case 4: return { query: pick(NOWHERE) };
      default: return { query: pick(WHOLE), conversationId: pick(quiet).id };
    }
  });
}

async function timeAll(queries: SearchQuery[], call: (q: SearchQuery) => Promise<unknown>, histogram: Histogram | null): Promise<void> {
  for (const q of queries) {
    const started = performance.now();
    await call(q);
    histogram?.recordValue(Math.max(1, Math.round((performance.now() - started) * 1000)));
  }
}

export async function searchScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const total = ctx.quick ? 50_000 : 1_000_000;
  const label = total >= 1_000_000 ? `${total / 1_000_000}M` : `${total / 1000}k`;
  ctx.log(`  search: loading ${label} messages through the SQLite adapter (the FTS index follows by trigger)`);
  const set = await buildHistorySet(path.join(ctx.tmpDir, `search-${label}`), total, ctx.log);
  const count = ctx.quick ? 600 : 3000;

  const store = createSqliteStore({ file: dbFile(set.dataDir) });
  let inProcess: LatencySummary;
  try {
    const call = async (q: SearchQuery) =>
      store.messages.search({ employeeId: set.readerId, terms: parseSearchQuery(q.query), limit: 20, ...(q.conversationId ? { conversationId: q.conversationId } : {}) });
    await timeAll(mix(set.conversations, 300, 7), call, null);
    const sample = await call({ query: 'invoice' });
    if (sample.messages.length !== 20) throw new BenchFailure(`search for a common word returned ${sample.messages.length} hits, not a full page`);
    const histogram = newHistogram();
    await timeAll(mix(set.conversations, count, 1), call, histogram);
    inProcess = summarize(histogram);
  } finally {
    await store.close();
  }

  let server: ServerHandle | null = null;
  let wire: LatencySummary;
  try {
    server = await startDepesza(set.dataDir);
    const cookie = await signIn(server.url, set.readerLogin, BENCH_PASSWORD);
    const client = await connectClient(server.url, 'depesza', { id: set.readerId, cookie });
    try {
      await sleep(200);
      const ask = async (q: SearchQuery) => {
        const answer = await emitWithAck<{ ok: boolean; error?: { code: string } }>(client.socket, 'message:search', q);
        if (!answer.ok) throw new BenchFailure(`message:search failed: ${JSON.stringify(answer.error).slice(0, 200)}`);
      };
      await timeAll(mix(set.conversations, 300, 9), ask, null);
      const histogram = newHistogram();
      await timeAll(mix(set.conversations, count, 4), ask, histogram);
      wire = summarize(histogram);
    } finally {
      closeAll([client]);
    }
  } finally {
    await server?.stop();
  }
  ctx.log(`  search ${label}: in process p50 ${inProcess.p50Ms} ms p99 ${inProcess.p99Ms} ms; wire p50 ${wire.p50Ms} ms p99 ${wire.p99Ms} ms`);
  const s = 'search';
  return {
    rows: [
      row(s, `in process, ${label} store`, 'store.messages.search p50', 'ms', null, inProcess.p50Ms, 'no baseline: the relay has no search'),
      row(s, `in process, ${label} store`, 'store.messages.search p99', 'ms', null, inProcess.p99Ms),
      row(s, `wire, ${label} store`, 'message:search p50', 'ms', null, wire.p50Ms),
      row(s, `wire, ${label} store`, 'message:search p99', 'ms', null, wire.p99Ms),
      row(s, 'load', 'messages stored through append (with FTS)', '/s', null, total / set.loadSeconds),
    ],
    details: { total, loadSeconds: set.loadSeconds, inProcess, wire },
    facts: { searchInProcessP99: inProcess.p99Ms, searchWireP99: wire.p99Ms },
  };
}
