/**
 * The loop behind the background workers (SMS outbox, acknowledgement reminders): run what is due, then sleep on
 * the Clock port until the next due time (at most `pollMs`: another process may have added work), and run again
 * early when woken. A wake during a run makes it go round once more instead of starting a second run.
 */
import type { Clock } from '../ports/clock.js';

export interface DueLoopDeps {
  clock: Clock;
  pollMs: number;
  /** Does the due work; should return soon after `isStopped()` turns true. */
  runOnce: () => Promise<void>;
  nextDueAt: () => Promise<Date | null>;
  onError: (error: unknown) => void;
}

export function createDueLoop(deps: DueLoopDeps) {
  let cancelTimer: (() => void) | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;

  async function schedule(): Promise<void> {
    if (stopped) return;
    const next = await deps.nextDueAt().catch(() => null);
    const wait = next === null ? deps.pollMs : Math.min(deps.pollMs, Math.max(0, next.getTime() - deps.clock.now().getTime()));
    cancelTimer?.();
    // The clock's timer, not setTimeout: tests move the clock to a deadline instead of sleeping until it.
    if (!stopped) cancelTimer = deps.clock.setTimer(wait, wake);
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await deps.runOnce().catch(deps.onError);
      } while (again && !stopped);
      await schedule();
    })().finally(() => {
      running = null;
    });
  }

  return {
    isStopped: () => stopped,
    start(): void {
      stopped = false;
      wake();
    },
    wake,
    /** Resolves when no run is in progress. */
    async idle(): Promise<void> {
      while (running) await running;
    },
    async stop(): Promise<void> {
      stopped = true;
      cancelTimer?.();
      while (running) await running;
    },
  };
}
