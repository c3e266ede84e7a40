import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints on a worker thread with its own connection. SQLite's automatic checkpoint runs inside the commit
 * that crosses 1000 pages, on the thread that commits, and ends with an fsync of the database file: measured on the
 * bench machine (npm run bench), a 20–40 ms stall of the event loop every ~100 ms at 4,000 appends/s, which was
 * the whole of the chat's p99. A PASSIVE checkpoint from another connection never blocks the writer.
 */
export interface Checkpointer {
  stop(): Promise<void>;
}

// Built, this code is bundled into dist/server next to the emitted checkpoint-worker.js; from the sources the
// worker is the .mjs beside this file.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './checkpoint-worker.mjs' : './checkpoint-worker.js', import.meta.url);

/** Starts checkpointing `file`; `onFailure` is told when the worker dies, so the caller can checkpoint itself again. */
export function startCheckpointer(file: string, onFailure: (error: unknown) => void, intervalMs = 250): Checkpointer {
  const worker = new Worker(WORKER_URL, { workerData: { file, intervalMs } });
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', (error) => {
    if (!stopping) onFailure(error);
  });
  worker.once('exit', (code) => {
    if (!stopping) onFailure(new Error(`the WAL checkpoint worker exited with ${code}`));
  });
  // Never the reason a process stays alive; close() stops it properly.
  worker.unref();
  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      // Referenced again while it finishes, or an otherwise idle process would exit before close() resolves.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
