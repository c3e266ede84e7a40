/**
 * The flood gates behind the socket and integration limits: this process's memory, Redis (Debian's redis-server
 * on a free loopback port, two connections racing like two processes) and MongoDB (with MONGODB_URI). Each holds
 * its size under parallel takes and takes from all of a key's buckets or from none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import mongoose from 'mongoose';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisFloodGate } from '../src/adapters/flood/redis-flood-gate.js';
import { createMongoFloodGate } from '../src/adapters/store/mongo/flood-gate.js';
import type { FloodGate } from '../src/ports/flood-gate.js';
import { memoryFloodGate } from '../src/services/flood-limit.js';
import { FakeClock } from './support/http-client.js';
import { freePort } from './support/free-port.js';

const REDIS_SERVER = '/usr/bin/redis-server';
const HAVE_REDIS = existsSync(REDIS_SERVER);
const MONGODB_URI = process.env.MONGODB_URI?.trim() || undefined;
if (!HAVE_REDIS) console.warn(`Flood gate over Redis skipped: ${REDIS_SERVER} is missing (apt-get install redis-server)`);
if (!MONGODB_URI) console.warn('Flood gate over MongoDB skipped: set MONGODB_URI=mongodb://... to run it');

let keys = 0;
const freshKey = () => `employee-${process.pid}-${++keys}`;

/** `gates` are views of one shared gate (one per "process"); parallel takes go round-robin through them. */
function gateContract(gates: () => FloodGate[]): void {
  it('lets exactly the bucket size through when many takes race through every process', async () => {
    const all = gates();
    const key = freshKey();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (all[i % all.length] as FloodGate).take(key, [{ name: 'messages', perMinute: 25 }])),
    );
    // The bucket refills at 25 a minute while the takes run (well under a second): at most one more may pass.
    const passed = answers.filter(Boolean).length;
    expect(passed).toBeGreaterThanOrEqual(25);
    expect(passed).toBeLessThanOrEqual(26);
  });

  it('takes from all of a key\'s buckets or from none, and keeps keys apart', async () => {
    const [gate] = gates() as [FloodGate];
    const key = freshKey();
    const events = { name: 'events', perMinute: 1000 };
    const messages = { name: 'messages', perMinute: 2 };
    expect(await gate.take(key, [events, messages])).toBe(true);
    expect(await gate.take(key, [events, messages])).toBe(true);
    expect(await gate.take(key, [events, messages])).toBe(false);
    // The refused message took no event token: 998 events are left, not 997.
    const rest = await Promise.all(Array.from({ length: 999 }, () => gate.take(key, [events])));
    expect(rest.filter(Boolean).length).toBeGreaterThanOrEqual(998);
    expect(rest.filter(Boolean).length).toBeLessThanOrEqual(999);
    expect(await gate.take(freshKey(), [messages])).toBe(true);
  });
}

describe('flood gate: memory (one process)', () => {
  const clock = new FakeClock();
  const gate = memoryFloodGate(clock);
  gateContract(() => [gate]);

  it('refills at the rate per minute, never above the size', async () => {
    const key = freshKey();
    const bucket = [{ name: 'messages', perMinute: 6 }];
    for (let i = 0; i < 6; i++) expect(await gate.take(key, bucket)).toBe(true);
    expect(await gate.take(key, bucket)).toBe(false);
    clock.advance(10_000);
    expect(await gate.take(key, bucket)).toBe(true);
    expect(await gate.take(key, bucket)).toBe(false);
    clock.advance(3_600_000);
    const after = await Promise.all(Array.from({ length: 8 }, () => gate.take(key, bucket)));
    expect(after.filter(Boolean)).toHaveLength(6);
  });
});

describe.skipIf(!HAVE_REDIS)('flood gate: Redis, two connections', () => {
  let server: ChildProcess | undefined;
  const clients: Array<{ close(): Promise<unknown> }> = [];
  const gates: FloodGate[] = [];

  beforeAll(async () => {
    const port = await freePort();
    server = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 15_000;
      const attempt = () => {
        const socket = netConnect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', () => (Date.now() > deadline ? reject(new Error('redis-server did not listen')) : setTimeout(attempt, 50)));
      };
      attempt();
    });
    for (let i = 0; i < 2; i++) {
      const client = createClient({ url: `redis://127.0.0.1:${port}` });
      await client.connect();
      clients.push(client);
      gates.push(redisFloodGate(client));
    }
  }, 30_000);
  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    server?.kill();
  });

  gateContract(() => gates);
});

describe.skipIf(!MONGODB_URI)('flood gate: MongoDB, two connections', () => {
  const dbName = `depesza_test_flood_${Date.now().toString(36)}_${process.pid}`;
  const connections: mongoose.Connection[] = [];
  const gates: FloodGate[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const connection = await mongoose.createConnection(MONGODB_URI as string, { dbName, serverSelectionTimeoutMS: 3_000 }).asPromise();
      connections.push(connection);
      gates.push(await createMongoFloodGate(connection));
    }
  }, 30_000);
  afterAll(async () => {
    await connections[0]?.dropDatabase();
    await Promise.all(connections.map((connection) => connection.close()));
  });

  gateContract(() => gates);
});
