/**
 * A bench-only window into a server process over the IPC channel its parent opened: `ready` once listening, on
 * request the process's memory after a full collection (when started with --expose-gc), and the main thread's
 * event-loop delay since the last such request (perf_hooks.monitorEventLoopDelay): how long a ready callback waited
 * for the thread, the pauses a chat message's p99 sees. Nothing here runs unless the process was forked with IPC, so
 * the same code path serves Depesza and the relay.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface MemoryReport {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
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
  // Costs one 1 ms timer on the server's thread, in every phase alike (the relay's too).
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  loopDelay.enable();
  process.on('message', (raw: unknown) => {
    const request = raw as ProbeRequest;
    if (request?.type === 'loopDelay') {
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
      usage: { rss: usage.rss, heapUsed: usage.heapUsed, heapTotal: usage.heapTotal, external: usage.external, arrayBuffers: usage.arrayBuffers },
    };
    send(reply);
  });
  if (ready) send({ type: 'ready', port: ready.port } satisfies ProbeMessage);
}
