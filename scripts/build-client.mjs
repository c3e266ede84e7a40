// Builds the Svelte client when dist/client is missing or older than any source it is built from, so that
// `npm start` and the end-to-end tests always serve the current client without rebuilding needlessly.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildIfStale, root } from './lib/stale-build.mjs';

const vite = path.join(root, 'node_modules/vite/bin/vite.js');
await buildIfStale({
  what: 'Client',
  output: path.join(root, 'dist/client/index.html'),
  sources: ['client', 'shared', 'vite.config.ts', 'scripts/precompress.ts'],
  tool: vite,
  build: async () => execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }),
});
