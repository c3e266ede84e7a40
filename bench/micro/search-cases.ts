/**
 * Search latency per kind of query, in process: `npx tsx bench/micro/search-cases.ts [messages] [dir]`. Builds the
 * search scenario's history (bench/scenarios/search.ts) once in `dir` (kept, so old and new code can be timed on
 * the same file) and times each kind of query 60 times: where the scenario's p99 comes from. Adds once a colleague
 * who is a member of three quiet conversations only ("a member of few"), and prints how long opening the store took
 * (the schema steps a new version brings run then).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSqliteStore } from '../../server/src/adapters/store/sqlite/sqlite-store.js';
import { parseSearchQuery } from '../../shared/search-text.js';
import { dbFile, importPeople } from '../lib/dataset.js';
import { buildHistorySet } from '../scenarios/history.js';

const total = Number(process.argv[2] ?? 50_000);
const dir = process.argv[3] ?? path.join('/tmp', `depesza-search-cases-${total}`);
const meta = path.join(dir, 'set.json');
if (!existsSync(meta)) {
  const set = await buildHistorySet(dir, total, (m) => console.error(m));
  writeFileSync(meta, JSON.stringify(set));
}
const set = JSON.parse(readFileSync(meta, 'utf8')) as Awaited<ReturnType<typeof buildHistorySet>> & { fewMemberId?: string };
const quiet = set.conversations.filter((c) => c.lastSeq > 0).sort((a, b) => a.lastSeq - b.lastSeq).slice(0, 200);
const busy = [...set.conversations].sort((a, b) => b.lastSeq - a.lastSeq).slice(0, 10);

const kinds: Record<string, Array<{ query: string; conversationId?: string; employeeId?: string }>> = {
  'typed prefix': ['inv', 'meet', 'rep', 'depl', 'mond', 'tha'].map((query) => ({ query })),
  'whole word': ['invoice', 'meeting', 'report', 'deploy', 'monday'].map((query) => ({ query })),
  'two words': ['invoice monday', 'call thanks', 'report ready'].map((query) => ({ query })),
  phrase: ['"please check"', '"meeting moved to monday"', '"deploy went fine"'].map((query) => ({ query })),
  nowhere: ['żółty', 'Łódź', 'przelew'].map((query) => ({ query })),
  'word in a quiet conversation': quiet.slice(0, 20).map((c, i) => ({ query: ['invoice', 'meeting', 'report'][i % 3] as string, conversationId: c.id })),
  'word in a busy conversation': busy.map((c, i) => ({ query: ['invoice', 'meeting', 'report'][i % 3] as string, conversationId: c.id })),
  'nowhere in a busy conversation': busy.map((c) => ({ query: 'przelew', conversationId: c.id })),
};

const opening = performance.now();
const store = createSqliteStore({ file: dbFile(set.dataDir) });
console.log(`store opened (schema steps included) in ${((performance.now() - opening) / 1000).toFixed(1)} s`);
try {
  if (set.fewMemberId === undefined) {
    const [few] = await importPeople(store, 1, () => 'fewmember');
    for (const c of quiet.slice(0, 3)) await store.conversations.addMembers(c.id, [few!.id], new Date());
    set.fewMemberId = few!.id;
    writeFileSync(meta, JSON.stringify(set));
  }
  kinds['word, a member of 3 quiet conversations'] = ['invoice', 'meeting', 'report'].map((query) => ({ query, employeeId: set.fewMemberId }));
  for (const [kind, queries] of Object.entries(kinds)) {
    const times: number[] = [];
    for (let i = 0; i < 60 + 10; i++) {
      const q = queries[i % queries.length]!;
      const started = performance.now();
      await store.messages.search({ employeeId: q.employeeId ?? set.readerId, terms: parseSearchQuery(q.query), limit: 20, ...(q.conversationId ? { conversationId: q.conversationId } : {}) });
      if (i >= 10) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (p: number) => (times[Math.min(times.length - 1, Math.floor(p * times.length))] as number).toFixed(2);
    console.log(`${kind.padEnd(32)} p50 ${at(0.5)} ms  p99 ${at(0.99)} ms`);
  }
} finally {
  await store.close();
}
