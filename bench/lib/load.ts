/**
 * Open-loop message load over connected clients, with send→receive latency on one clock: the generator both
 * sends and receives, and each message's text starts with the performance.now() of its emit. Counters and the
 * histogram cover one step at a time; messages of an earlier step (stragglers) are recognised by their tag and
 * not counted.
 */
import { randomUUID } from 'node:crypto';
import { uuidv7 } from '../../shared/ids.js';
import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import { frameSink, type BenchClient, type ServerKind } from './clients.js';
import { stringField, type AckAnswer, type FrameSink } from './fast-path.js';
import { RateSchedule, senderFor } from './scheduler.js';
import type { LatencySummary, StepMeasurement } from './stats.js';
import { cpuTimeMicros } from './proc.js';

export interface Conversation {
  id: string;
  /** Indices into the client list. */
  members: number[];
}

export interface LoadPlan {
  kind: ServerKind;
  clients: BenchClient[];
  conversations: Conversation[];
  /** Text after the timing prefix, so messages have a realistic size. */
  padding?: string;
  /**
   * The shape of the client message ids sent: 'v7' (time-ordered, as the web client sends) or 'v4' (random, as a
   * script or another client may). The store must not care (issue 17); the bench runs both.
   */
  idShape?: IdShape;
}

export type IdShape = 'v7' | 'v4';

export type Histogram = ReturnType<typeof hdr.build>;

export function newHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
}

/** Microsecond histogram → milliseconds. */
export function summarize(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) return { count: 0, p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN };
  return {
    count: histogram.totalCount,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
    maxMs: histogram.maxValue / 1000,
  };
}

interface Counters {
  tag: string;
  delivered: number;
  echoes: number;
  acked: number;
  ackErrors: number;
  firstAckError: string | undefined;
  histogram: Histogram;
}

export interface StepResult {
  measurement: StepMeasurement;
  histogram: Histogram;
  /** How late the generator emitted behind the schedule, p99 in ms (its own lag, for the record). */
  generatorLagP99Ms: number;
}

export interface StepOptions {
  rate: number;
  durationMs: number;
  /** Longest wait after the last send for deliveries to finish. */
  drainMs: number;
  serverPid: number;
}

/**
 * Attaches the receive side once per set of clients. Returns the runner for steps.
 */
export function createLoad(plan: LoadPlan) {
  const { clients, conversations } = plan;
  const newClientId = plan.idShape === 'v4' ? () => randomUUID() : () => uuidv7();
  const padding = plan.padding ?? ' Lorem ipsum dolor sit amet, consectetur adipiscing elit.';
  // Senders take turns round-robin; consecutive sends come from different conversations (position-major order).
  const routes: Array<{ client: BenchClient; conversationId: string; recipients: number; all: string[] }> = [];
  const widest = Math.max(...conversations.map((c) => c.members.length));
  for (let position = 0; position < widest; position++) {
    for (const conversation of conversations) {
      const index = conversation.members[position];
      if (index === undefined) continue;
      const client = clients[index] as BenchClient;
      const all = conversation.members.map((m) => (clients[m] as BenchClient).id);
      routes.push({ client, conversationId: conversation.id, recipients: all.length - 1, all });
    }
  }

  let counters: Counters = freshCounters('idle');
  let stepNumber = 0;

  function freshCounters(tag: string): Counters {
    return { tag, delivered: 0, echoes: 0, acked: 0, ackErrors: 0, firstAckError: undefined, histogram: newHistogram() };
  }

  // Frames are read as text (fast-path.ts): `"text":"b|<step>|<sent at>|…"` and `"senderId":"…"` are all we need.
  const sink: FrameSink = (clientId, frame) => {
    const now = performance.now();
    const text = stringField(frame, 'text');
    if (text === null || text.charCodeAt(0) !== 98 /* b */ || text.charCodeAt(1) !== 124 /* | */) return false;
    const bar = text.indexOf('|', 2);
    if (bar < 0 || text.slice(2, bar) !== counters.tag) return true; // an earlier step's straggler
    if (stringField(frame, 'senderId') === clientId) {
      counters.echoes += 1;
      return true;
    }
    const sentAt = Number(text.slice(bar + 1, text.indexOf('|', bar + 1)));
    counters.delivered += 1;
    counters.histogram.recordValue(Math.max(1, Math.round((now - sentAt) * 1000)));
    return true;
  };
  frameSink.current = sink;

  async function runStep(options: StepOptions): Promise<StepResult> {
    stepNumber += 1;
    const current = freshCounters(String(stepNumber));
    counters = current;
    const lag = newHistogram();
    const drops0 = clients.reduce((t, c) => t + c.drops, 0);
    frameSink.current = sink;
    const start = performance.now() + 5;
    const schedule = new RateSchedule(options.rate, start, options.durationMs);
    let sent = 0;
    let expected = 0;
    let lastSendAt = start;
    const cpu0 = process.cpuUsage();
    const server0 = cpuTimeMicros(options.serverPid);
    let cpuAtEnd: NodeJS.CpuUsage | null = null;

    const onAck = (answer: AckAnswer) => {
      if (answer.ok) current.acked += 1;
      else {
        current.ackErrors += 1;
        current.firstAckError ??= answer.code ?? 'malformed ack';
      }
    };

    await new Promise<void>((resolve) => {
      const endTimer = setTimeout(() => {
        cpuAtEnd = process.cpuUsage(cpu0);
      }, Math.max(0, schedule.endMs - performance.now()));
      const tick = () => {
        const now = performance.now();
        const due = schedule.dueBy(now);
        while (sent < due) {
          const route = routes[senderFor(sent, routes.length)] as (typeof routes)[number];
          const at = performance.now();
          lag.recordValue(Math.max(1, Math.round((at - schedule.dueAt(sent)) * 1000)));
          const text = `b|${current.tag}|${at.toFixed(3)}|${padding}`;
          const payload =
            plan.kind === 'relay'
              ? { conversationId: route.conversationId, clientId: newClientId(), text, to: route.all }
              : { conversationId: route.conversationId, clientId: newClientId(), text };
          route.client.fast.emitWithAck('message:send', payload, onAck);
          expected += route.recipients;
          sent += 1;
          lastSendAt = at;
        }
        if (sent >= schedule.total) {
          if (cpuAtEnd === null) {
            // The schedule ended early (rounding); stop the CPU window now.
            clearTimeout(endTimer);
            cpuAtEnd = process.cpuUsage(cpu0);
          }
          resolve();
          return;
        }
        const wait = schedule.dueAt(sent) - performance.now();
        setTimeout(tick, Math.max(0, Math.min(1, wait)));
      };
      setTimeout(tick, Math.max(0, start - performance.now()));
    });

    // Drain: until everything arrived and was acknowledged, or the drain time is up.
    const drainUntil = performance.now() + options.drainMs;
    while (performance.now() < drainUntil) {
      if (current.delivered >= expected && current.echoes >= sent && current.acked + current.ackErrors >= sent) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const serverCpu = cpuTimeMicros(options.serverPid) - server0;
    const elapsedMs = performance.now() - start;
    const windowMs = Math.max(options.durationMs, lastSendAt - start + 1000 / options.rate);
    const cpu = cpuAtEnd ?? process.cpuUsage(cpu0);
    const unanswered = sent - current.acked - current.ackErrors;
    if (unanswered > 0) current.firstAckError ??= 'timeout';
    const measurement: StepMeasurement = {
      targetRate: options.rate,
      durationS: windowMs / 1000,
      sent,
      ackErrors: current.ackErrors + Math.max(0, unanswered),
      expectedDeliveries: expected,
      delivered: current.delivered,
      missingEchoes: Math.max(0, sent - current.echoes),
      latency: summarize(current.histogram),
      generatorCpu: (cpu.user + cpu.system) / 1000 / options.durationMs,
      serverCpuMicros: serverCpu,
      serverCpu: serverCpu / 1000 / elapsedMs,
      reconnects: clients.reduce((t, c) => t + c.drops, 0) - drops0,
      ...(current.firstAckError !== undefined ? { firstAckError: current.firstAckError } : {}),
    };
    counters = freshCounters('idle');
    return { measurement, histogram: current.histogram, generatorLagP99Ms: lag.getValueAtPercentile(99) / 1000 };
  }

  return { runStep };
}
