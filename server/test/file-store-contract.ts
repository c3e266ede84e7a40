/**
 * The behaviour every FileStore adapter must show (issue 12): bytes back exactly, one copy per content, delete,
 * and a write that fails or goes over the limit leaves nothing under any hash. `listFiles` lets an adapter's test
 * say what is physically kept, so "nothing left" is checked, not assumed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTooLarge, type FileStore } from '../src/ports/file-store.js';

export type MakeFileStore = () => Promise<{ files: FileStore; listFiles: () => Promise<string[]>; cleanup: () => Promise<void> }>;

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** `bytes` in chunks of 64 KiB, as a network upload arrives. */
function chunked(bytes: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 64 * 1024) chunks.push(bytes.subarray(at, at + 64 * 1024));
  return Readable.from(chunks);
}

/** Sends `first`, then fails: the connection dropped (or the process died) mid-upload. */
function breaksAfter(first: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(first);
      } else {
        this.destroy(new Error('connection reset'));
      }
    },
  });
}

export function runFileStoreContract(name: string, make: MakeFileStore): void {
  describe(`FileStore contract: ${name}`, () => {
    let files: FileStore;
    let listFiles: () => Promise<string[]>;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ files, listFiles, cleanup } = await make());
    });
    afterEach(async () => cleanup());

    it('streams bytes in and gives them back exactly, under their SHA-256', async () => {
      const bytes = randomBytes(1024 * 1024 + 17);
      const stored = await files.put(chunked(bytes), { maxBytes: 2 * 1024 * 1024 });
      expect(stored).toEqual({ sha256: sha(bytes), size: bytes.length });
      const back = await buffer((await files.open(stored.sha256)) as Readable);
      expect(back.equals(bytes)).toBe(true);
    });

    it('keeps one copy of the same bytes written twice', async () => {
      const bytes = randomBytes(5000);
      const [a, b] = await Promise.all([files.put(chunked(bytes), { maxBytes: 10_000 }), files.put(chunked(bytes), { maxBytes: 10_000 })]);
      expect(a).toEqual(b);
      expect(await listFiles()).toHaveLength(1);
    });

    it('deletes, and a missing or malformed hash opens as null', async () => {
      const bytes = randomBytes(100);
      const { sha256 } = await files.put(chunked(bytes), { maxBytes: 1000 });
      await files.delete(sha256);
      expect(await files.open(sha256)).toBeNull();
      expect(await listFiles()).toEqual([]);
      await files.delete(sha256);
      expect(await files.open('../../etc/passwd')).toBeNull();
    });

    it('accepts exactly the limit and refuses one byte more, keeping nothing', async () => {
      const exact = randomBytes(4096);
      await expect(files.put(chunked(exact), { maxBytes: 4096 })).resolves.toMatchObject({ size: 4096 });
      await files.delete(sha(exact));
      const over = randomBytes(4097);
      await expect(files.put(chunked(over), { maxBytes: 4096 })).rejects.toBeInstanceOf(FileTooLarge);
      expect(await files.open(sha(over))).toBeNull();
      expect(await files.open(sha(over.subarray(0, 4096)))).toBeNull();
      expect(await listFiles()).toEqual([]);
    });

    it('a write that breaks off mid-stream leaves no file, whole or half', async () => {
      const first = randomBytes(200 * 1024);
      await expect(files.put(breaksAfter(first), { maxBytes: 1024 * 1024 })).rejects.toThrow('connection reset');
      expect(await files.open(sha(first))).toBeNull();
      expect(await listFiles()).toEqual([]);
    });
  });
}
