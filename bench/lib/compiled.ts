/**
 * The servers under test as production runs them: compiled to JavaScript with esbuild (the options of
 * scripts/lib/server-build.mjs, as scripts/build-server.mjs) and started with plain `node`, not through tsx. tsx's loader and compile buffers cost
 * a process tens of MiB and its first seconds of CPU, which `npm start` no longer pays; the bare relay is compiled
 * the same way, so both sides of every ratio are plain Node. dist/bench sits as deep as dist/server, so paths the
 * server resolves from its own file (dist/client, its worker files) are the same.
 */
import path from 'node:path';
import { NODE_BUNDLE, workerEntries } from '../../scripts/lib/server-build.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const COMPILED_DIR = path.join(ROOT, 'dist/bench');

let built: Promise<void> | null = null;

/** Builds once per bench run (well under a second); later calls wait for the same build. */
export function buildServers(): Promise<void> {
  built ??= (async () => {
    const { build } = await import('esbuild');
    const { rmSync } = await import('node:fs');
    rmSync(COMPILED_DIR, { recursive: true, force: true });
    await build({
      ...NODE_BUNDLE,
      outdir: COMPILED_DIR,
      entryPoints: {
        'depesza-entry': path.join(ROOT, 'bench/server/depesza-entry.ts'),
        relay: path.join(ROOT, 'bench/relay/relay.ts'),
        // Found next to the code that starts them, as in dist/server.
        ...workerEntries(ROOT),
      },
    });
  })();
  return built;
}

export const compiledScript = (name: 'depesza-entry' | 'relay') => path.join(COMPILED_DIR, `${name}.js`);
