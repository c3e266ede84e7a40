// @ts-check
/**
 * The WAL checkpoint thread started by checkpointer.ts: its own connection to the database file, a PASSIVE
 * checkpoint every `intervalMs`, and a last one when told to stop. Plain JavaScript on purpose: from the sources
 * (tsx, Vitest) a TypeScript worker would need tsx's loader in every worker thread — measured, that nearly doubled
 * the SQLite tests' CPU — while the build (scripts/build-server.mjs) emits this file as dist/server/checkpoint-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ file: string, intervalMs: number }} */
const { file, intervalMs } = workerData;
const db = new Database(file);
db.pragma('busy_timeout = 5000');

function checkpoint() {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or a transient I/O error: the next tick tries again.
  }
}

const timer = setInterval(checkpoint, intervalMs);
parentPort?.once('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort?.close();
});
