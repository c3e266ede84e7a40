import { describe, expect, it } from 'vitest';
import { evaluateGoals, renderGoals } from './lib/goals.js';
import { parseStat } from './lib/proc.js';
import {
  achievedRate,
  atGeneratorLimit,
  capacityOf,
  cpuPerDelivery,
  fmt,
  judgeStep,
  median,
  mergeSteps,
  percentile,
  ratio,
  renderMarkdown,
  renderText,
  row,
  judgeMerged,
  type StepMeasurement,
  type Verdict,
} from './lib/stats.js';

function step(overrides: Partial<StepMeasurement> = {}): StepMeasurement {
  return {
    targetRate: 1000,
    durationS: 10,
    sent: 10_000,
    ackErrors: 0,
    expectedDeliveries: 10_000,
    delivered: 10_000,
    missingEchoes: 0,
    latency: { count: 10_000, p50Ms: 1, p99Ms: 5, maxMs: 12 },
    generatorCpu: 0.3,
    serverCpuMicros: 2_000_000,
    serverCpu: 0.2,
    reconnects: 0,
    ...overrides,
  };
}

describe('judgeStep', () => {
  it('accepts a clean step', () => {
    expect(judgeStep(step())).toEqual({ kind: 'ok' });
  });

  it('fails the run when the generator fell behind the target rate', () => {
    const verdict = judgeStep(step({ sent: 9600 }));
    expect(verdict.kind).toBe('invalid');
    expect(verdict.kind === 'invalid' && verdict.reasons[0]).toMatch(/achieved 960 msg\/s, under 97%/);
    expect(judgeStep(step({ sent: 9700 })).kind).toBe('ok');
  });

  it('fails the run when the generator is short of CPU, or clients reconnected, or messages were duplicated', () => {
    expect(judgeStep(step({ generatorCpu: 0.8 })).kind).toBe('invalid');
    expect(judgeStep(step({ reconnects: 1 })).kind).toBe('invalid');
    expect(judgeStep(step({ delivered: 10_001 })).kind).toBe('invalid');
  });

  it('fails the run when the server refused sends (a limit left on), but not for sends still unanswered', () => {
    expect(judgeStep(step({ ackErrors: 3, firstAckError: 'RATE_LIMITED' })).kind).toBe('invalid');
    expect(judgeStep(step({ ackErrors: 3, firstAckError: 'timeout' })).kind).toBe('over-capacity');
  });

  it('calls a slow or lossy step over capacity, which ends the ladder without failing the run', () => {
    expect(judgeStep(step({ latency: { count: 1, p50Ms: 5, p99Ms: 50.1, maxMs: 80 } })).kind).toBe('over-capacity');
    expect(judgeStep(step({ latency: { count: 1, p50Ms: 5, p99Ms: 50, maxMs: 80 } })).kind).toBe('ok');
    const lost = judgeStep(step({ delivered: 9_999 }));
    expect(lost).toEqual({ kind: 'over-capacity', reasons: ['delivered 9999 of 10000 by the end of the drain'] });
    expect(judgeStep(step({ missingEchoes: 2 })).kind).toBe('over-capacity');
  });

  it('lets invalidity win over capacity', () => {
    expect(judgeStep(step({ delivered: 5000, generatorCpu: 0.95 })).kind).toBe('invalid');
    expect(judgeStep(step({ delivered: 5000, sent: 9000 })).kind).toBe('invalid');
  });

  it('blames the server, not the busy generator, for a step over capacity while the server core was saturated', () => {
    const verdict = judgeStep(step({ generatorCpu: 0.85, serverCpu: 0.97, latency: { count: 1, p50Ms: 70, p99Ms: 240, maxMs: 300 } }));
    expect(verdict.kind).toBe('over-capacity');
    expect(verdict.kind === 'over-capacity' && verdict.reasons.join('; ')).toMatch(/p99 240 ms > 50 ms; server core 97% busy; load generator used 85%/);
    // Within capacity or with an idle server, a busy generator still invalidates the step.
    expect(judgeStep(step({ generatorCpu: 0.85, serverCpu: 0.97 })).kind).toBe('invalid');
    expect(judgeStep(step({ generatorCpu: 0.85, serverCpu: 0.5, latency: { count: 1, p50Ms: 70, p99Ms: 240, maxMs: 300 } })).kind).toBe('invalid');
  });
});

describe('capacity and the ladder', () => {
  it('is the highest step judged ok', () => {
    const ok: Verdict = { kind: 'ok' };
    const over: Verdict = { kind: 'over-capacity', reasons: ['p99'] };
    expect(capacityOf([{ targetRate: 1000, verdict: ok }, { targetRate: 2000, verdict: ok }, { targetRate: 5000, verdict: over }])).toBe(2000);
    expect(capacityOf([{ targetRate: 1000, verdict: over }])).toBe(0);
    expect(capacityOf([])).toBe(0);
  });

  it('merges rounds: every round must reach the step, and the merged p99 decides', () => {
    const ok: Verdict = { kind: 'ok' };
    const noisy: Verdict = { kind: 'over-capacity', reasons: ['p99 61 ms > 50 ms'] };
    // One noisy round over the line, but all samples together are within it.
    expect(judgeMerged([ok, noisy, ok], 3, step())).toEqual({ kind: 'ok' });
    expect(judgeMerged([ok, ok, ok], 3, step({ latency: { count: 1, p50Ms: 9, p99Ms: 51, maxMs: 90 } })).kind).toBe('over-capacity');
    expect(judgeMerged([ok, ok], 3, step())).toEqual({
      kind: 'over-capacity',
      reasons: ['reached in 2 of 3 rounds (a lower step was over capacity in the others)'],
    });
    const excused: Verdict = { kind: 'over-capacity', reasons: ['p99 240 ms > 50 ms', 'server core 99% busy', 'load generator used 85% of its core (limit 80%)'] };
    expect(judgeMerged([ok, excused, ok], 3, step())).toBe(excused);
    expect(judgeMerged([ok, ok, ok], 3, step({ delivered: 9_990 })).kind).toBe('over-capacity');
  });

  it("ends the ladder at the generator's limit only above a measured step, and only when nothing else is wrong", () => {
    const busy = judgeStep(step({ generatorCpu: 0.87, serverCpu: 0.62 }));
    expect(busy.kind).toBe('invalid');
    const limit = atGeneratorLimit(busy, true);
    expect(limit).toEqual({ kind: 'generator-limit', reasons: ['load generator used 87% of its core (limit 80%)'] });
    // The first step of a phase: the generator cannot drive even that, so the run fails.
    expect(atGeneratorLimit(busy, false)).toBe(busy);
    // A lost client or a short rate is never excused.
    const dropped = judgeStep(step({ generatorCpu: 0.87, reconnects: 1 }));
    expect(atGeneratorLimit(dropped, true)).toBe(dropped);
    const ok: Verdict = { kind: 'ok' };
    expect(atGeneratorLimit(ok, true)).toBe(ok);
    // Not a capacity: the relay's capacity stays the step below, and the merged step keeps the reason.
    expect(capacityOf([{ targetRate: 2000, verdict: ok }, { targetRate: 4000, verdict: limit }])).toBe(2000);
    expect(judgeMerged([ok, limit, ok], 3, step())).toBe(limit);
  });
});

describe('derived numbers', () => {
  it('computes rates, CPU per delivery and ratios', () => {
    expect(achievedRate(step())).toBe(1000);
    expect(achievedRate(step({ durationS: 0 }))).toBe(0);
    expect(cpuPerDelivery(step())).toBe(200);
    expect(cpuPerDelivery(step({ delivered: 0 }))).toBeNull();
    expect(ratio(2, 3)).toBe(1.5);
    expect(ratio(0, 3)).toBeNull();
    expect(ratio(null, 3)).toBeNull();
    expect(ratio(2, Number.NaN)).toBeNull();
  });

  it('takes medians and nearest-rank percentiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
  });

  it('merges rounds by summing counters and keeping the worst generator CPU', () => {
    const merged = mergeSteps([step(), step({ generatorCpu: 0.5, reconnects: 1, ackErrors: 1, firstAckError: 'timeout' })], { count: 2, p50Ms: 1, p99Ms: 2, maxMs: 3 });
    expect(merged.sent).toBe(20_000);
    expect(merged.durationS).toBe(20);
    expect(achievedRate(merged)).toBe(1000);
    expect(merged.generatorCpu).toBe(0.5);
    expect(merged.reconnects).toBe(1);
    expect(merged.firstAckError).toBe('timeout');
    expect(merged.latency.p99Ms).toBe(2);
    expect(() => mergeSteps([], merged.latency)).toThrow();
  });
});

describe('the table', () => {
  const rows = [row('1 pairs', '2k/s', 'p99', 'ms', 4, 6, 'a | b'), row('4 memory', '1000 idle', 'RSS per connection', 'KiB', 30, null)];

  it('formats numbers compactly', () => {
    expect(fmt(123_456)).toBe('123k');
    expect(fmt(12_345)).toBe('12.3k');
    expect(fmt(1234)).toBe('1234');
    expect(fmt(12.345)).toBe('12.3');
    expect(fmt(1.2345)).toBe('1.23');
    expect(fmt(0.01234)).toBe('0.012');
    expect(fmt(0)).toBe('0');
    expect(fmt(null)).toBe('—');
    expect(fmt(Number.NaN)).toBe('—');
  });

  it('renders text and Markdown with the ratio Depesza ÷ baseline', () => {
    const text = renderText(rows);
    expect(text.split('\n')[0]).toMatch(/^scenario\s+step\s+metric\s+baseline\s+Depesza\s+ratio\s+note$/);
    expect(text).toContain('1.50×');
    const markdown = renderMarkdown(rows).split('\n');
    expect(markdown[0]).toBe('| scenario | step | metric | baseline | Depesza | ratio | note |');
    expect(markdown[2]).toBe('| 1 pairs | 2k/s | p99 | 4.00 ms | 6.00 ms | 1.50× | a \\| b |');
    expect(markdown[3]).toBe('| 4 memory | 1000 idle | RSS per connection | 30.0 KiB | — | — |  |');
  });
});

describe('goals', () => {
  it('checks each goal against its fact and leaves the unmeasured open', () => {
    const goals = evaluateGoals({ pairsCapacityRelay: 10_000, pairsCapacityDepesza: 8000, pairs2kP99: 5.5, clientJsGzipBytes: 40_500 });
    const byName = Object.fromEntries(goals.map((g) => [g.goal, g]));
    expect(byName['pairs capacity ≥ 0.8× relay']).toMatchObject({ met: true, actual: '0.80×' });
    expect(byName['pairs 2k/s p99 ≤ 5 ms']).toMatchObject({ met: false, actual: '5.50 ms' });
    expect(byName['initial client JS ≤ 60 KB gzip']).toMatchObject({ met: true, actual: '40.5 KB' });
    expect(byName['groups of 10 at 1k/s p99 ≤ 10 ms']).toMatchObject({ met: null, actual: 'not measured' });
    expect(byName['5,000 clients connect until quiet ≤ 1.5× relay']).toMatchObject({ met: null, actual: 'not measured' });
    expect(renderGoals(goals)).toContain('MISS pairs 2k/s p99 ≤ 5 ms: 5.50 ms');
  });

  it('holds issue 17\'s thresholds, each on its edge', () => {
    const at = (facts: Record<string, number>) => Object.fromEntries(evaluateGoals(facts).map((g) => [g.goal, g.met]));
    const edge = at({
      pairsCapacityRelay: 10_000,
      pairsCapacityDepesza: 8000,
      pairsCapacityDepeszaV4: 8000,
      pairsCpuRatio: 1.4,
      pairs2kP99: 5,
      pairs2kP99V4: 5,
      groups1kP99: 10,
      groups1kP99V4: 10,
      connect5kRatio: 1.5,
      smsChatP99Ratio: 1.3,
      idleRss1kRatio: 1.3,
      memoryHeapRatio: 1.5,
    });
    const over = at({
      pairsCapacityRelay: 10_000,
      pairsCapacityDepesza: 7999,
      pairsCapacityDepeszaV4: 7999,
      pairsCpuRatio: 1.41,
      pairs2kP99: 5.01,
      pairs2kP99V4: 5.01,
      groups1kP99: 10.01,
      groups1kP99V4: 10.01,
      connect5kRatio: 1.51,
      smsChatP99Ratio: 1.31,
      idleRss1kRatio: 1.31,
      memoryHeapRatio: 1.51,
    });
    const names = [
      'pairs capacity ≥ 0.8× relay',
      'pairs capacity ≥ 0.8× relay, v4 ids',
      'pairs CPU per delivered message ≤ 1.4× relay',
      'pairs 2k/s p99 ≤ 5 ms',
      'pairs 2k/s p99 ≤ 5 ms, v4 ids',
      'groups of 10 at 1k/s p99 ≤ 10 ms',
      'groups of 10 at 1k/s p99 ≤ 10 ms, v4 ids',
      '5,000 clients connect until quiet ≤ 1.5× relay',
      'chat p99 under 50 SMS/s ≤ 1.3× without',
      'RSS of an idle server with 1,000 clients ≤ 1.3× relay',
      'memory (heap) per idle connection ≤ 1.5× relay',
    ];
    for (const name of names) {
      expect(edge[name], name).toBe(true);
      expect(over[name], name).toBe(false);
    }
  });

  it('keeps the earlier goals issue 17 does not replace', () => {
    const byName = Object.fromEntries(evaluateGoals({ smsKeptUp: 0, historyWireP99: 9 }).map((g) => [g.goal, g]));
    expect(byName['SMS: every one of 50 SMS/s reaches the gateway']).toMatchObject({ met: false, actual: 'some missing' });
    expect(byName['history over the wire p99 ≤ 10 ms']).toMatchObject({ met: true });
    expect(byName['history in process p99 ≤ 2 ms']).toMatchObject({ met: null });
  });

  it('does not count a capacity of zero for the relay as met', () => {
    const goals = evaluateGoals({ pairsCapacityRelay: 0, pairsCapacityDepesza: 0 });
    expect(goals[0]?.met).toBeNull();
  });
});

describe('parseStat', () => {
  it('reads utime, stime and rss even when the command name has spaces and parentheses', () => {
    const fields = ['S', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '1234', '56', '0', '0', '20', '0', '1', '0', '100', '200', '777'];
    const parsed = parseStat(`42 (node (bench) x) ${fields.join(' ')}`);
    expect(parsed).toEqual({ utimeTicks: 1234, stimeTicks: 56, rssPages: 777 });
  });
});
