import { describe, expect, it } from 'vitest';
import type { StepMeasurement, Verdict } from './lib/stats.js';
import { ladderRows, type LadderOutcome, type MergedStep } from './scenarios/messaging.js';

function merged(rate: number, verdict: Verdict): MergedStep {
  const measurement: StepMeasurement = {
    targetRate: rate,
    durationS: 10,
    sent: rate * 10,
    ackErrors: 0,
    expectedDeliveries: rate * 10,
    delivered: rate * 10,
    missingEchoes: 0,
    latency: { count: rate * 10, p50Ms: 1, p99Ms: 5, maxMs: 12 },
    generatorCpu: 0.5,
    serverCpuMicros: 2_000_000,
    serverCpu: 0.4,
    reconnects: 0,
  };
  return { rate, measurement, verdict, rounds: 3, generatorLagP99Ms: 2 };
}

const ok: Verdict = { kind: 'ok' };

describe('ladder rows', () => {
  it("say when a capacity is only a lower bound, because the ladder ended at the load generator's limit", () => {
    const limit: Verdict = { kind: 'generator-limit', reasons: ['load generator used 87% of its core (limit 80%)'] };
    const relay: LadderOutcome = { steps: [merged(2000, ok), merged(4000, limit)], capacity: 2000, generatorLimited: true };
    const depesza: LadderOutcome = {
      steps: [merged(2000, { kind: 'over-capacity', reasons: ['p99'] })],
      capacity: 1000,
      generatorLimited: false,
    };
    const rows = ladderRows('2 groups of 10', { relay, depesza }, [2000, 4000]);
    expect(rows.find((r) => r.step === '4k/s' && r.metric === 'sent')?.note).toBe("relay at the load generator's limit (not a measure of it)");
    expect(rows.find((r) => r.step === '2k/s' && r.metric === 'sent')?.note).toBe('Depesza over capacity');
    expect(rows.find((r) => r.step === 'capacity')?.note).toBe("relay's only a lower bound: the load generator's limit above it");
    const measured = ladderRows('2 groups of 10', { relay: { ...relay, generatorLimited: false }, depesza }, [2000, 4000]);
    expect(measured.find((r) => r.step === 'capacity')?.note).toBeUndefined();
  });
});
