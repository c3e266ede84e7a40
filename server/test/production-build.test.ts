/**
 * The production build (scripts/build-server.mjs): dist/server runs with plain `node`, imports no devDependency,
 * answers its readiness check, and its WAL checkpoint worker is a real compiled file that does its work.
 */
import { execFileSync, spawn } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.join(ROOT, 'dist/server');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(full);
    return entry.name.endsWith('.js') ? [full] : [];
  });
}

/** `lodash/fp` → lodash, `@scope/pkg/x` → @scope/pkg. */
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

describe('the production build', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-server.mjs'), '--force'], { cwd: ROOT, stdio: 'pipe' });
  }, 60_000);

  it('imports only dependencies and Node built-ins at run time, never a devDependency', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const imported = new Set<string>();
    for (const file of jsFiles(DIST)) {
      const code = readFileSync(file, 'utf8');
      // What esbuild emits for a package: `from "x";`, `import "x";`, `import("x")`.
      for (const match of code.matchAll(/(?:\bfrom |\bimport |\bimport\()"((?!\.)(?:@[\w.-]+\/)?[\w.:-]+(?:\/[\w./-]+)?)"/g)) {
        imported.add(packageOf(match[1]!));
      }
    }
    const builtins = new Set(builtinModules);
    const packages = [...imported].filter((name) => !name.startsWith('node:') && !builtins.has(name));
    expect(packages).toContain('fastify');
    expect(packages).toContain('better-sqlite3');
    expect(packages.filter((name) => !(name in manifest.dependencies))).toEqual([]);
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx');
  });

  describe('started with plain node', () => {
    let dataDir: string;
    let child: ReturnType<typeof spawn>;
    let port: number;
    let fake: FakeSmsapi;
    let output = '';
    let exited: Promise<number | null>;

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'depesza-prod-'));
      port = await freePort();
      fake = await startFakeSmsapi();
      child = spawn(process.execPath, [path.join(DIST, 'main.js')], {
        cwd: ROOT,
        // No tsx anywhere: not inherited from Vitest's environment either.
        env: { PATH: process.env.PATH, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', DEMO_DIRECTORY: 'off', NODE_OPTIONS: '', SMSAPI_URL: fake.url, SMSAPI_TOKEN: fake.token },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      const collect = (chunk: Buffer) => (output += chunk.toString());
      child.stdout!.on('data', collect);
      child.stderr!.on('data', collect);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start within 20 s:\n${output}`)), 20_000);
        const check = () => {
          if (!output.includes('Depesza is running')) return;
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve();
        };
        child.stdout!.on('data', check);
        void exited.then((code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });
    }, 30_000);

    afterAll(async () => {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
      await fake.close();
    });

    it('answers its readiness check', async () => {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ready', store: 'sqlite' });
    });

    it('checkpoints the WAL from the compiled worker thread', async () => {
      // The store turns SQLite's own checkpoint off and leaves it to dist/server/checkpoint-worker.js: the schema
      // written at first start (33 pages) reaches the database file only through that worker, far below the
      // 1000-page automatic checkpoint the store falls back to when the worker dies. Without the worker file the
      // database file stays at one page until shutdown (tried).
      const file = path.join(dataDir, 'depesza.sqlite');
      const deadline = Date.now() + 10_000;
      while (statSync(file).size < 8 * 4096) {
        if (Date.now() > deadline) throw new Error(`the WAL was not checkpointed (database file ${statSync(file).size} bytes)`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });

    it('talks to SMSAPI from the compiled HTTP worker thread (the balance is read at start)', async () => {
      const deadline = Date.now() + 10_000;
      while (fake.profileReads === 0) {
        if (Date.now() > deadline) throw new Error(`SMSAPI was never asked for the balance:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });

    it('stops cleanly on SIGTERM', async () => {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('shutting down');
    });
  });
});
