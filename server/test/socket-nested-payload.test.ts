/**
 * A deeply nested payload (tiny in bytes, deep enough to overflow a recursive JSON.stringify) is refused with the
 * usual error ack and one short log line, not a stack trace per packet; the connection keeps working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol.js';
import { loggerOptions } from '../src/transport/http/logger-options.js';
import { startTestApp, type ClientSocket, type TestApp } from './support/test-app.js';

/** Writes a raw Socket.IO EVENT packet with ack id `ackId` (the client library would fail to serialise this). */
function rawEvent(socket: ClientSocket, ackId: number, json: string): Promise<Ack<unknown>> {
  const engine = (socket.io as unknown as { engine: { write(data: string): void; on(e: string, f: (d: unknown) => void): void; off(e: string, f: (d: unknown) => void): void } }).engine;
  return new Promise((resolve) => {
    const listener = (data: unknown) => {
      const prefix = `3${ackId}[`;
      if (typeof data !== 'string' || !data.startsWith(prefix)) return;
      engine.off('message', listener);
      resolve((JSON.parse(data.slice(prefix.length - 1)) as [Ack<unknown>])[0]);
    };
    engine.on('message', listener);
    engine.write(`2${ackId}${json}`);
  });
}

describe('socket: deeply nested payloads', () => {
  let t: TestApp;
  let logs = '';
  beforeAll(async () => {
    const production = loggerOptions('info');
    if (typeof production !== 'object') throw new Error('loggerOptions must return options');
    t = await startTestApp({ deps: { logger: { ...production, stream: { write: (line: string) => void (logs += line) } } } });
  });
  afterAll(async () => t.stop({ remove: true }));

  it('answers VALIDATION_FAILED for each packet, logs one line each without a stack, and stays connected', async () => {
    const socket = await t.connectAs('anna');
    const depth = 200_000;
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deepObject = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    logs = '';
    const answers = await Promise.all([
      rawEvent(socket, 101, `["message:send",${deep}]`),
      rawEvent(socket, 102, `["message:send",${deepObject}]`),
      rawEvent(socket, 103, `["conversation:list",${deep}]`),
    ]);
    for (const answer of answers) {
      expect(answer.ok).toBe(false);
      if (!answer.ok) {
        expect(answer.error.code).toBe('VALIDATION_FAILED');
        expect(answer.error.message).toMatch(/nested deeper than \d+ levels/);
      }
    }
    const lines = logs.trim().split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line.length).toBeLessThan(600);
      expect(line).not.toMatch(/Maximum call stack|"stack"/);
    }
    const list = await rawEvent(socket, 104, '["conversation:list",{}]');
    expect(list.ok).toBe(true);
  });

  it('still refuses a wide payload above 64 KB with PAYLOAD_TOO_LARGE', async () => {
    const socket = await t.connectAs('bartek');
    const wide = JSON.stringify({ conversationId: 'x', clientId: 'y', text: 'z'.repeat(70 * 1024) });
    const answer = await rawEvent(socket, 201, `["message:send",${wide}]`);
    expect(answer.ok ? null : answer.error.code).toBe('PAYLOAD_TOO_LARGE');
    const many = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => i));
    const answer2 = await rawEvent(socket, 202, `["message:send",${many}]`);
    expect(answer2.ok ? null : answer2.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
