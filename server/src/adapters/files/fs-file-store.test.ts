import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFileStoreContract } from '../../../test/file-store-contract.js';
import { createFsFileStore } from './fs-file-store.js';

/** Every regular file under `root`, temporaries included: "nothing left" means nothing on disk. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

runFileStoreContract('filesystem', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'depesza-files-'));
  return {
    files: createFsFileStore(root),
    listFiles: async () => filesUnder(root),
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
});

describe('filesystem FileStore', () => {
  it('removes temporaries a crash left behind when it opens', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'depesza-files-'));
    try {
      mkdirSync(path.join(root, 'tmp'), { recursive: true });
      writeFileSync(path.join(root, 'tmp', 'left-by-a-crash.part'), 'half a file');
      createFsFileStore(root);
      expect(filesUnder(root)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
