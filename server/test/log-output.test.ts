/**
 * Log lines: JSON unless stdout is a terminal and a pretty-printer is installed. pino-pretty is not a dependency,
 * so the terminal case runs through a stand-in transport module written here (pino loads it the same way).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loggerOptions } from '../src/transport/http/logger-options.js';

const dir = mkdtempSync(path.join(tmpdir(), 'depesza-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const abstractTransport = path.resolve(import.meta.dirname, '../../node_modules/pino-abstract-transport/index.js');

/** A transport like pino-pretty: it gets each record as an object and writes its own line (here: into a file). */
function standIn(out: string): string {
  const file = path.join(dir, `pretty-${Math.random().toString(36).slice(2)}.cjs`);
  writeFileSync(
    file,
    `const build = require(${JSON.stringify(abstractTransport)});
     const { appendFileSync } = require('node:fs');
     module.exports = () => build(async (source) => { try { for await (const o of source) appendFileSync(${JSON.stringify(out)}, 'PRETTY ' + o.msg + ' ' + JSON.stringify(o.req ?? null) + '\\n'); } catch { /* the worker is stopped at close */ } });`,
  );
  return file;
}

/** Logs one request and returns what reached `out` once the transport (a worker thread) wrote the response line. */
async function logOneRequest(options: ReturnType<typeof loggerOptions>, out: string): Promise<string> {
  const app = Fastify({ logger: options });
  app.get('/x', async () => 'ok');
  await app.inject({ method: 'GET', url: '/x?to=48501234567', headers: { cookie: 'depesza_session=secret' } });
  const lines = await vi.waitFor(() => {
    const text = readFileSync(out, 'utf8');
    if (!text.includes('request completed')) throw new Error('not written yet');
    return text;
  }, { timeout: 10_000, interval: 20 });
  await app.close();
  return lines;
}

describe('log output', () => {
  it('hands records to the pretty-printer only when stdout is a terminal, with the same redaction', async () => {
    const out = path.join(dir, 'pretty.log');
    writeFileSync(out, '');
    const module = standIn(out);
    const lines = await logOneRequest(loggerOptions('info', { terminal: true, prettyModule: module }), out);
    expect(lines).toContain('PRETTY incoming request');
    expect(lines).toContain('"url":"/x"');
    expect(lines).not.toContain('48501234567');
    expect(lines).not.toContain('secret');

    for (const output of [{ terminal: false, prettyModule: module }, { terminal: true, prettyModule: null }]) {
      const options = loggerOptions('info', output);
      expect(options).not.toHaveProperty('transport');
    }
  });
});
