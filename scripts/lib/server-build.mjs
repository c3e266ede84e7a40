// The esbuild options every server build shares (scripts/build-server.mjs for dist/server, bench/lib/compiled.ts for
// the bench's servers), so the bench measures the server exactly as `npm start` runs it.
import path from 'node:path';

/** Bundled ESM for Node 20; every package stays external, loaded from node_modules (better-sqlite3 is native). */
export const NODE_BUNDLE = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

/**
 * The worker threads' entry points. Checkpointer.ts and http-thread.ts look for their worker next to the code that
 * starts them, so each build emits its own copy.
 */
export function workerEntries(root) {
  const src = (file) => path.join(root, 'server/src', file);
  return {
    'checkpoint-worker': src('adapters/store/sqlite/checkpoint-worker.mjs'),
    'smsapi-http-worker': src('sms/smsapi/http-worker.mjs'),
  };
}
