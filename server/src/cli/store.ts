/**
 * `npm run store -- copy --from sqlite:DATA_DIR --to MONGODB_URI`: moves an installation's data from its SQLite
 * file into an empty MongoDB database, keeping every id and sequence number, and says what it copied. `--to` may
 * be left out when MONGODB_URI is set. Stop Depesza first: the copy reads one snapshot of the SQLite file.
 */
import { pathToFileURL } from 'node:url';
import { openSqliteExport } from '../adapters/store/sqlite/sqlite-export.js';
import { openMongoImport } from '../adapters/store/mongo/mongo-import.js';
import type { StoreExport, StoreImport } from '../ports/store-copy.js';
import { COUNT_LABELS, copyStore } from '../services/store-copy.js';

export const USAGE = `Usage: npm run store -- copy --from sqlite:DATA_DIR [--to MONGODB_URI]

  copy   copies everything Depesza stores (employees, sessions, conversations with their members and mutes, messages
         with ids and sequence numbers kept, SMS dispatches, templates, integrations with their hashed tokens, bulk SMS
         jobs, acknowledgements, notifications, attachments' records, SMS replies, admin alerts) from a SQLite store
         into an empty MongoDB database, attachments' bytes (DATA_DIR/files) into its GridFS.
         DATA_DIR is the folder holding depesza.sqlite (or the file itself); --to defaults to $MONGODB_URI.
         Stop Depesza before copying.`;

export class UsageError extends Error {}

export interface CopyArgs {
  command: 'copy';
  from: string;
  to: string;
}

export function parseArgs(argv: string[], env: Record<string, string | undefined> = process.env): CopyArgs {
  const [command, ...rest] = argv;
  if (command !== 'copy') throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  const values: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const match = /^--(from|to)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unknown argument "${arg.replace(/\/\/[^@/]*@/, '//***@')}"`);
    const value = match[2] ?? rest[++i];
    if (value === undefined || value === '') throw new UsageError(`--${match[1]} needs a value`);
    values[match[1] as string] = value;
  }
  const from = values.from;
  if (!from) throw new UsageError('--from sqlite:DATA_DIR is required');
  if (!from.startsWith('sqlite:') || from.length === 'sqlite:'.length) {
    throw new UsageError(`--from must be sqlite:DATA_DIR (the only source so far), got "${from}"`);
  }
  const to = values.to ?? env.MONGODB_URI?.trim();
  if (!to) throw new UsageError('--to MONGODB_URI is required (or set MONGODB_URI)');
  if (!/^mongodb(\+srv)?:\/\/./.test(to)) throw new UsageError('--to must be a mongodb:// or mongodb+srv:// URI');
  return { command: 'copy', from: from.slice('sqlite:'.length), to };
}

export async function runStoreCli(
  argv: string[],
  io: { out: (line: string) => void; err: (line: string) => void } = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  },
): Promise<number> {
  let args: CopyArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`depesza store: ${error.message}\n\n${USAGE}`);
    return 2;
  }

  let from: StoreExport | null = null;
  let to: StoreImport | null = null;
  try {
    from = openSqliteExport(args.from);
    to = await openMongoImport({ uri: args.to });
    io.out(`Copying ${from.description} → ${to.description}`);
    const copied = await copyStore(from, to);
    io.out('Copied:');
    const width = Math.max(...Object.values(COUNT_LABELS).map((label) => label.length));
    for (const [key, label] of Object.entries(COUNT_LABELS)) io.out(`  ${label.padEnd(width)} ${copied[key as keyof typeof copied]}`);
    io.out(`  ${"attachments' files".padEnd(width)} ${copied.files}`);
    if (copied.missingFiles > 0) io.err(`depesza store: ${copied.missingFiles} attachments' files were missing in the source already`);
    io.out('Set MONGODB_URI to this database and start Depesza; keep the SQLite file as a backup.');
    return 0;
  } catch (error) {
    io.err(`depesza store: ${(error as Error).message}`);
    return 1;
  } finally {
    await from?.close().catch(() => undefined);
    await to?.close().catch(() => undefined);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runStoreCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`depesza store: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
