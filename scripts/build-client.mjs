// Builds the Svelte client when dist/client is missing or older than any source it is built from, so that
// `npm start` and the end-to-end tests always serve the current client without rebuilding needlessly.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist/client/index.html');
const sources = ['client', 'shared', 'vite.config.ts', 'scripts/precompress.ts', 'package-lock.json'].map((p) => path.join(root, p));

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

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const force = process.argv.includes('--force');
if (force || builtAt < Math.max(...sources.map(newestMtime))) {
  console.log(builtAt === 0 ? 'Building the client (first start)…' : 'Client sources changed: rebuilding…');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
} else {
  console.log('Client build is up to date.');
}
