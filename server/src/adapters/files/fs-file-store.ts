/**
 * Files under a folder (DATA_DIR/files), named by their SHA-256. A write streams to `tmp/<random>` and is renamed
 * into place only once complete and flushed, so a crash leaves at most a temporary, which the next start removes;
 * a file under a hash is always whole. Two uploads of the same bytes rename onto the same name: one copy.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStore } from '../../ports/file-store.js';
import { HashingLimit, SHA256_HEX } from './hashing-limit.js';

/** Where the bytes under `sha256` are kept below `root` (also read by the store copy, which must not write there). */
export function fsFilePath(root: string, sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new Error('not a SHA-256 hex digest');
  return path.join(root, sha256.slice(0, 2), sha256);
}

export function createFsFileStore(root: string): FileStore {
  const tmpDir = path.join(root, 'tmp');
  // Left over from a crash mid-write: never referenced by anyone, so gone before the first write.
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });

  const pathOf = (sha256: string) => fsFilePath(root, sha256);

  return {
    async put(source: Readable, { maxBytes }) {
      const tmp = path.join(tmpDir, `${randomUUID()}.part`);
      const counter = new HashingLimit(maxBytes);
      try {
        // flush: fsync before close, so the rename below never publishes bytes still only in the page cache.
        await pipeline(source, counter, createWriteStream(tmp, { flush: true }));
        const sha256 = counter.digest();
        const final = pathOf(sha256);
        await mkdir(path.dirname(final), { recursive: true });
        await rename(tmp, final);
        return { sha256, size: counter.size };
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
    },

    async open(sha256) {
      if (!SHA256_HEX.test(sha256)) return null;
      const file = pathOf(sha256);
      try {
        await stat(file);
      } catch {
        return null;
      }
      return createReadStream(file);
    },

    async delete(sha256) {
      if (!SHA256_HEX.test(sha256)) return;
      await rm(pathOf(sha256), { force: true });
    },
  };
}
