/**
 * Open-loop scheduling: sends are due by the clock, never by acknowledgements, so a slow server meets the same
 * offered load as a fast one (a closed loop would quietly lower the rate and hide the queueing).
 */
export class RateSchedule {
  /** Sends in the whole phase. */
  readonly total: number;

  constructor(
    /** Sends per second. */
    readonly rate: number,
    /** Start of the phase in milliseconds on the caller's clock (performance.now()). */
    readonly startMs: number,
    readonly durationMs: number,
  ) {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`rate must be a positive number, got ${rate}`);
    if (!(durationMs > 0)) throw new Error(`duration must be positive, got ${durationMs}`);
    this.total = Math.round((rate * durationMs) / 1000);
  }

  /** How many sends should have happened by `nowMs` (the i-th send is due at start + i / rate). */
  dueBy(nowMs: number): number {
    if (nowMs < this.startMs) return 0;
    const due = Math.floor(((nowMs - this.startMs) * this.rate) / 1000) + 1;
    return Math.min(this.total, due);
  }

  /** When the i-th send (0-based) is due. */
  dueAt(index: number): number {
    return this.startMs + (index * 1000) / this.rate;
  }

  get endMs(): number {
    return this.startMs + this.durationMs;
  }
}

/** Spreads `count` sends round-robin over `senders` so every sender carries the same share of the load. */
export function senderFor(index: number, senders: number): number {
  if (senders <= 0) throw new Error('no senders');
  return index % senders;
}
