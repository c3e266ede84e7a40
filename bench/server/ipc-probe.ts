/**
 * A bench-only window into a server process over the IPC channel its parent opened: `ready` once listening, on
 * request the process's memory after a full collection (when started with --expose-gc), and the main thread's
 * event-loop delay since the last such request (perf_hooks.monitorEventLoopDelay): how long a ready callback waited
 * for the thread, the pauses a chat message's p99 sees. Nothing here runs unless the process was forked with IPC, so
 * the same code path serves Depesza and the relay.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

export interface MemoryReport {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** V8 heap spaces' used bytes by space name (old_space, new_space, code_space, large_object_space, …). */
  heapSpaces?: Record<string, number>;
  /** /proc/self/smaps_rollup in bytes: Rss split into anonymous memory (heaps, malloc: SQLite's page cache) and file pages (code, mapped files). */
  smaps?: { rss: number; anonymous: number; file: number };
}

/** Event-loop delay over a window, ms. */
export interface LoopDelayReport {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Samples taken (one per `resolution` ms the loop was free to take one). */
  samples: number;
}

export type ProbeRequest = { type: 'memory'; id: number } | { type: 'loopDelay'; id: number };
export type ProbeMessage =
  | { type: 'ready'; port: number }
  | { type: 'memory'; id: number; usage: MemoryReport }
  | { type: 'loopDelay'; id: number; delay: LoopDelayReport };

/** The histogram's sampling timer, ms: fine enough to see the 1–10 ms pauses a 5 ms chat p99 is made of. */
const LOOP_DELAY_RESOLUTION_MS = 1;

function smapsRollup(): MemoryReport['smaps'] {
  try {
    const text = readFileSync('/proc/self/smaps_rollup', 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) * 1024;
    const rss = kib('Rss');
    const anonymous = kib('Anonymous');
    return { rss, anonymous, file: rss - anonymous };
  } catch {
    return undefined; // not Linux
  }
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  // Twice: the first pass may only queue finalisers that free more on the second.
  gc();
  gc();
}

export function installIpcProbe(ready: { port: number } | null): void {
  const send = process.send?.bind(process);
  if (!send) return;
  // A 1 ms timer on the server's thread, started by the first request (the SMS scenario's, at its first phase), so
  // that the scenarios that do not ask for it (the pairs and groups ladders) do not pay for it.
  let loopDelay: ReturnType<typeof monitorEventLoopDelay> | null = null;
  process.on('message', (raw: unknown) => {
    const request = raw as ProbeRequest;
    if (request?.type === 'loopDelay') {
      if (!loopDelay) {
        loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
        loopDelay.enable();
      }
      const ms = (ns: number) => ns / 1e6;
      // The histogram counts the timer's own resolution into every sample; what is above it is the delay.
      const delay = (ns: number) => Math.max(0, ms(ns) - LOOP_DELAY_RESOLUTION_MS);
      const report: LoopDelayReport = {
        p50Ms: delay(loopDelay.percentile(50)),
        p99Ms: delay(loopDelay.percentile(99)),
        maxMs: delay(loopDelay.max),
        samples: loopDelay.count,
      };
      loopDelay.reset();
      send({ type: 'loopDelay', id: request.id, delay: report } satisfies ProbeMessage);
      return;
    }
    if (request?.type !== 'memory') return;
    collect();
    const usage = process.memoryUsage();
    const reply: ProbeMessage = {
      type: 'memory',
      id: request.id,
      usage: {
        rss: usage.rss,
        heapUsed: usage.heapUsed,
        heapTotal: usage.heapTotal,
        external: usage.external,
        arrayBuffers: usage.arrayBuffers,
        heapSpaces: Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size])),
        smaps: smapsRollup(),
      },
    };
    send(reply);
  });
  if (ready) send({ type: 'ready', port: ready.port } satisfies ProbeMessage);
}
