/**
 * Token buckets per employee (over all their devices): a steady rate with a burst of the same size, so a
 * runaway script is stopped while a fast typist never notices. This one is in memory: exact for one process,
 * per process with several (app.ts then uses Redis or the MongoDB store, see ports/flood-gate.ts).
 */
import type { Clock } from '../ports/clock.js';
import type { FloodBucket, FloodGate } from '../ports/flood-gate.js';

/** The bucket's level at `now`: what it held plus what flowed in since, never above its size. */
export function refilled(tokens: number, at: number, now: number, perMinute: number): number {
  return Math.min(perMinute, tokens + ((now - at) * perMinute) / 60_000);
}

export function memoryFloodGate(clock: Clock): FloodGate {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    // Synchronous inside: checked and taken in one step, so parallel requests of this process cannot slip past.
    async take(key: string, wanted: readonly FloodBucket[]): Promise<boolean> {
      const now = clock.now().getTime();
      const levels = wanted.map(({ name, perMinute }) => {
        const bucket = buckets.get(`${key}\u0000${name}`);
        return bucket ? refilled(bucket.tokens, bucket.at, now, perMinute) : perMinute;
      });
      if (levels.some((level) => level < 1)) return false;
      wanted.forEach(({ name }, i) => buckets.set(`${key}\u0000${name}`, { tokens: (levels[i] as number) - 1, at: now }));
      return true;
    },
  };
}

/**
 * The shared gate, or this process's own buckets while the shared one fails (Redis or MongoDB unreachable): the
 * limits then hold per process instead of refusing everyone or letting everything through.
 */
export function withLocalFallback(shared: FloodGate, local: FloodGate, onError: (error: unknown) => void): FloodGate {
  return {
    async take(key, buckets) {
      try {
        return await shared.take(key, buckets);
      } catch (error) {
        onError(error);
        return local.take(key, buckets);
      }
    },
  };
}
