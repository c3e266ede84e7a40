/** Time as a port, so that tests can move it (SMS limits, backoff) without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
