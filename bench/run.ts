/**
 * `npm run bench [-- --quick] [-- --only=pairs,groups,history,search,memory,sms,client,client-long,profile] [-- --ids=v7,v4]`: Depesza against a bare
 * Socket.IO relay in the same run. The servers run on one core, this process (the load generator) on the other;
 * the two servers never run at once. Prints one table and writes it with every measurement to
 * bench/results/<timestamp>.json (<timestamp>-profile.json for `--only=profile`, the CPU profile of the pairs load:
 * bench/scenarios/profile.ts). Exits non-zero, naming the reason, when a measurement is not valid.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem, release } from 'node:os';
import path from 'node:path';
import { inBatches, signIn } from './lib/clients.js';
import { BenchFailure, type BenchContext, type ScenarioResult } from './lib/context.js';
import { BENCH_PASSWORD, prepareDataset } from './lib/dataset.js';
import { evaluateGoals, renderGoals } from './lib/goals.js';
import { GENERATOR_CORE, startDepesza } from './lib/servers.js';
import { renderMarkdown, renderText, type Row } from './lib/stats.js';
import type { IdShape } from './lib/load.js';
import { groupsScenario, pairsScenario } from './scenarios/messaging.js';
import { historyScenario } from './scenarios/history.js';
import { searchScenario } from './scenarios/search.js';
import { memoryScenario } from './scenarios/memory.js';
import { smsScenario } from './scenarios/sms.js';
import { clientScenario } from './scenarios/client.js';
import { clientLongScenario } from './scenarios/client-long.js';
import { profileScenario } from './scenarios/profile.js';

const SCENARIOS = {
  pairs: pairsScenario,
  groups: groupsScenario,
  history: historyScenario,
  search: searchScenario,
  memory: memoryScenario,
  sms: smsScenario,
  client: clientScenario,
  'client-long': clientLongScenario,
  profile: profileScenario,
} as const;
type ScenarioName = keyof typeof SCENARIOS;

const ROOT = path.resolve(import.meta.dirname, '..');

const ID_SHAPES: IdShape[] = ['v7', 'v4'];

function parseArgs(argv: string[]): { quick: boolean; only: ScenarioName[]; keep: boolean; idShapes: IdShape[] } {
  const quick = argv.includes('--quick');
  const keep = argv.includes('--keep');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const names = Object.keys(SCENARIOS) as ScenarioName[];
  const only = onlyArg ? (onlyArg.slice('--only='.length).split(',') as ScenarioName[]) : names;
  for (const name of only) {
    if (!names.includes(name)) throw new BenchFailure(`unknown scenario ${JSON.stringify(name)}; choose from ${names.join(', ')}`);
  }
  const idsArg = argv.find((a) => a.startsWith('--ids='));
  const idShapes = idsArg ? (idsArg.slice('--ids='.length).split(',') as IdShape[]) : ID_SHAPES;
  for (const shape of idShapes) {
    if (!ID_SHAPES.includes(shape)) throw new BenchFailure(`unknown client id shape ${JSON.stringify(shape)}; choose from ${ID_SHAPES.join(', ')}`);
  }
  for (const arg of argv) {
    if (!['--quick', '--keep'].includes(arg) && !arg.startsWith('--only=') && !arg.startsWith('--ids=')) throw new BenchFailure(`unknown argument ${arg}`);
  }
  return { quick, only, keep, idShapes };
}

function machine(): Record<string, string | number> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
  };
}

function pinSelf(): void {
  // -a: every thread of this process (V8's and libuv's too), not only the main one.
  execFileSync('taskset', ['-a', '-cp', String(GENERATOR_CORE), String(process.pid)], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const log = (message: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
  pinSelf();
  const tmpDir = mkdtempSync(path.join(tmpdir(), 'depesza-bench-'));
  try {
    const needsPeople = args.only.some((n) => ['pairs', 'groups', 'memory', 'sms', 'profile'].includes(n));
    const peopleCount = !needsPeople ? 0 : args.only.includes('memory') && !args.quick ? 5000 : 1000;
    log(`preparing ${peopleCount} employees, 100 pairs and 100 groups of 10 in ${tmpDir}`);
    const dataset = await prepareDataset(path.join(tmpDir, 'chat'), { people: peopleCount, pairPeople: Math.min(200, peopleCount), groupPeople: Math.min(1000, peopleCount), groupSize: 10 });
    let cookies: string[] = [];
    if (peopleCount > 0) {
      log(`signing in ${peopleCount} employees`);
      const server = await startDepesza(dataset.dataDir);
      try {
        // 16 at a time: the sign-in throttle counts an attempt in flight against its address (30 per window)
        // until it succeeds, and every bench sign-in comes from 127.0.0.1.
        cookies = await inBatches(dataset.people, 16, (person) => signIn(server.url, person.login, BENCH_PASSWORD));
      } finally {
        await server.stop();
      }
    }
    const ctx: BenchContext = { quick: args.quick, rounds: args.quick ? 1 : 3, dataset, cookies, tmpDir, idShapes: args.idShapes, log };

    const results: Partial<Record<ScenarioName, ScenarioResult>> = {};
    for (const name of args.only) {
      log(`scenario ${name}`);
      results[name] = await SCENARIOS[name](ctx);
    }

    const rows: Row[] = args.only.flatMap((name) => results[name]?.rows ?? []);
    const facts = Object.assign({}, ...args.only.map((name) => results[name]?.facts ?? {})) as Record<string, number | null>;
    const goals = evaluateGoals(facts);
    const info = { ...machine(), quick: args.quick, rounds: ctx.rounds, durationS: Math.round((Date.now() - started) / 1000) };
    process.stdout.write(`\n${renderText(rows)}\n\n${renderGoals(goals)}\n`);
    process.stdout.write(`\nmachine: ${JSON.stringify(info)}\n`);

    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    const suffix = `${args.quick ? '-quick' : ''}${args.only.length === 1 && args.only[0] === 'profile' ? '-profile' : ''}`;
    const file = path.join(ROOT, 'bench/results', `${stamp}${suffix}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ startedAt: new Date(started).toISOString(), machine: info, scenarios: args.only, rows, goals, markdown: renderMarkdown(rows), details: results }, null, 2)}\n`,
    );
    log(`wrote ${path.relative(ROOT, file)}`);
  } finally {
    if (!args.keep) rmSync(tmpDir, { recursive: true, force: true });
  }
}

// Exit codes say why the run failed: 1 = a measurement was not valid, 2 = the bench itself broke. Exiting explicitly
// also ends sockets or child processes a failed scenario may have left behind.
main().catch((error: unknown) => {
  if (error instanceof BenchFailure) {
    process.stderr.write(`\nBENCH FAILED: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`\nBENCH FAILED (error): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
