/**
 * Scenario 5: the SMS path. The fake SMSAPI runs in this process; every request it receives is timed (the
 * message text carries a number the send recorded its performance.now() under). Depesza is configured with it and
 * with SMS limits far above the load. Phases alternate on one Depesza process: chat alone at a steady rate, then
 * the same chat with 50 urgent messages per second, each with one SMS. Reported: Send → request at the fake
 * (p50/p99), SMS accepted per second, and chat latency with and without the SMS load; in the details, the server's
 * event-loop delay while each phase's load is offered (ipc-probe.ts), which shows whether the SMS load costs chat
 * pauses rather than throughput.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeSmsapi, type FakeSmsapiRequest } from '../../server/src/dev/fake-smsapi.js';
import { closeAll, connectAll, expectClose, type BenchClient } from '../lib/clients.js';
import { BenchFailure, type BenchContext, type ScenarioResult } from '../lib/context.js';
import { createLoad, newHistogram, summarize, type StepResult } from '../lib/load.js';
import { RateSchedule } from '../lib/scheduler.js';
import { startDepesza } from '../lib/servers.js';
import type { LoopDelayReport } from '../server/ipc-probe.js';
import { cpuTimeMicros, mainThreadCpuMicros } from '../lib/proc.js';
import { judgeStep, mergeSteps, row, type LatencySummary, type StepMeasurement } from '../lib/stats.js';
import { identitiesFor } from './messaging.js';

const SMS_TAG = /s#(\d+)#/;

interface SmsPhase {
  sent: number;
  arrived: number;
  refused: number;
  firstError?: string;
  latency: LatencySummary;
  arrivedPerSecond: number;
}

export async function smsScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const chatRate = 1000;
  const smsRate = 50;
  const stepMs = ctx.quick ? 2500 : 10_000;
  const fake = await startFakeSmsapi({ autoDeliverMs: null });
  // Time every request as it arrives; the fake keeps them in an array it pushes to.
  const arrivals = new Map<number, number>();
  const requests = fake.requests;
  requests.push = (...items: FakeSmsapiRequest[]) => {
    const now = performance.now();
    for (const item of items) {
      const match = SMS_TAG.exec(item.fields.message ?? '');
      if (match) arrivals.set(Number(match[1]), now);
    }
    return Array.prototype.push.apply(requests, items);
  };

  const server = await startDepesza(ctx.dataset.dataDir, { SMSAPI_URL: fake.url, SMSAPI_TOKEN: fake.token });
  let clients: BenchClient[] = [];
  const chat: Record<'alone' | 'withSms', StepResult[]> = { alone: [], withSms: [] };
  // The server's event-loop thread alone: what an urgent SMS costs the thread every chat message waits for.
  const mainCpu: Record<'alone' | 'withSms', number> = { alone: 0, withSms: 0 };
  // The process's other threads (the WAL checkpoint worker, the SMSAPI HTTP thread, V8's and libuv's): on the bench
  // they share the server's one core with the event loop.
  const otherCpu: Record<'alone' | 'withSms', number> = { alone: 0, withSms: 0 };
  // Its event-loop delay while the load is offered (not in the drain, whose idle samples would dilute it).
  const loopDelay: Record<'alone' | 'withSms', LoopDelayReport[]> = { alone: [], withSms: [] };
  const onMainThread = async (phase: 'alone' | 'withSms', step: (durationMs: number) => Promise<StepResult>): Promise<StepResult> => {
    const before = mainThreadCpuMicros(server.pid);
    const processBefore = cpuTimeMicros(server.pid);
    await server.loopDelay();
    const [result, delay] = await Promise.all([step(stepMs), sleep(stepMs).then(() => server.loopDelay())]);
    const main = mainThreadCpuMicros(server.pid) - before;
    mainCpu[phase] += main;
    otherCpu[phase] += cpuTimeMicros(server.pid) - processBefore - main;
    loopDelay[phase].push(delay);
    return result;
  };
  const smsPhases: Array<SmsPhase & { histogram: ReturnType<typeof newHistogram> }> = [];
  let smsNumber = 0;
  const overCapacity: string[] = [];
  try {
    clients = await connectAll(server.url, 'depesza', identitiesFor(ctx, 'depesza', 200));
    await sleep(300);
    const load = createLoad({ kind: 'depesza', clients, conversations: ctx.dataset.pairs });

    const sendSms = async (durationMs: number): Promise<SmsPhase & { histogram: ReturnType<typeof newHistogram> }> => {
      const sentAt = new Map<number, number>();
      let refused = 0;
      let firstError: string | undefined;
      const schedule = new RateSchedule(smsRate, performance.now(), durationMs);
      let sent = 0;
      while (sent < schedule.total) {
        const due = schedule.dueBy(performance.now());
        while (sent < due) {
          const pair = ctx.dataset.pairs[sent % ctx.dataset.pairs.length]!;
          const sender = clients[pair.members[sent % 2]!]!;
          const n = ++smsNumber;
          sentAt.set(n, performance.now());
          sender.socket.emit(
            'message:send',
            { conversationId: pair.id, clientId: randomUUID(), text: `s#${n}# The build server is down, please call me`, notifySms: true },
            (answer: { ok: boolean; data?: { sms?: Array<{ status: string; reason: string | null }> }; error?: { code: string } }) => {
              const status = answer.ok ? answer.data?.sms?.[0]?.status : undefined;
              if (!answer.ok || status !== 'queued') {
                refused += 1;
                firstError ??= answer.ok ? `SMS ${status ?? 'missing'}: ${answer.data?.sms?.[0]?.reason ?? ''}` : answer.error?.code;
              }
            },
          );
          sent += 1;
        }
        await sleep(Math.max(0, Math.min(20, schedule.dueAt(sent) - performance.now())));
      }
      const drainUntil = performance.now() + 10_000;
      const waiting = () => [...sentAt.keys()].filter((n) => !arrivals.has(n)).length;
      while (waiting() > 0 && performance.now() < drainUntil) await sleep(10);
      const histogram = newHistogram();
      let last = schedule.startMs;
      for (const [n, at] of sentAt) {
        const arrivedAt = arrivals.get(n);
        if (arrivedAt === undefined) continue;
        histogram.recordValue(Math.max(1, Math.round((arrivedAt - at) * 1000)));
        last = Math.max(last, arrivedAt);
      }
      const arrived = histogram.totalCount;
      return {
        sent,
        arrived,
        refused,
        ...(firstError !== undefined ? { firstError } : {}),
        latency: summarize(histogram),
        arrivedPerSecond: arrived / (Math.max(durationMs, last - schedule.startMs) / 1000),
        histogram,
      };
    };

    const chatStep = (durationMs: number) => load.runStep({ rate: chatRate, durationMs, drainMs: 3000, serverPid: server.pid });
    const judged = (result: StepResult, label: string) => {
      const verdict = judgeStep(result.measurement);
      const m = result.measurement;
      ctx.log(`  sms chat ${label}: p50 ${m.latency.p50Ms.toFixed(2)} p99 ${m.latency.p99Ms.toFixed(2)} ms, generator CPU ${(m.generatorCpu * 100).toFixed(0)}%`);
      if (verdict.kind === 'invalid') throw new BenchFailure(`SMS scenario, chat ${label}: ${verdict.reasons.join('; ')}`);
      if (verdict.kind === 'over-capacity') {
        overCapacity.push(`chat ${label}: ${verdict.reasons.join('; ')}`);
        ctx.log(`  sms chat ${label} at ${chatRate}/s did not keep up: ${verdict.reasons.join('; ')}`);
      }
      return result;
    };

    await load.runStep({ rate: chatRate, durationMs: ctx.quick ? 1000 : 3000, drainMs: 3000, serverPid: server.pid });
    await sendSms(1000); // warm the SMS path (plan, outbox, dispatcher, HTTP keep-alive)
    for (let round = 1; round <= ctx.rounds; round++) {
      await sleep(300);
      chat.alone.push(judged(await onMainThread('alone', chatStep), 'alone'));
      ctx.log(`  sms event-loop delay alone: ${describeDelay(loopDelay.alone.at(-1)!)}`);
      await sleep(300);
      const [withSms, sms] = await Promise.all([onMainThread('withSms', chatStep), sendSms(stepMs)]);
      ctx.log(`  sms event-loop delay with ${smsRate} SMS/s: ${describeDelay(loopDelay.withSms.at(-1)!)}`);
      ctx.log(`  sms CPU so far, main thread / other threads, ms: alone ${ms(mainCpu.alone)} / ${ms(otherCpu.alone)}, with SMS ${ms(mainCpu.withSms)} / ${ms(otherCpu.withSms)}`);
      chat.withSms.push(judged(withSms, `with ${smsRate} SMS/s`));
      ctx.log(`  sms: ${sms.arrived}/${sms.sent} at the fake, p50 ${sms.latency.p50Ms.toFixed(1)} ms p99 ${sms.latency.p99Ms.toFixed(1)} ms`);
      if (sms.refused > 0) throw new BenchFailure(`SMS scenario: ${sms.refused} urgent sends were refused or not queued: ${sms.firstError}`);
      smsPhases.push(sms);
    }
  } finally {
    expectClose(clients);
    await server.kill();
    closeAll(clients);
    await fake.close();
  }

  const merge = (list: StepResult[]): StepMeasurement => {
    const histogram = newHistogram();
    for (const item of list) histogram.add(item.histogram);
    return mergeSteps(list.map((i) => i.measurement), summarize(histogram));
  };
  const alone = merge(chat.alone);
  const withSms = merge(chat.withSms);
  const smsHistogram = newHistogram();
  for (const phase of smsPhases) smsHistogram.add(phase.histogram);
  const sms = summarize(smsHistogram);
  const sent = smsPhases.reduce((t, p) => t + p.sent, 0);
  const arrived = smsPhases.reduce((t, p) => t + p.arrived, 0);
  const arrivedPerSecond = smsPhases.reduce((t, p) => t + p.arrivedPerSecond, 0) / smsPhases.length;
  const s = '5 SMS';
  const perMessage = (phase: 'alone' | 'withSms', step: StepMeasurement) => (step.delivered > 0 ? mainCpu[phase] / step.delivered : null);
  const chatStep = `chat ${chatRate / 1000}k/s`;
  const worstDelay = (list: LoopDelayReport[]) => ({
    p50Ms: Math.max(...list.map((d) => d.p50Ms)),
    p99Ms: Math.max(...list.map((d) => d.p99Ms)),
    maxMs: Math.max(...list.map((d) => d.maxMs)),
  });
  return {
    rows: [
      row(s, `${smsRate} SMS/s`, 'Send → request at fake SMSAPI p50', 'ms', null, sms.p50Ms),
      row(s, `${smsRate} SMS/s`, 'Send → request at fake SMSAPI p99', 'ms', null, sms.p99Ms),
      row(s, `${smsRate} SMS/s`, 'SMS reaching the gateway', '/s', smsRate, arrivedPerSecond, `baseline = offered; ${arrived} of ${sent} arrived`),
      row(s, chatStep, 'chat p50 (baseline: no SMS load)', 'ms', alone.latency.p50Ms, withSms.latency.p50Ms, overCapacity.length > 0 ? 'over capacity' : undefined),
      row(s, chatStep, 'chat p99 (baseline: no SMS load)', 'ms', alone.latency.p99Ms, withSms.latency.p99Ms),
      row(s, chatStep, 'event-loop thread CPU per delivered message (baseline: no SMS load)', 'µs', perMessage('alone', alone), perMessage('withSms', withSms)),
    ],
    details: {
      chatRate,
      smsRate,
      overCapacity,
      alone,
      withSms,
      mainThreadCpuMicros: mainCpu,
      otherThreadsCpuMicros: otherCpu,
      // Per round, and the worst round's figures (ms above the 1 ms sampling timer).
      eventLoopDelay: { alone: loopDelay.alone, withSms: loopDelay.withSms, worstAlone: worstDelay(loopDelay.alone), worstWithSms: worstDelay(loopDelay.withSms) },
      sms: smsPhases.map(({ histogram: _h, ...rest }) => rest),
    },
    facts: {
      smsP50: sms.p50Ms,
      smsP99: sms.p99Ms,
      smsKeptUp: arrived === sent ? 1 : 0,
      smsChatP99Ratio: withSms.latency.p99Ms / alone.latency.p99Ms,
      smsLoopDelayP99Alone: worstDelay(loopDelay.alone).p99Ms,
      smsLoopDelayP99WithSms: worstDelay(loopDelay.withSms).p99Ms,
    },
  };
}

const ms = (micros: number) => (micros / 1000).toFixed(0);

function describeDelay(delay: LoopDelayReport): string {
  return `p50 ${delay.p50Ms.toFixed(2)} p99 ${delay.p99Ms.toFixed(2)} max ${delay.maxMs.toFixed(1)} ms (${delay.samples} samples)`;
}
