/**
 * Opening a MongoDB connection that fails fast and clearly: an unreachable or wrong MONGODB_URI stops the start
 * within a few seconds with an error naming MongoDB and the host, never the password. Shared by the store, the
 * copy command and the Socket.IO adapter.
 */
import mongoose, { type Connection } from 'mongoose';
import { redactUri } from '../../../domain/redact-uri.js';

/** How long the driver looks for a usable server before giving up (the driver's default is 30 s). */
export const MONGO_SERVER_SELECTION_TIMEOUT_MS = 3_000;

/** The database Depesza uses when the URI names none (`mongodb://host:27017/?replicaSet=rs0`). */
export const DEFAULT_DATABASE = 'depesza';

/** The URI as it may be shown: no user password, no TLS key password. */
export function describeMongoUri(uri: string): string {
  return redactUri(uri).replace(/(tlsCertificateKeyFilePassword=)[^&]*/gi, '$1***');
}

/** The database named in the URI's path, or null. */
export function databaseNameOf(uri: string): string | null {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(uri);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/** Removes the URI's secrets from a driver message (which normally has none; this makes sure). */
export function scrubSecrets(message: string, uri: string): string {
  const secrets = new Set<string>();
  const userInfo = /^mongodb(?:\+srv)?:\/\/([^@/]*)@/.exec(uri)?.[1];
  const password = userInfo?.includes(':') ? userInfo.slice(userInfo.indexOf(':') + 1) : null;
  if (password) {
    secrets.add(password);
    try {
      secrets.add(decodeURIComponent(password));
    } catch {
      // a malformed escape: the raw form is enough
    }
  }
  const keyPassword = /tlsCertificateKeyFilePassword=([^&]*)/i.exec(uri)?.[1];
  if (keyPassword) secrets.add(keyPassword);
  let scrubbed = message;
  for (const secret of secrets) if (secret.length > 0) scrubbed = scrubbed.split(secret).join('***');
  return scrubbed;
}

export function mongoError(uri: string, what: string, error: unknown): Error {
  const detail = error instanceof Error ? error.message : String(error);
  return new Error(`${what} MongoDB at ${describeMongoUri(uri)}: ${scrubSecrets(detail, uri)}`);
}

export interface ConnectMongoOptions {
  /** Overrides the URI's database (tests use a fresh one per run). */
  dbName?: string;
  serverSelectionTimeoutMS?: number;
}

/** Connects and checks the server answers; the error names MongoDB and the host, and the half-open client is closed. */
export async function connectMongo(uri: string, options: ConnectMongoOptions = {}): Promise<Connection> {
  let connection: Connection | undefined;
  try {
    const timeout = options.serverSelectionTimeoutMS ?? MONGO_SERVER_SELECTION_TIMEOUT_MS;
    connection = mongoose.createConnection(uri, {
      dbName: options.dbName ?? databaseNameOf(uri) ?? DEFAULT_DATABASE,
      serverSelectionTimeoutMS: timeout,
      connectTimeoutMS: timeout,
      // Fail at once while disconnected instead of queueing operations without limit.
      bufferCommands: false,
      autoIndex: false,
      autoCreate: false,
      appName: 'depesza',
      // Every write waits for a majority of the replica set: an acknowledged message survives a failover.
      writeConcern: { w: 'majority' },
      readPreference: 'primary',
    });
    await connection.asPromise();
    await database(connection).command({ ping: 1 });
    return connection;
  } catch (error) {
    await connection?.close(true).catch(() => undefined);
    throw mongoError(uri, 'cannot connect to', error);
  }
}

export function database(connection: Connection) {
  const db = connection.db;
  if (!db) throw new Error('the MongoDB connection is not open');
  return db;
}

/**
 * Transactions need a replica set (or a sharded cluster). A single-node replica set is enough:
 * `mongod --replSet rs0` and `rs.initiate()` once.
 */
export async function requireTransactions(connection: Connection, uri: string): Promise<void> {
  const hello = (await database(connection).admin().command({ hello: 1 })) as { setName?: string; msg?: string };
  if (hello.setName || hello.msg === 'isdbgrid') return;
  throw new Error(
    `MongoDB at ${describeMongoUri(uri)} is a standalone server; Depesza needs a replica set, because a message, its ` +
      'sequence number and its SMS outbox are stored in one transaction. A single-node replica set is enough: start ' +
      'mongod with --replSet rs0, run rs.initiate() once, and add ?replicaSet=rs0 to MONGODB_URI',
  );
}

/** MongoDB's duplicate-key error, optionally on one named index. */
export function isDuplicateKey(error: unknown, indexName?: string): boolean {
  if (!error || typeof error !== 'object') return false;
  const candidates: unknown[] = [error];
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  if (Array.isArray(writeErrors)) candidates.push(...writeErrors);
  return candidates.some((candidate) => {
    const { code, message, errmsg } = candidate as { code?: unknown; message?: unknown; errmsg?: unknown };
    if (code !== 11000 && code !== 11001) return false;
    if (indexName === undefined) return true;
    const text = `${typeof message === 'string' ? message : ''} ${typeof errmsg === 'string' ? errmsg : ''}`;
    return text.includes(`index: ${indexName} `) || text.includes(`index: ${indexName}\n`) || text.endsWith(`index: ${indexName}`);
  });
}
