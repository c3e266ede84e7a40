/**
 * The conversation in the FTS MATCH against the filter after it, on one file and in one process, the two shapes
 * alternating so that the machine's load falls on both alike: `npx tsx bench/micro/search-narrowing.ts [dir]`, where
 * dir is a set built by search-cases.ts (after it has run once with the current schema, which adds the member of
 * three quiet conversations). "old" is the MATCH on the words alone with the conversation or membership filter
 * after it, as before the conversation column; "new" names the conversations in the MATCH.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SEARCH_SQL, toFtsMatch, type SearchParams } from '../../server/src/adapters/store/sqlite/message-search.js';
import { parseSearchQuery } from '../../shared/search-text.js';
const dir = process.argv[2] ?? '/tmp/depesza-search-cases-50000';
const set = JSON.parse(readFileSync(`${dir}/set.json`, 'utf8'));
const db = new Database(`${set.dataDir}/depesza.sqlite`, { readonly: true });
const select = db.prepare<SearchParams>(SEARCH_SQL);
const quiet = set.conversations.filter((c: any) => c.lastSeq > 0).sort((a: any, b: any) => a.lastSeq - b.lastSeq).slice(0, 20);
const busy = [...set.conversations].sort((a: any, b: any) => b.lastSeq - a.lastSeq).slice(0, 10);
const few = db.prepare('SELECT conversation_id FROM memberships WHERE employee_id = ?').all(set.fewMemberId).map((r: any) => r.conversation_id);
const words = ['invoice', 'meeting', 'report', 'inv', 'deploy went'];
type C = { employee: string; conversation: string | null; narrow: string[] };
const kinds: Record<string, C[]> = {
  quiet: quiet.map((c: any) => ({ employee: set.readerId, conversation: c.id, narrow: [c.id] })),
  busy: busy.map((c: any) => ({ employee: set.readerId, conversation: c.id, narrow: [c.id] })),
  'few member': [{ employee: set.fewMemberId, conversation: null, narrow: few }],
};
for (const [kind, cs] of Object.entries(kinds)) {
  const t: Record<string, number[]> = { old: [], new: [] };
  for (let i = 0; i < 100; i++) {
    const c = cs[i % cs.length]!; const w = parseSearchQuery(words[i % words.length]!);
    for (const shape of i % 2 ? ['old', 'new'] : ['new', 'old']) {
      const s = performance.now();
      const rows = select.all({ employee: c.employee, conversation: c.conversation, match: toFtsMatch(w, shape === 'new' ? c.narrow : []), sender: null, since: null, until: null, before: null, limit: 21 });
      t[shape]!.push(performance.now() - s);
      if (shape === 'new') (c as any).n = rows.length;
    }
  }
  for (const shape of ['old', 'new']) { const a = t[shape]!.sort((x, y) => x - y); console.log(kind.padEnd(12), shape, 'p50', a[50]!.toFixed(2), 'ms p99', a[98]!.toFixed(2), 'ms'); }
}
