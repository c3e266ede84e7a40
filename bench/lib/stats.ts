/**
 * The pure side of the bench: what a measured step means (valid, within capacity, over capacity), capacity of a
 * ladder, ratios and the result table. No I/O here, so all of it is unit-tested (bench/stats.test.ts).
 */

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One load step of one server, possibly merged over several rounds. */
export interface StepMeasurement {
  /** Offered rate in messages per second. */
  targetRate: number;
  /** Measured time in seconds (sum over rounds). */
  durationS: number;
  sent: number;
  /** Sends answered { ok: false } or not answered at all by the end of the drain. */
  ackErrors: number;
  /** Deliveries to recipients (not the sender's own echo) that the sends call for. */
  expectedDeliveries: number;
  delivered: number;
  /** The sender's own copies that never came back (Depesza and the relay both echo to the sender's room). */
  missingEchoes: number;
  latency: LatencySummary;
  /** Generator process CPU time over wall time, 0..1 of its core. */
  generatorCpu: number;
  /** Server user+system CPU in microseconds from the step's start to the end of its drain. */
  serverCpuMicros: number;
  /** The same as a fraction of the server's core over that time (≥ 0.9: the server was saturated). */
  serverCpu: number;
  reconnects: number;
  /** The first error an ack carried, for the message. */
  firstAckError?: string;
}

export interface Limits {
  /** Achieved send rate must reach this fraction of the target. */
  minRateFraction: number;
  /** Generator CPU must stay under this fraction of its core. */
  maxGeneratorCpu: number;
  /** A step is within capacity when its p99 is at most this. */
  p99LimitMs: number;
  /** Server CPU (fraction of its core) from which the server itself is the bottleneck. */
  serverSaturated: number;
}

export const DEFAULT_LIMITS: Limits = { minRateFraction: 0.97, maxGeneratorCpu: 0.8, p99LimitMs: 50, serverSaturated: 0.9 };

export type Verdict =
  | { kind: 'ok' }
  /** The server did not keep up: the ladder ends here; nothing about the step is nonsense. */
  | { kind: 'over-capacity'; reasons: string[] }
  /** The measurement itself cannot be trusted: the run fails. */
  | { kind: 'invalid'; reasons: string[] }
  /**
   * The load generator's own core, not the server, was the limit, at a step above one measured in the same phase:
   * the top of what this machine can offer that server. The ladder ends here; the step says nothing about the server.
   */
  | { kind: 'generator-limit'; reasons: string[] };

const GENERATOR_BUSY = 'load generator used';

export function achievedRate(step: Pick<StepMeasurement, 'sent' | 'durationS'>): number {
  return step.durationS > 0 ? step.sent / step.durationS : 0;
}

export function deliveredRate(step: Pick<StepMeasurement, 'delivered' | 'durationS'>): number {
  return step.durationS > 0 ? step.delivered / step.durationS : 0;
}

/** Server CPU microseconds per delivered message, null when nothing was delivered. */
export function cpuPerDelivery(step: Pick<StepMeasurement, 'serverCpuMicros' | 'delivered'>): number | null {
  return step.delivered > 0 ? step.serverCpuMicros / step.delivered : null;
}

function capacityProblems(step: StepMeasurement, limits: Limits): string[] {
  const over: string[] = [];
  if (step.delivered < step.expectedDeliveries) {
    over.push(`delivered ${step.delivered} of ${step.expectedDeliveries} by the end of the drain`);
  }
  if (step.missingEchoes > 0) over.push(`${step.missingEchoes} sender echo(es) missing`);
  if (step.ackErrors > 0) over.push(`${step.ackErrors} send(s) not acknowledged in time`);
  if (step.latency.p99Ms > limits.p99LimitMs) over.push(`p99 ${fmt(step.latency.p99Ms)} ms > ${limits.p99LimitMs} ms`);
  return over;
}

/**
 * Invalid (the run fails) when the generator fell behind its schedule, clients dropped, messages were duplicated
 * or the server refused sends. A busy generator (≥ 80% of its core) makes a step invalid too, with one exception:
 * a step that is over capacity while the server's own core was saturated. There the server is the bottleneck
 * whatever the generator did (on the 2-core bench machine reading ~40,000 frames a second costs the generator
 * about as much as writing them costs the relay), and the step only ends the ladder; its numbers count for nothing.
 */
export function judgeStep(step: StepMeasurement, limits: Limits = DEFAULT_LIMITS): Verdict {
  const invalid: string[] = [];
  const rate = achievedRate(step);
  if (rate < limits.minRateFraction * step.targetRate) {
    invalid.push(
      `achieved ${fmt(rate)} msg/s, under ${Math.round(limits.minRateFraction * 100)}% of the target ${fmt(step.targetRate)} msg/s`,
    );
  }
  if (step.reconnects > 0) invalid.push(`${step.reconnects} client(s) disconnected or reconnected during the step`);
  if (step.delivered > step.expectedDeliveries) {
    invalid.push(`delivered ${step.delivered} but only ${step.expectedDeliveries} were expected (duplicates)`);
  }
  if (step.ackErrors > 0 && step.firstAckError !== undefined && step.firstAckError !== 'timeout') {
    invalid.push(`the server refused ${step.ackErrors} send(s): ${step.firstAckError}`);
  }
  const over = capacityProblems(step, limits);
  const generatorBusy = step.generatorCpu >= limits.maxGeneratorCpu;
  const generatorNote = `${GENERATOR_BUSY} ${Math.round(step.generatorCpu * 100)}% of its core (limit ${Math.round(limits.maxGeneratorCpu * 100)}%)`;
  if (generatorBusy && !(over.length > 0 && step.serverCpu >= limits.serverSaturated)) invalid.push(generatorNote);
  if (invalid.length > 0) return { kind: 'invalid', reasons: invalid };
  if (over.length > 0) {
    const server = `server core ${Math.round(step.serverCpu * 100)}% busy`;
    return { kind: 'over-capacity', reasons: generatorBusy ? [...over, server, generatorNote] : over };
  }
  return { kind: 'ok' };
}

/**
 * A step that only the generator's busy core made invalid, above a step already measured in the same phase, is the
 * generator's limit, not a failed run (the full groups ladder's 4k/s: 36,000 deliveries a second took 76–87% of the
 * generator's core with the relay's at 62–84%). Anything else invalid stays invalid.
 */
export function atGeneratorLimit(verdict: Verdict, lowerStepMeasured: boolean): Verdict {
  if (verdict.kind !== 'invalid' || !lowerStepMeasured) return verdict;
  return verdict.reasons.every((reason) => reason.startsWith(GENERATOR_BUSY)) ? { kind: 'generator-limit', reasons: verdict.reasons } : verdict;
}

/** Highest offered rate among the steps judged ok (0 when even the first step was over capacity). */
export function capacityOf(steps: Array<{ targetRate: number; verdict: Verdict }>): number {
  let best = 0;
  for (const step of steps) {
    if (step.verdict.kind === 'ok') best = Math.max(best, step.targetRate);
  }
  return best;
}

/**
 * The verdict on one step over all rounds. Each round climbs its own ladder until its first step over capacity, so
 * one noisy round cannot end the others' ladders; the merged step is within capacity only when every round ran it,
 * none of them had to excuse a busy generator, and the merged numbers (p99 of all samples, nothing lost) pass.
 */
export function judgeMerged(rounds: Verdict[], totalRounds: number, merged: StepMeasurement, limits: Limits = DEFAULT_LIMITS): Verdict {
  if (rounds.length < totalRounds) {
    return { kind: 'over-capacity', reasons: [`reached in ${rounds.length} of ${totalRounds} rounds (a lower step was over capacity in the others)`] };
  }
  const excused = rounds.find((v) => v.kind !== 'ok' && v.reasons.some((r) => r.startsWith(GENERATOR_BUSY)));
  if (excused) return excused;
  const invalid = rounds.find((v) => v.kind === 'invalid');
  if (invalid) return invalid;
  const over = capacityProblems(merged, limits);
  return over.length > 0 ? { kind: 'over-capacity', reasons: over } : { kind: 'ok' };
}

/** Depesza ÷ baseline; null when either side is missing or the baseline is zero. */
export function ratio(baseline: number | null | undefined, depesza: number | null | undefined): number | null {
  if (baseline === null || baseline === undefined || depesza === null || depesza === undefined) return null;
  if (!Number.isFinite(baseline) || !Number.isFinite(depesza) || baseline === 0) return null;
  return depesza / baseline;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank percentile of raw samples (for the small sample sets that do not need a histogram). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Sums the counters of the same step measured in several rounds; latency comes from the merged histogram. */
export function mergeSteps(steps: StepMeasurement[], latency: LatencySummary): StepMeasurement {
  if (steps.length === 0) throw new Error('nothing to merge');
  const sum = (pick: (s: StepMeasurement) => number) => steps.reduce((total, s) => total + pick(s), 0);
  const totalDuration = sum((s) => s.durationS);
  const firstError = steps.find((s) => s.firstAckError !== undefined)?.firstAckError;
  return {
    targetRate: (steps[0] as StepMeasurement).targetRate,
    durationS: totalDuration,
    sent: sum((s) => s.sent),
    ackErrors: sum((s) => s.ackErrors),
    expectedDeliveries: sum((s) => s.expectedDeliveries),
    delivered: sum((s) => s.delivered),
    missingEchoes: sum((s) => s.missingEchoes),
    latency,
    // The worst round decides whether the generator was trustworthy.
    generatorCpu: Math.max(...steps.map((s) => s.generatorCpu)),
    serverCpuMicros: sum((s) => s.serverCpuMicros),
    serverCpu: Math.min(...steps.map((s) => s.serverCpu)),
    reconnects: sum((s) => s.reconnects),
    ...(firstError !== undefined ? { firstAckError: firstError } : {}),
  };
}

// ---------- the table ----------

export interface Row {
  scenario: string;
  step: string;
  metric: string;
  unit: string;
  baseline: number | null;
  depesza: number | null;
  /** Depesza ÷ baseline unless given (e.g. history's 1M ÷ 100k). */
  ratio: number | null;
  note?: string;
}

export function row(scenario: string, step: string, metric: string, unit: string, baseline: number | null, depesza: number | null, note?: string): Row {
  return { scenario, step, metric, unit, baseline, depesza, ratio: ratio(baseline, depesza), ...(note ? { note } : {}) };
}

/** Compact human numbers: 3 significant digits, thousands as k. */
export function fmt(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100_000) return `${(value / 1000).toFixed(0)}k`;
  if (abs >= 10_000) return `${(value / 1000).toFixed(1)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(2);
}

export function fmtRatio(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(2)}×`;
}

function cells(r: Row): string[] {
  const unit = r.unit ? ` ${r.unit}` : '';
  const value = (v: number | null) => (v === null || Number.isNaN(v) ? '—' : `${fmt(v)}${unit}`);
  return [r.scenario, r.step, r.metric, value(r.baseline), value(r.depesza), fmtRatio(r.ratio), r.note ?? ''];
}

const HEADER = ['scenario', 'step', 'metric', 'baseline', 'Depesza', 'ratio', 'note'];

/** A plain-text table for the terminal. */
export function renderText(rows: Row[]): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, col) => Math.max(...table.map((line) => (line[col] ?? '').length)));
  return table
    .map((line, index) => {
      const text = line.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ').trimEnd();
      return index === 0 ? `${text}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : text;
    })
    .join('\n');
}

/** The same table in Markdown, for the README. */
export function renderMarkdown(rows: Row[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${cells(r).map(escape).join(' | ')} |`);
  return lines.join('\n');
}
