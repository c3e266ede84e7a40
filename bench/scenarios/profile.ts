/**
 * `npm run bench -- --only=profile [--ids=v7,v4]`: where the server's CPU goes under the pairs load. The relay and
 * Depesza (once per client id shape) each run one pairs phase (bench/scenarios/messaging.ts) under `node
 * --cpu-prof`: warm-up, then one fixed step of 2k msg/s; each profile is summarised over that step only (from its
 * first send to the end of its drain, the window the bench's CPU per delivery covers) by bench/lib/cpu-profile.ts.
 * The table gives main-thread self time per category in µs per delivered message, relay against Depesza; the
 * details keep the top functions and npm packages. The profiler itself costs some CPU, so the totals are above
 * the unprofiled ladder's; the shares are what this is for. The profiler's sampling threads run on the generator's
 * core (servers.ts): on the server's core they sampled only its idle moments. Each phase also gives the main
 * thread's CPU from /proc over the same window, to check the profile's busy time against.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BenchFailure, type BenchContext, type ScenarioResult } from '../lib/context.js';
import { CATEGORIES, summarizeProfile, type CpuProfile, type ProfileSummary } from '../lib/cpu-profile.js';
import type { IdShape } from '../lib/load.js';
import { cpuPerDelivery, fmt, row, type Row } from '../lib/stats.js';
import { describe, phaseOrRetry, type LadderSpec, type PhaseStep, type Variant } from './messaging.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RATE = 2000;

export interface ProfiledPhase {
  server: string;
  idShape: IdShape | null;
  rate: number;
  sent: number;
  delivered: number;
  p50Ms: number;
  p99Ms: number;
  /** All threads of the server process (/proc), µs per delivered message, as the bench's ladders report it. */
  processCpuUsPerDelivery: number | null;
  /** The main thread's sampled busy time per delivered message. */
  mainThreadUsPerDelivery: number;
  /**
   * The main thread's CPU time per delivered message from /proc, and its time runnable but waiting for the core
   * (schedstat): the profile samples wall-clock time, so on a shared machine its busy time lies between the two
   * (CPU and CPU + wait). Far below the CPU time, the sampling is broken (see proc.ts, moveProfilerThreads).
   */
  mainThreadProcUsPerDelivery: number;
  mainThreadWaitUsPerDelivery: number;
  /** Main-thread self time per category, µs per delivered message. */
  categoriesUsPerDelivery: Record<string, number>;
  /**
   * Busy time of the server's other JS threads in the window, ms: Depesza's WAL checkpoint worker, and tsx's
   * module-loader thread in both servers. They share the server's one core with the main thread.
   */
  otherThreadsBusyMs: number;
  otherThreadsUsPerDelivery: number;
  profile: ProfileSummary;
}

/** The profiles of one phase's threads that cover the step: the main thread's (thread id 0) and the others. */
function profilesCovering(dir: string, step: PhaseStep): { main: CpuProfile; others: CpuProfile[] } {
  const found = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => ({ name, profile: JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as CpuProfile }))
    .filter(({ profile }) => profile.startTime <= step.fromUs && profile.endTime >= step.toUs);
  // CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile
  const main = found.find(({ name }) => name.split('.').at(-3) === '0');
  if (!main) throw new BenchFailure(`no main-thread CPU profile in ${dir} covers the measured step (found ${found.map((f) => f.name).join(', ') || 'none'})`);
  return { main: main.profile, others: found.filter((f) => f !== main).map((f) => f.profile) };
}

function profiled(variant: Variant, step: PhaseStep, dir: string): ProfiledPhase {
  const { main, others } = profilesCovering(dir, step);
  const window = { root: ROOT, fromUs: step.fromUs, toUs: step.toUs };
  const summary = summarizeProfile(main, window);
  const othersMs = others.reduce((t, p) => t + summarizeProfile(p, window).busyMs, 0);
  const m = step.result.measurement;
  const perDelivery = (ms: number) => (m.delivered > 0 ? (ms * 1000) / m.delivered : Number.NaN);
  return {
    server: describe(variant),
    idShape: variant.kind === 'relay' ? null : variant.idShape,
    rate: step.rate,
    sent: m.sent,
    delivered: m.delivered,
    p50Ms: m.latency.p50Ms,
    p99Ms: m.latency.p99Ms,
    processCpuUsPerDelivery: cpuPerDelivery(m),
    mainThreadUsPerDelivery: perDelivery(summary.busyMs),
    mainThreadProcUsPerDelivery: perDelivery(step.mainThread.cpuUs / 1000),
    mainThreadWaitUsPerDelivery: perDelivery(step.mainThread.waitUs / 1000),
    categoriesUsPerDelivery: Object.fromEntries(CATEGORIES.map((c) => [c, perDelivery(summary.categoriesMs[c])])),
    otherThreadsBusyMs: othersMs,
    otherThreadsUsPerDelivery: perDelivery(othersMs),
    profile: summary,
  };
}

// Lines of .ts files are those of tsx's output, which the profile sees (it does not apply source maps).
function topLines(p: ProfiledPhase): string {
  const lines = p.profile.top.map(
    (f, i) => `    ${String(i + 1).padStart(2)}. ${fmt(f.selfMs).padStart(6)} ms  ${f.name} ${f.location}  [${f.category}]`,
  );
  const check =
    `  main thread per delivery: profile ${fmt(p.mainThreadUsPerDelivery)} µs, /proc CPU ${fmt(p.mainThreadProcUsPerDelivery)} µs, ` +
    `waiting for the core ${fmt(p.mainThreadWaitUsPerDelivery)} µs`;
  return [check, `  top functions by self time, ${p.server} (${fmt(p.profile.busyMs)} ms busy of ${fmt(p.profile.windowMs)} ms):`, ...lines].join('\n');
}

export async function profileScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const spec: LadderSpec = {
    name: 'pairs profile',
    clients: 200,
    chats: ctx.dataset.pairs,
    ladder: [RATE],
    warmupRate: 1000,
    warmupMs: 3000,
    stepMs: ctx.quick ? 4000 : 12_000,
    drainMs: 3000,
    idShapes: ctx.idShapes,
  };
  const variants: Variant[] = [{ kind: 'relay', idShape: 'v7' }, ...ctx.idShapes.map((idShape) => ({ kind: 'depesza' as const, idShape }))];
  const retries: string[] = [];
  const phases: ProfiledPhase[] = [];
  for (const variant of variants) {
    const dir = path.join(ctx.tmpDir, 'profiles', variant.kind === 'relay' ? 'relay' : `depesza-${variant.idShape}`);
    ctx.log(` ${spec.name}: ${describe(variant)} at ${RATE}/s under --cpu-prof`);
    const [step] = await phaseOrRetry(ctx, spec, variant, [RATE], retries, { profileDir: dir });
    if (!step) throw new BenchFailure(`${spec.name}: ${describe(variant)} measured no step`);
    const result = profiled(variant, step, dir);
    ctx.log(topLines(result));
    phases.push(result);
  }

  const relay = phases[0] as ProfiledPhase;
  const rows: Row[] = [];
  for (const depesza of phases.slice(1)) {
    const scenario = `profile pairs ${RATE / 1000}k/s${depesza.idShape === 'v4' ? ' (v4 ids)' : ''}`;
    rows.push(row(scenario, 'all threads (/proc)', 'CPU/delivery', 'µs', relay.processCpuUsPerDelivery, depesza.processCpuUsPerDelivery));
    rows.push(row(scenario, 'main thread (/proc)', 'CPU/delivery', 'µs', relay.mainThreadProcUsPerDelivery, depesza.mainThreadProcUsPerDelivery));
    rows.push(row(scenario, 'main thread (profile)', 'CPU/delivery', 'µs', relay.mainThreadUsPerDelivery, depesza.mainThreadUsPerDelivery));
    rows.push(row(scenario, 'other threads (profile)', 'CPU/delivery', 'µs', relay.otherThreadsUsPerDelivery, depesza.otherThreadsUsPerDelivery));
    for (const category of CATEGORIES) {
      if (category === 'idle') continue;
      const base = relay.categoriesUsPerDelivery[category] ?? 0;
      const dep = depesza.categoriesUsPerDelivery[category] ?? 0;
      if (base < 0.05 && dep < 0.05) continue;
      rows.push(row(scenario, category, 'CPU/delivery', 'µs', base, dep));
    }
    rows.push(row(scenario, 'p99', 'latency', 'ms', relay.p99Ms, depesza.p99Ms));
  }
  return { rows, details: { rate: RATE, stepMs: spec.stepMs, phases, retries }, facts: {} };
}
