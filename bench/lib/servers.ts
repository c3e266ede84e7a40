/**
 * The two servers under test as child processes pinned to the server core with `taskset`, each with an IPC
 * channel for the memory and event-loop delay probe (bench/server/ipc-probe.ts). Depesza is the real server (main.ts) over its own
 * SQLite file; the relay is bench/relay/relay.ts. Both compiled and run with plain node, as production runs
 * (compiled.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { LoopDelayReport, MemoryReport, ProbeMessage, ProbeRequest } from '../server/ipc-probe.js';
import type { ServerKind } from './clients.js';
import { freePort } from '../../server/test/support/free-port.js';
import { buildServers, compiledScript } from './compiled.js';
import { moveProfilerThreads, PROFILER_THREAD_NAME } from './proc.js';

export const SERVER_CORE = 0;
export const GENERATOR_CORE = 1;
const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerHandle {
  kind: ServerKind;
  pid: number;
  url: string;
  memory(): Promise<MemoryReport>;
  /** The main thread's event-loop delay since the previous call (or the start). */
  loopDelay(): Promise<LoopDelayReport>;
  /** Graceful: SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
  /**
   * SIGKILL at once. Ends a load phase without Depesza's disconnect fan-out (every leaving client is announced to
   * everyone still connected: minutes of work after a 1000-client phase that measures nothing). SQLite recovers
   * the WAL at the next start.
   */
  kill(): Promise<void>;
  /** The last lines the process wrote to stderr/stdout, for error messages. */
  output(): string;
}

/** Every Depesza variable the bench sets: limits far above any load the bench offers. */
export function depeszaEnv(dataDir: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    DEMO_DIRECTORY: 'off',
    RATE_LIMIT_MESSAGES_PER_MINUTE: '10000000',
    RATE_LIMIT_EVENTS_PER_MINUTE: '10000000',
    SMS_LIMIT_SENDER_PER_HOUR: '100000',
    SMS_LIMIT_SENDER_PER_DAY: '1000000',
    SMS_LIMIT_RECIPIENT: '100000',
    // The bench signs everyone in 16 at a time and may put people in many groups.
    SIGNIN_MAX_PENDING_CHECKS: '10000',
    MAX_SOCKETS_PER_EMPLOYEE: '100000',
    MAX_GROUPS_PER_EMPLOYEE: '1000000',
    ...extra,
  };
}

export interface LaunchOptions {
  /**
   * Write V8 CPU profiles (one per thread) into this directory; BENCH_PROFILE=<dir> does it for every server, in
   * <dir>/<kind>. Open them in Chrome DevTools or speedscope, or summarise them (bench/lib/cpu-profile.ts).
   */
  profileDir?: string;
}

function profileDirOf(kind: ServerKind, options: LaunchOptions): string | null {
  if (options.profileDir) return path.resolve(options.profileDir);
  const dir = process.env.BENCH_PROFILE;
  return dir ? path.resolve(path.join(dir, kind)) : null;
}

async function launch(
  kind: ServerKind,
  script: string,
  env: Record<string, string>,
  options: LaunchOptions,
): Promise<{ child: ChildProcess; output: () => string; profiled: boolean }> {
  const profileDir = profileDirOf(kind, options);
  const profileArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  // Compiled as production runs (compiled.ts); a profiled server runs its sources through tsx, so that
  // cpu-profile.ts can sort frames by their server/src path.
  // BENCH_DEPESZA_BUILD=<dir>: Depesza compiled elsewhere (another commit's dist/bench), to measure two builds of
  // the server against each other; the relay is always this checkout's.
  const otherBuild = kind === 'depesza' ? process.env.BENCH_DEPESZA_BUILD : undefined;
  const compiled = otherBuild ? path.resolve(otherBuild, 'depesza-entry.js') : compiledScript(kind === 'relay' ? 'relay' : 'depesza-entry');
  const program = profileDir ? ['--import', 'tsx', path.join(ROOT, script)] : [compiled];
  if (!profileDir) await buildServers();
  const child = spawn(
    'taskset',
    ['-c', String(SERVER_CORE), process.execPath, '--expose-gc', ...profileArgs, ...program],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => keep(Buffer.from(`${kind}: ${error.message}\n`)));
  return { child, output: () => tail, profiled: profileDir !== null };
}

function handle(kind: ServerKind, child: ChildProcess, url: string, output: () => string, profiled: boolean): ServerHandle {
  // Ready: every JS thread of the server has started (Depesza's checkpoint worker, tsx's loader), so has its
  // sampling thread. See moveProfilerThreads for why they must not share the server's core.
  if (profiled && moveProfilerThreads(child.pid as number, GENERATOR_CORE).length === 0) {
    child.kill('SIGKILL');
    throw new Error(`${kind} runs under --cpu-prof but has no ${PROFILER_THREAD_NAME} thread to move off the server core`);
  }
  let nextId = 1;
  const waiting = new Map<number, (message: ProbeMessage) => void>();
  child.on('message', (raw: unknown) => {
    const message = raw as ProbeMessage;
    if (message.type === 'memory' || message.type === 'loopDelay') {
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    }
  });
  const ask = (type: ProbeRequest['type'], what: string) => {
    const id = nextId++;
    return new Promise<ProbeMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} did not answer the ${what} probe within 2 minutes`)), 120_000);
      waiting.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      child.send({ type, id } satisfies ProbeRequest);
    });
  };
  return {
    kind,
    pid: child.pid as number,
    url,
    output,
    async memory() {
      const message = await ask('memory', 'memory');
      if (message.type !== 'memory') throw new Error(`${kind} answered the memory probe with ${message.type}`);
      return message.usage;
    },
    async loopDelay() {
      const message = await ask('loopDelay', 'event-loop delay');
      if (message.type !== 'loopDelay') throw new Error(`${kind} answered the event-loop delay probe with ${message.type}`);
      return message.delay;
    },
    kill() {
      // A profiled server must exit by itself to write its profile.
      if (profiled) return this.stop();
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    stop() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

export async function startRelay(options: LaunchOptions = {}): Promise<ServerHandle> {
  const { child, output, profiled } = await launch('relay', 'bench/relay/relay.ts', {}, options);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the relay did not start:\n${output()}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`the relay exited with ${code}:\n${output()}`)));
    child.on('message', (raw: unknown) => {
      const message = raw as ProbeMessage;
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.port);
      }
    });
  });
  return handle('relay', child, `http://127.0.0.1:${port}`, output, profiled);
}

export async function startDepesza(dataDir: string, extraEnv: Record<string, string> = {}, options: LaunchOptions = {}): Promise<ServerHandle> {
  const port = await freePort();
  const { child, output, profiled } = await launch('depesza', 'bench/server/depesza-entry.ts', depeszaEnv(dataDir, port, extraEnv), options);
  const url = `http://127.0.0.1:${port}`;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`Depesza exited with ${exited} before it was ready:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Depesza was not ready within 60 s:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return handle('depesza', child, url, output, profiled);
}
