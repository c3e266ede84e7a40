/**
 * Sends queued SMS dispatches through the gateway port: the consumer side of the transactional outbox. Each
 * dispatch is leased before it is sent, so several processes never send the same one; SMSAPI's idx/check_idx
 * makes a retry after a crash harmless (error 53 = it was already accepted).
 */
import type { SmsDispatch } from '../domain/entities.js';
import type { SmsStatus } from '../../../shared/schemas/index.js';
import { PENDING_STATUSES } from './status.js';
import { createDueLoop } from '../services/due-loop.js';
import type { Clock } from '../ports/clock.js';
import type { SmsGateway } from '../ports/sms-gateway.js';
import type { DeadlineDecider, DispatchPatch, Store } from '../ports/store.js';

export interface SmsDispatcherDeps {
  store: Store;
  gateway: SmsGateway;
  clock: Clock;
  maxAttempts: number;
  /** Decides a waiting dispatch at its deadline or the end of its quiet-hours hold (sms/urgent-sms.ts). */
  deadlineDecider: DeadlineDecider;
  /** Called with every dispatch whose status a deadline (or the end of a hold) changed. */
  onChange: (dispatch: SmsDispatch) => Promise<void>;
  /**
   * Writes a gateway answer that changes the status, compare-and-set on `expected`, and tells the sender, the
   * notification in the same transaction (urgent-sms.ts recordResult); null when the dispatch moved meanwhile.
   */
  recordResult: (dispatch: SmsDispatch, patch: DispatchPatch, expected: readonly SmsStatus[]) => Promise<SmsDispatch | null>;
  onError: (error: unknown) => void;
  leaseMs?: number;
  batchSize?: number;
  /** Longest sleep between looks at the outbox (another process may have queued work). */
  pollMs?: number;
  /** First retry delay; doubles per attempt, with jitter. */
  baseBackoffMs?: number;
  random?: () => number;
}

/** How long a claimed dispatch stays this process's before another may take it (a crash mid-send). */
export const DEFAULT_LEASE_MS = 60_000;

/** Exponential backoff with full jitter on the upper half: the first retry comes within a few seconds. */
export function backoffMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(5 * 60_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function createSmsDispatcher(deps: SmsDispatcherDeps) {
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const batchSize = deps.batchSize ?? 20;
  const pollMs = deps.pollMs ?? 5_000;
  const baseBackoffMs = deps.baseBackoffMs ?? 2_000;

  async function attempt(dispatch: SmsDispatch): Promise<void> {
    const now = () => deps.clock.now();
    const attempts = dispatch.attempts + 1;
    const result = await deps.gateway.send({ idx: dispatch.id, to: (dispatch.toE164 ?? '').replace(/^\+/, ''), text: dispatch.text });
    let patch: DispatchPatch;
    switch (result.kind) {
      case 'accepted':
        // reason: null clears what an earlier attempt said ("did not answer in time"), which is no longer true.
        patch = {
          status: 'sent',
          reason: null,
          attempts,
          gatewayId: result.gatewayId,
          points: result.points,
          parts: result.parts ?? dispatch.parts,
          nextAttemptAt: null,
          lockedUntil: null,
        };
        break;
      case 'duplicate':
        patch = { status: 'sent', reason: null, attempts, nextAttemptAt: null, lockedUntil: null };
        break;
      case 'permanent':
        // A refused retry does not prove the earlier attempt was refused too (ERROR:103 because that attempt used
        // the credit; a proxy's 4xx): it stays unconfirmed, retried no more, with the refusal as its reason.
        patch = {
          status: dispatch.status === 'unconfirmed' ? 'unconfirmed' : 'not_sent',
          reason: result.reason,
          attempts,
          nextAttemptAt: null,
          lockedUntil: null,
        };
        break;
      case 'transient': {
        // Once any attempt may have been accepted, later clean failures cannot prove it was not: only an answer
        // for this idx (accepted, 53) or a delivery report settles it.
        const unconfirmed = result.outcomeUnknown === true || dispatch.status === 'unconfirmed';
        if (attempts >= deps.maxAttempts) {
          // Unconfirmed keeps its status: the same reason then reads "not confirmed", since it may still arrive.
          patch = {
            status: unconfirmed ? 'unconfirmed' : 'not_sent',
            reason: { code: 'unreachable', attempts },
            attempts,
            nextAttemptAt: null,
            lockedUntil: null,
          };
        } else {
          const wait = Math.max(backoffMs(attempts, baseBackoffMs, deps.random), result.retryAfterMs ?? 0);
          patch = {
            ...(unconfirmed && dispatch.status !== 'unconfirmed' ? { status: 'unconfirmed' as const } : {}),
            attempts,
            reason: { code: 'gateway_retrying', attempts, rateLimited: result.rateLimited === true },
            nextAttemptAt: new Date(now().getTime() + wait),
            lockedUntil: null,
          };
        }
        break;
      }
    }
    // A delivery report can overtake SMSAPI's answer and move the dispatch on while we waited, in this process or
    // another: the status is only written if still ours (compare-and-set). If not, the report's status stands, and
    // the answer only adds what the report could not know, telling nobody anything new.
    const updated = patch.status
      ? await deps.recordResult(dispatch, patch, PENDING_STATUSES)
      : await deps.store.sms.update(dispatch.id, patch, PENDING_STATUSES);
    if (updated) return;
    const current = await deps.store.sms.findById(dispatch.id);
    if (current === null) return;
    await deps.store.sms.update(dispatch.id, {
      attempts,
      nextAttemptAt: null,
      lockedUntil: null,
      ...(result.kind === 'accepted'
        ? { gatewayId: current.gatewayId ?? result.gatewayId, points: current.points ?? result.points, parts: result.parts ?? current.parts }
        : {}),
    });
  }

  /**
   * A waiting "SMS if unread" dispatch whose deadline came: the store decides it atomically (read meanwhile, rules,
   * caps); only a dispatch that still needs its SMS goes on to the gateway. Null: a reader settled it first.
   */
  async function atDeadline(dispatch: SmsDispatch): Promise<void> {
    const decided = await deps.store.sms.settleDeadline(dispatch.id, deps.deadlineDecider);
    if (decided === null) return;
    // Still held (quiet hours): the sender hears until when; it comes round again then.
    if (decided.status === 'queued' && decided.heldUntil === null) await attempt(decided);
    else await deps.onChange(decided);
  }

  /** Sends due work until none is left; the background loop also ends at stop(), drain() only when empty. */
  async function runOnce(untilEmpty = false): Promise<void> {
    for (;;) {
      // Retries of different dispatches come due in turn while others are in flight, so without this a stop would
      // wait until every retry was used up (minutes when SMSAPI is down).
      if (loop.isStopped() && !untilEmpty) return;
      const now = deps.clock.now();
      const due = await deps.store.sms.claimDue(now, new Date(now.getTime() + leaseMs), batchSize);
      if (due.length === 0) return;
      await Promise.all(due.map((d) => (d.sendIf === null && d.heldUntil === null ? attempt(d) : atDeadline(d)).catch(deps.onError)));
    }
  }

  const loop = createDueLoop({
    clock: deps.clock,
    pollMs,
    runOnce: () => runOnce(),
    nextDueAt: () => deps.store.sms.nextDueAt(),
    onError: deps.onError,
  });

  /** Hand-offs being sent: stop() and drain() wait for them as for the loop's own run. */
  const handedOff = new Set<Promise<void>>();
  async function handOffsSettled(): Promise<void> {
    while (handedOff.size > 0) await Promise.all(handedOff);
  }

  /**
   * Dispatches the append stored already leased to this process (urgent-sms.ts): sent now, without the claim
   * transaction and the empty claim after it that a wake costs. The lease keeps every other process off them; if this
   * one dies first, they are claimed when it runs out, like any lease of a crashed process.
   */
  function sendLeased(dispatches: SmsDispatch[]): void {
    for (const dispatch of dispatches) {
      const stopped = loop.isStopped();
      // Stopping (or never started): let go of the lease, so the next process need not wait for it to run out. With
      // batchSize already in flight (a bulk SMS): the loop takes it, batchSize at a time, as any queued dispatch.
      const letGo = stopped || handedOff.size >= batchSize;
      const work = letGo
        ? deps.store.sms.update(dispatch.id, { lockedUntil: null }, ['queued']).then(() => {
            if (!stopped) loop.wake();
          })
        : attempt(dispatch);
      const tracked: Promise<void> = work.catch(deps.onError).finally(() => handedOff.delete(tracked));
      handedOff.add(tracked);
    }
  }

  return {
    start: loop.start,
    wake: loop.wake,
    sendLeased,
    /** Resolves once the outbox is empty of due work; for tests and the benchmark. */
    async drain(): Promise<void> {
      await handOffsSettled();
      await loop.idle();
      await runOnce(true);
    },
    async stop(): Promise<void> {
      await loop.stop();
      await handOffsSettled();
    },
  };
}

export type SmsDispatcher = ReturnType<typeof createSmsDispatcher>;
