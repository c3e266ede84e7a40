/**
 * A Vite build plugin that writes a brotli (.br) and a gzip (.gz) copy next to every text asset of the client
 * build, so the server sends compressed files without compressing on each request (@fastify/static preCompressed).
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map)$/;
// Below this size the encoded file saves less than the header it costs.
const MIN_BYTES = 512;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)])),
  );
  return nested.flat();
}

/** Writes file.br and file.gz when each is smaller than the file; returns how many copies were written. */
export async function precompressFile(file: string): Promise<number> {
  const source = await readFile(file);
  const encoded = await Promise.all([
    brotli(source, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
      },
    }),
    gzipAsync(source, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  let written = 0;
  for (const [body, suffix] of [
    [encoded[0], '.br'],
    [encoded[1], '.gz'],
  ] as const) {
    if (body.length >= source.length) continue;
    await writeFile(file + suffix, body);
    written += 1;
  }
  return written;
}

export async function precompressDir(dir: string): Promise<number> {
  const files = (await filesUnder(dir)).filter((file) => COMPRESSIBLE.test(file));
  const sizes = await Promise.all(files.map(async (file) => ((await stat(file)).size >= MIN_BYTES ? file : null)));
  const counts = await Promise.all(sizes.filter((file): file is string => file !== null).map(precompressFile));
  return counts.reduce((a, b) => a + b, 0);
}

export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'depesza-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await precompressDir(outDir);
    },
  };
}
