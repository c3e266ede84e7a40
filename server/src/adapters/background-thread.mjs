// @ts-check
/**
 * For the process's helper threads (the WAL checkpoint worker, the SMSAPI HTTP thread): below the event loop on a
 * shared core. On one core (the bench pins the server to one) such a thread at the same priority takes its turn
 * ahead of chat messages waiting on the event loop: a checkpoint copies every page the commits since the last one
 * wrote, some milliseconds of CPU at once, more under urgent SMS traffic (each SMS result and its notification a
 * commit of its own). 10 nicer than the process (weight 110 against 1024 at nice 0) lets the event loop go first
 * whenever it has work and still leaves such a thread about a tenth of a saturated core, several times what it
 * needs. On Linux a thread's own id names just that thread; elsewhere, or when not allowed, the thread keeps the
 * process's priority.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much nicer than the process; nice is at most 19. */
export const BACKGROUND_NICE = 10;

/** Lowers the calling thread's (not the process's) priority by BACKGROUND_NICE; true when it did. */
export function lowerThisThreadPriority() {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return false;
    setPriority(threadId, Math.min(19, getPriority(threadId) + BACKGROUND_NICE));
    return true;
  } catch {
    // No /proc (not Linux) or not allowed.
    return false;
  }
}
