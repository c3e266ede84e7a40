/**
 * Failed sign-in attempts counted per login and per address in a sliding window. In memory on purpose: it is a
 * speed bump against guessing, not an audit log, and it resets with the process.
 */
import type { Clock } from '../ports/clock.js';

export interface ThrottleLimits {
  perLogin: number;
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perLogin: 5, perAddress: 30, windowMs: 15 * 60_000 };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
  ) {}

  /** Milliseconds until another attempt is allowed, or 0. */
  retryAfterMs(login: string, address: string): number {
    const now = this.clock.now().getTime();
    return Math.max(
      this.waitFor(`login:${login.toLowerCase()}`, this.limits.perLogin, now),
      this.waitFor(`addr:${address}`, this.limits.perAddress, now),
    );
  }

  recordFailure(login: string, address: string): void {
    const now = this.clock.now().getTime();
    for (const key of [`login:${login.toLowerCase()}`, `addr:${address}`]) {
      const list = this.recent(key, now);
      list.push(now);
      this.failures.set(key, list);
    }
    if (this.failures.size > 50_000) this.prune(now);
  }

  recordSuccess(login: string): void {
    this.failures.delete(`login:${login.toLowerCase()}`);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
  }

  private waitFor(key: string, limit: number, now: number): number {
    const list = this.recent(key, now);
    if (list.length < limit) return 0;
    const oldestThatCounts = list[list.length - limit] as number;
    return oldestThatCounts + this.limits.windowMs - now;
  }

  private prune(now: number): void {
    for (const [key, list] of this.failures) {
      if (list.every((t) => now - t >= this.limits.windowMs)) this.failures.delete(key);
    }
  }
}
