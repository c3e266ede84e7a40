/** A pass-through that hashes and counts what flows, and fails with FileTooLarge past the limit. */
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { FileTooLarge } from '../../ports/file-store.js';

export class HashingLimit extends Transform {
  readonly #hash = createHash('sha256');
  size = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      done(new FileTooLarge(this.maxBytes));
      return;
    }
    this.#hash.update(chunk);
    done(null, chunk);
  }

  /** Call once the stream has ended. */
  digest(): string {
    return this.#hash.digest('hex');
  }
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
