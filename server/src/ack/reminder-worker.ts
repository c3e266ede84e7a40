/**
 * Sends "please acknowledge" reminders when they come due, through the Clock port (tests move the clock). Each
 * reminder is leased before it goes, so of several processes only one sends it; an acknowledgement removes the
 * reminder, and a reminder whose document went meanwhile is not sent.
 */
import type { AckReminder } from '../domain/entities.js';
import type { Clock } from '../ports/clock.js';
import type { DomainEvents } from '../ports/events.js';
import type { Store } from '../ports/store.js';
import { createDueLoop } from '../services/due-loop.js';

export interface ReminderWorkerDeps {
  store: Store;
  clock: Clock;
  events: DomainEvents;
  intervalMs: number;
  onError: (error: unknown) => void;
  /** Longest wait between looks (another process may have stored reminders). */
  pollMs?: number;
  leaseMs?: number;
}

export function createReminderWorker(deps: ReminderWorkerDeps) {
  const pollMs = deps.pollMs ?? 5_000;
  const leaseMs = deps.leaseMs ?? 60_000;

  async function remind(reminder: AckReminder): Promise<void> {
    const next = new Date(reminder.nextAt.getTime() + deps.intervalMs);
    if (!(await deps.store.acks.advanceReminder(reminder, next > reminder.untilAt ? null : next))) return;
    const message = await deps.store.messages.findById(reminder.messageId);
    if (!message) return;
    const sender = await deps.store.employees.findById(message.senderId);
    deps.events.publish('ack.reminder', {
      employeeId: reminder.employeeId,
      reminder: { messageId: message.id, conversationId: message.conversationId, senderId: message.senderId, senderName: sender?.name ?? '' },
    });
  }

  async function runOnce(): Promise<void> {
    while (!loop.isStopped()) {
      const now = deps.clock.now();
      const due = await deps.store.acks.claimDueReminders(now, new Date(now.getTime() + leaseMs), 50);
      if (due.length === 0) return;
      for (const reminder of due) await remind(reminder).catch(deps.onError);
    }
  }

  const loop = createDueLoop({
    clock: deps.clock,
    pollMs,
    runOnce,
    nextDueAt: () => deps.store.acks.nextReminderAt(),
    onError: deps.onError,
  });

  return {
    start: loop.start,
    wake: loop.wake,
    /** Resolves once the run in progress (if any) is done; for tests. */
    drain: loop.idle,
    stop: loop.stop,
  };
}

export type ReminderWorker = ReturnType<typeof createReminderWorker>;
