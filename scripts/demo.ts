/**
 * `npm run demo`: Depesza wired to the loopback fake SMSAPI, so a newcomer sees the whole "Notify immediately by
 * SMS" flow — sent, then delivered a few seconds later when the fake calls the delivery-report URL back — without
 * an SMSAPI account and without any SMS leaving the machine.
 *
 *   npx tsx scripts/demo.ts            (PORT picks Depesza's port, default 3000; LOG_LEVEL defaults to error)
 *
 * Everything lives in a fresh temporary folder with the demo company, removed again on Ctrl+C.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../server/src/config.js';
import { startFakeSmsapi, type FakeSmsapi } from '../server/src/dev/fake-smsapi.js';
import { DEMO_PASSWORD } from '../server/src/services/demo-directory.js';
import { StartupError, startServer, type RunningServer } from '../server/src/start-server.js';

const AUTO_DELIVER_MS = 3000;
const HOST = '127.0.0.1';
const CLIENT_INDEX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/client/index.html');

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Tells what the fake SMSAPI is doing, as it happens (never the numbers: the demo's own rule). */
function narrate(fake: FakeSmsapi): NodeJS.Timeout {
  let requests = 0;
  let accepted = 0;
  let callbacks = 0;
  const timer = setInterval(() => {
    for (const request of fake.requests.slice(requests)) say(`  fake SMSAPI ← POST ${request.path} (idx ${request.fields.idx ?? '-'})`);
    for (const sms of fake.accepted.slice(accepted)) {
      say(`  fake SMSAPI   accepted SMS ${sms.id} (${sms.parts} part${sms.parts === 1 ? '' : 's'}, ${sms.points} points)`);
    }
    for (const callback of fake.callbacks.slice(callbacks)) {
      const status = new URL(callback.url).searchParams.get('status_name') ?? '?';
      const answer = callback.error ?? `HTTP ${callback.httpStatus} ${JSON.stringify(callback.body)}`;
      say(`  fake SMSAPI → delivery report ${status} to Depesza: ${answer}`);
    }
    requests = fake.requests.length;
    accepted = fake.accepted.length;
    callbacks = fake.callbacks.length;
  }, 250);
  timer.unref();
  return timer;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'depesza-demo-'));
  let fake: FakeSmsapi | null = null;
  let server: RunningServer | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await server?.close().catch(() => undefined);
    await fake?.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  fake = await startFakeSmsapi({ host: HOST, autoDeliverMs: AUTO_DELIVER_MS });
  say(`Fake SMSAPI listening on ${fake.url} (reports every SMS DELIVERED after ${AUTO_DELIVER_MS / 1000} s)`);

  let config;
  try {
    const port = process.env.PORT?.trim() || '3000';
    config = loadConfig({
      ...process.env,
      HOST,
      PORT: port,
      PUBLIC_URL: `http://${HOST}:${port}`,
      DATA_DIR: dataDir,
      DEMO_DIRECTORY: 'on',
      LOG_LEVEL: process.env.LOG_LEVEL || 'error',
      // The demo always runs on its own SQLite file and the fake, whatever the shell has set for real use.
      MONGODB_URI: '',
      REDIS_URL: '',
      SMSAPI_URL: fake.url,
      SMSAPI_TOKEN: fake.token,
      SMSAPI_SENDER: '',
      SMSAPI_TEST: 'off',
      SMSAPI_CALLBACK_SECRET: '',
    });
  } catch (error) {
    process.stderr.write(`The demo cannot start: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    return stop(2);
  }

  try {
    server = await startServer(config);
  } catch (error) {
    const hint = error instanceof StartupError && error.exitCode === 4 ? ' (try another port: PORT=3100 npm run demo)' : '';
    process.stderr.write(`The demo cannot start: ${(error as Error).message}${hint}\n`);
    return stop(error instanceof StartupError ? error.exitCode : 1);
  }

  say(`Depesza running at ${server.url} — SMSAPI_URL=${fake.url}, delivery reports to ${server.url}/api/sms/callback/…`);
  say(`Data (demo company, removed on exit): ${dataDir}`);
  if (!existsSync(CLIENT_INDEX)) say('The web client is not built yet: run `npm run build` once, then restart the demo.');
  say();
  say(`Sign in as anna (admin), bartek, celina, darek, ewa or filip — password: ${DEMO_PASSWORD}`);
  say('Then: open a chat with Bartek Nowak, tick "Notify immediately by SMS" and send. You will see "SMS to Bartek');
  say('Nowak sent", then "delivered" a few seconds later. Celina (private number), Ewa (no number) and Filip');
  say('(invalid number) show why no SMS went out. Admins see everything under SMS report.');
  say('Press Ctrl+C to stop.');
  say();
  narrate(fake);
}

void main();
