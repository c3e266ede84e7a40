/**
 * `npm run directory -- import FILE.json | list`: the operator's edge to the employee directory. Thin on purpose:
 * the file is checked by checkImportFile and written by the directory service, exactly as the HTTP edge would.
 * Nothing printed here ever contains a phone number or a password.
 */
import { readFile } from 'node:fs/promises';
import { openStore } from '../adapters/store/open-store.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { mobileStatus } from '../domain/phone.js';
import { createEventBus } from '../services/event-bus.js';
import type { Store } from '../ports/store.js';
import { createDirectoryService } from '../services/directory.js';
import { checkImportFile } from '../transport/directory-import-file.js';

const USAGE = `Usage:
  npm run directory -- import FILE.json   create or update employees by login from a JSON array
  npm run directory -- list               show every employee (login, name, department, role, active, SMS reachability)`;

/** Exit codes: 1 bad input file, 2 bad configuration, 3 store unavailable, 64 bad usage (EX_USAGE). */
class CliExit extends Error {
  constructor(
    readonly code: number,
    readonly lines: string[],
  ) {
    super(lines.join('\n'));
  }
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliExit(2, [`Depesza directory: ${error.message}`]);
    throw error;
  }
}

async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  let store: Store;
  try {
    store = await openStore(config);
  } catch (error) {
    throw new CliExit(3, [`Depesza directory: cannot open the store: ${(error as Error).message}`]);
  }
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function jsonErrorPlace(text: string, error: unknown): string {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position)).split('\n');
  return ` (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
}

async function importFile(file: string): Promise<void> {
  const config = readConfig();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliExit(1, [`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    // Newer JSON.parse messages quote an excerpt of the file, which may hold a password: say only where.
    throw new CliExit(1, [`${file} is not valid JSON${jsonErrorPlace(text, error)}`, 'Nothing was imported.']);
  }
  const check = checkImportFile(content);
  if (!check.ok) {
    const lines = check.problems.map((p) => (p.index < 0 ? `file: ${p.reason}` : `row ${p.index}: ${p.reason}`));
    throw new CliExit(1, [...lines, 'Nothing was imported.']);
  }
  const result = await withStore(config, (store) =>
    createDirectoryService({ store, events: createEventBus(() => undefined) }).importRows(check.rows),
  );
  const total = result.created + result.updated;
  process.stdout.write(`Imported ${total} employee${total === 1 ? '' : 's'}: ${result.created} created, ${result.updated} updated\n`);
}

const SMS_WORDS = { ok: 'yes', missing: 'no (no number)', private: 'no (private)', invalid: 'no (invalid number)' } as const;

async function list(): Promise<void> {
  const config = readConfig();
  const employees = await withStore(config, (store) => store.employees.list({ includeInactive: true }));
  if (employees.length === 0) {
    process.stdout.write('The directory is empty.\n');
    return;
  }
  const rows = [
    ['LOGIN', 'NAME', 'DEPARTMENT', 'ROLE', 'ACTIVE', 'SMS'],
    ...employees.map((e) => [e.login, e.name, e.department ?? '', e.role, e.active ? 'yes' : 'no', SMS_WORDS[mobileStatus(e)]]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`);
  }
}

async function run(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === 'import' && rest.length === 1) return importFile(rest[0]!);
  if (command === 'list' && rest.length === 0) return list();
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  throw new CliExit(64, [command === undefined ? 'Missing command.' : `Unknown command or arguments: ${args.join(' ')}`, USAGE]);
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof CliExit) {
      process.stderr.write(`${error.lines.join('\n')}\n`);
      process.exit(error.code);
    }
    process.stderr.write(`Depesza directory failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
