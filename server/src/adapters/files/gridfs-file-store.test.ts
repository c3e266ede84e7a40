/** GridFS against a real MongoDB only (MONGODB_URI); each run uses a fresh database, dropped after. */
import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { runFileStoreContract } from '../../../test/file-store-contract.js';
import { connectMongo, database } from '../store/mongo/mongo-connection.js';
import { createGridFsFileStore } from './gridfs-file-store.js';

const MONGODB_URI = process.env.MONGODB_URI?.trim() || undefined;
if (!MONGODB_URI) console.warn('GridFS file store tests skipped: set MONGODB_URI=mongodb://... to run them');

describe.skipIf(!MONGODB_URI)('GridFS FileStore against a real server (MONGODB_URI)', () => {
  runFileStoreContract('gridfs', async () => {
    const connection = await connectMongo(MONGODB_URI as string, { dbName: `depesza-files-${randomUUID().slice(0, 8)}` });
    const db = database(connection);
    return {
      files: createGridFsFileStore(connection),
      // Files and chunks alike: an aborted upload must leave neither.
      listFiles: async () => {
        const files = await db.collection('attachments.files').find({}).toArray();
        const chunks = await db.collection('attachments.chunks').countDocuments();
        const orphanChunks = files.length === 0 && chunks > 0 ? ['(orphan chunks)'] : [];
        return [...files.map((f) => String(f.filename)), ...orphanChunks];
      },
      cleanup: async () => {
        await db.dropDatabase();
        await connection.close();
      },
    };
  });
});
