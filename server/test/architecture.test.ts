/**
 * The layer rules of the README, checked on every run: no import cycle in server/, shared/ or client/src, and
 * arrows that point inward (domain → shared only; services never reach transport, adapters or drivers; shared
 * stands alone). Imports are read with TypeScript's own pre-processor, so `import type`, `export … from` and
 * dynamic `import()` all count; Svelte components are read through their <script> blocks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE_DIRS = ['server', 'shared', 'client/src'];
const EXTENSIONS = ['.ts', '.svelte.ts', '.svelte'];

function isTestFile(file: string): boolean {
  return /\.(test|test-d|spec)\.ts$/.test(file) || file.startsWith('server/test/');
}

function listSources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && EXTENSIONS.some((ext) => entry.name.endsWith(ext)))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !isTestFile(file));
}

function scriptOf(file: string): string {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  if (!file.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]).join('\n');
}

/** Relative specifiers resolved to files of the walk (`./x.js` may name `x.ts`); packages stay bare names. */
function importsOf(file: string, known: Set<string>): { files: string[]; packages: string[] } {
  const { importedFiles } = ts.preProcessFile(scriptOf(file), true, true);
  const files: string[] = [];
  const packages: string[] = [];
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) {
      packages.push(fileName);
      continue;
    }
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName));
    const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`];
    const found = candidates.find((candidate) => known.has(candidate));
    if (found) files.push(found);
  }
  return { files, packages };
}

const sources = SOURCE_DIRS.flatMap(listSources);
const known = new Set(sources);
const graph = new Map(sources.map((file) => [file, importsOf(file, known)]));

/** Every cycle, each reported once, as the chain of files that closes it (depth-first, colouring nodes). */
function findCycles(): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file)?.files ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of sources) if (!state.has(file)) visit(file);
  return cycles;
}

function violations(from: string, rule: (target: string) => boolean, packages: (name: string) => boolean = () => false): string[] {
  const found: string[] = [];
  for (const [file, imports] of graph) {
    if (!file.startsWith(from)) continue;
    for (const target of imports.files) if (rule(target)) found.push(`${file} → ${target}`);
    for (const name of imports.packages) if (packages(name)) found.push(`${file} → ${name}`);
  }
  return found;
}

const DRIVERS = ['fastify', '@fastify/', 'socket.io', 'better-sqlite3', 'mongoose', 'mongodb', 'axios', 'redis', '@socket.io/'];
const isDriver = (name: string) => DRIVERS.some((driver) => name === driver || name.startsWith(driver.endsWith('/') ? driver : `${driver}/`));

describe('architecture', () => {
  it('reads a plausible import graph (guards the checks below against walking nothing)', () => {
    expect(graph.get('server/src/create-services.ts')?.files).toContain('server/src/services/messaging.ts');
    expect(graph.get('server/src/transport/socket/handlers.ts')?.files).toContain('shared/protocol.ts');
    expect([...graph.keys()].some((file) => file.endsWith('.svelte'))).toBe(true);
    expect([...graph.entries()].some(([file, imports]) => file.endsWith('.svelte') && imports.files.length > 0)).toBe(true);
  });

  it('has no import cycle in server/, shared/ or client/src', () => {
    expect(findCycles().map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('domain imports nothing outside domain and shared', () => {
    expect(violations('server/src/domain/', (target) => !target.startsWith('server/src/domain/') && !target.startsWith('shared/'))).toEqual([]);
  });

  it('services import nothing from transport or adapters, and no driver', () => {
    const outward = (target: string) => target.startsWith('server/src/transport/') || target.startsWith('server/src/adapters/');
    expect(violations('server/src/services/', outward, isDriver)).toEqual([]);
  });

  it('ports import only domain and shared', () => {
    const allowed = ['server/src/ports/', 'server/src/domain/', 'shared/'];
    expect(violations('server/src/ports/', (target) => !allowed.some((dir) => target.startsWith(dir)), isDriver)).toEqual([]);
  });

  it('adapters never reach services, transport, the app or its configuration', () => {
    const outward = ['server/src/services/', 'server/src/transport/', 'server/src/app.ts', 'server/src/config.ts'];
    expect(violations('server/src/adapters/', (target) => outward.some((dir) => target.startsWith(dir)))).toEqual([]);
  });

  it('the command-line tools open a store without loading the web app', () => {
    expect(violations('server/src/cli/', (target) => target === 'server/src/app.ts' || target.startsWith('server/src/transport/http/'))).toEqual([]);
  });

  it('shared imports nothing from server/ or client/', () => {
    expect(violations('shared/', (target) => !target.startsWith('shared/'))).toEqual([]);
  });
});
