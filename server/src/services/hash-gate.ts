/**
 * A cap on password checks in flight. scrypt runs on libuv's small thread pool (4 threads by default), which file
 * and DNS work share: an unbounded burst of sign-ins would queue there for tens of seconds and stall everything
 * else. Beyond the cap a sign-in is refused at once (503 with a retry time) instead of queued.
 */
export class HashGate {
  private inFlight = 0;

  constructor(private readonly capacity: number) {}

  /** Runs `check` when there is room, else returns null without running it. */
  async run<T>(check: () => Promise<T>): Promise<{ value: T } | null> {
    if (this.inFlight >= this.capacity) return null;
    this.inFlight += 1;
    try {
      return { value: await check() };
    } finally {
      this.inFlight -= 1;
    }
  }
}
