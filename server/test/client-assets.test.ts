import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompressDir } from '../../scripts/precompress.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request over real HTTP that sends exactly the headers given and returns the body as it came on the wire. */
function get(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// A client build in miniature, compressed by the same plugin code the Vite build runs.
const SCRIPT = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word number ${i}`))};\n`;
const INDEX = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Depesza</title>
<script type="module" crossorigin src="/assets/app-Ab12Cd34.js"></script>
<link rel="stylesheet" href="/assets/app-Ef56Gh78.css"></head><body>${'<!-- padding so the page is worth compressing -->'.repeat(20)}<div id="app"></div></body></html>`;

describe('the built client is served precompressed and cached by what its name promises', () => {
  let t: TestApp;
  let clientDir: string;

  beforeAll(async () => {
    clientDir = mkdtempSync(path.join(tmpdir(), 'depesza-client-'));
    mkdirSync(path.join(clientDir, 'assets'));
    writeFileSync(path.join(clientDir, 'index.html'), INDEX);
    writeFileSync(path.join(clientDir, 'assets/app-Ab12Cd34.js'), SCRIPT);
    writeFileSync(path.join(clientDir, 'assets/app-Ef56Gh78.css'), 'body{margin:0}');
    await precompressDir(clientDir);
    t = await startTestApp({ deps: { clientDir } });
  });
  afterAll(async () => {
    await t.stop({ remove: true });
    rmSync(clientDir, { recursive: true, force: true });
  });

  it('writes brotli and gzip copies of text files worth compressing, and none of tiny ones', () => {
    expect(readdirSync(path.join(clientDir, 'assets')).sort()).toEqual([
      'app-Ab12Cd34.js',
      'app-Ab12Cd34.js.br',
      'app-Ab12Cd34.js.gz',
      'app-Ef56Gh78.css',
    ]);
  });

  it('sends brotli to a browser that accepts it, cached for a year as immutable', async () => {
    const res = await get(`${t.url}/assets/app-Ab12Cd34.js`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body.length).toBeLessThan(SCRIPT.length / 3);
    expect(brotliDecompressSync(res.body).toString()).toBe(SCRIPT);
  });

  it('sends gzip when brotli is not accepted, and the plain file when nothing is', async () => {
    const gzipped = await get(`${t.url}/assets/app-Ab12Cd34.js`, { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString()).toBe(SCRIPT);

    const plain = await get(`${t.url}/assets/app-Ab12Cd34.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toMatch(/accept-encoding/i);
    expect(plain.body.toString()).toBe(SCRIPT);
  });

  it('sends a file without a compressed copy as it is, still immutable under /assets/', async () => {
    const res = await get(`${t.url}/assets/app-Ef56Gh78.css`, { 'accept-encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body.toString()).toBe('body{margin:0}');
  });

  it('never lets index.html be reused without asking, and answers the question with 304', async () => {
    const first = await get(`${t.url}/`, { 'accept-encoding': 'br' });
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/html/);
    expect(first.headers['content-encoding']).toBe('br');
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(first.body).toString()).toBe(INDEX);

    const etag = first.headers['etag'];
    expect(etag).toBeTruthy();
    const again = await get(`${t.url}/`, { 'accept-encoding': 'br', 'if-none-match': String(etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('serves index.html, uncached, for a deep link', async () => {
    const res = await get(`${t.url}/directory`, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(gunzipSync(res.body).toString()).toBe(INDEX);
  });

  it('answers a missing hashed asset with 404 rather than the page (a stale tab must not run HTML as a script)', async () => {
    const res = await get(`${t.url}/assets/app-gone0000.js`, { 'accept-encoding': 'br' });
    expect(res.status).toBe(404);
    expect(res.headers['cache-control'] ?? '').not.toMatch(/immutable/);
  });
});
