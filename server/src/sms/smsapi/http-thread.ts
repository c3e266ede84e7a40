import { Worker } from 'node:worker_threads';
import type { SmsapiHttp, SmsapiHttpAnswer, SmsapiHttpRequest } from './http.js';

// Built, this code is bundled into dist/server next to the emitted smsapi-http-worker.js; from the sources the
// worker is the .mjs beside this file.
/** The worker's first message, once its modules loaded (http-worker.mjs). */
const READY = 'ready';

const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './http-worker.mjs' : './smsapi-http-worker.js', import.meta.url);

/** Answered for a request whose thread could not start: nothing was sent, so the gateway treats it as unreachable. */
export const THREAD_START_FAILED = 'EWORKERSTART';
/** Answered for a request in flight when its thread died: it may have reached SMSAPI (outcome unknown). */
export const THREAD_DIED = 'EWORKEREXIT';

export interface SmsapiHttpThreadOptions {
  /** For tests: the worker file of each start (undefined: the real one). */
  workerUrl?: () => URL | undefined;
  /**
   * A thread that failed to start (its file missing or broken, no resources). Called with the start's own error,
   * which carries no request: the requests waiting on it are answered THREAD_START_FAILED.
   */
  onStartFailed?: (error: Error) => void;
}

/**
 * SMSAPI requests performed on a worker thread (http-worker.mjs), so an urgent SMS costs the chat's event loop a
 * message to the thread and one back. Started at the first request; referenced only while a request is in flight,
 * so it never keeps a process alive. If the thread dies, its requests in flight answer THREAD_DIED (for a send:
 * outcome unknown, retried with the same idx, which SMSAPI answers 53 if the first one arrived); if it never came
 * online they answer THREAD_START_FAILED (not sent: like SMSAPI unreachable). The next request starts a new thread.
 */
export function createSmsapiHttpThread(options: SmsapiHttpThreadOptions = {}): SmsapiHttp & { close(): Promise<void> } {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { on: Worker | null; resolve: (answer: SmsapiHttpAnswer) => void }>();

  function failAllOn(dead: Worker, code: string): void {
    for (const [id, entry] of waiting) {
      if (entry.on !== dead) continue;
      waiting.delete(id);
      entry.resolve({ ok: false, code });
    }
  }

  function startFailed(error: unknown): void {
    const reported = error instanceof Error ? error : new Error(String(error));
    options.onStartFailed?.(reported);
  }

  function start(): Worker {
    const started = new Worker(options.workerUrl?.() ?? WORKER_URL);
    // 'online' comes before the worker's modules load; the worker's READY comes after, so a broken file is told apart.
    let ready = false;
    let failure: unknown = null;
    started.on('message', (message: typeof READY | { id: number; answer: SmsapiHttpAnswer }) => {
      if (message === READY) {
        ready = true;
        return;
      }
      const entry = waiting.get(message.id);
      waiting.delete(message.id);
      if (waiting.size === 0) started.unref();
      entry?.resolve(message.answer);
    });
    // 'exit' follows 'error'; listening to 'error' also keeps it from being thrown as an uncaught exception.
    started.on('error', (error) => (failure ??= error));
    started.once('exit', (exitCode) => {
      if (worker === started) worker = null;
      if (!ready) startFailed(failure ?? new Error(`SMSAPI HTTP thread exited with code ${exitCode} before it was ready`));
      failAllOn(started, ready ? THREAD_DIED : THREAD_START_FAILED);
    });
    started.unref();
    return started;
  }

  return {
    request(request: SmsapiHttpRequest): Promise<SmsapiHttpAnswer> {
      if (worker === null) {
        try {
          worker = start();
        } catch (error) {
          startFailed(error);
          return Promise.resolve({ ok: false, code: THREAD_START_FAILED });
        }
      }
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

const startFailureListeners = new Set<(error: Error) => void>();
let shared: ReturnType<typeof createSmsapiHttpThread> | null = null;

/** One thread per process serves every gateway and account reader: it holds nothing of theirs between requests. */
export function sharedSmsapiHttp(): SmsapiHttp {
  shared ??= createSmsapiHttpThread({ onStartFailed: (error) => startFailureListeners.forEach((listener) => listener(error)) });
  return shared;
}

/** Hears the shared thread's start failures (to log them); the answer stops listening. */
export function onSharedSmsapiHttpStartFailed(listener: (error: Error) => void): () => void {
  startFailureListeners.add(listener);
  return () => startFailureListeners.delete(listener);
}
