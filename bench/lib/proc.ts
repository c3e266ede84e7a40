/** CPU time of another process from /proc/<pid>/stat (utime + stime), in microseconds. Linux only. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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
