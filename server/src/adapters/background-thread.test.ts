import { existsSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE } from './background-thread.mjs';

const HELPER = new URL('./background-thread.mjs', import.meta.url).href;

/** Runs the helper on a thread of its own and answers what it returned and that thread's priority after it. */
function onWorker(): Promise<{ lowered: boolean; nice: number | null }> {
  const source = `
    import { readlinkSync } from 'node:fs';
    import { getPriority } from 'node:os';
    import { parentPort } from 'node:worker_threads';
    const { lowerThisThreadPriority } = await import(${JSON.stringify(HELPER)});
    const lowered = lowerThisThreadPriority();
    let nice = null;
    try { nice = getPriority(Number(readlinkSync('/proc/thread-self').split('/').pop())); } catch {}
    parentPort.postMessage({ lowered, nice });`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`));
  return new Promise((resolve, reject) => {
    worker.once('message', (answer) => {
      resolve(answer);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('lowerThisThreadPriority', () => {
  // Linux only: elsewhere no thread has an id of its own to lower, and the helper does nothing.
  it.runIf(existsSync('/proc/thread-self'))('lowers only the calling thread, not the event loop', async () => {
    const before = getPriority(process.pid);
    const { lowered, nice } = await onWorker();
    expect(lowered).toBe(true);
    expect(nice).toBe(Math.min(19, before + BACKGROUND_NICE));
    expect(getPriority(process.pid)).toBe(before);
  });
});
