/**
 * Files in MongoDB's GridFS (bucket "attachments"), named by their SHA-256. A write streams under a temporary
 * name and is renamed to its hash only once complete; a failed write aborts (its chunks are removed), and a file
 * document is written by GridFS only at the end, so a crash never leaves a file under a hash. Tested against a
 * real server only (MONGODB_URI).
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mongo, type Connection } from 'mongoose';
import type { FileStore } from '../../ports/file-store.js';
import { database } from '../store/mongo/mongo-connection.js';
import { HashingLimit, SHA256_HEX } from './hashing-limit.js';

const TEMP_PREFIX = 'tmp/';

export function createGridFsFileStore(connection: Connection): FileStore {
  const bucket = () => new mongo.GridFSBucket(database(connection), { bucketName: 'attachments' });

  async function idsNamed(name: string) {
    const files = await bucket().find({ filename: name }, { projection: { _id: 1 } }).toArray();
    return files.map((f) => f._id);
  }

  return {
    async put(source: Readable, { maxBytes }) {
      const target = bucket();
      const upload = target.openUploadStream(`${TEMP_PREFIX}${randomUUID()}`);
      const counter = new HashingLimit(maxBytes);
      try {
        await pipeline(source, counter, upload);
      } catch (error) {
        await upload.abort().catch(() => undefined);
        await target.delete(upload.id).catch(() => undefined);
        throw error;
      }
      const sha256 = counter.digest();
      if ((await idsNamed(sha256)).length > 0) await target.delete(upload.id);
      else await target.rename(upload.id, sha256);
      return { sha256, size: counter.size };
    },

    async open(sha256) {
      if (!SHA256_HEX.test(sha256)) return null;
      const [id] = await idsNamed(sha256);
      return id === undefined ? null : bucket().openDownloadStream(id);
    },

    async delete(sha256) {
      if (!SHA256_HEX.test(sha256)) return;
      const target = bucket();
      for (const id of await idsNamed(sha256)) await target.delete(id).catch(() => undefined);
    },
  };
}
