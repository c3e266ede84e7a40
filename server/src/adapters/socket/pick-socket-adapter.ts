/**
 * Which Socket.IO adapter carries events between Depesza processes: Redis when REDIS_URL is set, else MongoDB
 * when MONGODB_URI is set (a capped collection watched through a change stream, so a replica set), else none —
 * one process, in-memory rooms. With an adapter, `io.to(room).emit` reaches the sockets of every process.
 * With Redis, the flood limits are kept there too (one connection serves both).
 */
import type { Server } from 'socket.io';
import type { FloodGate } from '../../ports/flood-gate.js';
import { redisFloodGate } from '../flood/redis-flood-gate.js';
import { redactUri } from '../../domain/redact-uri.js';

type AdapterFactory = Exclude<Parameters<Server['adapter']>[0], undefined>;

export interface SocketAdapterChoice {
  kind: 'redis' | 'mongo';
  /** Where the events travel, safe to log. */
  description: string;
  /** What `io.adapter()` takes. */
  adapter: AdapterFactory;
  /** Flood limits shared through the same server (Redis); absent: the store's, or memory. */
  floodGate?: FloodGate;
  /** Closes the adapter's own connections (after io.close()). */
  close(): Promise<void>;
}

export interface PickSocketAdapterOptions {
  redisUrl: string | null;
  mongodbUri: string | null;
  /** Errors after start (a lost connection that the client retries). */
  onError?: (error: unknown) => void;
}

/** How long the start waits for the adapter's server before giving up with a clear error. */
export const ADAPTER_CONNECT_TIMEOUT_MS = 3_000;
/** The capped collection of the MongoDB adapter; old events fall off the end on their own. */
export const MONGO_ADAPTER_COLLECTION = 'socket.io-adapter-events';
const MONGO_ADAPTER_COLLECTION_BYTES = 16 * 1024 * 1024;

export async function pickSocketAdapter(options: PickSocketAdapterOptions): Promise<SocketAdapterChoice | null> {
  if (options.redisUrl) return redisAdapter(options.redisUrl, options.onError);
  if (options.mongodbUri) return mongoAdapter(options.mongodbUri);
  return null;
}

async function redisAdapter(url: string, onError?: (error: unknown) => void): Promise<SocketAdapterChoice> {
  const { createClient } = await import('redis');
  const { createAdapter } = await import('@socket.io/redis-adapter');
  const deadline = Date.now() + ADAPTER_CONNECT_TIMEOUT_MS;
  let started = false;
  const pub = createClient({
    url,
    socket: {
      connectTimeout: ADAPTER_CONNECT_TIMEOUT_MS,
      // While starting: retry briefly, then fail the start. Once running: reconnect for as long as it takes.
      reconnectStrategy: (retries, cause) =>
        started ? Math.min(100 * 2 ** retries, 5_000) : Date.now() < deadline ? 250 : cause,
    },
  });
  // Publishing and subscribing need separate connections (a subscribed connection only listens).
  const sub = pub.duplicate();
  for (const client of [pub, sub]) {
    client.on('error', (error: unknown) => {
      if (started) onError?.(error);
    });
  }
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (error) {
    for (const client of [pub, sub]) {
      try {
        client.destroy();
      } catch {
        // not open: nothing to close
      }
    }
    throw new Error(`cannot connect to Redis at ${redactUri(url)}: ${(error as Error).message}`);
  }
  started = true;
  return {
    kind: 'redis',
    description: `Redis at ${redactUri(url)}`,
    adapter: createAdapter(pub, sub),
    // The publishing connection also runs commands (only the subscribed one cannot).
    floodGate: redisFloodGate(pub),
    async close() {
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}

async function mongoAdapter(uri: string): Promise<SocketAdapterChoice> {
  const { createAdapter } = await import('@socket.io/mongo-adapter');
  // Loaded only here: a static import would load mongoose (tens of MiB) into every SQLite installation.
  const { connectMongo, database, describeMongoUri, mongoError } = await import('../store/mongo/mongo-connection.js');
  const connection = await connectMongo(uri, { serverSelectionTimeoutMS: ADAPTER_CONNECT_TIMEOUT_MS });
  try {
    const db = database(connection);
    try {
      await db.createCollection(MONGO_ADAPTER_COLLECTION, { capped: true, size: MONGO_ADAPTER_COLLECTION_BYTES });
    } catch (error) {
      // 48 NamespaceExists: another process (or an earlier start) created it.
      if ((error as { code?: unknown }).code !== 48) throw error;
    }
    return {
      kind: 'mongo',
      description: `MongoDB at ${describeMongoUri(uri)} (collection ${MONGO_ADAPTER_COLLECTION})`,
      // mongoose bundles its own copy of the driver (7.8; the adapter resolves 7.9): the same API, distinct types.
      adapter: createAdapter(db.collection(MONGO_ADAPTER_COLLECTION) as unknown as Parameters<typeof createAdapter>[0]),
      async close() {
        await connection.close();
      },
    };
  } catch (error) {
    await connection.close(true).catch(() => undefined);
    throw mongoError(uri, 'cannot set up the Socket.IO adapter on', error);
  }
}
