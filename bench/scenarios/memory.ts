/**
 * Scenario 4: memory per idle connection. A fresh server, memory after a full GC (IPC probe) with nobody
 * connected, then with 200 (the base), 1000 and 5000 idle clients (Depesza's signed in), then after everyone
 * disconnected. Per connection at a level is what the connections since the previous level added, divided by their
 * number: the base absorbs what a fresh process gives back or grows by itself in its first minute (tsx's compile
 * buffers, V8's memory reducer — the empty→1000 difference of RSS came out negative for Depesza), so the figure
 * is the cost of a connection, not of a process settling. Depesza's clients signed in before the empty measurement.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { closeAll, connectAll, inBatches, type BenchClient, type ServerKind } from '../lib/clients.js';
import type { BenchContext, ScenarioResult } from '../lib/context.js';
import type { MemoryReport } from '../server/ipc-probe.js';
import { cpuTimeMicros, waitIdle } from '../lib/proc.js';
import { median, row, type Row } from '../lib/stats.js';
import { identitiesFor, startServer } from './messaging.js';

interface MemoryRun {
  empty: MemoryReport;
  /** `connected`: clients still connected when measured (Depesza may drop some during its presence fan-out). */
  /**
   * `serverCpuSeconds`: the server's CPU time (/proc, all threads) from the first connect of the level until quiet,
   * which unlike the wall-clock `connectSeconds` hardly depends on what else runs on the machine.
   */
  at: Array<{ clients: number; connected: number; memory: MemoryReport; connectSeconds: number; serverCpuSeconds: number }>;
  afterDisconnect: MemoryReport;
}

/** Memory settles once timers and buffers of the last connects are done: wait until RSS stops moving. */
// Depesza's presence fan-out after 5000 connects takes minutes on the bench machine; the wait is part of the result.
const IDLE_WAIT = { maxMs: 30 * 60_000 };

/** Until neither the server nor this process (reading what the server still sends) is busy. */
async function quiet(pid: number): Promise<void> {
  do {
    await waitIdle(pid, IDLE_WAIT);
    await waitIdle(process.pid, IDLE_WAIT);
  } while (!(await waitIdle(pid, { ...IDLE_WAIT, maxMs: 1000 })));
}

async function settled(pid: number, probe: () => Promise<MemoryReport>): Promise<MemoryReport> {
  await quiet(pid);
  let last = await probe();
  for (let i = 0; i < 10; i++) {
    await sleep(500);
    const next = await probe();
    if (Math.abs(next.rss - last.rss) < 256 * 1024) return next;
    last = next;
  }
  return last;
}

/** Rows of the people list a client shows on a first screen (everyone's list starts with the same names). */
const PEOPLE_ROWS_IN_VIEW = 30;

/**
 * Who a Depesza client subscribes to, as the web client does: its conversations' members, and the people-list rows
 * in view (the same first names for everyone: the worst case, each of them told to every client).
 */
function watchedBy(ctx: BenchContext, personIndex: number): string[] {
  const ids = new Set<string>();
  for (const chat of [...ctx.dataset.pairs, ...ctx.dataset.groups]) {
    if (chat.members.includes(personIndex)) for (const m of chat.members) ids.add((ctx.dataset.people[m] as { id: string }).id);
  }
  for (const person of ctx.dataset.people.slice(0, PEOPLE_ROWS_IN_VIEW)) ids.add(person.id);
  ids.delete((ctx.dataset.people[personIndex] as { id: string }).id);
  return [...ids];
}

async function subscribe(ctx: BenchContext, clients: BenchClient[], from: number): Promise<void> {
  await inBatches(clients.slice(from), 50, async (client, i) => {
    const answer = (await client.socket.timeout(60_000).emitWithAck('presence:watch', { employeeIds: watchedBy(ctx, from + i) })) as { ok: boolean };
    if (!answer.ok) throw new Error(`presence:watch refused: ${JSON.stringify(answer)}`);
  });
}

async function measure(ctx: BenchContext, kind: ServerKind, levels: number[]): Promise<MemoryRun> {
  const server = await startServer(ctx, kind);
  const clients: BenchClient[] = [];
  try {
    await sleep(500);
    const empty = await settled(server.pid, () => server.memory());
    const at: MemoryRun['at'] = [];
    const everyone = identitiesFor(ctx, kind, Math.max(...levels));
    for (const level of levels) {
      const started = performance.now();
      const cpu0 = cpuTimeMicros(server.pid);
      const from = clients.length;
      clients.push(...(await connectAll(server.url, kind, everyone.slice(clients.length, level), 50)));
      // Depesza's clients subscribe to presence after connecting, as the web client does; the relay's have nothing to ask.
      if (kind === 'depesza') await subscribe(ctx, clients, from);
      // Until everything is quiet again: Depesza keeps fanning out presence after the last connect returned.
      await quiet(server.pid);
      const connectSeconds = (performance.now() - started) / 1000;
      const serverCpuSeconds = (cpuTimeMicros(server.pid) - cpu0) / 1e6;
      const memory = await settled(server.pid, () => server.memory());
      // A client dropped (ping timeout while the server was saturated) is reported, and not counted as connected.
      const connected = clients.filter((c) => c.socket.connected).length;
      ctx.log(
        `  memory ${kind} ${level} clients: rss ${(memory.rss / 2 ** 20).toFixed(1)} MiB heap ${(memory.heapUsed / 2 ** 20).toFixed(1)} MiB ` +
          `(connected and quiet in ${connectSeconds.toFixed(1)} s, server CPU ${serverCpuSeconds.toFixed(1)} s${connected < level ? `; ${level - connected} dropped` : ''})`,
      );
      at.push({ clients: level, connected, memory, connectSeconds, serverCpuSeconds });
    }
    closeAll(clients);
    clients.length = 0;
    await sleep(500);
    const afterDisconnect = await settled(server.pid, () => server.memory());
    return { empty, at, afterDisconnect };
  } finally {
    closeAll(clients);
    await server.stop();
  }
}

const KIB = 1024;

export async function memoryScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const base = 200;
  const levels = ctx.quick ? [1000] : [1000, 5000];
  const measured = [base, ...levels];
  const runs: Record<ServerKind, MemoryRun[]> = { relay: [], depesza: [] };
  // One round each (relay, then Depesza): memory does not depend on a noisy neighbour the way latency does, and
  // Depesza's 5000 connects take minutes.
  const rounds = 1;
  for (let round = 1; round <= rounds; round++) {
    for (const kind of ['relay', 'depesza'] as const) {
      ctx.log(` memory: round ${round}/${rounds}, ${kind}`);
      runs[kind].push(await measure(ctx, kind, measured));
    }
  }
  const perConnection = (kind: ServerKind, level: number, field: 'rss' | 'heapUsed') =>
    median(
      runs[kind].map((run) => {
        const index = run.at.findIndex((a) => a.clients === level);
        const at = run.at[index] as MemoryRun['at'][number];
        const before = run.at[index - 1] as MemoryRun['at'][number];
        return (at.memory[field] - before.memory[field]) / (at.connected - before.connected) / KIB;
      }),
    );
  // What an operator sees: the whole process with that many idle clients connected (issue 17's RSS goal).
  const totalAt = (kind: ServerKind, level: number, field: 'rss' | 'heapUsed') =>
    median(runs[kind].map((run) => (run.at.find((a) => a.clients === level) as MemoryRun['at'][number]).memory[field] / KIB / KIB));
  const rows: Row[] = [];
  for (const level of levels) {
    const previous = measured[measured.indexOf(level) - 1] as number;
    rows.push(
      row('4 memory', `${level} idle`, 'RSS per connection', 'KiB', perConnection('relay', level, 'rss'), perConnection('depesza', level, 'rss'), `added from ${previous} to ${level} clients`),
    );
    rows.push(row('4 memory', `${level} idle`, 'heap per connection', 'KiB', perConnection('relay', level, 'heapUsed'), perConnection('depesza', level, 'heapUsed')));
    rows.push(row('4 memory', `${level} idle`, 'RSS, whole process', 'MiB', totalAt('relay', level, 'rss'), totalAt('depesza', level, 'rss')));
  }
  const connectTime = (kind: ServerKind, level: number) =>
    median(runs[kind].map((run) => (run.at.find((a) => a.clients === level) as MemoryRun['at'][number]).connectSeconds));
  const connectCpu = (kind: ServerKind, level: number) =>
    median(runs[kind].map((run) => (run.at.find((a) => a.clients === level) as MemoryRun['at'][number]).serverCpuSeconds));
  const droppedAt = (kind: ServerKind, level: number) =>
    Math.max(...runs[kind].map((run) => level - (run.at.find((a) => a.clients === level) as MemoryRun['at'][number]).connected));
  for (const level of levels) {
    const dropped = (['relay', 'depesza'] as const).filter((k) => droppedAt(k, level) > 0).map((k) => `${k}: ${droppedAt(k, level)} dropped (ping timeout)`);
    rows.push(
      row('4 memory', `${level} idle`, 'connect until all quiet', 's', connectTime('relay', level), connectTime('depesza', level), dropped.join('; ') || undefined),
    );
    rows.push(row('4 memory', `${level} idle`, 'connect, server CPU', 's', connectCpu('relay', level), connectCpu('depesza', level)));
  }
  const leftover = (kind: ServerKind) => median(runs[kind].map((run) => (run.afterDisconnect.heapUsed - run.empty.heapUsed) / KIB / KIB));
  rows.push(row('4 memory', 'all disconnected', 'heap above empty', 'MiB', leftover('relay'), leftover('depesza')));
  const top = Math.max(...levels);
  const ratioAt = (level: number) => perConnection('depesza', level, 'rss') / perConnection('relay', level, 'rss');
  return {
    rows,
    details: runs,
    facts: {
      memoryRatio: Math.max(...levels.map(ratioAt)),
      memoryHeapRatio: Math.max(...levels.map((level) => perConnection('depesza', level, 'heapUsed') / perConnection('relay', level, 'heapUsed'))),
      memoryRssPerConnDepesza: perConnection('depesza', top, 'rss'),
      memoryRssPerConnRelay: perConnection('relay', top, 'rss'),
      idleRss1kRatio: totalAt('depesza', 1000, 'rss') / totalAt('relay', 1000, 'rss'),
      connect5kRatio: levels.includes(5000) ? connectTime('depesza', 5000) / connectTime('relay', 5000) : null,
    },
  };
}
