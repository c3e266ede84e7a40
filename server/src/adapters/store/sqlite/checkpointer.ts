import { createRequire } from 'node:module';
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

// CommonJS on purpose: an `eval` worker is not a module and is not run through the TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // Busy or a transient I/O error: the next tick tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** Starts checkpointing `file`; `onFailure` is told when the worker dies, so the caller can checkpoint itself again. */
export function startCheckpointer(file: string, onFailure: (error: unknown) => void, intervalMs = 250): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
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
