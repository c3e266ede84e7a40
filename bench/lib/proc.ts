/** CPU time of another process from /proc/<pid>/stat (utime + stime), in microseconds. Linux only. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | null = null;

function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Fields after the command name, which is in parentheses and may itself contain spaces. */
export function parseStat(stat: string): { utimeTicks: number; stimeTicks: number; rssPages: number } {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime is field 14, stime 15, rss 24.
  return { utimeTicks: Number(rest[11]), stimeTicks: Number(rest[12]), rssPages: Number(rest[21]) };
}

export function cpuTimeMicros(pid: number): number {
  const { utimeTicks, stimeTicks } = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return ((utimeTicks + stimeTicks) * 1_000_000) / clockTicks();
}

/** CPU time of a process's main thread only (/proc/<pid>/task/<pid>/stat), in microseconds. Linux only. */
export function mainThreadCpuMicros(pid: number): number {
  const { utimeTicks, stimeTicks } = parseStat(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
  return ((utimeTicks + stimeTicks) * 1_000_000) / clockTicks();
}

/**
 * Waits until the process uses less than `busyFraction` of a core over two consecutive `intervalMs` windows (or
 * `maxMs` passed): after a connect or disconnect storm the server may still be fanning out presence.
 */
export async function waitIdle(pid: number, options: { busyFraction?: number; intervalMs?: number; maxMs?: number } = {}): Promise<boolean> {
  const busy = options.busyFraction ?? 0.05;
  const interval = options.intervalMs ?? 250;
  const deadline = Date.now() + (options.maxMs ?? 300_000);
  let quiet = 0;
  let last = cpuTimeMicros(pid);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, interval));
    const now = cpuTimeMicros(pid);
    quiet = (now - last) / 1000 < busy * interval ? quiet + 1 : 0;
    last = now;
    if (quiet >= 2) return true;
  }
  return false;
}

/** The thread name V8 gives its CPU profiler's sampling thread (one per JS thread under `--cpu-prof`). */
export const PROFILER_THREAD_NAME = 'v8:ProfEvntProc';

/** Ids of a process's V8 profiler sampling threads (/proc/<pid>/task/<tid>/comm). Linux only. */
export function profilerThreadIds(pid: number): number[] {
  const out: number[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      if (readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim() === PROFILER_THREAD_NAME) out.push(Number(tid));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/**
 * Moves a profiled process's V8 sampling threads to `core` (the process stays pinned elsewhere), returning their
 * ids. Left on the server's one core, a sampling thread only gets to run when the main thread blocks in epoll
 * (it cannot preempt it), so its samples fall in the main thread's idle moments: the relay's profile saw 24–38 % of
 * the main thread's CPU (/proc) at 2k msg/s, 11 of ~100 µs per delivery in the full run of 2026-12-01. Sampled from
 * another core, the samples are independent of what the main thread does.
 */
export function moveProfilerThreads(pid: number, core: number): number[] {
  const tids = profilerThreadIds(pid);
  for (const tid of tids) execFileSync('taskset', ['-p', '-c', String(core), String(tid)], { stdio: 'ignore' });
  return tids;
}

/** The CPUs a thread may run on (Cpus_allowed_list of /proc/<pid>/task/<tid>/status), e.g. "0" or "0-1". */
export function allowedCpus(pid: number, tid: number = pid): string {
  const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
  return /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1] ?? '';
}

/** A thread's time on a CPU and waiting for one (/proc/<pid>/task/<tid>/schedstat), in microseconds. Linux only. */
export function schedStat(pid: number, tid: number = pid): { onCpuUs: number; waitUs: number } {
  const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
  return { onCpuUs: (run ?? 0) / 1000, waitUs: (wait ?? 0) / 1000 };
}
