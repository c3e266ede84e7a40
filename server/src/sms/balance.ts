/**
 * The SMS cost card (issue 14): the SMSAPI balance read every SMS_BALANCE_REFRESH_MINUTES (Clock port) and after
 * sends, never on the send path; this month's use from the store; a warning to admins when the balance falls below
 * SMS_BALANCE_WARN_POINTS — stored once per fall (the store decides, across processes and restarts), again only
 * after it was back at or above the threshold.
 */
import { randomUUID } from 'node:crypto';
import type { SmsBalanceLowEvent, SmsBalanceView } from '../../../shared/schemas/index.js';
import type { Clock } from '../ports/clock.js';
import type { DomainEvents } from '../ports/events.js';
import type { SmsAccount, SmsAccountBalance } from '../ports/sms-account.js';
import type { AdminAlert, Store } from '../ports/store.js';

export interface SmsBalanceDeps {
  account: SmsAccount;
  store: Store;
  clock: Clock;
  events: DomainEvents;
  refreshMinutes: number;
  warnBelow: number;
  monthlyLimit: number;
}

/** The calendar month in the server's time zone, like SMS_MONTHLY_LIMIT. */
export const monthStart = (now: Date) => new Date(now.getFullYear(), now.getMonth(), 1);

const WARNINGS_SHOWN = 10;

/**
 * Readings after sends come at most this often, the last one after the last send: at 50 urgent SMS/s, one reading
 * per send doubled the requests to SMSAPI and the work on the server's core (bench scenario 5).
 */
const AFTER_SEND_SPACING_MS = 10_000;

const toWarning = (alert: AdminAlert): SmsBalanceLowEvent => ({
  id: alert.id,
  points: alert.points,
  warnBelow: alert.warnBelow,
  at: alert.createdAt.toISOString(),
});

export function createSmsBalance(deps: SmsBalanceDeps) {
  const { account, clock } = deps;
  const everyMs = Math.round(deps.refreshMinutes * 60_000);
  let last: (SmsAccountBalance & { at: Date }) | null = null;
  let stale = false;
  let running: Promise<void> | null = null;
  let again = false;
  let cancelTimer: (() => void) | null = null;
  let stopped = true;
  let lastAfterSendAt = Number.NEGATIVE_INFINITY;
  let cancelAfterSend: (() => void) | null = null;

  function readAfterSend(): void {
    cancelAfterSend = null;
    lastAfterSendAt = clock.now().getTime();
    void refresh();
  }

  async function warnIfLow(points: number): Promise<void> {
    if (deps.warnBelow <= 0) return;
    const alert = await deps.store.adminAlerts.recordBalance({ id: randomUUID(), points, warnBelow: deps.warnBelow, at: clock.now() });
    if (alert === null) return;
    const adminIds = (await deps.store.employees.list()).filter((e) => e.role === 'admin').map((e) => e.id);
    deps.events.publish('sms.balanceLow', { adminIds, warning: toWarning(alert) });
  }

  async function readOnce(): Promise<void> {
    const balance = await account.balance();
    stale = balance === null;
    if (balance === null) return;
    last = { ...balance, at: clock.now() };
    await warnIfLow(balance.points);
  }

  /** One reading at a time; a request during one makes one more after it (sends come in bursts). */
  function refresh(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await readOnce();
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    cancelTimer = clock.setTimer(everyMs, () => {
      void refresh().finally(schedule);
    });
  }

  return {
    refresh,
    /** Resolves once no reading is under way or waiting (tests wait on this instead of sleeping). */
    async drain(): Promise<void> {
      if (cancelAfterSend) {
        cancelAfterSend();
        readAfterSend();
      }
      while (running) await running;
    },
    /** After the gateway took an SMS the balance has moved. */
    afterSend(): void {
      if (stopped || cancelAfterSend) return;
      const wait = lastAfterSendAt + AFTER_SEND_SPACING_MS - clock.now().getTime();
      if (wait <= 0) readAfterSend();
      else cancelAfterSend = clock.setTimer(wait, readAfterSend);
    },
    start(): void {
      if (!stopped) return;
      stopped = false;
      void refresh();
      schedule();
    },
    async stop(): Promise<void> {
      stopped = true;
      cancelTimer?.();
      cancelAfterSend?.();
      cancelAfterSend = null;
      await running;
    },
    async view(): Promise<SmsBalanceView> {
      const [month, alerts] = await Promise.all([
        deps.store.sms.usageSince(monthStart(clock.now())),
        deps.store.adminAlerts.list(WARNINGS_SHOWN),
      ]);
      return {
        points: last?.points ?? null,
        paymentType: last?.paymentType ?? null,
        checkedAt: last?.at.toISOString() ?? null,
        stale,
        month: { sms: month.sms, points: Math.round(month.points * 10_000) / 10_000 },
        monthlyLimit: deps.monthlyLimit,
        warnBelow: deps.warnBelow,
        warnings: alerts.map(toWarning),
      };
    },
  };
}

export type SmsBalance = ReturnType<typeof createSmsBalance>;
