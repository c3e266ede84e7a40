/**
 * Sign-in, sign-out and session lookup. Tokens are random; only their SHA-256 is stored, so a leaked database
 * holds no usable session.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Employee } from '../domain/entities.js';
import { DomainError } from '../domain/errors.js';
import { makeDecoyHash, verifyPassword, type ScryptParams } from '../domain/password.js';
import type { Clock } from '../ports/clock.js';
import type { DomainEvents } from '../ports/events.js';
import type { Store } from '../ports/store.js';
import { HashGate } from './hash-gate.js';
import { LoginThrottle, type ThrottleLimits } from './login-throttle.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface AuthServiceDeps {
  store: Store;
  clock: Clock;
  events: DomainEvents;
  sessionTtlHours: number;
  passwordParams?: ScryptParams;
  throttle?: ThrottleLimits;
  /** Password checks in flight at once (SIGNIN_MAX_PENDING_CHECKS). */
  maxPendingChecks?: number;
}

/** A sign-in refused for want of hashing capacity is retried after about one check's time. */
const BUSY_RETRY_MS = 1_000;

export function createAuthService(deps: AuthServiceDeps) {
  const { store, clock } = deps;
  const throttle = new LoginThrottle(clock, deps.throttle);
  const changeThrottle = new LoginThrottle(clock, deps.throttle);
  const gate = new HashGate(deps.maxPendingChecks ?? 16);
  let decoy: Promise<string> | null = null;

  function tooMany(ms: number): DomainError {
    const minutes = Math.max(1, Math.ceil(ms / 60_000));
    return new DomainError('TOO_MANY_ATTEMPTS', `Too many attempts, try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, { retryAfterMs: ms });
  }

  async function check(login: string, password: string): Promise<Employee | null> {
    const employee = await store.employees.findByLogin(login);
    // Verify against a decoy for unknown logins so both failures cost the same time.
    decoy ??= makeDecoyHash(deps.passwordParams);
    const ok = await verifyPassword(password, employee?.passwordHash ?? (await decoy));
    return employee && ok && employee.active ? employee : null;
  }

  /**
   * Runs a password check under the throttle (by `name` and address) and the hashing cap: 429 or 503 with a retry
   * time instead of checking. Null from `verify` is a wrong password.
   */
  async function limited<T>(limits: LoginThrottle, name: string, address: string, verify: () => Promise<T | null>): Promise<T | null> {
    const admission = limits.admit(name, address);
    if ('retryAfterMs' in admission) throw tooMany(admission.retryAfterMs);
    const { attempt } = admission;
    let checked: { value: T | null } | null;
    try {
      checked = await gate.run(verify);
    } catch (error) {
      attempt.cancel();
      throw error;
    }
    if (!checked) {
      attempt.cancel();
      throw new DomainError('SERVICE_UNAVAILABLE', 'Too many password checks at once, try again in a moment', { retryAfterMs: BUSY_RETRY_MS });
    }
    if (checked.value === null) attempt.failed();
    else attempt.succeeded();
    return checked.value;
  }

  return {
    async signIn(login: string, password: string, address: string): Promise<{ token: string; employee: Employee }> {
      const employee = await limited(throttle, login, address, () => check(login, password));
      if (!employee) throw new DomainError('INVALID_CREDENTIALS', 'Wrong login or password');
      const token = randomBytes(32).toString('base64url');
      const tokenHash = hashToken(token);
      const now = clock.now();
      await store.sessions.create({
        tokenHash,
        employeeId: employee.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + deps.sessionTtlHours * 3_600_000),
      });
      // A password change or deactivation that ended the employee's sessions between our read and this create
      // would miss this one: it must not outlive the password it was made with.
      const after = await store.employees.findById(employee.id);
      if (!after || !after.active || after.passwordHash !== employee.passwordHash) {
        await store.sessions.delete(tokenHash);
        throw new DomainError('INVALID_CREDENTIALS', 'Wrong login or password');
      }
      return { token, employee: after };
    },

    /**
     * Whether `password` is the signed-in employee's current one (before a change): the same limits as sign-in,
     * by employee and address, since it is the same guessable scrypt check.
     */
    async checkCurrentPassword(employee: Employee, password: string, address: string): Promise<boolean> {
      const ok = await limited(changeThrottle, `id:${employee.id}`, address, async () =>
        (await verifyPassword(password, employee.passwordHash)) ? true : null,
      );
      return ok === true;
    },

    async signOut(token: string): Promise<void> {
      const tokenHash = hashToken(token);
      await store.sessions.delete(tokenHash);
      deps.events.publish('session.ended', { tokenHash, reason: 'signed-out' });
    },

    /** Whether a session (by its token's hash) still stands in the store: the cheap re-check of open sockets. */
    sessionStillValid: async (tokenHash: string): Promise<boolean> => (await store.sessions.findValid(tokenHash, clock.now())) !== null,

    /** The active employee behind a session token, or null. */
    async authenticate(token: string | undefined): Promise<{ employee: Employee; tokenHash: string; expiresAt: Date } | null> {
      if (!token || token.length > 200) return null;
      const tokenHash = hashToken(token);
      const session = await store.sessions.findValid(tokenHash, clock.now());
      if (!session) return null;
      const employee = await store.employees.findById(session.employeeId);
      if (!employee || !employee.active) return null;
      return { employee, tokenHash, expiresAt: session.expiresAt };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
