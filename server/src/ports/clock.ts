/**
 * Time as a port, so that tests can move it (SMS limits, backoff, "SMS if unread" deadlines, reminders) without
 * sleeping: whatever waits for time waits through `setTimer`, and a test clock fires the timers it moved past.
 */
export interface Clock {
  now(): Date;
  /** Calls `fn` once `ms` of this clock's time have passed; the answer cancels it (harmless after it ran). */
  setTimer(ms: number, fn: () => void): () => void;
}

/** Real timers, for clocks that follow real time. */
export function realTimer(ms: number, fn: () => void): () => void {
  const handle = setTimeout(fn, ms);
  return () => clearTimeout(handle);
}

export const systemClock: Clock = { now: () => new Date(), setTimer: realTimer };
