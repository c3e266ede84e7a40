/**
 * The file storage port (issue 12): bytes of attachments, content-addressed by SHA-256. Adapters: the filesystem
 * under DATA_DIR (embedded store) and GridFS (MongoDB). Every adapter runs the same contract suite
 * (`server/test/file-store-contract.ts`). Metadata (names, uploaders, messages) lives in the Store, not here.
 */
import type { Readable } from 'node:stream';

/** `put` read more than `maxBytes`; nothing was kept. */
export class FileTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`file is larger than ${maxBytes} bytes`);
    this.name = 'FileTooLarge';
  }
}

export interface StoredFile {
  sha256: string;
  size: number;
}

export interface FileStore {
  /**
   * Streams `source` into the store and resolves with its hash and size once the bytes are durable under their hash.
   * Never holds the whole file in memory. When the source fails or goes beyond `maxBytes` (FileTooLarge), it
   * rejects and nothing of this write remains (a crash meanwhile leaves at most a temporary, never a file under a hash).
   * Writing bytes that are already stored keeps one copy.
   */
  put(source: Readable, options: { maxBytes: number }): Promise<StoredFile>;
  /** The bytes, or null when no file has this hash. */
  open(sha256: string): Promise<Readable | null>;
  /** Removes the file; a missing one is not an error. */
  delete(sha256: string): Promise<void>;
}
