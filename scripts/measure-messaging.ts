/**
 * A rough throughput/latency measurement for issue 3 (not a test, not the benchmark suite):
 * 200 connected socket.io-clients in 100 direct pairs, every client sending to its partner at a fixed rate for
 * a while; reports messages/s delivered and the p50/p99 time from Send (emit) to the message arriving at the
 * partner, and from Send to the ack.
 *
 *   npx tsx scripts/measure-messaging.ts [--rates 500,1000,2000] [--seconds 10] [--clients 200]
 *
 * The server runs in a child process (the real app on a real port over a real SQLite file in a temp folder,
 * flood limits raised), the clients in this one, so both sides get a core of their own where there are two.
 */
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { io as connect } from 'socket.io-client';
import type { Ack } from '../shared/protocol.js';
import type { ConversationSummary, ImportRow, Message } from '../shared/schemas/index.js';
import type { ClientSocket } from '../server/test/support/test-app.js';

const PASSWORD = 'measure-password-1';
const loginOf = (i: number) => `user${String(i).padStart(3, '0')}`;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

// ---------- child: the server ----------
async function runServer(clients: number): Promise<void> {
  const { startTestApp } = await import('../server/test/support/test-app.js');
  const people: ImportRow[] = Array.from({ length: clients }, (_, i) => ({ login: loginOf(i), name: `User ${i}`, password: PASSWORD }));
  const t = await startTestApp({
    people,
    env: { RATE_LIMIT_MESSAGES_PER_MINUTE: '10000000', RATE_LIMIT_EVENTS_PER_MINUTE: '10000000' },
  });
  process.on('message', (message) => {
    if (message === 'stop') void t.stop({ remove: true }).then(() => process.exit(0));
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
  process.send?.({ url: t.url });
}

// ---------- parent: the clients ----------
interface Client {
  socket: ClientSocket;
  employeeId: string;
  conversationId: string;
}

async function signIn(url: string, login: string): Promise<{ cookie: string; id: string }> {
  const response = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${login}: ${response.status}`);
  const me = (await response.json()) as { id: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '', id: me.id };
}

function open(url: string, cookie: string): Promise<ClientSocket> {
  const socket: ClientSocket = connect(url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

function ask<T>(socket: ClientSocket, event: string, payload: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    (socket as unknown as { emit: (...args: unknown[]) => void }).emit(event, payload, (answer: Ack<T>) =>
      answer.ok ? resolve(answer.data) : reject(new Error(`${answer.error.code}: ${answer.error.message}`)),
    ),
  );
}

const pct = (cpuMs: number, wallMs: number) => `${Math.round((100 * cpuMs) / wallMs)}%`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface RoundResult {
  rate: number;
  sent: number;
  acked: number;
  delivered: number;
  failedAcks: number;
  sendWindowS: number;
  deliveredPerS: number;
  deliveryP50: number;
  deliveryP99: number;
  deliveryMax: number;
  ackP50: number;
  ackP99: number;
  /** Wall-clock duration of the round and CPU used by the server and client processes in it, all in ms. */
  wallMs: number;
  serverCpu: number;
  clientCpu: number;
}

async function round(clients: Client[], rate: number, seconds: number): Promise<RoundResult> {
  const sentAt = new Map<string, number>();
  const deliveryMs: number[] = [];
  const ackMs: number[] = [];
  let acked = 0;
  let failedAcks = 0;
  let lastDelivery = 0;
  const listeners = clients.map((client) => {
    const listener = (message: Message) => {
      if (message.senderId === client.employeeId) return; // the sender's own echo
      const at = sentAt.get(message.clientId);
      if (at === undefined) return;
      const now = performance.now();
      deliveryMs.push(now - at);
      lastDelivery = now;
    };
    client.socket.on('message:new', listener);
    return listener;
  });

  const perClientIntervalMs = (clients.length / rate) * 1000;
  const started = performance.now();
  const until = started + seconds * 1000;
  let sent = 0;
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          // Spread the clients over one interval so the load is even rather than in bursts.
          let next = started + Math.random() * perClientIntervalMs;
          const tick = () => {
            const now = performance.now();
            while (next <= now && next < until) {
              const clientId = randomUUID();
              const at = performance.now();
              sentAt.set(clientId, at);
              sent += 1;
              client.socket.emit('message:send', { conversationId: client.conversationId, clientId, text: `measure ${clientId}` }, (answer) => {
                if (answer.ok) {
                  acked += 1;
                  ackMs.push(performance.now() - at);
                } else failedAcks += 1;
              });
              next += perClientIntervalMs;
            }
            if (next >= until) return resolve();
            setTimeout(tick, Math.max(0, next - performance.now()));
          };
          setTimeout(tick, Math.max(0, next - performance.now()));
        }),
    ),
  );
  const sendWindowS = (performance.now() - started) / 1000;
  // Let what is in flight arrive (bounded).
  const drainUntil = performance.now() + 15_000;
  while ((deliveryMs.length < sent || acked + failedAcks < sent) && performance.now() < drainUntil) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  clients.forEach((client, i) => client.socket.off('message:new', listeners[i]));

  deliveryMs.sort((a, b) => a - b);
  ackMs.sort((a, b) => a - b);
  const elapsedS = ((lastDelivery || performance.now()) - started) / 1000;
  return {
    rate,
    sent,
    acked,
    delivered: deliveryMs.length,
    failedAcks,
    sendWindowS,
    deliveredPerS: deliveryMs.length / elapsedS,
    deliveryP50: percentile(deliveryMs, 50),
    deliveryP99: percentile(deliveryMs, 99),
    deliveryMax: deliveryMs.at(-1) ?? NaN,
    ackP50: percentile(ackMs, 50),
    ackP99: percentile(ackMs, 99),
    wallMs: performance.now() - started,
    serverCpu: NaN,
    clientCpu: NaN,
  };
}

async function main(): Promise<void> {
  const clientCount = Number(option('clients', '200'));
  if (process.argv[2] === 'server') return runServer(clientCount);

  const rates = option('rates', '500,1000,2000').split(',').map(Number);
  const seconds = Number(option('seconds', '10'));
  const server = fork(fileURLToPath(import.meta.url), ['server', '--clients', String(clientCount)], {
    stdio: 'inherit',
    execArgv: [...process.execArgv, ...(process.env.MEASURE_SERVER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [])],
  });
  /** CPU time the server process used, in ms, so a round can report how busy the server was. */
  const serverCpuMs = () =>
    new Promise<number>((resolve) => {
      const listener = (message: unknown) => {
        const cpu = (message as { cpu?: NodeJS.CpuUsage }).cpu;
        if (!cpu) return;
        server.off('message', listener);
        resolve((cpu.user + cpu.system) / 1000);
      };
      server.on('message', listener);
      server.send('cpu');
    });
  const url = await new Promise<string>((resolve, reject) => {
    server.once('message', (message) => resolve((message as { url: string }).url));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });

  try {
    const identities = [];
    for (let i = 0; i < clientCount; i += 1) identities.push(await signIn(url, loginOf(i)));
    const sockets = await Promise.all(identities.map((identity) => open(url, identity.cookie)));
    const half = clientCount / 2;
    const clients: Client[] = [];
    for (let i = 0; i < half; i += 1) {
      const a = identities[i] as { id: string };
      const b = identities[i + half] as { id: string };
      const conversation = await ask<ConversationSummary>(sockets[i] as ClientSocket, 'conversation:openDirect', { employeeId: b.id });
      clients.push({ socket: sockets[i] as ClientSocket, employeeId: a.id, conversationId: conversation.id });
      clients.push({ socket: sockets[i + half] as ClientSocket, employeeId: b.id, conversationId: conversation.id });
    }
    console.log(`${clientCount} clients connected in ${half} direct pairs; ${seconds} s per rate; server at ${url}`);
    // Other work on the machine skews every figure below; say how busy it was.
    console.log(`${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

    // A short warm-up so the first measured round does not pay for JIT and SQLite page cache.
    await round(clients, Math.min(...rates) / 2, 2);
    const results: RoundResult[] = [];
    for (const rate of rates) {
      const cpuBefore = await serverCpuMs();
      const clientCpuBefore = process.cpuUsage();
      const result = await round(clients, rate, seconds);
      const clientCpu = process.cpuUsage(clientCpuBefore);
      result.serverCpu = (await serverCpuMs()) - cpuBefore;
      result.clientCpu = (clientCpu.user + clientCpu.system) / 1000;
      results.push(result);
      console.log(
        `target ${rate} msg/s: sent ${result.sent}, acked ${result.acked}, delivered ${result.delivered}` +
          (result.failedAcks ? `, failed acks ${result.failedAcks}` : '') +
          ` → ${result.deliveredPerS.toFixed(0)} msg/s delivered; Send→receive p50 ${result.deliveryP50.toFixed(1)} ms,` +
          ` p99 ${result.deliveryP99.toFixed(1)} ms, max ${result.deliveryMax.toFixed(1)} ms; ack p50 ${result.ackP50.toFixed(1)} ms, p99 ${result.ackP99.toFixed(1)} ms;` +
          ` CPU server ${pct(result.serverCpu, result.wallMs)}, clients ${pct(result.clientCpu, result.wallMs)}; load ${loadavg()[0]?.toFixed(1)}`,
      );
    }
    console.table(
      results.map((r) => ({
        'target msg/s': r.rate,
        'delivered msg/s': Math.round(r.deliveredPerS),
        // Still in flight when the bounded drain ended (the server fell behind), not lost.
        'undelivered after drain': r.sent - r.delivered,
        'p50 ms': Number(r.deliveryP50.toFixed(1)),
        'p99 ms': Number(r.deliveryP99.toFixed(1)),
        'ack p99 ms': Number(r.ackP99.toFixed(1)),
        'server CPU': pct(r.serverCpu, r.wallMs),
        'clients CPU': pct(r.clientCpu, r.wallMs),
      })),
    );
    for (const socket of sockets) socket.disconnect();
  } finally {
    server.send('stop');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
