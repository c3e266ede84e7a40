/**
 * A bench-only window into a server process over the IPC channel its parent opened: `ready` once listening, and
 * on request the process's memory after a full collection (when started with --expose-gc). Nothing here runs
 * unless the process was forked with IPC, so the same code path serves Depesza and the relay.
 */
export interface MemoryReport {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export type ProbeRequest = { type: 'memory'; id: number };
export type ProbeMessage = { type: 'ready'; port: number } | { type: 'memory'; id: number; usage: MemoryReport };

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
  process.on('message', (raw: unknown) => {
    const request = raw as ProbeRequest;
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
