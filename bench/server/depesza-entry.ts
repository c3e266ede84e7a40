/**
 * The real Depesza server (server/src/main.ts, unchanged) plus the bench's IPC memory probe. run.ts forks this
 * with `--expose-gc` under `taskset`; readiness is polled on /readyz, so the probe sends no `ready` of its own.
 */
import { installIpcProbe } from './ipc-probe.js';

installIpcProbe(null);
await import('../../server/src/main.js');
