/**
 * The real stack for a spec: the fake SMSAPI and Depesza as separate processes (as `npm run demo` runs them),
 * a fresh data folder with the demo directory, and a restart that keeps the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../server/test/support/free-port.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const DEMO_PASSWORD = 'depesza-demo';
const FAKE_TOKEN = 'e2e-fake-token';

/** A process started from TypeScript sources answers within seconds on an idle machine, minutes at load 20. */
const START_TIMEOUT_MS = 150_000;

async function waitFor(url: string, child: ChildProcess, output: () => string, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${url} answered:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${output()}`);
}

function run(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  // E2E_SERVER_LOGS=1 streams both processes' output, for a spec that fails after the stack has started.
  if (process.env.E2E_SERVER_LOGS === '1') {
    child.stdout?.pipe(process.stderr);
    child.stderr?.pipe(process.stderr);
  }
  return { child, output: () => log };
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface FakeSmsapiView {
  requests: Array<{ fields: Record<string, string> }>;
  accepted: Array<{ id: string; idx: string | null; to: string; message: string }>;
}

export interface Stack {
  url: string;
  fakeUrl: string;
  dataDir: string;
  /** What the fake SMSAPI received so far. */
  fake(): Promise<FakeSmsapiView>;
  /** Stops Depesza (SIGTERM, graceful) and starts it again on the same data. */
  restart(): Promise<void>;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

/** `env`: more server configuration (e.g. SMS_IF_UNREAD_MINUTES), as an operator would set it. */
export async function startStack(options: { autoDeliverMs?: number; env?: Record<string, string> } = {}): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'depesza-e2e-'));
  const [port, fakePort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const fakeUrl = `http://127.0.0.1:${fakePort}`;

  const fake = run(['server/src/dev/fake-smsapi.ts'], {
    FAKE_SMSAPI_PORT: String(fakePort),
    FAKE_SMSAPI_TOKEN: FAKE_TOKEN,
    FAKE_SMSAPI_AUTO_DELIVER_MS: String(options.autoDeliverMs ?? 1500),
  });

  const serverEnv = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    PUBLIC_URL: url,
    LOG_LEVEL: 'warn',
    SMSAPI_TOKEN: FAKE_TOKEN,
    SMSAPI_URL: fakeUrl,
    SMSAPI_TIMEOUT_MS: '3000',
    ...options.env,
  };
  let server: ReturnType<typeof run> | null = null;

  async function startServer(): Promise<void> {
    server = run(['server/src/main.ts'], serverEnv);
    await waitFor(`${url}/readyz`, server.child, server.output);
  }
  async function stopServer(): Promise<void> {
    if (server) await stopProcess(server.child);
    server = null;
  }
  try {
    await waitFor(`${fakeUrl}/__fake/requests`, fake.child, fake.output);
    await startServer();
  } catch (error) {
    // A stack that never started is stopped here: nobody holds it to stop it later.
    await stopServer();
    await stopProcess(fake.child);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    fakeUrl,
    dataDir,
    async fake() {
      return (await (await fetch(`${fakeUrl}/__fake/requests`)).json()) as FakeSmsapiView;
    },
    async restart() {
      await stopServer();
      await startServer();
    },
    stopServer,
    startServer,
    async stop() {
      await stopServer();
      await stopProcess(fake.child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
