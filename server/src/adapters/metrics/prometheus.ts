/**
 * Operator metrics in Prometheus's format (prom-client), for dashboards only: they start at zero with each
 * process and promise nothing. The instruments wrap ports at the wiring (app.ts) — the store's append and SMS
 * updates, the SMS gateway — and read the socket server, so no service knows about them. The SQLite writer
 * publishes its batch sizes on a diagnostics channel, free while nobody listens.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SmsGateway } from '../../ports/sms-gateway.js';
import { APPEND_BATCH_CHANNEL } from '../store/append-batch-channel.js';
import type { Store } from '../../ports/store.js';

export interface Metrics {
  registry: Registry;
  instrumentStore(store: Store): Store;
  instrumentGateway(gateway: SmsGateway): SmsGateway;
  /** The connected sockets of this process, read at each scrape. */
  countSockets(count: () => number): void;
  close(): void;
}

const FINAL_REPORTS = new Set(['delivered', 'undelivered', 'expired']);

export function createMetrics(now: () => number = Date.now): Metrics {
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_seconds and its percentiles, heap and GC figures.
  collectDefaultMetrics({ register: registry });
  const stored = new Counter({ name: 'depesza_messages_stored_total', help: 'Messages stored (retries of a stored message not counted)', registers: [registry] });
  const batches = new Histogram({
    name: 'depesza_append_batch_size',
    help: 'Messages committed together in one SQLite transaction',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [registry],
  });
  const smsStatus = new Counter({
    name: 'depesza_sms_status_changes_total',
    help: 'SMS dispatches that reached a status (sent, delivered, failed, …) after being queued',
    labelNames: ['status'],
    registers: [registry],
  });
  const gatewayLatency = new Histogram({
    name: 'depesza_sms_gateway_request_seconds',
    help: 'Duration of one request to the SMS gateway',
    labelNames: ['outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const reportLag = new Histogram({
    name: 'depesza_sms_delivery_report_lag_seconds',
    help: 'From the urgent message to the final delivery report of its SMS',
    buckets: [1, 5, 15, 30, 60, 300, 900, 3600, 6 * 3600],
    registers: [registry],
  });
  let sockets: () => number = () => 0;
  new Gauge({
    name: 'depesza_connected_sockets',
    help: 'Socket.IO connections to this process',
    registers: [registry],
    collect() {
      this.set(sockets());
    },
  });
  const onBatch = (size: unknown) => batches.observe(size as number);
  subscribe(APPEND_BATCH_CHANNEL, onBatch);

  return {
    registry,
    instrumentStore(store) {
      const messages = Object.create(store.messages) as Store['messages'];
      messages.append = async (input) => {
        const result = await store.messages.append(input);
        if (result.created) stored.inc();
        return result;
      };
      const sms = Object.create(store.sms) as Store['sms'];
      sms.update = async (id, patch, expectedStatuses) => {
        const updated = await store.sms.update(id, patch, expectedStatuses);
        if (updated && patch.status) {
          smsStatus.inc({ status: patch.status });
          if (FINAL_REPORTS.has(patch.status)) reportLag.observe((now() - updated.createdAt.getTime()) / 1000);
        }
        return updated;
      };
      const instrumented = Object.create(store) as Store;
      Object.assign(instrumented, { messages, sms });
      return instrumented;
    },
    instrumentGateway(gateway) {
      return {
        async send(request) {
          const end = gatewayLatency.startTimer();
          try {
            const result = await gateway.send(request);
            end({ outcome: 'answered' });
            return result;
          } catch (error) {
            end({ outcome: 'error' });
            throw error;
          }
        },
      };
    },
    countSockets(count) {
      sockets = count;
    },
    close() {
      unsubscribe(APPEND_BATCH_CHANNEL, onBatch);
      registry.clear();
    },
  };
}
