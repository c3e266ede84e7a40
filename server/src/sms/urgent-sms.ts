/**
 * "Notify immediately by SMS": deciding per recipient whether an SMS goes out (domain rules), the composer's
 * preview, telling the sender every outcome, and applying SMSAPI delivery reports.
 */
import { randomUUID } from 'node:crypto';
import { markdownToPlainText } from '../../../shared/markdown/plain-text.js';
import type { SmsPreview, SmsReason, SmsStatus } from '../../../shared/schemas/index.js';
import type { Employee, SmsDispatch } from '../domain/entities.js';
import { invalid, notFound } from '../domain/errors.js';
import { toSmsView } from '../domain/message-views.js';
import { checkSmsEligibility } from './eligibility.js';
import { localTimeOf, quietUntil } from '../domain/quiet-hours.js';
import type { DeliveryReport } from './smsapi/delivery-callback.js';
import { canTransition, statusAfterReport } from './status.js';
import type { Clock } from '../ports/clock.js';
import type { DomainEvents } from '../ports/events.js';
import type {
  AppendResult,
  DeadlineDecider,
  DispatchPatch,
  DispatchPlanner,
  NewDispatch,
  SmsCapCounts,
  SmsCapQuery,
  Store,
} from '../ports/store.js';
import type { SmsEscalation } from '../services/messaging.js';
import type { NotificationService } from '../services/notifications.js';

/** One recipient's SMS as bulk SMS's preview shows it: never the number. */
export type SmsVerdict = { ok: true; parts: number } | { ok: false; reason: SmsReason };

export interface SmsRules {
  configured: boolean;
  maxParts: number;
  normalize: boolean;
  senderPerHour: number;
  senderPerDay: number;
  recipientPerWindow: number;
  recipientWindowMinutes: number;
  /** SMS per calendar month (server's time zone) for the whole company; 0: no limit. */
  monthlyLimit?: number;
  /** The allowed "SMS if unread after N min" choices. */
  ifUnreadMinutes: number[];
  /** The company's zone (TIME_ZONE), in which working hours are written; quiet hours need it. */
  timeZone?: string;
}

export interface SmsEscalationDeps {
  store: Store;
  clock: Clock;
  events: DomainEvents;
  notifications: NotificationService;
  rules: SmsRules;
  /**
   * Set when this process runs the SMS dispatcher: an SMS that can go at once is stored already leased for this
   * long, and handed to the dispatcher after the commit ('sms.queued' with `leased`), which saves it a claim.
   */
  leaseOnInsertMs?: number;
}

const HOUR = 3_600_000;

/**
 * Whether the sender is told of this state in a notification. Queued says nothing yet; an unconfirmed dispatch
 * still being retried shows on the chip, and the notification waits for the worker's last word.
 */
export function isNotifiable(dispatch: Pick<SmsDispatch, 'status' | 'nextAttemptAt' | 'reason'>): boolean {
  // Held for quiet hours: the sender learns now that it will go later, and when.
  if (dispatch.status === 'queued') return dispatch.reason?.code === 'quiet_hours';
  if (dispatch.status === 'unconfirmed') return dispatch.nextAttemptAt === null;
  return true;
}

export function createSmsEscalation(deps: SmsEscalationDeps) {
  const { store, clock, rules } = deps;

  function capQuery(sender: Pick<Employee, 'id'>, recipients: Pick<Employee, 'id'>[], now: Date): SmsCapQuery {
    return {
      senderId: sender.id,
      recipientIds: recipients.map((r) => r.id),
      senderHourSince: new Date(now.getTime() - HOUR),
      senderDaySince: new Date(now.getTime() - 24 * HOUR),
      recipientSince: new Date(now.getTime() - rules.recipientWindowMinutes * 60_000),
      ...(rules.monthlyLimit ? { monthSince: new Date(now.getFullYear(), now.getMonth(), 1) } : {}),
    };
  }

  /**
   * The domain rules for one recipient; `plannedBySender` counts this send's own SMS decided before it. A bulk
   * send is exempt from the sender's caps: it has limits of its own (BULK_SMS_*), checked when it was claimed.
   */
  function decide(recipient: Employee, text: string, counts: SmsCapCounts, plannedBySender: number, senderCapsExempt = false) {
    return checkSmsEligibility({
      smsConfigured: rules.configured,
      recipient,
      counts: {
        senderLastHour: counts.senderLastHour + plannedBySender,
        senderLastDay: counts.senderLastDay + plannedBySender,
        recipientWindow: counts.recipientWindow.get(recipient.id) ?? 0,
        month: counts.month + plannedBySender,
      },
      limits: {
        senderPerHour: senderCapsExempt ? Number.MAX_SAFE_INTEGER : rules.senderPerHour,
        senderPerDay: senderCapsExempt ? Number.MAX_SAFE_INTEGER : rules.senderPerDay,
        recipientPerWindow: rules.recipientPerWindow,
        recipientWindowMinutes: rules.recipientWindowMinutes,
        monthly: rules.monthlyLimit ?? 0,
      },
      text,
      maxParts: rules.maxParts,
      normalize: rules.normalize,
    });
  }

  /** Null for someone no longer in the directory: the client words that, in the sender's language. */
  async function nameOf(recipientId: string): Promise<string | null> {
    return (await store.employees.findById(recipientId))?.name ?? null;
  }

  function publishChange(dispatch: SmsDispatch, name: string | null): void {
    deps.events.publish('sms.changed', {
      senderId: dispatch.senderId,
      messageId: dispatch.messageId,
      conversationId: dispatch.conversationId,
      dispatch: toSmsView(dispatch, name),
    });
  }

  /** Tells the sender about a dispatch's new state: live chip update plus a stored notification. */
  async function report(dispatch: SmsDispatch, recipientName?: string): Promise<void> {
    const name = recipientName ?? (await nameOf(dispatch.recipientId));
    publishChange(dispatch, name);
    if (isNotifiable(dispatch)) await deps.notifications.notifySmsOutcome(dispatch, name);
  }

  /**
   * The dispatcher's result for a dispatch, written only over `expected` (compare-and-set), with the sender's
   * notification of it in the same transaction; then the sender is told. Null when the dispatch moved meanwhile
   * (nothing written, nobody told).
   */
  async function recordResult(dispatch: SmsDispatch, patch: DispatchPatch, expected: readonly SmsStatus[]): Promise<SmsDispatch | null> {
    const name = await nameOf(dispatch.recipientId);
    const result = await store.sms.updateAndNotify(dispatch.id, patch, expected, (updated) =>
      isNotifiable(updated) ? deps.notifications.smsOutcome(updated, name) : null,
    );
    if (!result) return null;
    publishChange(result.dispatch, name);
    if (result.notification) deps.notifications.announce(result.notification);
    return result.dispatch;
  }

  /** The recipient read in time: the SMS is not needed, and the sender is told after how long they read. */
  function noLongerNeeded(dispatch: SmsDispatch, now: Date): DispatchPatch {
    const afterSeconds = Math.max(0, Math.round((now.getTime() - dispatch.createdAt.getTime()) / 1000));
    return { status: 'not_sent', reason: { code: 'read_in_time', afterSeconds }, sendIf: null, heldUntil: null, nextAttemptAt: null, lockedUntil: null };
  }

  /** When an SMS to `recipient` at `at` would land in their quiet hours, the moment their hours start; else null. */
  function holdFor(recipient: Pick<Employee, 'workingHours'>, at: Date): { until: Date; reason: SmsReason } | null {
    if (!rules.timeZone) return null;
    const until = quietUntil(recipient.workingHours, at, rules.timeZone);
    if (until === null) return null;
    return { until, reason: { code: 'quiet_hours', releaseAt: until.toISOString(), localTime: localTimeOf(until, rules.timeZone) } };
  }

  /**
   * At an "SMS if unread" / "if not acknowledged" deadline, or at the end of a quiet-hours hold: read (or
   * acknowledged) meanwhile → not needed; else the same rules and caps as an SMS sent at once, against the directory
   * and counts of now (the store reserves under them in the same step); and quiet hours again, which may hold it
   * (again, when the recipient changed their hours meanwhile) until their hours start.
   */
  const deadlineDecider: DeadlineDecider = {
    capQuery: (dispatch) => capQuery({ id: dispatch.senderId }, [{ id: dispatch.recipientId }], clock.now()),
    decide({ dispatch, messageSeq, readSeq, acknowledged, recipient, counts }): DispatchPatch {
      const now = clock.now();
      if (dispatch.sendIf === 'unread' && readSeq !== null && readSeq >= messageSeq) return noLongerNeeded(dispatch, now);
      const settled = { sendIf: null, heldUntil: null, nextAttemptAt: null, lockedUntil: null } as const;
      // Reading is not enough here: only the acknowledgement makes the SMS unnecessary.
      if (dispatch.sendIf === 'unacknowledged' && acknowledged) return { ...settled, status: 'not_sent', reason: { code: 'acknowledged_in_time' } };
      // A bulk SMS keeps its exemption from the sender's caps when it is decided later: the bulk limits counted it
      // when the job was claimed. Its origin is stored with the outbox row, so the exemption survives a restart.
      const verdict = recipient
        ? decide(recipient, dispatch.text, counts, 0, dispatch.origin === 'bulk')
        : ({ ok: false, reason: { code: 'no_mobile' } } as const);
      if (!verdict.ok) return { ...settled, status: 'not_sent', reason: verdict.reason };
      const hold = recipient && !dispatch.ignoreQuietHours ? holdFor(recipient, now) : null;
      if (hold) return { heldUntil: hold.until, nextAttemptAt: hold.until, lockedUntil: null, reason: hold.reason };
      return { sendIf: null, heldUntil: null, reason: null, toE164: verdict.toE164, parts: verdict.parts, nextAttemptAt: now };
    },
  };

  const escalation: SmsEscalation = {
    plan({ sender, recipients, text: markdown, now, ifUnreadMinutes, senderCapsExempt, anyIfUnreadDelay, ifUnacknowledged = false, ignoreQuietHours = false, origin = 'chat' }): DispatchPlanner {
      if (ifUnreadMinutes != null && !anyIfUnreadDelay && !rules.ifUnreadMinutes.includes(ifUnreadMinutes)) {
        throw invalid(`smsIfUnreadMinutes must be one of ${rules.ifUnreadMinutes.join(', ')} (got ${ifUnreadMinutes})`);
      }
      const waitFor = ifUnreadMinutes == null ? null : ifUnacknowledged ? 'unacknowledged' : 'unread';
      const deadline = ifUnreadMinutes == null ? null : new Date(now.getTime() + Math.round(ifUnreadMinutes * 60_000));
      // A phone shows no formatting: the recipient reads "pilne", not "**pilne**" (and parts are counted on that).
      const text = markdownToPlainText(markdown);
      // Fixed here, not in plan(): a store that retries its transaction must store the same dispatch ids.
      const ids = recipients.map(() => randomUUID());
      return {
        capQuery: capQuery(sender, recipients, now),
        plan(counts): NewDispatch[] {
          let queued = 0;
          return recipients.map((recipient, i) => {
            const verdict = decide(recipient, text, counts, queued, senderCapsExempt);
            // An SMS with a deadline meets quiet hours at the deadline, not now.
            const hold = verdict.ok && deadline === null && !ignoreQuietHours ? holdFor(recipient, now) : null;
            // A waiting or held SMS reserves nothing now: it is checked and counted again when it is decided.
            const goesNow = verdict.ok && deadline === null && hold === null;
            if (goesNow) queued += 1;
            return {
              id: ids[i] as string,
              recipientId: recipient.id,
              status: verdict.ok ? 'queued' : 'not_sent',
              reason: verdict.ok ? (hold?.reason ?? null) : verdict.reason,
              toE164: verdict.ok ? verdict.toE164 : null,
              text,
              parts: verdict.ok ? verdict.parts : null,
              points: null,
              gatewayId: null,
              attempts: 0,
              nextAttemptAt: verdict.ok ? (hold?.until ?? deadline ?? now) : null,
              lockedUntil: goesNow && deps.leaseOnInsertMs ? new Date(now.getTime() + deps.leaseOnInsertMs) : null,
              sendIf: verdict.ok ? waitFor : null,
              deadlineAt: deadline,
              heldUntil: hold?.until ?? null,
              ignoreQuietHours,
              origin,
            };
          });
        },
      };
    },

    async afterStored(result: AppendResult, recipients: Employee[]): Promise<void> {
      const names = new Map(recipients.map((r) => [r.id, r.name]));
      const queued = result.dispatches.filter((d) => d.status === 'queued');
      const leased = queued.filter((d) => d.lockedUntil !== null && d.sendIf === null && d.heldUntil === null);
      // First, before any await: until they are handed over, only their lease running out would send them.
      if (leased.length > 0) deps.events.publish('sms.queued', { leased });
      if (queued.length > leased.length) deps.events.publish('sms.queued', {});
      for (const dispatch of result.dispatches) {
        if (dispatch.status === 'not_sent' || dispatch.heldUntil !== null) await report(dispatch, names.get(dispatch.recipientId));
      }
    },

    async afterRead(conversationId: string, readerId: string, readSeq: number): Promise<void> {
      const now = clock.now();
      const settled = await store.sms.settleRead({ conversationId, recipientId: readerId, readSeq }, (d) => noLongerNeeded(d, now));
      for (const dispatch of settled) await report(dispatch);
    },
  };

  /**
   * One report, written only over the status it was judged against (compare-and-set): when the dispatcher or
   * another report moved the dispatch meanwhile, it is judged again against what is there now.
   */
  async function applyOne(entry: DeliveryReport): Promise<boolean> {
    // Each lost round means the status moved forward, which it can do only a few times: the bound is never reached.
    for (let round = 0; round < 5; round++) {
      const dispatch = entry.idx ? await store.sms.findById(entry.idx) : await store.sms.findByGatewayId(entry.msgId);
      if (!dispatch) return false;
      if (dispatch.gatewayId !== null && dispatch.gatewayId !== entry.msgId) return false;
      if (dispatch.status === 'queued' && dispatch.gatewayId === null && entry.idx === null) return false;
      const status = statusAfterReport(dispatch.status, entry.status);
      if (!canTransition(dispatch.status, status)) {
        if (dispatch.gatewayId === null) await store.sms.update(dispatch.id, { gatewayId: entry.msgId });
        return false;
      }
      const reason = entry.failure === null ? null : ({ code: 'delivery_failed', gatewayStatus: entry.failure } as const);
      // A report settles an unconfirmed dispatch: the dispatcher has nothing left to ask SMSAPI about it.
      const updated = await store.sms.update(
        dispatch.id,
        {
          status,
          ...(dispatch.status === 'unconfirmed' ? { nextAttemptAt: null } : {}),
          reason,
          gatewayId: dispatch.gatewayId ?? entry.msgId,
          ...(entry.points !== null ? { points: entry.points } : {}),
        },
        [dispatch.status],
      );
      if (updated) {
        await report(updated);
        return true;
      }
    }
    return false;
  }

  return {
    escalation,
    report,
    recordResult,
    deadlineDecider,

    /**
     * Bulk SMS's preview: per recipient (each with their own text), whether an SMS would go and in how many parts,
     * judged as one send would be (advisory: the append decides).
     */
    async judgeBulk(sender: Employee, items: Array<{ recipient: Employee; text: string }>): Promise<Array<SmsVerdict>> {
      const counts = await store.sms.countForCaps(capQuery(sender, items.map((i) => i.recipient), clock.now()));
      let queued = 0;
      return items.map(({ recipient, text }) => {
        const verdict = decide(recipient, markdownToPlainText(text), counts, queued, true);
        if (verdict.ok) queued += 1;
        return verdict.ok ? { ok: true, parts: verdict.parts } : { ok: false, reason: verdict.reason };
      });
    },

    /** Who an SMS could not reach right now, and why — never the number itself. */
    async preview(me: Employee, conversationId: string, text = ''): Promise<SmsPreview> {
      const found = await store.conversations.findForMember(conversationId, me.id);
      // The same answer as every other command gives a non-member: the conversation's existence stays hidden.
      if (!found) throw notFound('No such conversation');
      const recipients = await store.employees.findByIds(found.members.map((m) => m.employeeId).filter((id) => id !== me.id));
      const counts = await store.sms.countForCaps(capQuery(me, recipients, clock.now()));
      const result: SmsPreview = { recipients: [] };
      const smsText = markdownToPlainText(text);
      const now = clock.now();
      for (const recipient of recipients) {
        const verdict = decide(recipient, smsText, counts, 0);
        // In quiet hours they can receive it, later: the reason says when (unless the sender chooses "send anyway").
        const hold = verdict.ok ? holdFor(recipient, now) : null;
        result.recipients.push({
          employeeId: recipient.id,
          name: recipient.name,
          canReceive: verdict.ok,
          reason: verdict.ok ? (hold?.reason ?? null) : verdict.reason,
        });
      }
      return result;
    },

    /**
     * Applies delivery reports. Only a report that matches a dispatch we sent (by our idx and, once known, the
     * gateway id) counts; a final state never moves backwards, so repeats and late reports change nothing.
     */
    async applyDeliveryReports(reports: DeliveryReport[]): Promise<number> {
      let applied = 0;
      for (const entry of reports) if (await applyOne(entry)) applied += 1;
      return applied;
    },
  };
}

export type SmsEscalationService = ReturnType<typeof createSmsEscalation>;
export type SmsPreviewService = Pick<SmsEscalationService, 'preview'>;
