/** The goals of issue 17 (and those of issue 6 it does not replace) as checks over the facts the scenarios report. Pure; tested in bench/stats.test.ts. */

export interface Goal {
  goal: string;
  actual: string;
  /** null: not measured in this run. */
  met: boolean | null;
}

type Facts = Record<string, number | null | undefined>;

function num(value: number | null | undefined): number | null {
  return value === null || value === undefined || Number.isNaN(value) ? null : value;
}

function check(goal: string, actual: number | null, pass: (v: number) => boolean, show: (v: number) => string): Goal {
  return { goal, actual: actual === null ? 'not measured' : show(actual), met: actual === null ? null : pass(actual) };
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
const times = (v: number) => `${v.toFixed(2)}×`;

function quotient(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

export function evaluateGoals(facts: Facts): Goal[] {
  const f = (name: string) => num(facts[name]);
  return [
    // Issue 17's table.
    check('pairs capacity ≥ 0.8× relay', quotient(f('pairsCapacityDepesza'), f('pairsCapacityRelay')), (v) => v >= 0.8, times),
    check('pairs CPU per delivered message ≤ 1.4× relay', f('pairsCpuRatio'), (v) => v <= 1.4, times),
    check('pairs 2k/s p99 ≤ 5 ms', f('pairs2kP99'), (v) => v <= 5, ms),
    check('groups of 10 at 1k/s p99 ≤ 10 ms', f('groups1kP99'), (v) => v <= 10, ms),
    // The same goals when clients send random (v4) message ids: the store must not care about the id's shape.
    check('pairs capacity ≥ 0.8× relay, v4 ids', quotient(f('pairsCapacityDepeszaV4'), f('pairsCapacityRelay')), (v) => v >= 0.8, times),
    check('pairs 2k/s p99 ≤ 5 ms, v4 ids', f('pairs2kP99V4'), (v) => v <= 5, ms),
    check('groups of 10 at 1k/s p99 ≤ 10 ms, v4 ids', f('groups1kP99V4'), (v) => v <= 10, ms),
    check('5,000 clients connect until quiet ≤ 1.5× relay', f('connect5kRatio'), (v) => v <= 1.5, times),
    check('chat p99 under 50 SMS/s ≤ 1.3× without', f('smsChatP99Ratio'), (v) => v <= 1.3, times),
    check('RSS of an idle server with 1,000 clients ≤ 1.3× relay', f('idleRss1kRatio'), (v) => v <= 1.3, times),
    // Earlier goals issue 17 does not replace.
    check('history in process p50 ≤ 0.5 ms', f('historyInProcessP50'), (v) => v <= 0.5, ms),
    check('history in process p99 ≤ 2 ms', f('historyInProcessP99'), (v) => v <= 2, ms),
    check('history over the wire p99 ≤ 10 ms', f('historyWireP99'), (v) => v <= 10, ms),
    check('history p50 at 10× the messages ≤ 1.3× (1M ÷ 100k; quick: 50k ÷ 5k)', f('historyGrowthP50'), (v) => v <= 1.3, times),
    check('SMS: every one of 50 SMS/s reaches the gateway', f('smsKeptUp'), (v) => v === 1, (v) => (v === 1 ? 'all arrived' : 'some missing')),
    // RSS deltas understate a process whose heap had grown and shrunk before; the heap shows the objects themselves.
    check('memory (heap) per idle connection ≤ 1.5× relay', f('memoryHeapRatio'), (v) => v <= 1.5, times),
    check('initial client JS ≤ 60 KB gzip', f('clientJsGzipBytes'), (v) => v <= 60 * 1000, (v) => `${(v / 1000).toFixed(1)} KB`),
  ];
}

export function renderGoals(goals: Goal[]): string {
  const mark = (g: Goal) => (g.met === null ? ' -  ' : g.met ? 'met ' : 'MISS');
  return ['goals:', ...goals.map((g) => `  ${mark(g)} ${g.goal}: ${g.actual}`)].join('\n');
}
