// Compiles the server (server/src + shared) to dist/server with esbuild: `node dist/server/main.js` then runs it
// with no TypeScript loader. esbuild rather than tsc: it bundles our modules into a few files (tsc would mirror the
// source tree, server/src and shared side by side, and type-check again what `npm run typecheck` checks) in well
// under a second; every package stays external, loaded from node_modules as usual (better-sqlite3 is native).
// Code splitting keeps MongoDB's and Redis's code in chunks that load only when configured.
// Like build-client.mjs it builds only when dist/server is missing or older than its sources (`--force`: always).
import path from 'node:path';
import { NODE_BUNDLE, workerEntries } from './lib/server-build.mjs';
import { buildIfStale, root } from './lib/stale-build.mjs';

const outdir = path.join(root, 'dist/server');

await buildIfStale({
  what: 'Server',
  output: path.join(outdir, 'main.js'),
  sources: ['server/src', 'shared', 'scripts/build-server.mjs', 'scripts/lib/server-build.mjs'],
  tool: path.join(root, 'node_modules/esbuild/package.json'),
  quiet: process.argv.includes('--quiet'),
  build: async () => {
    const { build } = await import('esbuild');
    const { rmSync } = await import('node:fs');
    rmSync(outdir, { recursive: true, force: true });
    const src = (file) => path.join(root, 'server/src', file);
    const workers = workerEntries(root);
    // Two builds: shared with the CLIs (the store copy imports MongoDB statically), chunks would load mongoose
    // into every server start.
    const builds = [
      { outdir, entryPoints: { main: src('main.ts'), ...workers } },
      { outdir: path.join(outdir, 'cli'), entryPoints: { directory: src('cli/directory.ts'), store: src('cli/store.ts'), ...workers } },
    ];
    for (const options of builds) await build({ ...options, ...NODE_BUNDLE });
  },
});
