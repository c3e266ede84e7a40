import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allowedCpus, moveProfilerThreads, profilerThreadIds } from './lib/proc.js';

const linuxWithTwoCores = process.platform === 'linux' && availableParallelism() >= 2;
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

// Reads /proc and sets CPU affinity: Linux with two cores only, as the bench itself.
describe.runIf(linuxWithTwoCores)('profiler threads of a server pinned to one core', () => {
  it('moves every V8 sampling thread (main thread and a worker) to the other core and leaves the JS threads pinned', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proc-test-'));
    const script = `
      const { Worker } = require('node:worker_threads');
      const w = new Worker('setInterval(() => {}, 1000)', { eval: true });
      w.on('online', () => process.stdout.write('up\\n'));
      setInterval(() => {}, 1000);`;
    const child = spawn('taskset', ['-c', '0', process.execPath, '--cpu-prof', '--cpu-prof-dir', dir, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('up') && resolve());
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const pid = child.pid as number;
    const before = profilerThreadIds(pid);
    expect(before).toHaveLength(2);
    expect(before.map((tid) => allowedCpus(pid, tid))).toEqual(['0', '0']);

    expect(moveProfilerThreads(pid, 1).sort()).toEqual([...before].sort());
    expect(before.map((tid) => allowedCpus(pid, tid))).toEqual(['1', '1']);
    expect(allowedCpus(pid)).toBe('0');
  });
});
