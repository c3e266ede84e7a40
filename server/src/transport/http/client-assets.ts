/**
 * Serves the built client. The build writes .br and .gz copies next to each text file (scripts/precompress.ts), so
 * a response is compressed without spending CPU per request. Files under /assets/ carry a content hash in their
 * name, so browsers may keep them for a year without asking again; index.html names the current hashes, so it is
 * always revalidated (ETag → 304) and a new deployment is picked up on the next load.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

function setCachingHeaders(clientDir: string) {
  const hashedDir = path.join(clientDir, 'assets') + path.sep;
  return (response: { setHeader(name: string, value: string): unknown }, file: string): void => {
    response.setHeader('Cache-Control', file.startsWith(hashedDir) ? IMMUTABLE : REVALIDATE);
    // The same URL answers brotli, gzip or plain depending on Accept-Encoding; caches must keep them apart.
    response.setHeader('Vary', 'Accept-Encoding');
  };
}

export async function registerClientAssets(fastify: FastifyInstance, clientDir: string): Promise<void> {
  // Client routes live in the hash; the not-found handler (transport/http/errors.ts) serves index.html for deep links.
  await fastify.register(fastifyStatic, {
    root: clientDir,
    wildcard: false,
    index: 'index.html',
    preCompressed: true,
    // send's own "max-age=0" would override ours; setHeaders decides per file.
    cacheControl: false,
    setHeaders: setCachingHeaders(clientDir),
  });
}
