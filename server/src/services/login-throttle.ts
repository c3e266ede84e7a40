/**
 * Sign-in throttling. An attempt is counted (reserved) BEFORE its password is checked, in one synchronous step with
 * the limit check, so parallel guesses cannot all pass a check that only later learns of their failures; a success
 * hands its reservation back.
 *
 * The scheme, and why (cf. OWASP's "device cookie" proposal, with the client address in place of the cookie):
 * - Per (login, address) pair: five free failures, then a growing delay (30 s, 1 min, 2 min … up to the window).
 *   A typo-prone colleague is slowed, never locked out for long, and only from where they typed.
 * - Per login, from addresses that never signed in to it: five failures per window, then a lockout — this is what
 *   stops a spread-out (many addresses) attack on one account.
 * - Per address, over all logins: thirty failures per window — stops one address trying many accounts.
 * - A pair that once signed in successfully is "known": it skips the per-login and per-address limits (and its
 *   failures do not count toward them), so neither
 *   a stranger failing on purpose nor someone exhausting a shared office/proxy address can lock a person out of
 *   their account from where they usually sign in. The address stands in for the device cookie because it needs no
 *   client change and no secret shared between processes; its weakness (everyone behind one NAT is "known" once
 *   one of them signed in) is bounded by the pair delay, which still applies.
 * - At most a few checks of one login may be in flight at once.
 *
 * In memory, per process, on purpose: a speed bump against guessing, not an audit log. It resets with the process,
 * and with several processes each keeps its own counts (see README, Security).
 */
import type { Clock } from '../ports/clock.js';

export interface ThrottleLimits {
  /** Failures per login from addresses that never signed in to it, per window. */
  perLogin: number;
  /** Failures per address over all logins, per window. */
  perAddress: number;
  windowMs: number;
  /** Failures of one (login, address) pair before the delay starts. */
  pairFreeFailures: number;
  /** The first delay of a pair; each further failure doubles it, up to windowMs. */
  pairDelayMs: number;
  /** Checks of one login in flight at once. */
  inFlightPerLogin: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = {
  perLogin: 5,
  perAddress: 30,
  windowMs: 15 * 60_000,
  pairFreeFailures: 5,
  pairDelayMs: 30_000,
  inFlightPerLogin: 2,
};

/** How long a client waits when its login already has checks in flight. */
const IN_FLIGHT_RETRY_MS = 1_000;
/** Bounds the memory of known pairs; the oldest are forgotten first. */
const MAX_KNOWN_PAIRS = 100_000;

export interface Attempt {
  /** The password was right: the reservation is handed back and the pair becomes known. */
  succeeded(): void;
  /** The password was wrong: the reservation stays as a failure. */
  failed(): void;
  /** The password was never checked (e.g. no capacity): the reservation is handed back. */
  cancel(): void;
}

export type Admission = { attempt: Attempt } | { retryAfterMs: number };

/**
 * The name a login's budget is kept under. MongoDB finds employees with a case-insensitive ICU collation that also
 * treats fullwidth letters and ignorable characters (soft hyphen, zero-width space) as the letters they stand for,
 * so every spelling the store resolves to one account must fold to one key here, or each would buy fresh guesses.
 */
export function loginKey(login: string): string {
  return login.normalize('NFKC').replace(/\p{Default_Ignorable_Code_Point}/gu, '').toLowerCase();
}

/** The eight 16-bit groups of an IPv6 address (zone dropped, embedded IPv4 allowed), or null if it is none. */
function ipv6Groups(address: string): number[] | null {
  let text = address.split('%')[0]!.toLowerCase();
  const v4 = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(2).map(Number) as [number, number, number, number];
    text = `${v4[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const part = (half: string | undefined) => (half ? half.split(':') : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

/**
 * The address a budget is kept under. One IPv6 customer or host usually holds a whole /64 and can rotate through
 * it freely, so IPv6 is keyed on its /64; an IPv4-mapped IPv6 address (a dual-stack socket's view of an IPv4
 * client) is that IPv4 address.
 */
export function addressKey(address: string): string {
  const groups = ipv6Groups(address);
  if (!groups) return address;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi, lo] = [groups[6]!, groups[7]!];
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly known = new Set<string>();
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
  ) {}

  /** Checks every limit and, when none is reached, reserves the attempt — synchronously, so atomically. */
  admit(login: string, from: string): Admission {
    const address = addressKey(from);
    const now = this.clock.now().getTime();
    const name = loginKey(login);
    if ((this.inFlight.get(name) ?? 0) >= this.limits.inFlightPerLogin) return { retryAfterMs: IN_FLIGHT_RETRY_MS };
    const pairKey = `pair:${name}\u0000${address}`;
    const perLoginKey = `login:${name}`;
    const perAddressKey = `addr:${address}`;
    const known = this.known.has(pairKey);
    let wait = this.pairWait(pairKey, now);
    if (!known) {
      wait = Math.max(wait, this.waitFor(perLoginKey, this.limits.perLogin, now), this.waitFor(perAddressKey, this.limits.perAddress, now));
    }
    if (wait > 0) return { retryAfterMs: wait };

    // A known pair's typos stay its own business: they neither lock the login for new addresses nor use up the
    // (possibly shared) address's budget.
    const keys = known ? [pairKey] : [pairKey, perLoginKey, perAddressKey];
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
    this.inFlight.set(name, (this.inFlight.get(name) ?? 0) + 1);
    if (this.failures.size > 50_000) this.prune(now);

    let settled = false;
    const settle = (handBack: boolean) => {
      if (settled) return;
      settled = true;
      const left = (this.inFlight.get(name) ?? 1) - 1;
      if (left > 0) this.inFlight.set(name, left);
      else this.inFlight.delete(name);
      if (handBack) for (const key of keys) this.unreserve(key, now);
    };
    return {
      attempt: {
        succeeded: () => {
          settle(true);
          this.failures.delete(pairKey);
          this.remember(pairKey);
        },
        failed: () => settle(false),
        cancel: () => settle(true),
      },
    };
  }

  private remember(pairKey: string): void {
    this.known.delete(pairKey);
    this.known.add(pairKey);
    if (this.known.size > MAX_KNOWN_PAIRS) {
      const oldest = this.known.values().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  private unreserve(key: string, at: number): void {
    const list = this.failures.get(key);
    if (!list) return;
    const index = list.lastIndexOf(at);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.failures.delete(key);
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

  private pairWait(key: string, now: number): number {
    const list = this.recent(key, now);
    const over = list.length - this.limits.pairFreeFailures;
    if (over < 0) return 0;
    const delay = Math.min(this.limits.windowMs, this.limits.pairDelayMs * 2 ** Math.min(over, 30));
    return Math.max(0, (list.at(-1) as number) + delay - now);
  }

  private prune(now: number): void {
    for (const [key, list] of this.failures) {
      if (list.every((t) => now - t >= this.limits.windowMs)) this.failures.delete(key);
    }
  }
}
