// When a build is older than what it is built from, and what to do when the build tools are not installed (a
// production install pruned with `npm prune --omit=dev` keeps its build and never needs to rebuild).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

// The lock file by content, not time: `npm prune --omit=dev` rewrites it unchanged, which must not look like an upgrade.
const lockHash = () => createHash('sha256').update(readFileSync(path.join(root, 'package-lock.json'))).digest('hex');
// Outside dist/client, which is served as it is.
const stampOf = (output) => path.join(root, 'dist/.built-with', `${path.relative(root, output).replaceAll('/', '_')}.lock-hash`);
const sameLock = (output) => existsSync(stampOf(output)) && readFileSync(stampOf(output), 'utf8') === lockHash();

/**
 * Runs `build` when `--force` was given, `output` is missing, any of `sources` (paths from the project root) is
 * newer or the dependencies changed. `tool` is the devDependency file the build needs: without it an existing build
 * is kept with a note, and a missing one stops with a message saying what to install.
 */
export async function buildIfStale({ what, output, sources, tool, build, quiet = false }) {
  const builtAt = existsSync(output) ? statSync(output).mtimeMs : 0;
  const force = process.argv.includes('--force');
  if (!force && sameLock(output) && builtAt >= Math.max(...sources.map((p) => newestMtime(path.join(root, p))))) {
    if (!quiet) console.log(`${what} build is up to date.`);
    return;
  }
  if (!existsSync(tool)) {
    const hint = `${path.relative(root, tool)} is missing: install the devDependencies (npm install) to build`;
    if (builtAt === 0 || force) {
      console.error(`Cannot build the ${what.toLowerCase()}: ${hint}.`);
      // Nothing to serve and nothing to build it with: stop `npm start` here with the line above, not a stack.
      process.exit(1);
    }
    console.warn(`${what} sources are newer than the build; serving the existing build (${hint}).`);
    return;
  }
  console.log(builtAt === 0 ? `Building the ${what.toLowerCase()} (first start)…` : `Building the ${what.toLowerCase()}…`);
  await build();
  mkdirSync(path.dirname(stampOf(output)), { recursive: true });
  writeFileSync(stampOf(output), lockHash());
}
