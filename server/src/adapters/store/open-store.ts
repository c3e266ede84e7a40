import path from 'node:path';
import type { Store } from '../../ports/store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

/**
 * The store the configuration asks for: MongoDB when MONGODB_URI is set, else the embedded SQLite file. Its own
 * module so the CLI opens a store without loading the web app; mongoose is loaded only when it is used.
 */
export async function openStore(config: { mongodbUri: string | null; dataDir: string; sqliteCommitWindowMs?: number }): Promise<Store> {
  if (config.mongodbUri) {
    const { openMongoStore } = await import('./mongo/mongo-store.js');
    return openMongoStore({ uri: config.mongodbUri });
  }
  return openSqliteStore({ file: path.join(config.dataDir, 'depesza.sqlite'), appendCommitWindowMs: config.sqliteCommitWindowMs });
}
