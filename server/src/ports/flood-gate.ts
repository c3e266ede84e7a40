/**
 * Flood limits as token buckets, each refilled steadily at its rate per minute and holding at most that many
 * tokens (a burst of the same size). Shared by every process that uses the same backing: Redis, the MongoDB
 * store, or — one process alone — its memory.
 */

export interface FloodBucket {
  /** Names the bucket among the key's buckets: `events`, `messages`. */
  name: string;
  perMinute: number;
}

export interface FloodGate {
  /**
   * Takes one token from each of the key's listed buckets — from all of them or, when any is empty, from none —
   * in one atomic step, so parallel requests through several processes cannot pass the limit together.
   */
  take(key: string, buckets: readonly FloodBucket[]): Promise<boolean>;
}
