// @ts-check
/**
 * The WAL checkpoint thread started by checkpointer.ts: its own connection to the database file, a PASSIVE
 * checkpoint every `intervalMs`, and a last one when told to stop. It also indexes new messages for search
 * (search-indexer.mjs) every INDEX_EVERY_MS, off the main thread. Plain JavaScript on purpose: from the sources
 * (tsx, Vitest) a TypeScript worker would need tsx's loader in every worker thread — measured, that nearly doubled
 * the SQLite tests' CPU — while the build (scripts/build-server.mjs) emits this file as dist/server/checkpoint-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createSearchIndexer, INDEX_BATCH } from './search-indexer.mjs';

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

/** A full batch means more are waiting: the next one soon, leaving the write lock free in between for the appends. */
const INDEX_EVERY_MS = 100;
const INDEX_AGAIN_MS = 5;
// As on the store's connection (sqlite-store.ts): the pages a merge of index segments frees hold words of texts.
db.pragma('secure_delete = ON');
// The index's commit holds the write lock the appends wait for (sleeping on the main thread): no fsync inside it.
// A batch lost to a power cut is lost with its watermark, and indexed again.
db.pragma('synchronous = NORMAL');
const indexNew = createSearchIndexer(db);
/** @type {NodeJS.Timeout | undefined} */
let indexTimer;
function index() {
  let full = false;
  try {
    full = indexNew(INDEX_BATCH) === INDEX_BATCH;
  } catch {
    // Busy or a transient I/O error: the next tick tries again, and a search indexes what it needs itself.
  }
  indexTimer = setTimeout(index, full ? INDEX_AGAIN_MS : INDEX_EVERY_MS);
}
indexTimer = setTimeout(index, INDEX_EVERY_MS);

const timer = setInterval(checkpoint, intervalMs);
parentPort?.once('message', () => {
  clearInterval(timer);
  clearTimeout(indexTimer);
  checkpoint();
  db.close();
  parentPort?.close();
});
