import { Worker } from 'node:worker_threads';
import type { SmsapiHttp, SmsapiHttpAnswer, SmsapiHttpRequest } from './http.js';

// Built, this code is bundled into dist/server next to the emitted smsapi-http-worker.js; from the sources the
// worker is the .mjs beside this file.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './http-worker.mjs' : './smsapi-http-worker.js', import.meta.url);

/**
 * SMSAPI requests performed on a worker thread (http-worker.mjs), so an urgent SMS costs the chat's event loop a
 * message to the thread and one back. Started at the first request; referenced only while a request is in flight,
 * so it never keeps a process alive. If the thread dies, its requests in flight answer as failures without a code
 * (for a send: outcome unknown, retried with the same idx, which SMSAPI answers 53 if the first one arrived), and the
 * next request starts a new thread.
 */
export function createSmsapiHttpThread(): SmsapiHttp & { close(): Promise<void> } {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { on: Worker; resolve: (answer: SmsapiHttpAnswer) => void }>();

  function failAllOn(dead: Worker): void {
    for (const [id, entry] of waiting) {
      if (entry.on !== dead) continue;
      waiting.delete(id);
      entry.resolve({ ok: false, code: null });
    }
  }

  function start(): Worker {
    const started = new Worker(WORKER_URL);
    started.on('message', (message: { id: number; answer: SmsapiHttpAnswer }) => {
      const entry = waiting.get(message.id);
      waiting.delete(message.id);
      if (waiting.size === 0) started.unref();
      entry?.resolve(message.answer);
    });
    // 'exit' follows 'error'; listening to 'error' only keeps it from being thrown as an uncaught exception.
    started.on('error', () => {});
    started.once('exit', () => {
      if (worker === started) worker = null;
      failAllOn(started);
    });
    started.unref();
    return started;
  }

  return {
    request(request: SmsapiHttpRequest): Promise<SmsapiHttpAnswer> {
      worker ??= start();
      const id = nextId++;
      const current = worker;
      return new Promise((resolve) => {
        waiting.set(id, { on: current, resolve });
        current.ref();
        current.postMessage({ id, request });
      });
    },
    async close(): Promise<void> {
      const current = worker;
      worker = null;
      if (current) await current.terminate();
    },
  };
}

let shared: ReturnType<typeof createSmsapiHttpThread> | null = null;

/** One thread per process serves every gateway and account reader: it holds nothing of theirs between requests. */
export function sharedSmsapiHttp(): SmsapiHttp {
  shared ??= createSmsapiHttpThread();
  return shared;
}
